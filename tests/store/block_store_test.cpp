#include "store/atomic_file.h"
#include "store/block_store.h"
#include "store/file_reader.h"
#include "store/importer.h"
#include "store/multibase.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hashos::store {
namespace {

using testing::as_bytes;
using testing::expect_value;
using testing::pattern_bytes;
using testing::TemporaryDirectory;

namespace fs = std::filesystem;

Cid raw_cid(std::span<const uint8_t> bytes)
{
    return Cid::v1(Codec::Raw, Multihash::sha2_256(bytes));
}

// The one file under blocks/ that holds `multihash`.
fs::path block_file(const BlockStore& store, const Multihash& multihash)
{
    auto name = encode_base32(multihash.bytes(), LetterCase::Upper);
    return store.directory() / "blocks" / name.substr(name.size() - 3, 2) / (name + ".data");
}

Cid add(const BlockStore& store, std::span<const uint8_t> bytes, ImportProfile profile = ImportProfile::Helia)
{
    auto root = expect_value(import_bytes(bytes, ImportParameters::for_profile(profile),
        [&](const Cid& cid, std::span<const uint8_t> block) { return store.put(cid, block); }));
    EXPECT_FALSE(store.pin(root).is_error());
    return root;
}

std::vector<uint8_t> cat(const BlockStore& store, const Cid& root)
{
    std::vector<uint8_t> bytes;
    expect_value(read_file(store, root, [&](std::span<const uint8_t> part) -> Result<void> {
        bytes.insert(bytes.end(), part.begin(), part.end());
        return {};
    }));
    return bytes;
}

void corrupt(const fs::path& path)
{
    fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
    auto bytes = testing::read_whole_file(path);
    ASSERT_FALSE(bytes.empty());
    bytes[bytes.size() / 2] ^= 0x40;
    testing::write_file(path, bytes);
}

TEST(BlockStore, PutGetHas)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = as_bytes("hello world\n");
    auto cid = raw_cid(bytes);
    EXPECT_FALSE(expect_value(store.has(cid.multihash())));
    EXPECT_NE(store.get(cid).error().message().find("is not in the store"), std::string::npos);
    ASSERT_FALSE(store.put(cid, bytes).is_error());
    EXPECT_TRUE(expect_value(store.has(cid.multihash())));
    auto read = expect_value(store.get(cid));
    EXPECT_TRUE(std::equal(read.begin(), read.end(), bytes.begin(), bytes.end()));
    // Sharded by the two characters before the last, stored read-only.
    auto path = block_file(store, cid.multihash());
    EXPECT_TRUE(fs::is_regular_file(path));
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    // Putting the same block again is a no-op.
    ASSERT_FALSE(store.put(cid, bytes).is_error());
    auto listed = expect_value(store.blocks());
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].multihash, cid.multihash());
    EXPECT_EQ(listed[0].size, bytes.size());
}

TEST(BlockStore, RefusesBlocksThatDoNotMatchTheirCid)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto cid = raw_cid(as_bytes("the real bytes"));
    auto result = store.put(cid, as_bytes("other bytes"));
    ASSERT_TRUE(result.is_error());
    EXPECT_NE(result.error().message().find("do not match its hash"), std::string::npos);
    EXPECT_TRUE(expect_value(store.blocks()).empty());
}

TEST(BlockStore, RefusesOversizedBlocks)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    std::vector<uint8_t> big(k_max_block_size + 1, 1);
    EXPECT_NE(store.put(raw_cid(big), big).error().message().find("limit"), std::string::npos);
}

TEST(BlockStore, CidV0AndV1ShareOneBlock)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto v0 = add(store, as_bytes("hello world\n"), ImportProfile::KuboLegacy);
    EXPECT_EQ(v0.to_string(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    auto v1 = v0.to_v1();
    EXPECT_TRUE(expect_value(store.has(v1.multihash())));
    auto text = cat(store, v1);
    EXPECT_EQ(std::string(text.begin(), text.end()), "hello world\n");
    EXPECT_EQ(expect_value(store.blocks()).size(), 1u);
    // Unpinning by the other version finds the pin.
    EXPECT_FALSE(store.unpin(v1).is_error());
    EXPECT_TRUE(expect_value(store.pins()).empty());
    EXPECT_NE(store.unpin(v0).error().message().find("is not pinned"), std::string::npos);
}

TEST(BlockStore, CorruptBlockIsDetectedOnReadAndRepairedByPut)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = pattern_bytes(5000);
    auto cid = raw_cid(bytes);
    ASSERT_FALSE(store.put(cid, bytes).is_error());
    corrupt(block_file(store, cid.multihash()));
    auto read = store.get(cid);
    ASSERT_TRUE(read.is_error());
    EXPECT_NE(read.error().message().find("is corrupt on disk"), std::string::npos);
    // Storing the good bytes again replaces the bad copy.
    ASSERT_FALSE(store.put(cid, bytes).is_error());
    EXPECT_EQ(expect_value(store.get(cid)), bytes);
}

TEST(BlockStore, CorruptLeafStopsCatOfABigFile)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = pattern_bytes(3 * 1024 * 1024);
    auto root = add(store, bytes);
    auto blocks = expect_value(store.blocks());
    ASSERT_EQ(blocks.size(), 4u); // 3 leaves and the root
    for (auto const& block : blocks) {
        if (block.multihash != root.multihash()) {
            corrupt(block_file(store, block.multihash));
            break;
        }
    }
    auto result = read_file(store, root, [](std::span<const uint8_t>) -> Result<void> { return {}; });
    ASSERT_TRUE(result.is_error());
    EXPECT_NE(result.error().message().find("is corrupt on disk"), std::string::npos);
}

TEST(BlockStore, TruncatedBlockFromACrashIsCorruptNotData)
{
    // What a non-atomic writer would leave after a crash: the right name, half the bytes.
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = pattern_bytes(10000);
    auto cid = raw_cid(bytes);
    auto path = block_file(store, cid.multihash());
    fs::create_directories(path.parent_path());
    testing::write_file(path, std::span(bytes).first(5000));
    EXPECT_TRUE(store.get(cid).is_error());
}

TEST(BlockStore, LeftoverTemporaryFilesAreIgnoredAndCollected)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = pattern_bytes(1000);
    auto cid = raw_cid(bytes);
    auto root = add(store, bytes);
    EXPECT_EQ(root, cid);
    // A crash between writing a temporary file and renaming it leaves this behind.
    auto shard = block_file(store, cid.multihash()).parent_path();
    auto leftover = shard / (std::string(k_temporary_prefix) + "crashed");
    testing::write_file(leftover, std::span(bytes).first(10));
    auto pin_leftover = directory.path() / "pins" / (std::string(k_temporary_prefix) + "pin");
    testing::write_file(pin_leftover, as_bytes("bafy"));
    EXPECT_EQ(expect_value(store.blocks()).size(), 1u);
    EXPECT_EQ(expect_value(store.pins()).size(), 1u);
    EXPECT_EQ(expect_value(store.get(cid)), bytes);
    auto report = expect_value(store.collect_garbage());
    EXPECT_EQ(report.blocks_removed, 0u);
    EXPECT_EQ(report.temporary_files_removed, 2u);
    EXPECT_FALSE(fs::exists(leftover));
    EXPECT_FALSE(fs::exists(pin_leftover));
    EXPECT_EQ(expect_value(store.get(cid)), bytes);
}

TEST(BlockStore, UnknownFilesAreIgnored)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    fs::create_directories(directory.path() / "blocks" / "ZZ");
    testing::write_file(directory.path() / "blocks" / "ZZ" / "README", as_bytes("x"));
    testing::write_file(directory.path() / "blocks" / "ZZ" / "NOTBASE32!.data", as_bytes("x"));
    testing::write_file(directory.path() / "pins" / "not-a-cid", as_bytes("x"));
    EXPECT_TRUE(expect_value(store.blocks()).empty());
    EXPECT_TRUE(expect_value(store.pins()).empty());
}

TEST(BlockStore, GcKeepsPinnedDagsAndRemovesTheRest)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto kept_bytes = pattern_bytes(2 * 1024 * 1024 + 5);     // 3 leaves + root
    auto dropped_bytes = pattern_bytes(1024 * 1024 + 1);      // 2 leaves + root; its first leaf
    std::reverse(dropped_bytes.begin(), dropped_bytes.end()); // differs from kept's
    auto kept = add(store, kept_bytes);
    auto dropped = add(store, dropped_bytes);
    auto loose = as_bytes("never pinned");
    ASSERT_FALSE(store.put(raw_cid(loose), loose).is_error());
    EXPECT_EQ(expect_value(store.blocks()).size(), 4u + 3u + 1u);

    auto nothing = expect_value(store.collect_garbage());
    EXPECT_EQ(nothing.blocks_removed, 1u);
    EXPECT_EQ(nothing.bytes_freed, loose.size());

    ASSERT_FALSE(store.unpin(dropped).is_error());
    auto report = expect_value(store.collect_garbage());
    EXPECT_EQ(report.blocks_removed, 3u);
    EXPECT_GT(report.bytes_freed, dropped_bytes.size());
    EXPECT_EQ(expect_value(store.blocks()).size(), 4u);
    EXPECT_EQ(cat(store, kept), kept_bytes);
    EXPECT_TRUE(store.get(dropped).is_error());
    EXPECT_EQ(expect_value(store.pins()), std::vector<Cid> { kept });
}

TEST(BlockStore, PinNeedsTheWholeDag)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    // Only the root of a two-leaf file: the importer's blocks minus the leaves.
    auto root = expect_value(import_bytes(pattern_bytes(1024 * 1024 + 1), ImportParameters::for_profile(ImportProfile::Helia),
        [&](const Cid& cid, std::span<const uint8_t> block) -> Result<void> {
            if (cid.codec() == Codec::DagPb)
                return store.put(cid, block);
            return {};
        }));
    auto pinned = store.pin(root);
    ASSERT_TRUE(pinned.is_error());
    EXPECT_NE(pinned.error().message().find("cannot pin " + root.to_string()), std::string::npos);
    EXPECT_NE(pinned.error().message().find("is not in the store"), std::string::npos);
    EXPECT_TRUE(expect_value(store.pins()).empty());
}

TEST(BlockStore, GcRefusesToTouchAnythingWhenAPinnedDagIsDamaged)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto root = add(store, pattern_bytes(1024 * 1024 + 1));
    auto loose = as_bytes("loose");
    ASSERT_FALSE(store.put(raw_cid(loose), loose).is_error());
    corrupt(block_file(store, root.multihash()));
    auto report = store.collect_garbage();
    ASSERT_TRUE(report.is_error());
    EXPECT_NE(report.error().message().find("pinned " + root.to_string() + " is incomplete or damaged"), std::string::npos);
    EXPECT_EQ(expect_value(store.blocks()).size(), 4u);
}

TEST(BlockStore, ConcurrentWritersReadersAndGc)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    constexpr int k_threads = 4;
    constexpr int k_files = 12;
    std::vector<std::thread> threads;
    std::atomic<int> failures = 0;
    for (int thread = 0; thread < k_threads; ++thread) {
        threads.emplace_back([&, thread] {
            // Every thread writes the same files (same blocks, raced) and its own. Errors are
            // counted, not thrown: an exception would end the whole test binary.
            auto own_store = BlockStore::open(directory.path());
            if (own_store.is_error()) {
                failures++;
                return;
            }
            for (int file = 0; file < k_files; ++file) {
                auto bytes = pattern_bytes(1000 + size_t(file) * 300 + (file % 2 ? size_t(thread) : 0));
                auto hold = own_store->hold_off_gc();
                auto root = import_bytes(bytes, { .chunk_size = 256, .max_links = 3 },
                    [&](const Cid& cid, std::span<const uint8_t> block) { return own_store->put(cid, block); });
                if (hold.is_error() || root.is_error() || own_store->pin(root.value()).is_error()) {
                    failures++;
                    continue;
                }
                std::vector<uint8_t> read;
                auto size = read_file(own_store.value(), root.value(), [&](std::span<const uint8_t> part) -> Result<void> {
                    read.insert(read.end(), part.begin(), part.end());
                    return {};
                });
                if (size.is_error() || read != bytes)
                    failures++;
            }
        });
    }
    threads.emplace_back([&] {
        for (int round = 0; round < 10; ++round) {
            if (store.collect_garbage().is_error())
                failures++;
        }
    });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(failures.load(), 0);
    // Everything written was pinned, so a last gc keeps every file readable.
    expect_value(store.collect_garbage());
    for (auto const& root : expect_value(store.pins()))
        EXPECT_FALSE(read_file(store, root, [](std::span<const uint8_t>) -> Result<void> { return {}; }).is_error());
    EXPECT_EQ(expect_value(store.pins()).size(), size_t(k_files / 2 + k_threads * k_files / 2));
}

} // namespace
} // namespace hashos::store
