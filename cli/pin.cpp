// `hashos pin add CID`, `hashos pin rm CID`, `hashos pin ls`: the roots gc keeps, with their DAGs.
#include "cli/commands.h"
#include "cli/data_dir.h"

#include <fmt/core.h>

#include <memory>

namespace hashos::cli {

namespace {

enum class PinAction { Add, Remove };

void add_pin_action(CLI::App& pin, PinAction action, int& exit_code)
{
    auto text = std::make_shared<std::string>();
    auto* command = action == PinAction::Add
        ? pin.add_subcommand("add", "Pin a stored file (its whole DAG must be in the store)")
        : pin.add_subcommand("rm", "Unpin a file; gc may then remove its blocks");
    command->add_option("cid", *text, "The file's CID")->required();
    command->callback([text, action, &exit_code] {
        auto result = [&]() -> Result<void> {
            auto cid = TRY(store::Cid::parse(*text));
            auto block_store = TRY(open_block_store());
            return action == PinAction::Add ? block_store.pin(cid) : block_store.unpin(cid);
        }();
        if (result.is_error()) {
            fmt::print(stderr, "hashos pin: {}\n", result.error().message());
            exit_code = 1;
        }
    });
}

} // namespace

void add_pin_command(CLI::App& app, int& exit_code)
{
    auto* pin = app.add_subcommand("pin", "Manage the pinned files gc keeps");
    pin->require_subcommand(1);
    add_pin_action(*pin, PinAction::Add, exit_code);
    add_pin_action(*pin, PinAction::Remove, exit_code);
    pin->add_subcommand("ls", "List the pinned roots")->callback([&exit_code] {
        auto pins = [&]() -> Result<std::vector<store::Cid>> {
            auto block_store = TRY(open_block_store());
            return block_store.pins();
        }();
        if (pins.is_error()) {
            fmt::print(stderr, "hashos pin: {}\n", pins.error().message());
            exit_code = 1;
            return;
        }
        for (auto const& cid : pins.value())
            fmt::print("{}\n", cid.to_string());
    });
}

} // namespace hashos::cli
