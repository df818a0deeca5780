// Writing a file so that readers, and a crash, see either no file or the whole file: the bytes go
// to a temporary file in the same directory (so rename stays within one file system), which is
// fsynced, renamed over the final name, and the directory fsynced so the rename itself is durable.
#pragma once

#include "base/result.h"

#include <filesystem>
#include <span>
#include <string_view>

namespace hashos::store {

// Temporary files start with this; a crash can leave them behind, and readers skip them.
constexpr std::string_view k_temporary_prefix = ".tmp-";

bool is_temporary_file(const std::filesystem::path& path);

enum class FileAccess {
    ReadOnly,  // 0444: stored blocks are immutable
    ReadWrite, // 0644
};

Result<void> write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, FileAccess access);

// The pieces of write_file_atomically, for writers that make many files durable at once
// (store/block_batch.h): write each to a temporary file, sync them all, rename them all, then
// sync their directories.

// A written temporary file, still open so that it can be synced. Removes the file when
// destroyed unless it was renamed into place.
class TemporaryFile {
public:
    // Writes `bytes` to a new temporary file in `directory` and asks the kernel to start writing
    // them to disk (sync_file_range), without waiting.
    static Result<TemporaryFile> write(const std::filesystem::path& directory, std::span<const uint8_t> bytes, FileAccess access);

    TemporaryFile(TemporaryFile&& other) noexcept;
    TemporaryFile& operator=(TemporaryFile&&) = delete;
    TemporaryFile(const TemporaryFile&) = delete;
    ~TemporaryFile();

    // Renames the file to `path` (in the same directory), once its bytes are on disk
    // (sync_file_system()); the rename itself needs another sync to survive a crash.
    Result<void> rename_to(const std::filesystem::path& path);

private:
    TemporaryFile(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}

    std::string m_path; // empty once renamed
    int m_fd = -1;
};

Result<void> sync_directory(const std::filesystem::path& directory);
// Writes everything pending on the file system that holds `path` (syncfs(2)): one wait for many
// files instead of one fsync each, each of which costs a disk cache flush.
Result<void> sync_file_system(const std::filesystem::path& path);

} // namespace hashos::store
