#include "store/multibase.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hashos::store {
namespace {

using testing::as_bytes;

std::string decoded_text(Result<std::vector<uint8_t>> result)
{
    EXPECT_FALSE(result.is_error()) << result.error().message();
    if (result.is_error())
        return "";
    return std::string(result->begin(), result->end());
}

// RFC 4648 section 10's test vectors, lowercase and unpadded as multibase writes them.
TEST(Base32, Rfc4648Vectors)
{
    std::pair<std::string_view, std::string_view> vectors[] = {
        { "", "" }, { "f", "my" }, { "fo", "mzxq" }, { "foo", "mzxw6" },
        { "foob", "mzxw6yq" }, { "fooba", "mzxw6ytb" }, { "foobar", "mzxw6ytboi" },
    };
    for (auto [plain, encoded] : vectors) {
        EXPECT_EQ(encode_base32(as_bytes(plain)), encoded);
        EXPECT_EQ(decoded_text(decode_base32(encoded)), plain);
        std::string upper(encoded);
        for (auto& character : upper)
            character = char(std::toupper(character));
        EXPECT_EQ(encode_base32(as_bytes(plain), LetterCase::Upper), upper);
        EXPECT_EQ(decoded_text(decode_base32(upper, LetterCase::Upper)), plain);
    }
}

TEST(Base32, RoundTripsEveryLengthAndByte)
{
    for (size_t size = 0; size < 40; ++size) {
        std::vector<uint8_t> bytes(size);
        for (size_t index = 0; index < size; ++index)
            bytes[index] = uint8_t(255 - index * 37);
        auto decoded = decode_base32(encode_base32(bytes));
        ASSERT_FALSE(decoded.is_error()) << decoded.error().message();
        EXPECT_EQ(decoded.value(), bytes);
    }
}

TEST(Base32, RejectsWhatIsNotCanonical)
{
    EXPECT_TRUE(decode_base32("mzxw6ytb=").is_error());  // padding
    EXPECT_TRUE(decode_base32("mzx1").is_error());        // '1' is not in the alphabet
    EXPECT_TRUE(decode_base32("MZXQ").is_error());        // wrong case for lowercase
    EXPECT_TRUE(decode_base32("mzxq", LetterCase::Upper).is_error());
    EXPECT_TRUE(decode_base32("m").is_error());           // 5 bits: no whole byte
    EXPECT_TRUE(decode_base32("mzx").is_error());         // 15 bits: impossible length
    EXPECT_TRUE(decode_base32("mzxw6y").is_error());      // 30 bits: impossible length
    auto bits = decode_base32("mz");                      // 'z' leaves non-zero padding bits
    ASSERT_TRUE(bits.is_error());
    EXPECT_NE(bits.error().message().find("padding bits"), std::string::npos);
    EXPECT_TRUE(decode_base32(std::string_view("my\0", 3)).is_error());
}

TEST(Base58btc, KnownVectors)
{
    EXPECT_EQ(encode_base58btc(as_bytes("")), "");
    EXPECT_EQ(encode_base58btc(as_bytes("hello world")), "StV1DL6CwTryKyV");
    EXPECT_EQ(decoded_text(decode_base58btc("StV1DL6CwTryKyV")), "hello world");
    // Leading zero bytes are leading '1's, one for one.
    std::vector<uint8_t> zeros { 0, 0, 1 };
    EXPECT_EQ(encode_base58btc(zeros), "112");
    EXPECT_EQ(decode_base58btc("112").value(), zeros);
    EXPECT_EQ(decode_base58btc("111").value(), std::vector<uint8_t>(3, 0));
    std::vector<uint8_t> large { 0xff, 0xff, 0xff, 0xff };
    EXPECT_EQ(encode_base58btc(large), "7YXq9G");
    EXPECT_EQ(decode_base58btc("7YXq9G").value(), large);
}

TEST(Base58btc, RejectsCharactersOutsideTheAlphabet)
{
    for (std::string_view text : { "0", "O", "I", "l", "abc+", "Qm ", "-" })
        EXPECT_TRUE(decode_base58btc(text).is_error()) << text;
}

TEST(Base58btc, RoundTrips)
{
    for (size_t size = 0; size < 40; ++size) {
        std::vector<uint8_t> bytes(size);
        for (size_t index = 0; index < size; ++index)
            bytes[index] = index < 3 ? 0 : uint8_t(index * 91);
        EXPECT_EQ(decode_base58btc(encode_base58btc(bytes)).value(), bytes);
    }
}

} // namespace
} // namespace hashos::store
