// Runs the commands of one Script against the engine, in order, in a fresh Store, and reports
// each assertion as passed, failed or skipped (text-format assert_malformed only).
// A module or action that fails unexpectedly is reported as an error (not counted) and the
// commands depending on it fail; the run always continues with the next command.
#pragma once

#include "tests/spec/script.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hashos::spec {

struct Finding {
    uint32_t line = 0;
    std::string command; // "assert_return", "module", …
    std::string reason;
};

struct FileReport {
    uint32_t passed = 0;
    uint32_t failed = 0;
    uint32_t skipped = 0;
    std::vector<Finding> failures;           // one per failed assertion
    std::vector<Finding> errors;             // modules and actions that failed (not assertions)
    std::vector<Finding> message_mismatches; // passed at the right stage, with another message
};

struct RunOptions {
    // Fuel for each action and start function: big enough for every spec test, bounded so that
    // a runaway loop is a failure, never a hang.
    uint64_t fuel = 50'000'000'000;
};

// `module_dir` is where wast2json wrote the script's .wasm files.
FileReport run_script(const Script& script, const std::filesystem::path& module_dir, const RunOptions& options);

struct AssertionCounts {
    uint32_t assertions = 0;     // every assert_* command
    uint32_t text_malformed = 0; // of which text-format assert_malformed
};
AssertionCounts count_assertions(const Script& script);

} // namespace hashos::spec
