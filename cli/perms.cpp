// `hashos perms [list [CID]]`, `hashos perms set CID INTERFACE allow|deny|ask`,
// `hashos perms reset [CID [INTERFACE]]`: the user's saved permission rules
// (cli/permissions_config.h). Rules not saved fall back to the defaults: log, time and random
// allowed, every other interface asked on a terminal and denied without one.
#include "cli/commands.h"
#include "cli/permissions_config.h"
#include "handlers/known_interfaces.h"
#include "store/cid.h"

#include <fmt/core.h>

#include <memory>

namespace hashos::cli {

namespace {

constexpr std::string_view k_defaults = "log, time and random are allowed; every other interface is asked on a terminal, denied without one";

// A program as permissions know it: its CIDv1, however the user wrote it.
Result<kernel::ProgramId> parse_program(const std::string& text)
{
    auto cid = store::Cid::parse(text);
    if (cid.is_error())
        return Error("'" + text + "' is not a CID: " + cid.error().message());
    return kernel::ProgramId(cid->to_v1().to_string());
}

void report(const Result<void>& result, int& exit_code)
{
    if (result.is_error()) {
        fmt::print(stderr, "hashos perms: {}\n", result.error().message());
        exit_code = 1;
    }
}

Result<void> list(const std::string& program_text)
{
    std::optional<kernel::ProgramId> program;
    if (!program_text.empty())
        program = TRY(parse_program(program_text));
    auto rules = TRY(load_permissions());
    size_t shown = 0;
    for (auto const& rule : rules) {
        if (program && rule.program != *program)
            continue;
        fmt::print("{}  {}  {}\n", rule.program.text(), handlers::interface_text(rule.interface), name(rule.decision));
        ++shown;
    }
    if (shown == 0)
        fmt::print("no saved rules: {}\n", k_defaults);
    return {};
}

} // namespace

void add_perms_command(CLI::App& app, int& exit_code)
{
    auto* perms = app.add_subcommand("perms", "List, set or reset which program may use which interface");
    auto list_program = std::make_shared<std::string>();
    auto* list_command = perms->add_subcommand("list", "List the saved rules (of one program)");
    list_command->add_option("cid", *list_program, "Only this program's rules");
    list_command->callback([list_program, &exit_code] { report(list(*list_program), exit_code); });
    // `hashos perms` alone lists.
    perms->callback([perms, &exit_code] {
        if (perms->get_subcommands().empty())
            report(list(""), exit_code);
    });

    struct SetOptions {
        std::string program, interface, decision;
    };
    auto set = std::make_shared<SetOptions>();
    auto* set_command = perms->add_subcommand("set", "Save a rule: PROGRAM may (allow), may not (deny) or must ask to use INTERFACE");
    set_command->add_option("cid", set->program, "The program's CID")->required();
    set_command->add_option("interface", set->interface, "The interface: a name (see `hashos interfaces`) or 64 hex digits")->required();
    set_command->add_option("decision", set->decision, "allow, deny or ask")->required();
    set_command->callback([set, &exit_code] {
        report([&]() -> Result<void> {
            auto program = TRY(parse_program(set->program));
            auto interface = TRY(handlers::parse_interface(set->interface));
            auto decision = TRY(parse_decision(set->decision));
            return save_permission({ program, interface, decision });
        }(), exit_code);
    });

    auto reset = std::make_shared<SetOptions>();
    auto* reset_command = perms->add_subcommand("reset", "Forget saved rules: all, a program's, or one");
    reset_command->add_option("cid", reset->program, "Only this program's rules");
    reset_command->add_option("interface", reset->interface, "Only the rule for this interface");
    reset_command->callback([reset, &exit_code] {
        report([&]() -> Result<void> {
            std::optional<kernel::ProgramId> program;
            std::optional<kernel::InterfaceHash> interface;
            if (!reset->program.empty())
                program = TRY(parse_program(reset->program));
            if (!reset->interface.empty())
                interface = TRY(handlers::parse_interface(reset->interface));
            size_t removed = TRY(reset_permissions(program, interface));
            fmt::print("removed {} rule(s)\n", removed);
            return {};
        }(), exit_code);
    });
}

} // namespace hashos::cli
