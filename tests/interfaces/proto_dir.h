// ProtoDir: a temporary directory of .proto files written by a test, and the interfaces
// load_interfaces() finds in them. Removed with everything in it when the ProtoDir goes.
#pragma once

#include "interfaces/proto_parser.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace hashos::interfaces {

class ProtoDir {
public:
    ProtoDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "hashos-interfaces-XXXXXX").string();
        m_path = mkdtemp(pattern.data());
    }
    ~ProtoDir() { std::filesystem::remove_all(m_path); }
    ProtoDir(const ProtoDir&) = delete;
    ProtoDir& operator=(const ProtoDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }

    std::filesystem::path write(const std::string& name, const std::string& text) const
    {
        auto file = m_path / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }

    Result<std::vector<Interface>> load(const std::vector<std::string>& names) const
    {
        std::vector<std::filesystem::path> files;
        for (auto& name : names)
            files.push_back(m_path / name);
        return load_interfaces(files);
    }

private:
    std::filesystem::path m_path;
};

// The only service declared in `text`, parsed as a file of its own; fails the test otherwise.
inline Interface only_interface(const std::string& text)
{
    ProtoDir directory;
    directory.write("only.proto", text);
    auto interfaces = directory.load({ "only.proto" });
    if (interfaces.is_error()) {
        ADD_FAILURE() << interfaces.error().message();
        return Interface { {}, {}, {}, {}, {}, InterfaceHash(InterfaceHash::Bytes {}) };
    }
    EXPECT_EQ(interfaces->size(), 1u);
    return interfaces->at(0);
}

} // namespace hashos::interfaces
