// hashos-idl's direct codecs (interfaces/tool/direct_codec.h) against nanopb on the same messages
// (tests/sdk/codec_test.proto): the same bytes out, the same values back, and malformed input
// refused; compiled as C++ on the host, as the native handlers include the generated headers.
#include "codec_test.interface.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

Bytes nanopb_encode(const codec_test_AllScalars& message)
{
    Bytes out(codec_test_AllScalars_size);
    pb_ostream_t stream = pb_ostream_from_buffer(out.data(), out.size());
    EXPECT_TRUE(pb_encode(&stream, codec_test_AllScalars_fields, &message));
    out.resize(stream.bytes_written);
    return out;
}

Bytes direct_encode(const codec_test_AllScalars& message)
{
    const hashos_codec* codec = codec_test_Codec_Scalars_Request_codec;
    Bytes out(codec->max_size);
    out.resize(codec->encode(&message, out.data()));
    return out;
}

codec_test_AllScalars filled()
{
    codec_test_AllScalars message = codec_test_AllScalars_init_zero;
    message.u64 = 0xfedcba9876543210ull;
    message.u32 = 0xffffffffu;
    message.i64 = -5;
    message.i32 = -1; // ten bytes on the wire, sign-extended
    message.s64 = -0x123456789ll;
    message.s32 = -2;
    message.flag = true;
    message.f32 = 0x01020304u;
    message.f64 = 0x0102030405060708ull;
    message.sf32 = -7;
    message.sf64 = -8;
    message.real32 = 1.5f;
    message.real64 = -0.0; // not all zero bytes: written, as nanopb does
    message.colour = codec_test_Colour_COLOUR_BELOW;
    message.far = 300;
    return message;
}

bool same(const codec_test_AllScalars& a, const codec_test_AllScalars& b) { return std::memcmp(&a, &b, sizeof(a)) == 0; }

} // namespace

TEST(DirectCodec, OnlyMessagesOfScalarsGetDirectCode)
{
    ASSERT_NE(codec_test_Codec_Scalars_Request_codec->encode, nullptr);
    ASSERT_NE(codec_test_Codec_Scalars_Request_codec->decode, nullptr);
    EXPECT_EQ(codec_test_Codec_Scalars_Response_codec->encode, nullptr) << "a string field: nanopb's";
    EXPECT_EQ(codec_test_Codec_Scalars_Response_codec->fields, codec_test_Mixed_fields);
}

TEST(DirectCodec, EncodesTheBytesNanopbEncodes)
{
    // All zero bytes (nanopb's init_zero sets an enum to its lowest value, here -3).
    codec_test_AllScalars zero;
    std::memset(&zero, 0, sizeof(zero));
    EXPECT_EQ(direct_encode(zero), Bytes {});
    EXPECT_EQ(direct_encode(zero), nanopb_encode(zero));
    EXPECT_EQ(direct_encode(filled()), nanopb_encode(filled()));
    codec_test_AllScalars one_field = zero;
    one_field.u32 = 1;
    EXPECT_EQ(direct_encode(one_field), (Bytes { 0x08, 0x01 }));
}

TEST(DirectCodec, DecodesWhatNanopbEncodesAndTheOtherWayRound)
{
    const hashos_codec* codec = codec_test_Codec_Scalars_Request_codec;
    Bytes bytes = nanopb_encode(filled());
    codec_test_AllScalars decoded;
    std::memset(&decoded, 0x5a, sizeof(decoded)); // decoding starts from proto3's defaults
    ASSERT_TRUE(codec->decode(bytes.data(), uint32_t(bytes.size()), &decoded));
    codec_test_AllScalars expected = filled();
    EXPECT_TRUE(same(decoded, expected));
    EXPECT_TRUE(std::signbit(decoded.real64));

    Bytes direct = direct_encode(filled());
    codec_test_AllScalars by_nanopb = codec_test_AllScalars_init_zero;
    pb_istream_t stream = pb_istream_from_buffer(direct.data(), direct.size());
    ASSERT_TRUE(pb_decode(&stream, codec_test_AllScalars_fields, &by_nanopb));
    EXPECT_TRUE(same(by_nanopb, expected));
}

TEST(DirectCodec, SkipsUnknownFieldsAndTakesTheLastOfARepeatedOne)
{
    const hashos_codec* codec = codec_test_Codec_Scalars_Request_codec;
    Bytes bytes = {
        0x08, 0x05,             // u32 = 5
        0xa2, 0x06, 0x02, 1, 2, // field 100, length-delimited: unknown
        0xad, 0x06, 1, 2, 3, 4, // field 101, fixed32: unknown
        0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, // field 102, fixed64: unknown
        0xb8, 0x06, 0xff, 0x01, // field 103, varint: unknown
        0x08, 0x07,             // u32 = 7: the last one wins
    };
    codec_test_AllScalars decoded;
    ASSERT_TRUE(codec->decode(bytes.data(), uint32_t(bytes.size()), &decoded));
    EXPECT_EQ(decoded.u32, 7u);
    EXPECT_EQ(decoded.u64, 0u);
}

TEST(DirectCodec, RefusesMalformedInput)
{
    const hashos_codec* codec = codec_test_Codec_Scalars_Request_codec;
    codec_test_AllScalars decoded;
    auto refuses = [&](Bytes bytes) { return !codec->decode(bytes.data(), uint32_t(bytes.size()), &decoded); };
    EXPECT_TRUE(refuses({ 0x08 }));                         // a value missing
    EXPECT_TRUE(refuses({ 0x08, 0x80 }));                   // a varint cut short
    EXPECT_TRUE(refuses({ 0x08, 0x80, 0x80, 0x80, 0x80, 0x10 })); // u32 over 32 bits (nanopb refuses it too)
    EXPECT_TRUE(refuses({ 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 })); // over 64 bits
    EXPECT_TRUE(refuses({ 0x45, 1, 2 }));                   // fixed32 cut short
    EXPECT_TRUE(refuses({ 0x00, 0x00 }));                   // field number 0
    EXPECT_TRUE(refuses({ 0xa2, 0x06, 0x05, 1 }));          // a length past the end
    EXPECT_TRUE(refuses({ 0xa3, 0x06 }));                   // a group
}

// Varints take straight-line code up to three bytes and a loop past them: every length, and the
// boundaries between them, against nanopb both ways.
TEST(DirectCodec, VarintsOfEveryLengthMatchNanopb)
{
    const hashos_codec* codec = codec_test_Codec_Scalars_Request_codec;
    const uint64_t values[] = { 1, 127, 128, 300, 16383, 16384, (1u << 21) - 1, 1u << 21, (1u << 28) - 1, 1u << 28,
        1ull << 35, 1ull << 63, ~0ull };
    for (uint64_t value : values) {
        codec_test_AllScalars message = codec_test_AllScalars_init_zero;
        message.colour = codec_test_Colour_COLOUR_NONE; // init_zero's is the enum's lowest, -3
        message.u64 = value;
        Bytes bytes = nanopb_encode(message);
        ASSERT_EQ(bytes[0], 0x10); // u64's key, then the varint alone
        EXPECT_EQ(direct_encode(message), bytes) << value;
        codec_test_AllScalars decoded;
        ASSERT_TRUE(codec->decode(bytes.data(), uint32_t(bytes.size()), &decoded)) << value;
        EXPECT_EQ(decoded.u64, value);
        // Cut anywhere inside the varint, it is refused.
        for (size_t size = 2; size < bytes.size(); ++size)
            EXPECT_FALSE(codec->decode(bytes.data(), uint32_t(size), &decoded)) << value << " cut to " << size;
    }
}

// The decoder reads fields in the encoder's order first; any other order gives the same result.
TEST(DirectCodec, DecodesFieldsInAnyOrder)
{
    const hashos_codec* codec = codec_test_Codec_Scalars_Request_codec;
    Bytes in_order = {
        0x08, 0x05,             // u32 = 5
        0x10, 0x80, 0x80, 0x01, // u64 = 16384
        0x18, 0x7f,             // i64 = 127
        0x38, 0x01,             // flag = true
    };
    Bytes reversed = { 0x38, 0x01, 0x18, 0x7f, 0x10, 0x80, 0x80, 0x01, 0x08, 0x05 };
    Bytes repeated = { 0x08, 0x09, 0x10, 0x01, 0x08, 0x05, 0x18, 0x7f, 0x10, 0x80, 0x80, 0x01, 0x38, 0x01 };
    for (const Bytes& bytes : { in_order, reversed, repeated }) {
        codec_test_AllScalars decoded;
        ASSERT_TRUE(codec->decode(bytes.data(), uint32_t(bytes.size()), &decoded));
        EXPECT_EQ(decoded.u32, 5u);
        EXPECT_EQ(decoded.u64, 16384u);
        EXPECT_EQ(decoded.i64, 127);
        EXPECT_TRUE(decoded.flag);
        EXPECT_EQ(decoded.i32, 0);
    }
}
