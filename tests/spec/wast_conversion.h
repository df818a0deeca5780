// Converting a .wast script with wabt's wast2json, at run time, into a directory (a
// TemporaryDirectory): one JSON script plus one .wasm (or .wat) per module.
#pragma once

#include "base/result.h"

#include <filesystem>

namespace hashos::spec {

// Runs `wast2json WAST -o OUT_DIR/STEM.json` (wast2json found on PATH unless `wast2json` names
// it) and returns the JSON's path. The error carries wast2json's own diagnostics.
Result<std::filesystem::path> convert_wast(const std::filesystem::path& wast, const std::filesystem::path& out_dir,
    const std::string& wast2json = "wast2json");

} // namespace hashos::spec
