// MANIFEST.tsv of shared/wasm-testsuite: the expected number of assertions per script, so the
// runner can prove that it counts every assertion exactly once.
#pragma once

#include "base/result.h"
#include "tests/spec/script_runner.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace hashos::spec {

struct ManifestRow {
    uint32_t assertions = 0;
    uint32_t text_malformed = 0;
    uint32_t binary_runnable = 0;
};

// Keyed by "folder/file.wast", as the manifest writes it.
using Manifest = std::map<std::string, ManifestRow>;

Result<Manifest> load_manifest(const std::filesystem::path& path);

// Describes the difference, or nullopt when the counts agree.
std::optional<std::string> check_against_manifest(const Manifest& manifest, const std::string& key,
    const AssertionCounts& counts);

} // namespace hashos::spec
