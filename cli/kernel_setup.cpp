#include "cli/kernel_setup.h"

#include "cli/config.h"
#include "cli/data_dir.h"
#include "cli/fetch_progress.h"
#include "cli/permissions_config.h"
#include "handlers/known_interfaces.h"
#include "net/fetcher.h"
#include "store/importer.h"
#include "wasi/provider.h"

#include <fmt/core.h>

namespace hashos::cli {

Result<std::unique_ptr<BootedSystem>> boot_system(std::vector<handlers::HandlerAssignment> assignments,
    const std::vector<std::string>& first_peers)
{
    handlers::SystemConfig config;
    config.store = TRY(open_block_store());
    auto node_config = TRY(load_config());
    auto peers = merge_peers(first_peers, node_config.peers);
    if (!peers.empty()) {
        auto fetcher = std::make_shared<net::Fetcher>(TRY(net::Fetcher::create(peers, node_config.fetch)));
        config.fetch = [fetcher](const store::Cid& root, const store::BlockStore& store) -> Result<void> {
            // A fetched program is kept like an added one: gc waits until it is pinned.
            auto hold = TRY(store.hold_off_gc());
            FetchProgressBar progress("fetching " + root.to_string());
            auto report = fetcher->fetch(root, store, progress.callback());
            progress.finish();
            if (!report.is_error()) {
                for (auto const& problem : report->problems) {
                    if (problem.kind != net::PeerProblem::Kind::Unhelpful)
                        fmt::print(stderr, "hashos: {} peer {}: {}\n", net::name(problem.kind), problem.peer, problem.message);
                }
            }
            TRY(std::move(report));
            return store.pin(root);
        };
    }
    auto rules = TRY(load_permissions());
    config.assignments = std::move(assignments);
    auto asker = TerminalAsker::open([](const kernel::ProgramId& program, const kernel::InterfaceHash& interface) {
        if (auto saved = save_permission({ program, interface, kernel::Decision::Allow }); saved.is_error())
            fmt::print(stderr, "hashos: cannot save the permission: {}\n", saved.error().message());
    });
    config.asker = asker;
    // WASI programs (wasm32-wasi, wasi-libc) run beside hashos-SDK ones.
    config.import_providers.push_back(std::make_shared<wasi::WasiProvider>());
    auto system = std::make_unique<handlers::System>(std::move(config));
    for (auto const& rule : rules)
        system->kernel().permissions().set(rule.program, rule.interface, rule.decision);
    return std::make_unique<BootedSystem>(std::move(asker), std::move(system));
}

void override_permissions(handlers::System& system, const kernel::ProgramId& program,
    const std::vector<kernel::InterfaceHash>& allowed, const std::vector<kernel::InterfaceHash>& denied)
{
    for (auto const& interface : allowed)
        system.kernel().permissions().set(program, interface, kernel::Decision::Allow);
    // Denials last: `--allow x --deny x` denies.
    for (auto const& interface : denied)
        system.kernel().permissions().set(program, interface, kernel::Decision::Deny);
}

Result<std::vector<kernel::InterfaceHash>> parse_interfaces(const std::vector<std::string>& names)
{
    std::vector<kernel::InterfaceHash> hashes;
    for (auto const& name : names)
        hashes.push_back(TRY(handlers::parse_interface(name)));
    return hashes;
}

Result<store::Cid> add_file(const std::filesystem::path& path)
{
    auto block_store = TRY(open_block_store());
    // gc waits until the root is pinned, so it cannot sweep the new blocks meanwhile.
    auto hold = TRY(block_store.hold_off_gc());
    auto put = [&](const store::Cid& cid, std::span<const uint8_t> block) { return block_store.put(cid, block); };
    auto root = TRY(store::import_file(path, store::ImportParameters::for_profile(store::ImportProfile::Helia), put));
    TRY(block_store.pin(root));
    return root;
}

} // namespace hashos::cli
