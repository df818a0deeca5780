// A block store in a fresh temporary directory, removed afterwards, and adding bytes to it as
// `hashos add` does.
#pragma once

#include "store/block_store.h"
#include "store/importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace hashos::handlers::testing {

class TemporaryStore {
public:
    TemporaryStore()
    {
        std::random_device random;
        m_directory = std::filesystem::temp_directory_path() / ("hashos-handlers-" + std::to_string(random()));
    }
    ~TemporaryStore() { std::filesystem::remove_all(m_directory); }

    store::BlockStore open() const { return store::BlockStore::open(m_directory).value(); }

    store::Cid add(std::span<const uint8_t> bytes) const
    {
        auto block_store = open();
        auto put = [&](const store::Cid& cid, std::span<const uint8_t> block) { return block_store.put(cid, block); };
        auto cid = store::import_bytes(bytes, store::ImportParameters::for_profile(store::ImportProfile::Helia), put);
        EXPECT_FALSE(cid.is_error());
        return cid.value();
    }

private:
    std::filesystem::path m_directory;
};

inline std::vector<uint8_t> read_program(const std::string& name)
{
    std::ifstream stream(std::string(HASHOS_KERNEL_TEST_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
    return { std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>() };
}

} // namespace hashos::handlers::testing
