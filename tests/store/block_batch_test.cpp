// BlockBatch: blocks written together with one durability barrier; invisible until commit,
// gone without a trace when the batch is abandoned, never a block file with bad bytes.
#include "store/block_batch.h"
#include "store/multibase.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

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

// Every regular file under the store's blocks/, temporary or not.
std::vector<fs::path> files_under_blocks(const BlockStore& store)
{
    std::vector<fs::path> files;
    for (auto const& entry : fs::recursive_directory_iterator(store.directory() / "blocks")) {
        if (entry.is_regular_file())
            files.push_back(entry.path());
    }
    return files;
}

TEST(VerifiedBlock, OnlyMatchingBytesMakeOne)
{
    auto bytes = as_bytes("hello world\n");
    auto block = expect_value(VerifiedBlock::verify(raw_cid(bytes), bytes));
    EXPECT_EQ(block.bytes().data(), bytes.data());
    auto refused = VerifiedBlock::verify(raw_cid(bytes), as_bytes("hello world!"));
    ASSERT_TRUE(refused.is_error());
    EXPECT_NE(refused.error().message().find("does not match its CID"), std::string::npos) << refused.error().message();
}

TEST(BlockBatch, BlocksAppearAtCommitAndNotBefore)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto first = pattern_bytes(1024 * 1024);
    auto second = as_bytes("second block");
    auto batch = expect_value(BlockBatch::begin(store));
    ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(first), first))).is_error());
    ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(second), second))).is_error());
    // Adding a block twice is a no-op.
    ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(second), second))).is_error());
    EXPECT_EQ(batch.pending_blocks(), 2u);
    EXPECT_TRUE(batch.contains(raw_cid(first).multihash()));
    EXPECT_FALSE(expect_value(store.has(raw_cid(first).multihash())));
    EXPECT_FALSE(expect_value(store.has(raw_cid(second).multihash())));

    ASSERT_FALSE(batch.commit().is_error());
    EXPECT_EQ(batch.pending_blocks(), 0u);
    EXPECT_FALSE(batch.contains(raw_cid(first).multihash()));
    EXPECT_EQ(expect_value(store.get(raw_cid(first))), first);
    auto read = expect_value(store.get(raw_cid(second)));
    EXPECT_TRUE(std::equal(read.begin(), read.end(), second.begin(), second.end()));
    // Only the two block files are left: no temporary file.
    EXPECT_EQ(files_under_blocks(store).size(), 2u);
    // Read-only, like put()'s blocks.
    for (auto const& path : files_under_blocks(store))
        EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
}

TEST(BlockBatch, AnAbandonedBatchLeavesNothing)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = pattern_bytes(300 * 1024);
    {
        auto batch = expect_value(BlockBatch::begin(store));
        ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(bytes), bytes))).is_error());
        EXPECT_EQ(files_under_blocks(store).size(), 1u); // its temporary file
    }
    EXPECT_TRUE(files_under_blocks(store).empty());
    EXPECT_FALSE(expect_value(store.has(raw_cid(bytes).multihash())));
}

TEST(BlockBatch, ReplacesACorruptCopyAndKeepsAnIntactOne)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto good = pattern_bytes(4096);
    auto intact = as_bytes("already here");
    ASSERT_FALSE(store.put(raw_cid(good), good).is_error());
    ASSERT_FALSE(store.put(raw_cid(intact), intact).is_error());
    // Rot the first block on disk.
    auto name = encode_base32(raw_cid(good).multihash().bytes(), LetterCase::Upper);
    auto path = store.directory() / "blocks" / name.substr(name.size() - 3, 2) / (name + ".data");
    fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
    auto rotten = good;
    rotten[100] ^= 1;
    testing::write_file(path, rotten);
    ASSERT_TRUE(store.get(raw_cid(good)).is_error());

    auto batch = expect_value(BlockBatch::begin(store));
    ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(good), good))).is_error());
    ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(intact), intact))).is_error());
    EXPECT_EQ(batch.pending_blocks(), 1u); // the intact copy needs nothing
    ASSERT_FALSE(batch.commit().is_error());
    EXPECT_EQ(expect_value(store.get(raw_cid(good))), good);
}

TEST(BlockBatch, CommitsByItselfEveryFewHundredBlocks)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto batch = expect_value(BlockBatch::begin(store));
    std::vector<std::vector<uint8_t>> blocks;
    for (size_t i = 0; i <= BlockBatch::k_max_pending_blocks; ++i) {
        auto text = "block " + std::to_string(i);
        blocks.emplace_back(text.begin(), text.end());
    }
    for (auto const& block : blocks)
        ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(block), block))).is_error());
    // The first k_max_pending_blocks are committed; the last one waits for commit().
    EXPECT_EQ(batch.pending_blocks(), 1u);
    EXPECT_TRUE(expect_value(store.has(raw_cid(blocks.front()).multihash())));
    EXPECT_FALSE(expect_value(store.has(raw_cid(blocks.back()).multihash())));
    ASSERT_FALSE(batch.commit().is_error());
    EXPECT_TRUE(expect_value(store.has(raw_cid(blocks.back()).multihash())));
}

TEST(BlockBatch, HoldsGarbageCollectionOff)
{
    TemporaryDirectory directory;
    auto store = expect_value(BlockStore::open(directory.path()));
    auto bytes = as_bytes("unpinned");
    auto batch = expect_value(BlockBatch::begin(store));
    ASSERT_FALSE(batch.add(expect_value(VerifiedBlock::verify(raw_cid(bytes), bytes))).is_error());
    // gc takes the lock exclusive; another process would wait. Here a non-blocking probe shows
    // the shared hold is in place: the lock file cannot be taken exclusive.
    int fd = ::open((store.directory() / "lock").c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_NE(::flock(fd, LOCK_EX | LOCK_NB), 0);
    ASSERT_FALSE(batch.commit().is_error());
    ::close(fd);
}

} // namespace
} // namespace hashos::store
