// hashos: the command-line entry point. Each subcommand lives in its own file.
#include "cli/commands.h"

int main(int argc, char** argv)
{
    CLI::App app { "hashos: programs are WebAssembly modules named by their hash" };
    app.require_subcommand(1);
    int exit_code = 0;
    hashos::cli::add_run_command(app, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
