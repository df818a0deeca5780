// `hashos run CID|FILE [--allow NAME]... [--deny NAME]... [-- ARGS...]`: boots the kernel with
// the native handlers, starts the program through the `process` interface (which asks whoever
// handles `loader` for its bytes), waits for it and exits with its exit code. A FILE is added
// to the block store first, so that the program has a CID like any other.
// Exit codes: the program's own; 134 when it trapped or was killed; 125 when it could not be
// started (one line on stderr says why).
// With `--invoke NAME`, the engine alone calls one export of FILE instead (cli/invoke.h).
#include "cli/commands.h"
#include "cli/invoke.h"
#include "cli/kernel_setup.h"

#include <fmt/core.h>

#include <filesystem>
#include <memory>

namespace hashos::cli {

namespace {

struct RunOptions {
    std::string program;
    std::vector<std::string> allow;
    std::vector<std::string> deny;
    std::vector<std::string> arguments;
    std::string invoke;
};

// The program's CID and its name for humans: a file's stem, or none (the CID, shortened).
struct Program {
    store::Cid cid;
    std::string name;
};

Result<Program> resolve(const std::string& text)
{
    std::error_code error;
    if (std::filesystem::is_regular_file(text, error))
        return Program { TRY(add_file(text)), std::filesystem::path(text).stem().string() };
    auto cid = store::Cid::parse(text);
    if (cid.is_error())
        return Error(text + " is neither a file nor a CID (" + cid.error().message() + ")");
    return Program { cid.value(), "" };
}

int run(const RunOptions& options)
{
    if (!options.invoke.empty()) {
        auto invoked = invoke_export(options.program, options.invoke, options.arguments);
        if (invoked.is_error()) {
            fmt::print(stderr, "hashos run: {}: {}\n", options.program, invoked.error().message());
            return 1;
        }
        return 0;
    }
    auto fail = [](const Error& error) {
        fmt::print(stderr, "hashos run: {}\n", error.message());
        return k_exit_not_started;
    };
    auto allowed = parse_interfaces(options.allow);
    if (allowed.is_error())
        return fail(allowed.error());
    auto denied = parse_interfaces(options.deny);
    if (denied.is_error())
        return fail(denied.error());
    auto program = resolve(options.program);
    if (program.is_error())
        return fail(program.error());
    auto system = boot_system({});
    if (system.is_error())
        return fail(system.error());
    auto& booted = *system.value();

    std::string cid = program->cid.to_v1().to_string();
    override_permissions(*booted, kernel::ProgramId(cid), allowed.value(), denied.value());
    auto process = booted->start({ cid, program->name, options.arguments, kernel::SenderId(), std::nullopt });
    if (process.is_error())
        return fail(process.error());
    auto status = booted->wait(process.value());
    // Every line the program logged is out before hashos says how it ended.
    booted.shutdown();
    if (status.is_error())
        return fail(status.error());
    std::string name = program->name.empty() ? cid : program->name;
    switch (status->kind) {
    case kernel::ExitStatus::Kind::Exited:
        return status->code;
    case kernel::ExitStatus::Kind::Trapped:
        fmt::print(stderr, "hashos run: {} trapped: {}\n", name, status->message);
        return k_exit_abnormal;
    case kernel::ExitStatus::Kind::Killed:
        fmt::print(stderr, "hashos run: {} was killed: {}\n", name, status->message);
        return k_exit_abnormal;
    }
    return k_exit_abnormal;
}

} // namespace

void add_run_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<RunOptions>();
    auto* command = app.add_subcommand("run", "Boot the kernel and run a program (its CID, or a .wasm file added to the store)");
    command->add_option("program", options->program, "The program's CID, or a .wasm file")->required();
    command->add_option("--allow", options->allow, "Let the program use this interface (name or hash), for this run; repeatable");
    command->add_option("--deny", options->deny, "Refuse the program this interface (name or hash), for this run; repeatable");
    command->add_option("arguments", options->arguments, "Arguments for the program, after --");
    command->add_option("--invoke", options->invoke, "Without the kernel: call this export of a .wasm file with the arguments and print its results");
    command->callback([options, &exit_code] { exit_code = run(*options); });
}

} // namespace hashos::cli
