// hashos-spec: runs WebAssembly spec test scripts (.wast) against the engine.
//
//   hashos-spec [-v] [--count-only] [--manifest MANIFEST.tsv] [--fuel N] [--wast2json PATH] PATH...
//
// Each PATH is a .wast file or a directory (its *.wast, sorted). Every script is converted with
// wast2json into a fresh temporary directory and run in a fresh Store. Prints one line per file,
// the first failures of each file (all with -v), and finally exactly "N passed, N failed, N skipped",
// where skipped counts only text-format assert_malformed. Exit status 0 iff nothing failed.
#include "tests/spec/manifest.h"
#include "tests/spec/script_loader.h"
#include "tests/spec/script_runner.h"
#include "tests/spec/temporary_directory.h"
#include "tests/spec/wast_conversion.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace hashos::spec;

namespace {

constexpr size_t k_findings_shown_per_file = 5;

struct Options {
    bool verbose = false;
    bool count_only = false;
    std::string manifest;
    std::string wast2json = "wast2json";
    RunOptions run;
    std::vector<fs::path> paths;
};

void usage()
{
    std::fprintf(stderr,
        "usage: hashos-spec [-v] [--count-only] [--manifest MANIFEST.tsv] [--fuel N] [--wast2json PATH] PATH...\n");
}

std::optional<Options> parse_options(int argc, char** argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string argument = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        if (argument == "-v" || argument == "--verbose") {
            options.verbose = true;
        } else if (argument == "--count-only") {
            options.count_only = true;
        } else if (argument == "--manifest") {
            auto value = next();
            if (!value)
                return std::nullopt;
            options.manifest = value;
        } else if (argument == "--wast2json") {
            auto value = next();
            if (!value)
                return std::nullopt;
            options.wast2json = value;
        } else if (argument == "--fuel") {
            auto value = next();
            if (!value)
                return std::nullopt;
            auto [end, error] = std::from_chars(value, value + std::strlen(value), options.run.fuel);
            if (error != std::errc() || *end != '\0')
                return std::nullopt;
        } else if (!argument.empty() && argument[0] == '-') {
            return std::nullopt;
        } else {
            options.paths.emplace_back(argument);
        }
    }
    if (options.paths.empty())
        return std::nullopt;
    return options;
}

// Directories expand to their *.wast files, sorted; files are kept in the order given.
std::vector<fs::path> collect_scripts(const std::vector<fs::path>& paths, bool& ok)
{
    std::vector<fs::path> scripts;
    for (auto& path : paths) {
        std::error_code error;
        if (fs::is_directory(path, error)) {
            std::vector<fs::path> found;
            for (auto& entry : fs::directory_iterator(path, error)) {
                if (entry.path().extension() == ".wast")
                    found.push_back(entry.path());
            }
            std::sort(found.begin(), found.end());
            scripts.insert(scripts.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(path, error)) {
            scripts.push_back(path);
        } else {
            std::fprintf(stderr, "hashos-spec: no such file or directory: %s\n", path.c_str());
            ok = false;
        }
    }
    return scripts;
}

void print_findings(const char* label, const std::vector<Finding>& findings, size_t limit)
{
    size_t shown = std::min(findings.size(), limit);
    for (size_t i = 0; i < shown; ++i)
        std::printf("  line %u: %s%s: %s\n", findings[i].line, label, findings[i].command.c_str(),
            findings[i].reason.c_str());
    if (shown < findings.size())
        std::printf("  … and %zu more (-v shows all)\n", findings.size() - shown);
}

struct Totals {
    uint64_t passed = 0;
    uint64_t failed = 0;
    uint64_t skipped = 0;
    uint64_t message_mismatches = 0;
};

} // namespace

int main(int argc, char** argv)
{
    auto parsed = parse_options(argc, argv);
    if (!parsed) {
        usage();
        return 2;
    }
    Options& options = *parsed;

    std::optional<Manifest> manifest;
    if (!options.manifest.empty()) {
        auto loaded = load_manifest(options.manifest);
        if (loaded.is_error()) {
            std::fprintf(stderr, "hashos-spec: %s\n", loaded.error().message().c_str());
            return 2;
        }
        manifest = loaded.release_value();
    }

    bool ok = true;
    auto scripts = collect_scripts(options.paths, ok);
    Totals totals;
    uint32_t manifest_mismatches = 0;
    if (!ok)
        ++totals.failed;

    for (auto& wast : scripts) {
        auto name = wast.filename().string();
        std::fflush(stdout);
        auto directory = TemporaryDirectory::create("hashos-spec-");
        if (directory.is_error()) {
            std::printf("%s: 0 passed, 1 failed\n  %s\n", name.c_str(), directory.error().message().c_str());
            ++totals.failed;
            continue;
        }
        // A script that cannot be converted or read has an unknown number of assertions: it counts
        // as one failure so that it can never pass silently.
        auto json = convert_wast(wast, directory.value().path(), options.wast2json);
        auto script = json.is_error() ? hashos::Result<Script>(json.release_error()) : load_script(json.value());
        if (script.is_error()) {
            std::printf("%s: 0 passed, 1 failed\n  %s\n", name.c_str(), script.error().message().c_str());
            ++totals.failed;
            continue;
        }

        auto counts = count_assertions(script.value());
        if (manifest) {
            auto key = wast.parent_path().filename().string() + "/" + name;
            if (auto problem = check_against_manifest(*manifest, key, counts)) {
                std::printf("%s: manifest mismatch: %s\n", name.c_str(), problem->c_str());
                ++manifest_mismatches;
            }
        }

        FileReport report;
        if (options.count_only) {
            report.passed = counts.assertions - counts.text_malformed;
            report.skipped = counts.text_malformed;
            std::printf("%s: %u assertions, %u text-format malformed\n", name.c_str(), counts.assertions,
                counts.text_malformed);
        } else {
            report = run_script(script.value(), directory.value().path(), options.run);
            if (report.passed + report.failed + report.skipped != counts.assertions) {
                // Would mean an assertion was lost or counted twice: a bug in this runner.
                std::printf("%s: runner bug: %u outcomes for %u assertions\n", name.c_str(),
                    report.passed + report.failed + report.skipped, counts.assertions);
                ++report.failed;
            }
            std::printf("%s: %u passed, %u failed", name.c_str(), report.passed, report.failed);
            if (report.skipped > 0)
                std::printf(", %u skipped", report.skipped);
            std::printf("\n");
            size_t limit = options.verbose ? SIZE_MAX : k_findings_shown_per_file;
            // Failed modules and actions first: they usually explain the failures after them.
            print_findings("error in ", report.errors, limit);
            print_findings("", report.failures, limit);
            if (options.verbose)
                print_findings("message mismatch in ", report.message_mismatches, SIZE_MAX);
        }
        totals.passed += report.passed;
        totals.failed += report.failed;
        totals.skipped += report.skipped;
        totals.message_mismatches += report.message_mismatches.size();
    }

    if (manifest) {
        std::printf("manifest mismatches: %u\n", manifest_mismatches);
        if (manifest_mismatches > 0)
            ++totals.failed;
    }
    if (options.count_only) {
        std::printf("%lu assertions: %lu runnable, %lu text-format malformed\n",
            static_cast<unsigned long>(totals.passed + totals.skipped), static_cast<unsigned long>(totals.passed),
            static_cast<unsigned long>(totals.skipped));
        return totals.failed == 0 ? 0 : 1;
    }
    std::printf("message mismatches: %lu\n", static_cast<unsigned long>(totals.message_mismatches));
    std::printf("%lu passed, %lu failed, %lu skipped\n", static_cast<unsigned long>(totals.passed),
        static_cast<unsigned long>(totals.failed), static_cast<unsigned long>(totals.skipped));
    return totals.failed == 0 ? 0 : 1;
}
