// `hashos gc`: removes the blocks no pinned file needs and says how much space that freed.
#include "cli/commands.h"
#include "cli/data_dir.h"

#include <fmt/core.h>

namespace hashos::cli {

void add_gc_command(CLI::App& app, int& exit_code)
{
    auto* command = app.add_subcommand("gc", "Remove unpinned blocks from the block store");
    command->callback([&exit_code] {
        auto report = [&]() -> Result<store::GcReport> {
            auto block_store = TRY(open_block_store());
            return block_store.collect_garbage();
        }();
        if (report.is_error()) {
            fmt::print(stderr, "hashos gc: {}\n", report.error().message());
            exit_code = 1;
            return;
        }
        fmt::print("removed {} block(s), freed {} bytes", report->blocks_removed, report->bytes_freed);
        if (report->temporary_files_removed)
            fmt::print(", and {} leftover temporary file(s)", report->temporary_files_removed);
        fmt::print("\n");
    });
}

} // namespace hashos::cli
