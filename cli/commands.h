// The `hashos` subcommands: each file cli/NAME.cpp registers one on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace hashos::cli {

// Registers `hashos run`. The returned callback's exit code is stored in `exit_code`.
void add_run_command(CLI::App& app, int& exit_code);

// The kernel's commands (cli/boot.cpp, interfaces.cpp, perms.cpp): `hashos boot CONFIG.toml`
// starts the programs of a boot file; `hashos interfaces` lists the shipped interfaces and their
// hashes; `hashos perms list|set|reset` manages the saved permission rules.
void add_boot_command(CLI::App& app, int& exit_code);
void add_interfaces_command(CLI::App& app, int& exit_code);
void add_perms_command(CLI::App& app, int& exit_code);

// The block store's commands (cli/cid.cpp, add.cpp, cat.cpp, ls.cpp, gc.cpp, pin.cpp): `hashos cid`,
// `add`, `cat`, `ls`, `gc` and `pin add|rm|ls`. Errors go to stderr as one line and set exit_code.
void add_cid_command(CLI::App& app, int& exit_code);
void add_add_command(CLI::App& app, int& exit_code);
void add_cat_command(CLI::App& app, int& exit_code);
void add_ls_command(CLI::App& app, int& exit_code);
void add_gc_command(CLI::App& app, int& exit_code);
void add_pin_command(CLI::App& app, int& exit_code);

// The network's commands (cli/serve.cpp, fetch.cpp): `hashos serve` answers the IPFS trustless
// gateway protocol from the block store; `hashos fetch` fetches a DAG from peers into it.
void add_serve_command(CLI::App& app, int& exit_code);
void add_fetch_command(CLI::App& app, int& exit_code);

} // namespace hashos::cli
