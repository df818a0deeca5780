// Helpers shared by the store tests: deterministic file contents, temporary directories, running
// a command and capturing what it prints.
#pragma once

#include "base/result.h"
#include "store/block_source.h"
#include "store/importer.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace hashos::store::testing {

// The test files' bytes: byte i is the top byte of i * 0x9E3779B1 (mod 2^32), which never repeats
// a chunk, so no two leaves of a test DAG share a block. tests/store/interop/ uses the same files.
inline std::vector<uint8_t> pattern_bytes(size_t size)
{
    std::vector<uint8_t> bytes(size);
    for (size_t index = 0; index < size; ++index)
        bytes[index] = uint8_t((uint32_t(index) * 0x9E3779B1u) >> 24);
    return bytes;
}

inline std::span<const uint8_t> as_bytes(std::string_view text)
{
    return { reinterpret_cast<const uint8_t*>(text.data()), text.size() };
}

// A fresh directory under the system's temporary directory, removed with its contents.
class TemporaryDirectory {
public:
    TemporaryDirectory()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "hashos-store-test-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TemporaryDirectory()
    {
        std::error_code ignored;
        // Stored blocks are read-only files; their directory is writable, so removal works.
        std::filesystem::remove_all(m_path, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

inline void write_file(const std::filesystem::path& path, std::span<const uint8_t> bytes)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    ASSERT_TRUE(file.good()) << path;
}

inline std::vector<uint8_t> read_whole_file(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

inline std::string read_text_file(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

struct CommandResult {
    int exit_code = -1;
    std::string out;
};

// Runs `command` with /bin/sh and returns its exit code and standard output.
inline CommandResult run_command(const std::string& command)
{
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return result;
    std::array<char, 65536> buffer;
    size_t count;
    while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.out.append(buffer.data(), count);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string shell_quote(const std::string& text)
{
    std::string quoted = "'";
    for (char character : text)
        quoted += character == '\'' ? std::string("'\\''") : std::string(1, character);
    return quoted + "'";
}

template<typename T>
T expect_value(Result<T> result)
{
    if (result.is_error())
        throw std::runtime_error("unexpected error: " + result.error().message());
    return result.release_value();
}

// Blocks in memory, verified on the way in like the block store's: for importer and reader tests.
class MemoryBlocks final : public BlockSource {
public:
    Result<std::vector<uint8_t>> get(const Cid& cid) const override
    {
        auto found = m_blocks.find(cid.multihash());
        if (found == m_blocks.end())
            return Error("block " + cid.to_string() + " is not in the store");
        return found->second;
    }
    Result<void> put(const Cid& cid, std::span<const uint8_t> block)
    {
        if (!cid.multihash().matches(block))
            return Error("hash mismatch");
        m_blocks[cid.multihash()].assign(block.begin(), block.end());
        return {};
    }
    BlockSink sink()
    {
        return [this](const Cid& cid, std::span<const uint8_t> block) { return put(cid, block); };
    }
    size_t size() const { return m_blocks.size(); }

private:
    std::map<Multihash, std::vector<uint8_t>> m_blocks;
};

} // namespace hashos::store::testing
