#include "handlers/known_interfaces.h"

#include "interfaces/proto_parser.h"

#include <gtest/gtest.h>

namespace hashos::handlers {

// The table comes from the generated headers; the hashes must be what interfaces/ computes
// from the .proto files today.
TEST(KnownInterfaces, MatchTheProtoFiles)
{
    std::vector<std::filesystem::path> files;
    for (auto const& known : known_interfaces())
        files.push_back(std::filesystem::path(HASHOS_INTERFACES_DIR) / (std::string(known.name) + ".proto"));
    auto parsed = interfaces::load_interfaces(files);
    ASSERT_FALSE(parsed.is_error()) << parsed.error().message();
    ASSERT_EQ(parsed->size(), known_interfaces().size());
    for (size_t i = 0; i < parsed->size(); ++i) {
        auto const& known = known_interfaces()[i];
        EXPECT_EQ(parsed.value()[i].name, known.name);
        EXPECT_EQ(parsed.value()[i].full_name, known.full_name);
        EXPECT_EQ(parsed.value()[i].hash.hex(), known.hash_hex);
        EXPECT_EQ(parsed.value()[i].hash.bytes(), known.hash.bytes());
        EXPECT_EQ(parsed.value()[i].short_form(), known.short_form());
    }
}

TEST(KnownInterfaces, ParsesWhatUsersWrite)
{
    auto const& log = shipped(Shipped::Log);
    EXPECT_EQ(log.name, "log");
    EXPECT_EQ(parse_interface("log").value(), log.hash);
    EXPECT_EQ(parse_interface(log.short_form()).value(), log.hash);
    EXPECT_EQ(parse_interface(log.hash_hex).value(), log.hash);
    std::string upper(log.hash_hex);
    for (auto& c : upper)
        c = char(toupper(c));
    EXPECT_EQ(parse_interface(upper).value(), log.hash);

    std::string custom(64, 'a');
    EXPECT_EQ(interface_text(parse_interface(custom).value()), custom);
    EXPECT_EQ(interface_text(log.hash), log.short_form());

    EXPECT_EQ(parse_interface("tcp").value(), shipped(Shipped::Tcp).hash);
    EXPECT_TRUE(parse_interface("sctp").is_error());
    EXPECT_TRUE(parse_interface("log@000000000000").is_error());
    EXPECT_TRUE(parse_interface(std::string(63, 'a')).is_error());
    EXPECT_TRUE(parse_interface(std::string(64, 'g')).is_error());
}

} // namespace hashos::handlers
