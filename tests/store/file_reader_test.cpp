// The file reader against DAGs that are valid blocks but hostile or foreign structures.
#include "store/dag_pb.h"
#include "store/dag_walk.h"
#include "store/file_reader.h"
#include "store/unixfs.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hashos::store {
namespace {

using testing::as_bytes;
using testing::expect_value;
using testing::MemoryBlocks;

Cid put_raw(MemoryBlocks& blocks, std::string_view text)
{
    auto cid = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes(text)));
    EXPECT_FALSE(blocks.put(cid, as_bytes(text)).is_error());
    return cid;
}

Cid put_node(MemoryBlocks& blocks, const PbNode& node)
{
    auto block = encode_dag_pb(node);
    auto cid = Cid::v1(Codec::DagPb, Multihash::sha2_256(block));
    EXPECT_FALSE(blocks.put(cid, block).is_error());
    return cid;
}

PbNode file_node(std::vector<std::pair<Cid, uint64_t>> children, std::optional<uint64_t> file_size,
    UnixFsType type = UnixFsType::File)
{
    UnixFsData unixfs { .type = type, .data = {}, .file_size = file_size, .block_sizes = {} };
    PbNode node;
    for (auto const& [cid, size] : children) {
        node.links.push_back(PbLink { cid, "", size });
        unixfs.block_sizes.push_back(size);
    }
    node.data = encode_unixfs(unixfs);
    return node;
}

std::string read_error(const MemoryBlocks& blocks, const Cid& root)
{
    auto result = read_file(blocks, root, [](std::span<const uint8_t>) -> Result<void> { return {}; });
    EXPECT_TRUE(result.is_error());
    return result.is_error() ? result.error().message() : "";
}

TEST(FileReader, ChildLargerThanPromisedIsAnError)
{
    MemoryBlocks blocks;
    auto child = put_raw(blocks, "four");
    auto root = put_node(blocks, file_node({ { child, 3 } }, 3));
    EXPECT_NE(read_error(blocks, root).find("holds 4 bytes but its parent"), std::string::npos);
}

TEST(FileReader, FileSizeMustAgreeWithBlockSizes)
{
    MemoryBlocks blocks;
    auto child = put_raw(blocks, "four");
    auto root = put_node(blocks, file_node({ { child, 4 } }, 1000));
    EXPECT_NE(read_error(blocks, root).find("says filesize 1000 but holds 4 bytes"), std::string::npos);
}

TEST(FileReader, LinksAndBlockSizesMustPair)
{
    MemoryBlocks blocks;
    auto child = put_raw(blocks, "four");
    auto node = file_node({ { child, 4 } }, 4);
    node.links.push_back(node.links.front());
    auto root = put_node(blocks, node);
    EXPECT_NE(read_error(blocks, root).find("2 links but 1 blocksizes"), std::string::npos);
}

TEST(FileReader, DirectoriesAndBareNodesAreNotFiles)
{
    MemoryBlocks blocks;
    auto directory = put_node(blocks, file_node({}, {}, UnixFsType::Directory));
    EXPECT_NE(read_error(blocks, directory).find("is a UnixFS directory, not a file"), std::string::npos);
    auto bare = put_node(blocks, PbNode {});
    EXPECT_NE(read_error(blocks, bare).find("without UnixFS data"), std::string::npos);
    auto garbage = put_node(blocks, PbNode { .links = {}, .data = std::vector<uint8_t> { 0xff } });
    EXPECT_NE(read_error(blocks, garbage).find("malformed UnixFS data"), std::string::npos);
}

TEST(FileReader, MalformedDagPbBlockIsAnError)
{
    MemoryBlocks blocks;
    std::vector<uint8_t> bogus { 0x1a, 0x00 };
    auto cid = Cid::v1(Codec::DagPb, Multihash::sha2_256(bogus));
    ASSERT_FALSE(blocks.put(cid, bogus).is_error());
    auto message = read_error(blocks, cid);
    EXPECT_NE(message.find(cid.to_string()), std::string::npos);
    EXPECT_NE(message.find("malformed dag-pb block"), std::string::npos);
}

TEST(FileReader, MissingBlockIsAnError)
{
    MemoryBlocks blocks;
    auto absent = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes("absent")));
    auto root = put_node(blocks, file_node({ { absent, 6 } }, 6));
    EXPECT_NE(read_error(blocks, root).find("is not in the store"), std::string::npos);
}

TEST(FileReader, DepthIsBounded)
{
    MemoryBlocks blocks;
    auto cid = put_raw(blocks, "x");
    for (size_t level = 0; level < k_max_dag_depth + 2; ++level)
        cid = put_node(blocks, file_node({ { cid, 1 } }, 1));
    EXPECT_NE(read_error(blocks, cid).find("deeper than"), std::string::npos);
    auto walked = walk_dag(blocks, cid, [](const Cid&, size_t) -> Result<void> { return {}; });
    ASSERT_TRUE(walked.is_error());
    EXPECT_NE(walked.error().message().find("deeper than"), std::string::npos);
}

TEST(FileReader, NodeDataComesBeforeItsLinks)
{
    MemoryBlocks blocks;
    auto child = put_raw(blocks, "world");
    UnixFsData unixfs { .type = UnixFsType::File, .data = std::vector<uint8_t> { 'h', 'i', ' ' }, .file_size = 8, .block_sizes = { 5 } };
    auto root = put_node(blocks, PbNode { .links = { PbLink { child, "", 5 } }, .data = encode_unixfs(unixfs) });
    std::string text;
    auto size = expect_value(read_file(blocks, root, [&](std::span<const uint8_t> part) -> Result<void> {
        text.append(part.begin(), part.end());
        return {};
    }));
    EXPECT_EQ(size, 8u);
    EXPECT_EQ(text, "hi world");
    EXPECT_EQ(expect_value(file_size(blocks, root)), 8u);
}

} // namespace
} // namespace hashos::store
