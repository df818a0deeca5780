#include "store/cid.h"
#include "store/multibase.h"
#include "store/varint.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hashos::store {
namespace {

using testing::as_bytes;
using testing::expect_value;

std::string raw_cid(std::string_view content)
{
    return Cid::v1(Codec::Raw, Multihash::sha2_256(as_bytes(content))).to_string();
}

// The vectors: a file up to 1 MiB is one raw block, named by the sha2-256 of its bytes.
TEST(Cid, RawBlockVectors)
{
    EXPECT_EQ(raw_cid(""), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    EXPECT_EQ(raw_cid("hello world\n"), "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    EXPECT_EQ(raw_cid(std::string(1000, 'a')), "bafkreicb5xwoilld5dm36uk2totjglq4edf4t5nf2e2giww3lwy3s436um");
}

TEST(Cid, ParsesAndPrintsV1)
{
    std::string text = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    auto cid = expect_value(Cid::parse(text));
    EXPECT_EQ(cid.version(), CidVersion::V1);
    EXPECT_EQ(cid.codec(), Codec::Raw);
    EXPECT_EQ(cid.multihash(), Multihash::sha2_256(as_bytes("hello world\n")));
    EXPECT_EQ(cid.to_string(), text);
    EXPECT_EQ(expect_value(Cid::from_bytes(cid.bytes())), cid);
    // The binary form: version 1, raw, sha2-256, 32 bytes.
    auto bytes = cid.bytes();
    ASSERT_EQ(bytes.size(), 36u);
    EXPECT_EQ(bytes[0], 0x01);
    EXPECT_EQ(bytes[1], 0x55);
    EXPECT_EQ(bytes[2], 0x12);
    EXPECT_EQ(bytes[3], 0x20);
}

TEST(Cid, ParsesAndPrintsV0AndConvertsToV1)
{
    // `ipfs add` of "hello world\n", and the CIDv1 ipfs_cid prints for the same block.
    auto v0 = expect_value(Cid::parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"));
    EXPECT_EQ(v0.version(), CidVersion::V0);
    EXPECT_EQ(v0.codec(), Codec::DagPb);
    EXPECT_EQ(v0.to_string(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    EXPECT_EQ(v0.bytes().size(), 34u);
    EXPECT_EQ(expect_value(Cid::from_bytes(v0.bytes())), v0);
    auto v1 = v0.to_v1();
    EXPECT_EQ(v1.to_string(), "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby");
    EXPECT_EQ(v1.multihash(), v0.multihash());
    EXPECT_NE(v1, v0);
}

TEST(Cid, ParsesOtherMultibases)
{
    auto cid = expect_value(Cid::parse("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"));
    auto upper = "B" + encode_base32(cid.bytes(), LetterCase::Upper);
    EXPECT_EQ(expect_value(Cid::parse(upper)), cid);
    auto base58 = "z" + encode_base58btc(cid.bytes());
    EXPECT_EQ(expect_value(Cid::parse(base58)), cid);
    // Printing is always the canonical base32 lowercase.
    EXPECT_EQ(expect_value(Cid::parse(base58)).to_string(), cid.to_string());
}

TEST(Cid, CidV0IsOnlyForDagPb)
{
    auto multihash = Multihash::sha2_256(as_bytes("x"));
    EXPECT_TRUE(Cid::create(CidVersion::V0, Codec::Raw, multihash).is_error());
    EXPECT_FALSE(Cid::create(CidVersion::V0, Codec::DagPb, multihash).is_error());
}

std::string error_of(std::string_view text)
{
    auto cid = Cid::parse(text);
    EXPECT_TRUE(cid.is_error()) << text << " parsed";
    return cid.is_error() ? cid.error().message() : "";
}

std::string v1_text(std::vector<uint8_t> bytes)
{
    return "b" + encode_base32(bytes);
}

std::vector<uint8_t> cid_prefix(uint64_t version, uint64_t codec, uint64_t hash, uint64_t size)
{
    std::vector<uint8_t> bytes;
    append_varint(bytes, version);
    append_varint(bytes, codec);
    append_varint(bytes, hash);
    append_varint(bytes, size);
    return bytes;
}

TEST(Cid, MalformedTextGivesClearErrors)
{
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
    EXPECT_NE(error_of("xafkrei").find("unsupported multibase prefix 'x'"), std::string::npos);
    EXPECT_NE(error_of("bafkrei!").find("invalid base32 character '!'"), std::string::npos);
    // One character short and one too long of a valid CID.
    std::string good = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    EXPECT_FALSE(error_of(good.substr(0, good.size() - 1)).empty());
    EXPECT_FALSE(error_of(good + "a").empty());
    EXPECT_FALSE(error_of("b").empty());
    EXPECT_FALSE(error_of("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5").empty()); // 45 chars
    EXPECT_FALSE(error_of("Qm0000000000000000000000000000000000000000000").empty());
    // The error names the text it could not parse.
    EXPECT_NE(error_of("bogus").find("'bogus'"), std::string::npos);
}

TEST(Cid, MalformedBinaryGivesClearErrors)
{
    std::vector<uint8_t> digest(32, 7);
    auto with_digest = [&](std::vector<uint8_t> prefix) {
        prefix.insert(prefix.end(), digest.begin(), digest.end());
        return prefix;
    };
    EXPECT_NE(error_of(v1_text(with_digest(cid_prefix(2, 0x55, 0x12, 32)))).find("unsupported CID version 2"),
        std::string::npos);
    EXPECT_NE(error_of(v1_text(with_digest(cid_prefix(1, 0x71, 0x12, 32)))).find("unsupported codec 0x71"),
        std::string::npos);
    EXPECT_NE(error_of(v1_text(with_digest(cid_prefix(1, 0x55, 0x13, 32)))).find("unsupported multihash function 0x13"),
        std::string::npos);
    EXPECT_NE(error_of(v1_text(with_digest(cid_prefix(1, 0x55, 0x12, 31)))).find("31-byte digest"), std::string::npos);
    // Truncated digest, stray bytes after it, an over-long varint.
    auto truncated = with_digest(cid_prefix(1, 0x55, 0x12, 32));
    truncated.pop_back();
    EXPECT_NE(error_of(v1_text(truncated)).find("unexpected end"), std::string::npos);
    auto stray = with_digest(cid_prefix(1, 0x55, 0x12, 32));
    stray.push_back(0);
    EXPECT_NE(error_of(v1_text(stray)).find("stray"), std::string::npos);
    std::vector<uint8_t> non_minimal { 0x81, 0x00, 0x55, 0x12, 0x20 };
    EXPECT_NE(error_of(v1_text(with_digest(non_minimal))).find("minimally"), std::string::npos);
    std::vector<uint8_t> endless(12, 0xff);
    EXPECT_NE(error_of(v1_text(endless)).find("longer than 9 bytes"), std::string::npos);
    // A CIDv0 (bare multihash) behind a multibase prefix is not a CID.
    auto v0 = expect_value(Cid::parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"));
    EXPECT_NE(error_of(v1_text(v0.bytes())).find("bare base58btc"), std::string::npos);
    // Binary CIDs as dag-pb links carry them.
    EXPECT_TRUE(Cid::from_bytes({}).is_error());
    EXPECT_TRUE(Cid::from_bytes(std::vector<uint8_t> { 0x12, 0x20 }).is_error());
}

TEST(Multihash, BinaryFormAndVerification)
{
    auto multihash = Multihash::sha2_256(as_bytes("hello world\n"));
    auto bytes = multihash.bytes();
    ASSERT_EQ(bytes.size(), 34u);
    EXPECT_EQ(bytes[0], 0x12);
    EXPECT_EQ(bytes[1], 0x20);
    EXPECT_EQ(expect_value(Multihash::from_bytes(bytes)), multihash);
    EXPECT_TRUE(multihash.matches(as_bytes("hello world\n")));
    EXPECT_FALSE(multihash.matches(as_bytes("hello world!")));
}

} // namespace
} // namespace hashos::store
