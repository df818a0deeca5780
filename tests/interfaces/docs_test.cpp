// Keeps docs/interfaces.md honest: its test vectors are recomputed from their .proto text, and
// its table of shipped interfaces is recomputed from interfaces/*.proto, so neither can drift.

#include "proto_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace hashos::interfaces {
namespace {

const std::filesystem::path k_source_dir = HASHOS_SOURCE_DIR;

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

struct Vector {
    std::string title;
    std::string proto;
    std::string canonical_form;
    std::string hash;
};

// The section "## Test vectors": each "### " heading, then a ```proto block, a ```text block
// (the form, whose lines all end in a line feed) and a line "SHA-256: `…`".
std::vector<Vector> vectors_in(const std::string& doc)
{
    std::vector<Vector> vectors;
    std::istringstream lines(doc.substr(doc.find("## Test vectors"), doc.find("## The shipped interfaces") - doc.find("## Test vectors")));
    std::string line;
    std::string* block = nullptr;
    while (std::getline(lines, line)) {
        if (block) {
            if (line == "```")
                block = nullptr;
            else
                *block += line + "\n";
        } else if (line.starts_with("### ")) {
            vectors.push_back({ .title = line.substr(4), .proto = {}, .canonical_form = {}, .hash = {} });
        } else if (!vectors.empty() && line == "```proto") {
            block = &vectors.back().proto;
        } else if (!vectors.empty() && line == "```text") {
            block = &vectors.back().canonical_form;
        } else if (!vectors.empty() && line.starts_with("SHA-256: `")) {
            vectors.back().hash = line.substr(10, 64);
        }
    }
    return vectors;
}

std::vector<std::filesystem::path> shipped_protos()
{
    std::vector<std::filesystem::path> files;
    for (auto& entry : std::filesystem::directory_iterator(k_source_dir / "interfaces")) {
        if (entry.path().extension() == ".proto")
            files.push_back(entry.path());
    }
    std::ranges::sort(files);
    return files;
}

TEST(Docs, TestVectorsMatchTheImplementation)
{
    auto vectors = vectors_in(read_file(k_source_dir / "docs/interfaces.md"));
    ASSERT_GE(vectors.size(), 3u);
    for (auto& vector : vectors) {
        SCOPED_TRACE(vector.title);
        ASSERT_FALSE(vector.proto.empty());
        auto interface = only_interface(vector.proto);
        EXPECT_EQ(interface.canonical_form, vector.canonical_form);
        EXPECT_EQ(interface.hash.hex(), vector.hash);
        // The hash of the form as printed in the doc, independently of the parser.
        EXPECT_EQ(InterfaceHash::of_canonical_form(vector.canonical_form)->hex(), vector.hash);
    }
}

TEST(Docs, EveryShippedProtoParses)
{
    for (auto& file : shipped_protos()) {
        auto interfaces = load_interfaces({ file });
        EXPECT_FALSE(interfaces.is_error()) << file << ": " << interfaces.error().message();
    }
}

TEST(Docs, TableOfShippedInterfacesMatchesTheProtos)
{
    auto interfaces = load_interfaces(shipped_protos());
    ASSERT_FALSE(interfaces.is_error()) << interfaces.error().message();
    ASSERT_EQ(interfaces->size(), 12u); // environment, files, interface, loader, log, process, random, stdio, tcp, thread, time, udp

    std::string doc = read_file(k_source_dir / "docs/interfaces.md");
    std::string table = doc.substr(doc.find("## The shipped interfaces"));
    size_t rows = 0;
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > 64 + 4 && line.ends_with("` |") && line.starts_with("| `"))
            ++rows;
    }
    EXPECT_EQ(rows, interfaces->size()) << "the table has a row per shipped interface, no more";
    for (auto& interface : interfaces.value()) {
        // The same row `hashos-idl --markdown interfaces/*.proto` prints.
        std::string row = "| `" + interface.name + "` | `" + interface.full_name + "` | `"
            + interface.source.filename().string() + "` | `" + interface.hash.hex() + "` |";
        EXPECT_NE(table.find(row), std::string::npos)
            << "docs/interfaces.md lacks, or has another hash for:\n" << row
            << "\nregenerate the table with hashos-idl --markdown interfaces/*.proto";
        // Convention: interfaces/NAME.proto declares the service NAME.
        EXPECT_EQ(interface.source.stem().string(), interface.name);
    }
}

TEST(Docs, TableIsWhatTheToolPrints)
{
    std::string command = std::string(HASHOS_IDL) + " --markdown";
    for (auto& file : shipped_protos())
        command += " '" + file.string() + "'";
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    for (size_t size; (size = fread(buffer, 1, sizeof(buffer), pipe)) > 0;)
        output.append(buffer, size);
    ASSERT_EQ(pclose(pipe), 0) << command;

    std::string doc = read_file(k_source_dir / "docs/interfaces.md");
    std::istringstream lines(output);
    size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count)
        EXPECT_NE(doc.find(line + "\n"), std::string::npos) << "docs/interfaces.md lacks: " << line;
    EXPECT_EQ(count, 2u + 12u); // header, separator, one row per interface
}

} // namespace
} // namespace hashos::interfaces
