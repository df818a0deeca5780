// `hashos run CID|FILE [--allow NAME]... [--deny NAME]... [--env NAME=value]...
// [--dir HOST_PATH[:GUEST_PATH][:ro]]... [-- ARGS...]`: boots the kernel with
// the native handlers, starts the program through the `process` interface (which asks whoever
// handles `loader` for its bytes), waits for it and exits with its exit code. A FILE is added
// to the block store first, so that the program has a CID like any other.
// Exit codes: the program's own; 134 when it trapped or was killed; 125 when it could not be
// started (one line on stderr says why).
// A CID missing from the store is fetched (a progress bar on a terminal), verified and pinned:
// from the `--peer URL`s first (repeatable, in order), then the config's peers (cli/config.h).
// With `--invoke NAME`, the engine alone calls one export of FILE instead (cli/invoke.h).
#include "cli/commands.h"
#include "cli/invoke.h"
#include "cli/kernel_setup.h"
#include "handlers/known_interfaces.h"

#include <fmt/core.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <memory>

namespace hashos::cli {

namespace {

struct RunOptions {
    std::string program;
    std::vector<std::string> allow;
    std::vector<std::string> deny;
    std::vector<std::string> arguments;
    std::vector<std::string> peers; // --peer URL, tried before the config's peers
    std::vector<std::string> environment; // --env NAME=value, in order
    std::vector<std::string> directories; // --dir HOST_PATH[:GUEST_PATH], for the `files` interface
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

// The program's environment from `--env NAME=value` options: each must have a name and no NUL;
// a name given twice keeps its last value, in the place of its first.
Result<std::vector<std::string>> environment_of(const std::vector<std::string>& options)
{
    std::vector<std::string> variables;
    for (auto const& option : options) {
        size_t equals = option.find('=');
        if (equals == 0 || equals == std::string::npos)
            return Error("--env '" + option + "' is not NAME=value");
        auto same_name = [&](const std::string& variable) { return variable.compare(0, equals + 1, option, 0, equals + 1) == 0; };
        if (auto it = std::find_if(variables.begin(), variables.end(), same_name); it != variables.end())
            *it = option;
        else
            variables.push_back(option);
    }
    return variables;
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
    auto environment = environment_of(options.environment);
    if (environment.is_error())
        return fail(environment.error());
    std::vector<handlers::DirectoryGrant> grants;
    for (auto const& text : options.directories) {
        auto grant = handlers::parse_directory_grant(text);
        if (grant.is_error())
            return fail(grant.error());
        grants.push_back(grant.release_value());
    }
    auto program = resolve(options.program);
    if (program.is_error())
        return fail(program.error());
    auto system = boot_system({}, options.peers);
    if (system.is_error())
        return fail(system.error());
    auto& booted = *system.value();

    std::string cid = program->cid.to_v1().to_string();
    // Granting a directory is letting the program use `files` (unless --deny files says no).
    if (!grants.empty())
        allowed->push_back(handlers::shipped(handlers::Shipped::Files).hash);
    override_permissions(*booted, kernel::ProgramId(cid), allowed.value(), denied.value());
    for (auto const& grant : grants) {
        if (auto granted = booted->files().grant(kernel::ProgramId(cid), grant); granted.is_error())
            return fail(granted.error());
    }
    // A program writing to a closed pipe gets EPIPE from the stdio interface, as a native program
    // that ignores SIGPIPE would, instead of killing hashos with everything it runs.
    std::signal(SIGPIPE, SIG_IGN);
    handlers::SpawnSpec spec { cid, program->name, options.arguments, kernel::SenderId(), std::nullopt, std::move(environment.value()) };
    auto process = booted->start(std::move(spec));
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
    command->add_option("--dir", options->directories,
        "Let the program use this host directory through `files`, at GUEST_PATH (default: /NAME), read-only with :ro; "
        "HOST_PATH[:GUEST_PATH][:ro], repeatable");
    command->add_option("--env", options->environment, "Set an environment variable of the program, NAME=value; repeatable");
    command->add_option("--peer", options->peers, "A peer or gateway URL to fetch a missing program from, tried before the config's (repeatable)");
    command->add_option("--invoke", options->invoke, "Without the kernel: call this export of a .wasm file with the arguments and print its results");
    // One value per occurrence, so that `--allow tcp PROGRAM` leaves PROGRAM to the positional.
    for (auto const* name : { "--allow", "--deny", "--dir", "--env", "--peer" }) {
        if (auto* option = command->get_option_no_throw(name))
            option->allow_extra_args(false);
    }
    command->callback([options, &exit_code] { exit_code = run(*options); });
}

} // namespace hashos::cli
