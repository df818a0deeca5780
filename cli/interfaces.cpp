// `hashos interfaces`: the interfaces hashos ships, with their hashes, one a line:
// `log@c0c2d43776d9  hashos.log.Log  c0c2d437…` (the short form, the service, the full hash),
// as `hashos-idl` prints them.
#include "cli/commands.h"
#include "handlers/known_interfaces.h"

#include <fmt/core.h>

namespace hashos::cli {

void add_interfaces_command(CLI::App& app, int& exit_code)
{
    auto* command = app.add_subcommand("interfaces", "List the interfaces hashos ships, with their hashes");
    command->callback([] {
        size_t width = 0;
        for (auto const& known : handlers::known_interfaces())
            width = std::max(width, known.short_form().size());
        for (auto const& known : handlers::known_interfaces())
            fmt::print("{:<{}}  {:<26}  {}\n", known.short_form(), width, known.full_name, known.hash_hex);
    });
}

} // namespace hashos::cli
