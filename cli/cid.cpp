// `hashos cid [--profile helia|kubo-legacy] FILE`: prints the CID IPFS gives FILE, storing nothing.
#include "cli/commands.h"
#include "store/importer.h"

#include <fmt/core.h>

#include <memory>

namespace hashos::cli {

void add_cid_command(CLI::App& app, int& exit_code)
{
    struct Options {
        std::string path;
        std::string profile = "helia";
    };
    auto options = std::make_shared<Options>();
    auto* command = app.add_subcommand("cid", "Print the IPFS CID of a file (stores nothing)");
    command->add_option("file", options->path, "The file")->required();
    command->add_option("--profile", options->profile,
        "helia: CIDv1, 1 MiB raw leaves, as Helia and ipfs-car; kubo-legacy: CIDv0, as `ipfs add`")
        ->capture_default_str();
    command->callback([options, &exit_code] {
        auto cid = [&]() -> Result<store::Cid> {
            auto profile = TRY(store::parse_import_profile(options->profile));
            auto discard = [](const store::Cid&, std::span<const uint8_t>) -> Result<void> { return {}; };
            return store::import_file(options->path, store::ImportParameters::for_profile(profile), discard);
        }();
        if (cid.is_error()) {
            fmt::print(stderr, "hashos cid: {}\n", cid.error().message());
            exit_code = 1;
            return;
        }
        fmt::print("{}\n", cid->to_string());
    });
}

} // namespace hashos::cli
