// DagBlocks: depth-first, parents first, each block once, errors for missing blocks.
#include "net/dag_blocks.h"
#include "net_test_support.h"
#include "store/dag_walk.h"

namespace hashos::net {
namespace {

using namespace testing;

std::vector<store::Cid> all_blocks(const store::BlockSource& source, const store::Cid& root, DagDepth depth)
{
    std::vector<store::Cid> cids;
    DagBlocks blocks(source, root, depth);
    while (auto block = expect_value(blocks.next())) {
        EXPECT_TRUE(block->cid.multihash().matches(block->bytes));
        cids.push_back(block->cid);
    }
    return cids;
}

TEST(DagBlocks, VisitsInTheOrderOfTheStoreWalker)
{
    store::testing::MemoryBlocks memory;
    // A root and four leaves.
    auto root = expect_value(store::import_bytes(pattern_bytes(3 * 1024 * 1024 + 5), helia(), memory.sink()));
    std::vector<store::Cid> walked;
    expect_value(store::walk_dag(memory, root, [&](const store::Cid& cid, size_t) -> Result<void> {
        walked.push_back(cid);
        return {};
    }));
    EXPECT_EQ(all_blocks(memory, root, DagDepth::Whole), walked);
    EXPECT_EQ(all_blocks(memory, root, DagDepth::RootOnly), std::vector<store::Cid> { root });
}

TEST(DagBlocks, SendsARepeatedBlockOnce)
{
    store::testing::MemoryBlocks memory;
    // Four identical 1 MiB chunks: the root links to the same leaf four times.
    std::vector<uint8_t> zeros(4 * 1024 * 1024, 0);
    auto root = expect_value(store::import_bytes(zeros, helia(), memory.sink()));
    auto cids = all_blocks(memory, root, DagDepth::Whole);
    ASSERT_EQ(cids.size(), 2u);
    EXPECT_EQ(cids[0], root);
}

TEST(DagBlocks, AMissingBlockIsAnError)
{
    store::testing::MemoryBlocks memory;
    auto raw = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(as_bytes("absent")));
    DagBlocks blocks(memory, raw, DagDepth::Whole);
    EXPECT_TRUE(blocks.next().is_error());
}

} // namespace
} // namespace hashos::net
