// Converting a .wast script with wabt's wast2json, at run time, into a private temporary
// directory: one JSON script plus one .wasm (or .wat) per module.
#pragma once

#include "base/result.h"

#include <filesystem>

namespace hashos::spec {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TemporaryDirectory {
public:
    static Result<TemporaryDirectory> create(const char* prefix);
    TemporaryDirectory(TemporaryDirectory&& other) noexcept;
    TemporaryDirectory& operator=(TemporaryDirectory&&) = delete;
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    ~TemporaryDirectory();

    const std::filesystem::path& path() const { return m_path; }

private:
    explicit TemporaryDirectory(std::filesystem::path path) : m_path(std::move(path)) {}
    std::filesystem::path m_path; // empty once moved from
};

// Runs `wast2json WAST -o OUT_DIR/STEM.json` (wast2json found on PATH unless `wast2json` names
// it) and returns the JSON's path. The error carries wast2json's own diagnostics.
Result<std::filesystem::path> convert_wast(const std::filesystem::path& wast, const std::filesystem::path& out_dir,
    const std::string& wast2json = "wast2json");

} // namespace hashos::spec
