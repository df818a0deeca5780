// `hashos add [--profile helia|kubo-legacy] FILE`: stores FILE's blocks, pins its root, prints the CID.
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "store/importer.h"

#include <fmt/core.h>

#include <memory>

namespace hashos::cli {

void add_add_command(CLI::App& app, int& exit_code)
{
    struct Options {
        std::string path;
        std::string profile = "helia";
    };
    auto options = std::make_shared<Options>();
    auto* command = app.add_subcommand("add", "Store a file in the block store, pin it and print its CID");
    command->add_option("file", options->path, "The file")->required();
    command->add_option("--profile", options->profile, "helia (CIDv1, the default) or kubo-legacy (CIDv0)")
        ->capture_default_str();
    command->callback([options, &exit_code] {
        auto cid = [&]() -> Result<store::Cid> {
            auto profile = TRY(store::parse_import_profile(options->profile));
            auto block_store = TRY(open_block_store());
            // gc waits until the root is pinned, so it cannot sweep the new blocks meanwhile.
            auto hold = TRY(block_store.hold_off_gc());
            auto put = [&](const store::Cid& cid, std::span<const uint8_t> block) { return block_store.put(cid, block); };
            auto root = TRY(store::import_file(options->path, store::ImportParameters::for_profile(profile), put));
            TRY(block_store.pin(root));
            return root;
        }();
        if (cid.is_error()) {
            fmt::print(stderr, "hashos add: {}\n", cid.error().message());
            exit_code = 1;
            return;
        }
        fmt::print("{}\n", cid->to_string());
    });
}

} // namespace hashos::cli
