// `hashos boot CONFIG.toml`: boots the kernel, gives interfaces to the programs the file names,
// starts the programs in the file's order and waits: for the `main` program if there is one
// (then stops the others and exits with its code), else for all of them (exit code: the first
// non-zero one). The format is in docs/config.md, "Boot files":
//
//     main = "ping"
//     [[program]]
//     name = "pong"
//     file = "pong.wasm"            # relative to this file; or cid = "bafkrei…"
//     handles = ["<64 hex digits>"] # only this program may handle these interfaces
//     [[program]]
//     name = "ping"
//     file = "ping.wasm"
//     allow = ["<64 hex digits>"]   # this run only, like `hashos run --allow`
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/kernel_setup.h"
#include "handlers/known_interfaces.h"
#include "store/file_reader.h"

#include <fmt/core.h>

#include <toml++/toml.h>

#include <chrono>
#include <memory>
#include <thread>

namespace hashos::cli {

namespace {

struct BootProgram {
    std::string name;
    std::filesystem::path file; // or
    std::string cid;
    std::vector<kernel::InterfaceHash> handles, allow, deny;
    std::vector<std::string> arguments;
};

struct BootFile {
    std::string main;
    std::vector<BootProgram> programs;
};

std::string where(const std::string& source, const toml::node& node)
{
    return source + ":" + std::to_string(node.source().begin.line);
}

Result<std::vector<std::string>> read_strings(const toml::node& node, const std::string& source, std::string_view key)
{
    auto const* array = node.as_array();
    if (!array)
        return Error(where(source, node) + ": " + std::string(key) + " must be an array of strings");
    std::vector<std::string> strings;
    for (auto const& element : *array) {
        auto text = element.value<std::string>();
        if (!text)
            return Error(where(source, element) + ": " + std::string(key) + " must be an array of strings");
        strings.push_back(*text);
    }
    return strings;
}

Result<std::vector<kernel::InterfaceHash>> read_interfaces(const toml::node& node, const std::string& source, std::string_view key)
{
    std::vector<kernel::InterfaceHash> hashes;
    for (auto const& text : TRY(read_strings(node, source, key))) {
        auto hash = handlers::parse_interface(text);
        if (hash.is_error())
            return Error(where(source, node) + ": " + hash.error().message());
        hashes.push_back(hash.value());
    }
    return hashes;
}

Result<BootProgram> read_program(const toml::table& table, const std::string& source, const std::filesystem::path& directory)
{
    BootProgram program;
    for (auto const& [key, node] : table) {
        auto text = node.value<std::string>();
        if (key == "name" && text)
            program.name = *text;
        else if (key == "file" && text)
            program.file = directory / *text;
        else if (key == "cid" && text)
            program.cid = *text;
        else if (key == "handles")
            program.handles = TRY(read_interfaces(node, source, "handles"));
        else if (key == "allow")
            program.allow = TRY(read_interfaces(node, source, "allow"));
        else if (key == "deny")
            program.deny = TRY(read_interfaces(node, source, "deny"));
        else if (key == "arguments")
            program.arguments = TRY(read_strings(node, source, "arguments"));
        else
            return Error(where(source, node) + ": unknown or ill-typed key program." + std::string(key.str())
                + " (known: name, file, cid, handles, allow, deny, arguments)");
    }
    if (program.file.empty() == program.cid.empty())
        return Error(where(source, table) + ": a program needs either file or cid");
    if (program.name.empty())
        program.name = program.file.empty() ? program.cid : program.file.stem().string();
    return program;
}

Result<BootFile> read_boot_file(const std::filesystem::path& path)
{
    std::string source = path.string();
    toml::table table;
    try {
        table = toml::parse_file(source);
    } catch (const toml::parse_error& error) {
        // toml++ reports errors only by exception; they stop here and become a value.
        return Error(source + ":" + std::to_string(error.source().begin.line) + ": " + std::string(error.description()));
    }
    BootFile boot;
    for (auto const& [key, node] : table) {
        if (key == "main" && node.is_string()) {
            boot.main = *node.value<std::string>();
        } else if (key == "program" && node.is_array_of_tables()) {
            for (auto const& element : *node.as_array())
                boot.programs.push_back(TRY(read_program(*element.as_table(), source, path.parent_path())));
        } else {
            return Error(where(source, node) + ": unknown or ill-typed key " + std::string(key.str()) + " (known: main, [[program]])");
        }
    }
    if (boot.programs.empty())
        return Error(source + ": no [[program]] to start");
    if (!boot.main.empty() && std::none_of(boot.programs.begin(), boot.programs.end(), [&](auto const& p) { return p.name == boot.main; }))
        return Error(source + ": main = \"" + boot.main + "\" names no program");
    return boot;
}

// The bytes of a program that replaces the loader: nobody else can load it.
Result<std::vector<uint8_t>> read_from_store(const store::Cid& cid)
{
    auto block_store = TRY(open_block_store());
    std::vector<uint8_t> bytes;
    TRY(store::read_file(block_store, cid, [&](std::span<const uint8_t> chunk) -> Result<void> {
        bytes.insert(bytes.end(), chunk.begin(), chunk.end());
        return {};
    }));
    return bytes;
}

// Waits until `process` handles `interface` (it registers it once it has started), so that the
// programs after it find their loader; fails if it ends first or takes over a minute.
Result<void> wait_until_handled(handlers::System& system, const kernel::InterfaceHash& interface, kernel::ProcessId process)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!system.kernel().registry().find(interface)) {
        if (!system.kernel().usage(process))
            return Error("ended before it handled " + handlers::interface_text(interface));
        if (std::chrono::steady_clock::now() > deadline)
            return Error("did not handle " + handlers::interface_text(interface) + " within a minute of its start");
        // Registering is a program's first message: this wait is a few milliseconds.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return {};
}

int boot(const std::filesystem::path& path)
{
    auto fail = [](const Error& error) {
        fmt::print(stderr, "hashos boot: {}\n", error.message());
        return k_exit_not_started;
    };
    auto boot_file = read_boot_file(path);
    if (boot_file.is_error())
        return fail(boot_file.error());
    auto& programs = boot_file->programs;

    std::vector<std::string> cids;
    std::vector<handlers::HandlerAssignment> assignments;
    for (auto& program : programs) {
        auto cid = program.file.empty() ? store::Cid::parse(program.cid) : add_file(program.file);
        if (cid.is_error())
            return fail(Error(program.name + ": " + cid.error().message()));
        cids.push_back(cid->to_v1().to_string());
        for (auto const& interface : program.handles)
            assignments.push_back({ interface, kernel::ProgramId(cids.back()) });
    }
    auto system = boot_system(assignments);
    if (system.is_error())
        return fail(system.error());
    auto& booted = *system.value();

    std::vector<kernel::ProcessId> processes;
    for (size_t i = 0; i < programs.size(); ++i) {
        auto& program = programs[i];
        override_permissions(*booted, kernel::ProgramId(cids[i]), program.allow, program.deny);
        handlers::SpawnSpec spec { cids[i], program.name, program.arguments, kernel::SenderId(), std::nullopt, {} };
        auto const& loader = handlers::shipped(handlers::Shipped::Loader).hash;
        bool loads = std::find(program.handles.begin(), program.handles.end(), loader) != program.handles.end();
        if (loads) {
            auto bytes = read_from_store(store::Cid::parse(cids[i]).value());
            if (bytes.is_error())
                return fail(Error(program.name + ": " + bytes.error().message()));
            spec.program = std::move(bytes.value());
        }
        auto process = booted->start(std::move(spec));
        if (process.is_error())
            return fail(Error(program.name + ": " + process.error().message()));
        processes.push_back(process.value());
        // The kernel asks `loader` for the next programs without waiting for a handler to come.
        if (loads) {
            if (auto ready = wait_until_handled(*booted, loader, process.value()); ready.is_error())
                return fail(Error(program.name + ": " + ready.error().message()));
        }
    }

    auto describe = [&](size_t i, const kernel::ExitStatus& status) {
        switch (status.kind) {
        case kernel::ExitStatus::Kind::Exited:
            return status.code;
        case kernel::ExitStatus::Kind::Trapped:
            fmt::print(stderr, "hashos boot: {} trapped: {}\n", programs[i].name, status.message);
            break;
        case kernel::ExitStatus::Kind::Killed:
            fmt::print(stderr, "hashos boot: {} was killed: {}\n", programs[i].name, status.message);
            break;
        }
        return k_exit_abnormal;
    };
    int exit_code = 0;
    for (size_t i = 0; i < programs.size(); ++i) {
        if (!boot_file->main.empty() && programs[i].name != boot_file->main)
            continue;
        auto status = booted->wait(processes[i]);
        if (status.is_error())
            return fail(status.error());
        int code = describe(i, status.value());
        if (exit_code == 0)
            exit_code = code;
        if (!boot_file->main.empty())
            break;
    }
    return exit_code;
}

} // namespace

void add_boot_command(CLI::App& app, int& exit_code)
{
    auto path = std::make_shared<std::string>();
    auto* command = app.add_subcommand("boot", "Boot the kernel and start the programs of a boot file, with the handlers it assigns");
    command->add_option("config", *path, "The boot file (TOML; see docs/config.md)")->required();
    command->callback([path, &exit_code] { exit_code = boot(*path); });
}

} // namespace hashos::cli
