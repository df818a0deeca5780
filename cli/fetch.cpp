// `hashos fetch [--peer URL]... CID`: fetches the program CID names (a raw block or a whole DAG)
// from peers and gateways into the block store, pins it and prints its CID. The --peer URLs are
// tried first, in order, then the config's peers.
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/data_dir.h"
#include "cli/fetch_progress.h"
#include "net/fetcher.h"

#include <fmt/core.h>

#include <memory>

namespace hashos::cli {

void add_fetch_command(CLI::App& app, int& exit_code)
{
    struct Options {
        std::string cid;
        std::vector<std::string> peers;
    };
    auto options = std::make_shared<Options>();
    auto* command = app.add_subcommand("fetch", "Fetch a program by CID from peers into the block store, and pin it");
    command->add_option("cid", options->cid, "The program's CID")->required();
    command->add_option("--peer", options->peers, "A peer or gateway URL, tried before the config's (repeatable)");
    command->callback([options, &exit_code] {
        auto result = [&]() -> Result<void> {
            auto cid = TRY(store::Cid::parse(options->cid));
            auto config = TRY(load_config());
            auto fetcher = TRY(net::Fetcher::create(merge_peers(options->peers, config.peers), config.fetch));
            auto block_store = TRY(open_block_store());
            // gc waits until the root is pinned, so it cannot sweep the fetched blocks meanwhile.
            auto hold = TRY(block_store.hold_off_gc());
            FetchProgressBar progress("fetching " + cid.to_string());
            auto report = fetcher.fetch(cid, block_store, progress.callback());
            progress.finish();
            if (!report.is_error()) {
                // A peer that lied or died is worth knowing about even when another one helped.
                for (auto const& problem : report->problems) {
                    if (problem.kind != net::PeerProblem::Kind::Unhelpful)
                        fmt::print(stderr, "hashos fetch: {} peer {}: {}\n", net::name(problem.kind), problem.peer, problem.message);
                }
            }
            TRY(std::move(report));
            TRY(block_store.pin(cid));
            return {};
        }();
        if (result.is_error()) {
            fmt::print(stderr, "hashos fetch: {}\n", result.error().message());
            exit_code = 1;
            return;
        }
        fmt::print("{}\n", options->cid);
    });
}

} // namespace hashos::cli
