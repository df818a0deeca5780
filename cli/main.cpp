// hashos: the command-line entry point. Each subcommand lives in its own file.
#include "cli/commands.h"
#include "cli/data_dir.h"

int main(int argc, char** argv)
{
    CLI::App app { "hashos: programs are WebAssembly modules named by their hash" };
    app.require_subcommand(1);
    // Global options such as --data-dir may also follow the subcommand: subcommands created
    // after this pass options they do not know up to the app.
    app.fallthrough();
    hashos::cli::add_data_dir_option(app);
    // A usage error is one line on stderr, like every other hashos error.
    app.failure_message([](const CLI::App*, const CLI::Error& error) {
        return "hashos: " + std::string(error.what()) + " (see --help)\n";
    });
    int exit_code = 0;
    hashos::cli::add_run_command(app, exit_code);
    hashos::cli::add_boot_command(app, exit_code);
    hashos::cli::add_interfaces_command(app, exit_code);
    hashos::cli::add_perms_command(app, exit_code);
    hashos::cli::add_cid_command(app, exit_code);
    hashos::cli::add_add_command(app, exit_code);
    hashos::cli::add_cat_command(app, exit_code);
    hashos::cli::add_ls_command(app, exit_code);
    hashos::cli::add_gc_command(app, exit_code);
    hashos::cli::add_pin_command(app, exit_code);
    hashos::cli::add_serve_command(app, exit_code);
    hashos::cli::add_fetch_command(app, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
