#include "tests/spec/manifest.h"

#include <fstream>
#include <sstream>

namespace hashos::spec {

Result<Manifest> load_manifest(const std::filesystem::path& path)
{
    std::ifstream stream(path);
    if (!stream)
        return Error("cannot open " + path.string());
    Manifest manifest;
    std::string line;
    uint32_t line_number = 0;
    while (std::getline(stream, line)) {
        ++line_number;
        if (line_number == 1 || line.empty()) // the header names the columns
            continue;
        std::istringstream fields(line);
        std::string key;
        ManifestRow row;
        if (!(fields >> key >> row.assertions >> row.text_malformed >> row.binary_runnable))
            return Error(path.string() + ":" + std::to_string(line_number) + ": malformed row");
        manifest[key] = row;
    }
    return manifest;
}

std::optional<std::string> check_against_manifest(const Manifest& manifest, const std::string& key,
    const AssertionCounts& counts)
{
    auto found = manifest.find(key);
    if (found == manifest.end())
        return key + " is not in the manifest";
    auto& row = found->second;
    if (row.assertions == counts.assertions && row.text_malformed == counts.text_malformed
        && row.binary_runnable == counts.assertions - counts.text_malformed)
        return std::nullopt;
    return "counted " + std::to_string(counts.assertions) + " assertions (" + std::to_string(counts.text_malformed)
        + " text-format malformed), manifest says " + std::to_string(row.assertions) + " ("
        + std::to_string(row.text_malformed) + ")";
}

} // namespace hashos::spec
