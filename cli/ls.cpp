// `hashos ls`: lists the stored roots (the pins) with their file sizes, one `CID<TAB>SIZE` a line.
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "store/file_reader.h"

#include <fmt/core.h>

namespace hashos::cli {

void add_ls_command(CLI::App& app, int& exit_code)
{
    auto* command = app.add_subcommand("ls", "List the stored files (pinned roots) and their sizes");
    command->callback([&exit_code] {
        auto result = [&]() -> Result<void> {
            auto block_store = TRY(open_block_store());
            for (auto const& root : TRY(block_store.pins())) {
                // A damaged root is listed, not hidden: its size says why it cannot be read.
                auto size = store::file_size(block_store, root);
                if (size.is_error())
                    fmt::print("{}\t?\t({})\n", root.to_string(), size.error().message());
                else
                    fmt::print("{}\t{}\n", root.to_string(), size.value());
            }
            return {};
        }();
        if (result.is_error()) {
            fmt::print(stderr, "hashos ls: {}\n", result.error().message());
            exit_code = 1;
        }
    });
}

} // namespace hashos::cli
