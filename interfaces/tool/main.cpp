// hashos-idl: reads interface definitions (.proto files), prints each service's name and hash,
// and generates the C header with the hash constants and method numbers (tool/c_header.h).
// Run at build time by hashos_interface_bindings() (interfaces/bindings.cmake); by hand it is the
// quickest way to see what a change to a .proto does to its hash:
//   hashos-idl interfaces/log.proto             log@…  hashos.log.Log  <64 hex digits>
//   hashos-idl --canonical interfaces/log.proto the canonical form as well
//   hashos-idl --markdown interfaces/*.proto    the table of docs/interfaces.md
#include "interfaces/proto_parser.h"
#include "interfaces/tool/c_header.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

namespace hashos::interfaces {

namespace {

struct Options {
    std::vector<std::filesystem::path> files;
    std::vector<std::filesystem::path> import_dirs;
    std::filesystem::path header_dir;
    bool canonical = false;
    bool markdown = false;
};

Result<void> run(const Options& options)
{
    auto interfaces = TRY(load_interfaces(options.files, options.import_dirs));

    if (!options.header_dir.empty()) {
        std::error_code error;
        std::filesystem::create_directories(options.header_dir, error);
        if (error)
            return Error("cannot create " + options.header_dir.string() + ": " + error.message());
        // One header per file, even one without services, so the build knows its outputs in advance.
        for (auto& file : options.files) {
            std::vector<const Interface*> services;
            for (auto& interface : interfaces) {
                if (interface.source == file)
                    services.push_back(&interface);
            }
            TRY(write_c_header(options.header_dir, file, services));
        }
        return {};
    }

    if (options.markdown) {
        std::cout << "| name | service | file | hash |\n| --- | --- | --- | --- |\n";
        for (auto& interface : interfaces) {
            std::cout << "| `" << interface.name << "` | `" << interface.full_name << "` | `"
                      << interface.source.filename().string() << "` | `" << interface.hash.hex() << "` |\n";
        }
        return {};
    }

    for (auto& interface : interfaces) {
        std::cout << interface.short_form() << "  " << interface.full_name << "  " << interface.hash.hex() << "\n";
        if (options.canonical)
            std::cout << interface.canonical_form << "\n";
    }
    return {};
}

} // namespace

} // namespace hashos::interfaces

int main(int argc, char** argv)
{
    hashos::interfaces::Options options;
    CLI::App app("Prints the interface hash of each service in FILES and generates its C header.",
        "hashos-idl");
    app.add_option("files", options.files, "the .proto files")->required()->check(CLI::ExistingFile);
    app.add_option("-I,--import-dir", options.import_dirs, "where imports are looked up (repeatable)")
        ->allow_extra_args(false); // one directory per -I, so the files that follow stay files
    app.add_option("--header-dir", options.header_dir, "write STEM.interface.h for each file into this directory");
    app.add_flag("--canonical", options.canonical, "print each service's canonical form after its line");
    app.add_flag("--markdown", options.markdown, "print the table of interfaces for docs/interfaces.md");
    CLI11_PARSE(app, argc, argv);

    auto result = hashos::interfaces::run(options);
    if (result.is_error()) {
        std::cerr << "hashos-idl: " << result.error().message() << "\n";
        return 1;
    }
    return 0;
}
