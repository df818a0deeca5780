// Tests of InterfaceHash (interfaces/interface_hash.h) and snake_case names.

#include "interfaces/interface.h"
#include "interfaces/interface_hash.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace hashos::interfaces {
namespace {

TEST(InterfaceHash, IsSha256OfTheCanonicalForm)
{
    // FIPS 180-2's first SHA-256 example.
    auto hash = InterfaceHash::of_canonical_form("abc");
    ASSERT_FALSE(hash.is_error());
    EXPECT_EQ(hash->hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(InterfaceHash, HexRoundTrips)
{
    auto hash = InterfaceHash::of_canonical_form("hashos").release_value();
    auto parsed = InterfaceHash::from_hex(hash.hex());
    ASSERT_FALSE(parsed.is_error()) << parsed.error().message();
    EXPECT_EQ(parsed.value(), hash);

    std::string upper = hash.hex();
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(InterfaceHash::from_hex(upper).value(), hash);
}

TEST(InterfaceHash, FromHexRejectsWrongLengthAndDigits)
{
    EXPECT_TRUE(InterfaceHash::from_hex("abcd").is_error());
    EXPECT_TRUE(InterfaceHash::from_hex(std::string(65, '0')).is_error());
    auto bad = InterfaceHash::from_hex(std::string(63, '0') + "g");
    ASSERT_TRUE(bad.is_error());
    EXPECT_NE(bad.error().message().find("offset 63"), std::string::npos) << bad.error().message();
}

TEST(InterfaceHash, ShortFormIsNameAtTwelveHexDigits)
{
    auto hash = InterfaceHash::of_canonical_form("abc").release_value();
    EXPECT_EQ(hash.short_form("log"), "log@ba7816bf8f01");
}

TEST(InterfaceHash, WorksAsAnUnorderedKey)
{
    std::unordered_set<InterfaceHash> set;
    set.insert(InterfaceHash::of_canonical_form("a").release_value());
    set.insert(InterfaceHash::of_canonical_form("b").release_value());
    set.insert(InterfaceHash::of_canonical_form("a").release_value());
    EXPECT_EQ(set.size(), 2u);
}

TEST(SnakeCase, SplitsWordsAndAcronyms)
{
    EXPECT_EQ(snake_case("Log"), "log");
    EXPECT_EQ(snake_case("PingPong"), "ping_pong");
    EXPECT_EQ(snake_case("HTTPServer"), "http_server");
    EXPECT_EQ(snake_case("already_snake"), "already_snake");
    EXPECT_EQ(snake_case("Tcp4"), "tcp4");
}

} // namespace
} // namespace hashos::interfaces
