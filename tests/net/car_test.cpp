// CARv1 header and stream: exact bytes, round trips, and a reader that refuses hostile input
// (truncations, bad varints, oversized lengths, wrong CIDs, random damage) without crashing.
#include "net/car_header.h"
#include "net/car_reader.h"
#include "net/car_writer.h"
#include "net_test_support.h"
#include "store/varint.h"

#include <random>

namespace hashos::net {
namespace {

using namespace testing;

store::Cid hello_cid()
{
    return expect_value(store::Cid::parse("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"));
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts)
{
    std::vector<uint8_t> out;
    for (auto const& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

std::vector<uint8_t> text_bytes(std::string_view text)
{
    return { text.begin(), text.end() };
}

struct Blocks {
    std::vector<std::pair<store::Cid, std::vector<uint8_t>>> list;
    CarBlockHandler handler()
    {
        return [this](const store::VerifiedBlock& block) -> Result<void> {
            // The reader's promise: nothing reaches the handler that does not match its CID.
            EXPECT_TRUE(block.cid().multihash().matches(block.bytes()));
            list.emplace_back(block.cid(), std::vector<uint8_t>(block.bytes().begin(), block.bytes().end()));
            return {};
        };
    }
};

// A CAR of a 3 MiB file (four blocks) and its blocks in order.
struct SampleCar {
    std::vector<uint8_t> bytes;
    std::vector<std::pair<store::Cid, std::vector<uint8_t>>> blocks;
    std::vector<size_t> boundaries; // offsets where a section ends
};

SampleCar sample_car(size_t file_size = 3 * 1024 * 1024 + 17)
{
    store::testing::MemoryBlocks memory;
    auto root = expect_value(store::import_bytes(pattern_bytes(file_size), helia(), memory.sink()));
    SampleCar car;
    car.bytes = car_header_bytes(CarHeader { { root.bytes() } });
    car.boundaries.push_back(car.bytes.size());
    DagBlocks blocks(memory, root, DagDepth::Whole);
    while (auto block = expect_value(blocks.next())) {
        append_car_section(car.bytes, block->cid, block->bytes);
        car.boundaries.push_back(car.bytes.size());
        car.blocks.emplace_back(block->cid, block->bytes);
    }
    return car;
}

TEST(CarHeader, EncodesTheCanonicalDagCborMap)
{
    auto cid = hello_cid().bytes();
    auto expected = concat({
        { 0xa2 },                                   // map(2)
        { 0x65 }, text_bytes("roots"),              // text(5)
        { 0x81 },                                   // array(1)
        { 0xd8, 0x2a, 0x58, 0x25, 0x00 },           // tag(42) bytes(37) multibase identity prefix
        cid,                                        //
        { 0x67 }, text_bytes("version"), { 0x01 }, // text(7) 1
    });
    EXPECT_EQ(encode_car_header(CarHeader { { cid } }), expected);
    auto with_length = car_header_bytes(CarHeader { { cid } });
    ASSERT_EQ(with_length.size(), expected.size() + 1);
    EXPECT_EQ(with_length[0], expected.size());
}

TEST(CarHeader, RoundTripsAnyNumberOfRoots)
{
    for (size_t count : { 0, 1, 2, 30 }) {
        CarHeader header;
        for (size_t index = 0; index < count; ++index)
            header.roots.push_back(store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(pattern_bytes(index))).bytes());
        auto decoded = expect_value(decode_car_header(encode_car_header(header)));
        EXPECT_EQ(decoded.roots, header.roots) << count;
    }
}

TEST(CarHeader, RefusesWhatDagCborForbids)
{
    auto good = encode_car_header(CarHeader { { hello_cid().bytes() } });
    auto expect_refused = [](std::vector<uint8_t> bytes, std::string_view words) {
        auto header = decode_car_header(bytes);
        ASSERT_TRUE(header.is_error());
        EXPECT_NE(header.error().message().find(words), std::string::npos) << header.error().message();
    };
    // CARv2's pragma: {"version": 2}.
    expect_refused(concat({ { 0xa1, 0x67 }, text_bytes("version"), { 0x02 } }), "only CARv1");
    // Version 2 in a v1-shaped header.
    auto version2 = good;
    version2.back() = 0x02;
    expect_refused(version2, "only CARv1");
    // Keys out of canonical order.
    expect_refused(concat({ { 0xa2, 0x67 }, text_bytes("version"), { 0x01, 0x65 }, text_bytes("roots"), { 0x80 } }), "roots");
    // An integer with a longer encoding than needed: 1 as 0x18 0x01.
    auto long_one = good;
    long_one.back() = 0x18;
    long_one.push_back(0x01);
    expect_refused(long_one, "minimally");
    // Indefinite-length array.
    expect_refused(concat({ { 0xa2, 0x65 }, text_bytes("roots"), { 0x9f, 0xff, 0x67 }, text_bytes("version"), { 0x01 } }), "indefinite");
    // A third key, stray bytes, a root without the 0x00 prefix, a root that is not tag 42.
    expect_refused(concat({ { 0xa3 }, std::vector<uint8_t>(good.begin() + 1, good.end()) }), "two entries");
    expect_refused(concat({ good, { 0x00 } }), "stray");
    auto no_prefix = good;
    no_prefix[12] = 0x01;
    expect_refused(no_prefix, "0x00");
    auto wrong_tag = good;
    wrong_tag[9] = 0x2b;
    expect_refused(wrong_tag, "tag 42");
    // A root count larger than the header could hold.
    expect_refused(concat({ { 0xa2, 0x65 }, text_bytes("roots"), { 0x9a, 0xff, 0xff, 0xff, 0xff } }), "more roots");
    expect_refused({}, "unexpected end");
}

TEST(CarReader, ReadsBackWhatTheWriterWrote)
{
    auto car = sample_car();
    Blocks read;
    auto header = expect_value(read_car(car.bytes, read.handler()));
    ASSERT_EQ(header.roots.size(), 1u);
    EXPECT_EQ(header.roots[0], car.blocks.front().first.bytes());
    EXPECT_EQ(read.list, car.blocks);
}

TEST(CarReader, GivesTheSameBlocksWhateverTheFeedSizes)
{
    auto big = sample_car();
    // Byte-at-a-time feeding is slow under the sanitizers: a small CAR proves that case.
    auto small = sample_car(5000);
    for (size_t piece : { size_t(1), size_t(1000), size_t(4096), size_t(1 << 20) }) {
        auto const& car = piece == 1 ? small : big;
        Blocks read;
        CarReader reader(read.handler());
        for (size_t offset = 0; offset < car.bytes.size(); offset += piece) {
            auto chunk = std::span<const uint8_t>(car.bytes).subspan(offset, std::min(piece, car.bytes.size() - offset));
            ASSERT_FALSE(reader.feed(chunk).is_error()) << piece;
        }
        ASSERT_FALSE(reader.finish().is_error());
        EXPECT_EQ(read.list, car.blocks) << piece;
    }
}

TEST(CarReader, EveryTruncationIsAnErrorUnlessItEndsASection)
{
    // A small CAR (3 blocks of a 2.5 KiB file cut into 1 KiB chunks would need another profile;
    // this one is a header and one raw block) so that every prefix can be tried.
    auto block = pattern_bytes(300);
    auto cid = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(block));
    auto bytes = car_header_bytes(CarHeader { { cid.bytes() } });
    size_t header_end = bytes.size();
    append_car_section(bytes, cid, block);
    append_car_section(bytes, cid, block); // a duplicate is legal in a CAR
    size_t first_end = header_end + (bytes.size() - header_end) / 2;
    for (size_t size = 0; size <= bytes.size(); ++size) {
        Blocks read;
        auto header = read_car(std::span<const uint8_t>(bytes).first(size), read.handler());
        bool boundary = size == header_end || size == first_end || size == bytes.size();
        EXPECT_EQ(header.is_error(), !boundary) << "prefix of " << size << " bytes";
    }
}

TEST(CarReader, RefusesBadVarintsAndLengthsBeforeBufferingThem)
{
    auto car = sample_car(1000);
    auto header = std::vector<uint8_t>(car.bytes.begin(), car.bytes.begin() + car.boundaries[0]);
    auto expect_refused = [](std::vector<uint8_t> bytes, std::string_view words) {
        Blocks read;
        CarReader reader(read.handler());
        auto fed = reader.feed(bytes);
        auto result = fed.is_error() ? fed : reader.finish();
        ASSERT_TRUE(result.is_error());
        EXPECT_NE(result.error().message().find(words), std::string::npos) << result.error().message();
        EXPECT_TRUE(read.list.empty());
    };
    expect_refused({ 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "longer than 9");
    expect_refused({ 0x81, 0x00 }, "minimally");
    expect_refused({ 0x00 }, "empty CAR header");
    expect_refused({ 0xff, 0xff, 0x7f }, "at most");                           // a 2 MiB header
    expect_refused(concat({ header, { 0x00 } }), "empty CAR section");
    expect_refused(concat({ header, { 0x80, 0x80, 0x80, 0x80, 0x08 } }), "at most"); // a 2 GiB section
    expect_refused({}, "empty CAR stream");
    expect_refused({ 0x05, 0xa2 }, "inside its header");
}

TEST(CarReader, RefusesBlocksThatDoNotMatchTheirCid)
{
    auto car = sample_car(1000);
    auto header = std::vector<uint8_t>(car.bytes.begin(), car.bytes.begin() + car.boundaries[0]);
    auto [cid, block] = car.blocks.front();

    auto expect_refused = [](std::vector<uint8_t> bytes, std::string_view words) {
        Blocks read;
        auto result = read_car(bytes, read.handler());
        ASSERT_TRUE(result.is_error());
        EXPECT_NE(result.error().message().find(words), std::string::npos) << result.error().message();
        EXPECT_TRUE(read.list.empty());
    };
    auto damaged = block;
    damaged[10] ^= 1;
    std::vector<uint8_t> wrong_block = header;
    append_car_section(wrong_block, cid, damaged);
    expect_refused(wrong_block, "does not match its CID");

    // A CID of a codec hashos does not read (dag-cbor, 0x71).
    std::vector<uint8_t> dag_cbor = { 0x01, 0x71 };
    auto multihash = store::Multihash::sha2_256(block).bytes();
    dag_cbor.insert(dag_cbor.end(), multihash.begin(), multihash.end());
    std::vector<uint8_t> unsupported = header;
    store::append_varint(unsupported, dag_cbor.size() + block.size());
    unsupported.insert(unsupported.end(), dag_cbor.begin(), dag_cbor.end());
    unsupported.insert(unsupported.end(), block.begin(), block.end());
    expect_refused(unsupported, "unsupported codec");

    // A section shorter than the CID it starts with.
    std::vector<uint8_t> short_section = header;
    short_section.insert(short_section.end(), { 0x04, 0x01, 0x55, 0x12, 0x20 });
    expect_refused(short_section, "CID");

    // A multihash other than sha2-256 (identity, 0x00), which the reader could not verify.
    std::vector<uint8_t> identity = header;
    identity.insert(identity.end(), { 0x06, 0x01, 0x55, 0x00, 0x02, 'h', 'i' });
    expect_refused(identity, "sha2-256");
}

TEST(CarReader, SurvivesRandomDamage)
{
    auto car = sample_car(5000);
    std::mt19937 random(20240601);
    size_t refused = 0;
    for (int round = 0; round < 3000; ++round) {
        auto bytes = car.bytes;
        int edits = 1 + int(random() % 4);
        for (int edit = 0; edit < edits; ++edit) {
            size_t at = random() % bytes.size();
            switch (random() % 3) {
            case 0:
                bytes[at] ^= uint8_t(1 + random() % 255);
                break;
            case 1:
                bytes.resize(at);
                break;
            case 2:
                bytes.insert(bytes.begin() + at, uint8_t(random()));
                break;
            }
            if (bytes.empty())
                break;
        }
        Blocks read; // its handler checks every block it is given against its CID
        refused += read_car(bytes, read.handler()).is_error();
    }
    EXPECT_GT(refused, 2500u);
}

} // namespace
} // namespace hashos::net
