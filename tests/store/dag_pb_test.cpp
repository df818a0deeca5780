#include "store/dag_pb.h"
#include "store/protobuf_wire.h"
#include "store/unixfs.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <random>

namespace hashos::store {
namespace {

using testing::as_bytes;
using testing::expect_value;

// `ipfs add` of "hello world\n": one dag-pb node whose Data is UnixFS {File, "hello world\n", 12}.
const std::vector<uint8_t> k_hello_leaf = {
    0x0a, 0x12,                                                             // PBNode.Data, 18 bytes
    0x08, 0x02,                                                             // Type = File
    0x12, 0x0c, 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n', // Data
    0x18, 0x0c,                                                             // filesize = 12
};

TEST(DagPb, EncodesTheKuboLeafByteForByte)
{
    auto text = as_bytes("hello world\n");
    UnixFsData unixfs { .type = UnixFsType::File, .data = std::vector<uint8_t>(text.begin(), text.end()), .file_size = 12, .block_sizes = {} };
    auto block = encode_dag_pb(PbNode { .links = {}, .data = encode_unixfs(unixfs) });
    EXPECT_EQ(block, k_hello_leaf);
    auto cid = expect_value(Cid::create(CidVersion::V0, Codec::DagPb, Multihash::sha2_256(block)));
    EXPECT_EQ(cid.to_string(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
}

TEST(DagPb, LinksComeBeforeDataAndRoundTrip)
{
    auto child = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes("child")));
    PbNode node { .links = { PbLink { .hash = child, .name = "", .tsize = 5 } }, .data = std::vector<uint8_t> { 8, 2 } };
    auto block = encode_dag_pb(node);
    ASSERT_FALSE(block.empty());
    EXPECT_EQ(block[0], 0x12); // field 2 (Links), length-delimited, first
    auto decoded = expect_value(decode_dag_pb(block));
    ASSERT_EQ(decoded.links.size(), 1u);
    EXPECT_EQ(decoded.links[0].hash, child);
    EXPECT_EQ(decoded.links[0].name, std::optional<std::string>(""));
    EXPECT_EQ(decoded.links[0].tsize, std::optional<uint64_t>(5));
    EXPECT_EQ(decoded.data, node.data);
    EXPECT_EQ(encode_dag_pb(decoded), block);
}

TEST(DagPb, SortsLinksByNameStably)
{
    auto a = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes("a")));
    auto b = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes("b")));
    PbNode node { .links = { { b, "z", {} }, { a, "", {} }, { b, "", {} } }, .data = {} };
    auto decoded = expect_value(decode_dag_pb(encode_dag_pb(node)));
    ASSERT_EQ(decoded.links.size(), 3u);
    EXPECT_EQ(decoded.links[0].hash, a);
    EXPECT_EQ(decoded.links[1].hash, b);
    EXPECT_EQ(decoded.links[2].name, std::optional<std::string>("z"));
    EXPECT_FALSE(decoded.data.has_value());
}

std::string decode_error(std::vector<uint8_t> bytes)
{
    auto node = decode_dag_pb(bytes);
    EXPECT_TRUE(node.is_error());
    return node.is_error() ? node.error().message() : "";
}

std::vector<uint8_t> link_bytes(std::vector<uint8_t> link)
{
    ProtobufWriter writer;
    writer.bytes_field(2, link);
    return writer.release_bytes();
}

TEST(DagPb, RejectsMalformedNodes)
{
    auto cid = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes("x"))).bytes();
    ProtobufWriter hash_only;
    hash_only.bytes_field(1, cid);
    auto link = link_bytes(hash_only.bytes());

    auto data_then_link = std::vector<uint8_t> { 0x0a, 0x00 };
    data_then_link.insert(data_then_link.end(), link.begin(), link.end());
    EXPECT_NE(decode_error(data_then_link).find("Links after PBNode.Data"), std::string::npos);
    EXPECT_NE(decode_error({ 0x0a, 0x00, 0x0a, 0x00 }).find("Data appears twice"), std::string::npos);
    EXPECT_NE(decode_error({ 0x1a, 0x00 }).find("unknown field 3"), std::string::npos);
    EXPECT_NE(decode_error({ 0x08, 0x01 }).find("wrong wire type"), std::string::npos);
    EXPECT_NE(decode_error({ 0x0a, 0x05, 0x01 }).find("claims 5 bytes"), std::string::npos);
    EXPECT_NE(decode_error({ 0x0a }).find("unexpected end"), std::string::npos);
    EXPECT_NE(decode_error({ 0x0b }).find("wire type 3"), std::string::npos);
    EXPECT_NE(decode_error({ 0x02, 0x00 }).find("field number 0"), std::string::npos);
    std::vector<uint8_t> endless(11, 0xff);
    EXPECT_NE(decode_error(endless).find("varint"), std::string::npos);

    // Links: no Hash, a Hash that is not a CID, fields out of order or repeated.
    EXPECT_NE(decode_error(link_bytes({ 0x18, 0x01 })).find("without a Hash"), std::string::npos);
    EXPECT_NE(decode_error(link_bytes({ 0x0a, 0x02, 0x01, 0x55 })).find("invalid binary CID"), std::string::npos);
    ProtobufWriter reordered;
    reordered.varint_field(3, 1);
    reordered.bytes_field(1, cid);
    EXPECT_NE(decode_error(link_bytes(reordered.bytes())).find("out of order"), std::string::npos);
    ProtobufWriter twice;
    twice.bytes_field(1, cid);
    twice.bytes_field(1, cid);
    EXPECT_NE(decode_error(link_bytes(twice.bytes())).find("out of order or repeated"), std::string::npos);
    EXPECT_NE(decode_error(link_bytes({ 0x22, 0x00 })).find("unknown field 4"), std::string::npos);

    // The error says what was being decoded.
    EXPECT_EQ(decode_error({ 0x1a, 0x00 }).rfind("malformed dag-pb block: ", 0), 0u);
}

TEST(DagPb, EmptyBlockIsAnEmptyNode)
{
    auto node = expect_value(decode_dag_pb({}));
    EXPECT_TRUE(node.links.empty());
    EXPECT_FALSE(node.data.has_value());
}

TEST(UnixFs, RoundTripsAndAcceptsPackedBlockSizes)
{
    UnixFsData data { .type = UnixFsType::File, .data = {}, .file_size = 300, .block_sizes = { 100, 200 } };
    auto encoded = encode_unixfs(data);
    EXPECT_EQ(encoded, (std::vector<uint8_t> { 0x08, 0x02, 0x18, 0xac, 0x02, 0x20, 0x64, 0x20, 0xc8, 0x01 }));
    auto decoded = expect_value(decode_unixfs(encoded));
    EXPECT_EQ(decoded.type, UnixFsType::File);
    EXPECT_EQ(decoded.file_size, std::optional<uint64_t>(300));
    EXPECT_EQ(decoded.block_sizes, (std::vector<uint64_t> { 100, 200 }));

    std::vector<uint8_t> packed { 0x08, 0x02, 0x22, 0x03, 0x64, 0xc8, 0x01 };
    EXPECT_EQ(expect_value(decode_unixfs(packed)).block_sizes, (std::vector<uint64_t> { 100, 200 }));
    // Fields hashos does not need (mode = 7) are skipped.
    std::vector<uint8_t> with_mode { 0x08, 0x02, 0x38, 0xa4, 0x03 };
    EXPECT_FALSE(decode_unixfs(with_mode).is_error());
}

std::string unixfs_error(std::vector<uint8_t> bytes)
{
    auto data = decode_unixfs(bytes);
    EXPECT_TRUE(data.is_error());
    return data.is_error() ? data.error().message() : "";
}

TEST(UnixFs, RejectsMalformedData)
{
    EXPECT_NE(unixfs_error({}).find("no Type"), std::string::npos);
    EXPECT_NE(unixfs_error({ 0x08, 0x09 }).find("unknown Type 9"), std::string::npos);
    EXPECT_NE(unixfs_error({ 0x0a, 0x00 }).find("wrong wire type"), std::string::npos);
    EXPECT_NE(unixfs_error({ 0x08, 0x02, 0x22, 0x01, 0x80 }).find("unexpected end"), std::string::npos);
    EXPECT_EQ(unixfs_error({ 0x08 }).rfind("malformed UnixFS data: ", 0), 0u);
}

// Not a fuzzer, but its cheap cousin under the sanitizers: every truncation and many bit flips
// of real blocks, and random bytes, decode to a value or an error, never a crash.
TEST(DagPb, MutatedAndRandomInputsNeverCrash)
{
    auto child = Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes("child")));
    UnixFsData unixfs { .type = UnixFsType::File, .data = {}, .file_size = 10, .block_sizes = { 5, 5 } };
    auto block = encode_dag_pb(PbNode { .links = { { child, "", 5 }, { child, "name", 5 } }, .data = encode_unixfs(unixfs) });
    std::vector<std::vector<uint8_t>> seeds { block, k_hello_leaf };
    std::mt19937 random(42);
    auto exercise = [](std::span<const uint8_t> bytes) {
        if (auto node = decode_dag_pb(bytes); !node.is_error() && node->data)
            (void)decode_unixfs(*node->data);
        (void)decode_unixfs(bytes);
        (void)Cid::from_bytes(bytes);
    };
    for (auto const& seed : seeds) {
        for (size_t size = 0; size <= seed.size(); ++size)
            exercise(std::span(seed).first(size));
        for (int round = 0; round < 5000; ++round) {
            auto mutated = seed;
            for (int flips = 1 + int(random() % 3); flips > 0; --flips)
                mutated[random() % mutated.size()] ^= uint8_t(1u << (random() % 8));
            exercise(mutated);
        }
    }
    for (int round = 0; round < 5000; ++round) {
        std::vector<uint8_t> bytes(random() % 64);
        for (auto& byte : bytes)
            byte = uint8_t(random());
        exercise(bytes);
    }
}

} // namespace
} // namespace hashos::store
