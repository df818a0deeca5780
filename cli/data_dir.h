// The data directory, where hashos keeps its block store. Chosen, first match wins, by
// the global `--data-dir DIR` option (before or after the subcommand), $HASHOS_DATA_DIR,
// $XDG_DATA_HOME/hashos, then ~/.local/share/hashos.
#pragma once

#include "base/result.h"
#include "store/block_store.h"

#include <CLI/CLI.hpp>

#include <filesystem>

namespace hashos::cli {

// Registers `--data-dir` on the top-level app.
void add_data_dir_option(CLI::App& app);

Result<std::filesystem::path> data_dir();

// Opens (creating if needed) the block store of the data directory.
Result<store::BlockStore> open_block_store();

} // namespace hashos::cli
