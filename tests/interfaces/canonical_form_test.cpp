// Tests of the canonical form and the interface hash (interfaces/canonical_form.cpp): every change
// to the contract changes the hash, nothing else does, recursion terminates, and what the form
// does not define is an error that says where.

#include "proto_dir.h"

#include <gtest/gtest.h>

#include <string>

namespace hashos::interfaces {
namespace {

// The service every variation below starts from.
const std::string k_base = R"(syntax = "proto3";
package example;

service Echo {
  rpc Say(SayRequest) returns (SayResponse);
  rpc Shout(SayRequest) returns (SayResponse);
}

message SayRequest {
  string text = 1;
  Inner inner = 2;
  Mood mood = 3;
}

message Inner {
  int32 count = 1;
}

enum Mood {
  MOOD_UNSPECIFIED = 0;
  MOOD_HAPPY = 1;
}

message SayResponse {
  string text = 1;
}
)";

// `text` with every `from` replaced by `to`; fails the test if `from` is not there, so a
// variation can never silently test nothing.
std::string replaced(const std::string& text, const std::string& from, const std::string& to)
{
    EXPECT_NE(text.find(from), std::string::npos) << "'" << from << "' is not in the text";
    std::string out = text;
    for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size()))
        out.replace(at, from.size(), to);
    return out;
}

std::string base_hash() { return only_interface(k_base).hash.hex(); }

struct Variation {
    const char* what;
    std::string from;
    std::string to;
};

// Names the variation in test output instead of dumping its bytes.
void PrintTo(const Variation& variation, std::ostream* out) { *out << variation.what; }

class ChangesTheHash : public testing::TestWithParam<Variation> { };

TEST_P(ChangesTheHash, Variation)
{
    auto& variation = GetParam();
    auto changed = only_interface(replaced(k_base, variation.from, variation.to));
    EXPECT_NE(changed.hash.hex(), base_hash()) << variation.what << "\n" << changed.canonical_form;
}

INSTANTIATE_TEST_SUITE_P(Interface, ChangesTheHash,
    testing::Values(
        Variation { "field name", "string text = 1;\n  Inner", "string words = 1;\n  Inner" },
        Variation { "field number", "Inner inner = 2;", "Inner inner = 4;" },
        Variation { "field type", "string text = 1;\n  Inner", "bytes text = 1;\n  Inner" },
        Variation { "field label repeated", "Inner inner = 2;", "repeated Inner inner = 2;" },
        Variation { "field label optional", "Inner inner = 2;", "optional Inner inner = 2;" },
        Variation { "field into a oneof", "Inner inner = 2;", "oneof choice { Inner inner = 2; }" },
        Variation { "method name", "rpc Shout(", "rpc Yell(" },
        Variation { "method order",
            "  rpc Say(SayRequest) returns (SayResponse);\n  rpc Shout(SayRequest) returns (SayResponse);",
            "  rpc Shout(SayRequest) returns (SayResponse);\n  rpc Say(SayRequest) returns (SayResponse);" },
        Variation { "method request type", "rpc Shout(SayRequest)", "rpc Shout(SayResponse)" },
        Variation { "nested type's field name", "int32 count = 1;", "int32 total = 1;" },
        Variation { "nested type's field type", "int32 count = 1;", "int64 count = 1;" },
        Variation { "nested type's field number", "int32 count = 1;", "int32 count = 2;" },
        Variation { "nested type's new field", "int32 count = 1;", "int32 count = 1; bool more = 2;" },
        Variation { "message name", "Inner ", "Inner2 " },
        Variation { "enum value name", "MOOD_HAPPY = 1;", "MOOD_GLAD = 1;" },
        Variation { "enum value number", "MOOD_HAPPY = 1;", "MOOD_HAPPY = 2;" },
        Variation { "package", "package example;", "package sample;" },
        Variation { "service name", "service Echo {", "service Echo2 {" }),
    [](const testing::TestParamInfo<Variation>& info) {
        std::string name = info.param.what;
        for (char& c : name) {
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        }
        return name;
    });

TEST(KeepsTheHash, Comments)
{
    std::string commented = replaced(k_base, "service Echo {", "// Says things back.\n/* twice */ service Echo {");
    commented = replaced(commented, "int32 count = 1;", "int32 count = 1; // how many");
    EXPECT_EQ(only_interface(commented).hash.hex(), base_hash());
}

TEST(KeepsTheHash, Whitespace)
{
    std::string spaced = replaced(k_base, "  string text = 1;\n", "\n\n\tstring   text=1 ;\n\n");
    spaced = replaced(spaced, "message Inner {\n  int32 count = 1;\n}", "message Inner{int32 count=1;}");
    EXPECT_EQ(only_interface(spaced).hash.hex(), base_hash());
}

TEST(KeepsTheHash, Options)
{
    std::string with_options = replaced(k_base, "package example;",
        "package example;\noption java_package = \"org.example\";\noption optimize_for = LITE_RUNTIME;");
    with_options = replaced(with_options, "string text = 1;\n  Inner", "string text = 1 [deprecated = true, json_name = \"t\"];\n  Inner");
    with_options = replaced(with_options, "rpc Shout(SayRequest) returns (SayResponse);",
        "rpc Shout(SayRequest) returns (SayResponse) { option idempotency_level = NO_SIDE_EFFECTS; }");
    with_options = replaced(with_options, "message Inner {", "message Inner {\n  option deprecated = true;");
    with_options = replaced(with_options, "MOOD_HAPPY = 1;", "MOOD_HAPPY = 1 [deprecated = true];");
    EXPECT_EQ(only_interface(with_options).hash.hex(), base_hash());
}

TEST(KeepsTheHash, ReorderedDeclarations)
{
    const std::string reordered = R"(syntax = "proto3";
package example;
enum Mood {
  MOOD_UNSPECIFIED = 0;
  MOOD_HAPPY = 1;
}
message SayResponse { string text = 1; }
message Inner { int32 count = 1; }
message SayRequest {
  Mood mood = 3;
  string text = 1;
  Inner inner = 2;
}
message Unused { string never = 1; }
service Echo {
  rpc Say(SayRequest) returns (SayResponse);
  rpc Shout(SayRequest) returns (SayResponse);
}
)";
    EXPECT_EQ(only_interface(reordered).hash.hex(), base_hash());
}

TEST(KeepsTheHash, TypesSplitAcrossImportedFiles)
{
    ProtoDir directory;
    directory.write("types/inner.proto", R"(syntax = "proto3";
package example;
message Inner { int32 count = 1; }
enum Mood { MOOD_UNSPECIFIED = 0; MOOD_HAPPY = 1; }
)");
    directory.write("messages.proto", R"(syntax = "proto3";
import "types/inner.proto";
package example;
message SayRequest { string text = 1; Inner inner = 2; Mood mood = 3; }
message SayResponse { string text = 1; }
)");
    directory.write("echo.proto", R"(syntax = "proto3";
import "messages.proto";
package example;
service Echo {
  rpc Say(SayRequest) returns (SayResponse);
  rpc Shout(SayRequest) returns (SayResponse);
}
)");
    auto interfaces = directory.load({ "echo.proto" });
    ASSERT_FALSE(interfaces.is_error()) << interfaces.error().message();
    ASSERT_EQ(interfaces->size(), 1u);
    EXPECT_EQ(interfaces->at(0).hash.hex(), base_hash());
}

TEST(CanonicalForm, RecursionAndReuseAreWrittenOnce)
{
    auto interface = only_interface(R"(syntax = "proto3";
package example;
service Graph { rpc Walk(Node) returns (Node); }
message Node {
  repeated Node next = 1;
  Edge edge = 2;
  map<uint32, Node> by_id = 3;
}
message Edge { Node from = 1; Node to = 2; }
)");
    EXPECT_EQ(interface.canonical_form, "hashos-interface-v1\n"
                                        "service example.Graph\n"
                                        "method Walk\n"
                                        "request message example.Node {\n"
                                        "field 1 next repeated message example.Node\n"
                                        "field 2 edge singular message example.Edge {\n"
                                        "field 1 from singular message example.Node\n"
                                        "field 2 to singular message example.Node\n"
                                        "}\n"
                                        "field 3 by_id map uint32 message example.Node\n"
                                        "}\n"
                                        "response message example.Node\n");
}

TEST(CanonicalForm, MethodsAreNumberedFromOneInDeclarationOrder)
{
    auto interface = only_interface(k_base);
    ASSERT_EQ(interface.methods.size(), 2u);
    EXPECT_EQ(interface.methods[0].name, "Say");
    EXPECT_EQ(interface.methods[0].number, 1u);
    EXPECT_EQ(interface.methods[1].name, "Shout");
    EXPECT_EQ(interface.methods[1].number, 2u);
    EXPECT_EQ(interface.methods[1].request_type, "example.SayRequest");
    EXPECT_EQ(interface.methods[1].response_type, "example.SayResponse");
    EXPECT_EQ(interface.full_name, "example.Echo");
    EXPECT_EQ(interface.name, "echo");
}

Error load_error(const std::string& text)
{
    ProtoDir directory;
    directory.write("bad.proto", text);
    auto interfaces = directory.load({ "bad.proto" });
    EXPECT_TRUE(interfaces.is_error());
    return interfaces.is_error() ? interfaces.release_error() : Error("");
}

TEST(CanonicalForm, SyntaxErrorsSayWhere)
{
    auto error = load_error("syntax = \"proto3\";\npackage example;\nmessage A { int32 x = ; }\n");
    EXPECT_NE(error.message().find("bad.proto:3:"), std::string::npos) << error.message();
}

TEST(CanonicalForm, UnknownTypesAndMissingImportsAreErrors)
{
    auto unknown = load_error("syntax = \"proto3\";\nservice S { rpc M(Nope) returns (Nope); }\n");
    EXPECT_NE(unknown.message().find("Nope"), std::string::npos) << unknown.message();
    auto missing = load_error("syntax = \"proto3\";\nimport \"absent.proto\";\n");
    EXPECT_NE(missing.message().find("absent.proto"), std::string::npos) << missing.message();
}

TEST(CanonicalForm, RejectsProto2)
{
    auto error = load_error(R"(syntax = "proto2";
package example;
message A { optional int32 x = 1; }
service S { rpc M(A) returns (A); }
)");
    EXPECT_NE(error.message().find("proto3 only"), std::string::npos) << error.message();
}

TEST(CanonicalForm, RejectsStreamingMethods)
{
    auto error = load_error(R"(syntax = "proto3";
package example;
message A {}
service S { rpc M(stream A) returns (A); }
)");
    EXPECT_NE(error.message().find("example.S.M streams"), std::string::npos) << error.message();
}

TEST(CanonicalForm, MissingFileIsAnError)
{
    auto interfaces = load_interfaces({ "/nonexistent/x.proto" });
    ASSERT_TRUE(interfaces.is_error());
    EXPECT_NE(interfaces.error().message().find("/nonexistent/x.proto"), std::string::npos)
        << interfaces.error().message();
}

} // namespace
} // namespace hashos::interfaces
