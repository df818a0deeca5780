// The `hashos` subcommands: each file cli/NAME.cpp registers one on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace hashos::cli {

// Registers `hashos run`. The returned callback's exit code is stored in `exit_code`.
void add_run_command(CLI::App& app, int& exit_code);

} // namespace hashos::cli
