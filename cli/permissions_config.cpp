#include "cli/permissions_config.h"

#include "cli/data_dir.h"
#include "handlers/known_interfaces.h"
#include "store/atomic_file.h"
#include "store/file_lock.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hashos::cli {

namespace {

std::string where(const std::string& source, const toml::node& node)
{
    return source + ":" + std::to_string(node.source().begin.line);
}

std::string hex(const kernel::InterfaceHash& hash)
{
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string text;
    for (uint8_t byte : hash.bytes()) {
        text += k_digits[byte >> 4];
        text += k_digits[byte & 15];
    }
    return text;
}

// Edits of the file are serialised by this lock, held from reading to writing.
Result<store::FileLock> lock_permissions()
{
    auto directory = TRY(data_dir());
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error("cannot create " + directory.string() + ": " + error.message());
    return store::FileLock::acquire(directory / "permissions.lock", store::LockMode::Exclusive);
}

Result<void> write_permissions(const std::vector<PermissionRule>& rules)
{
    auto text = format_permissions(rules);
    return store::write_file_atomically(TRY(permissions_path()),
        { reinterpret_cast<const uint8_t*>(text.data()), text.size() }, store::FileAccess::ReadWrite);
}

} // namespace

Result<kernel::Decision> parse_decision(std::string_view text)
{
    if (text == "allow")
        return kernel::Decision::Allow;
    if (text == "deny")
        return kernel::Decision::Deny;
    if (text == "ask")
        return kernel::Decision::Ask;
    return Error("'" + std::string(text) + "' is not a permission: allow, deny or ask");
}

std::string_view name(kernel::Decision decision)
{
    switch (decision) {
    case kernel::Decision::Allow:
        return "allow";
    case kernel::Decision::Deny:
        return "deny";
    case kernel::Decision::Ask:
        return "ask";
    }
    return "ask";
}

Result<std::filesystem::path> permissions_path() { return TRY(data_dir()) / "permissions.toml"; }

Result<std::vector<PermissionRule>> parse_permissions(std::string_view text, const std::string& source)
{
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& error) {
        // toml++ reports parse errors only by exception; they stop here and become a value.
        return Error(source + ":" + std::to_string(error.source().begin.line) + ": " + std::string(error.description()));
    }
    std::vector<PermissionRule> rules;
    for (auto const& [key, node] : table) {
        if (key != "permissions" || !node.is_table())
            return Error(where(source, node) + ": unknown key " + std::string(key.str()) + " (known: [permissions.\"CID\"])");
        for (auto const& [program, programs_node] : *node.as_table()) {
            auto const* interfaces = programs_node.as_table();
            if (!interfaces)
                return Error(where(source, programs_node) + ": permissions.\"" + std::string(program.str()) + "\" must be a table of INTERFACE = \"allow\"|\"deny\"|\"ask\"");
            for (auto const& [interface, decision_node] : *interfaces) {
                auto hash = handlers::parse_interface(interface.str());
                if (hash.is_error())
                    return Error(where(source, decision_node) + ": " + hash.error().message());
                auto decision_text = decision_node.value<std::string>();
                if (!decision_text)
                    return Error(where(source, decision_node) + ": a permission must be \"allow\", \"deny\" or \"ask\"");
                auto decision = parse_decision(*decision_text);
                if (decision.is_error())
                    return Error(where(source, decision_node) + ": " + decision.error().message());
                rules.push_back({ kernel::ProgramId(std::string(program.str())), hash.value(), decision.value() });
            }
        }
    }
    return rules;
}

std::string format_permissions(const std::vector<PermissionRule>& rules)
{
    // Written by hand rather than by toml++, so that the file keeps its order and its header.
    std::string text = "# hashos permissions: written by `hashos perms` and by \"always\" answers (docs/config.md).\n";
    std::vector<PermissionRule> sorted = rules;
    std::stable_sort(sorted.begin(), sorted.end(), [](auto const& a, auto const& b) { return a.program < b.program; });
    const kernel::ProgramId* current = nullptr;
    for (auto const& rule : sorted) {
        if (!current || *current != rule.program) {
            current = &rule.program;
            // A CID is base32 or base58: no character of it needs escaping in a TOML string.
            text += "\n[permissions.\"" + rule.program.text() + "\"]\n";
        }
        text += "\"" + hex(rule.interface) + "\" = \"" + std::string(name(rule.decision)) + "\"";
        if (auto const* known = handlers::find_known_interface(rule.interface))
            text += " # " + std::string(known->name);
        text += "\n";
    }
    return text;
}

Result<std::vector<PermissionRule>> load_permissions()
{
    auto path = TRY(permissions_path());
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::error_code error;
        if (!std::filesystem::exists(path, error) && !error)
            return std::vector<PermissionRule> {};
        return Error("cannot read " + path.string());
    }
    std::stringstream text;
    text << file.rdbuf();
    return parse_permissions(text.str(), path.string());
}

Result<void> save_permission(const PermissionRule& rule)
{
    auto lock = TRY(lock_permissions());
    auto rules = TRY(load_permissions());
    std::erase_if(rules, [&](auto const& old) { return old.program == rule.program && old.interface == rule.interface; });
    rules.push_back(rule);
    return write_permissions(rules);
}

Result<size_t> reset_permissions(const std::optional<kernel::ProgramId>& program, const std::optional<kernel::InterfaceHash>& interface)
{
    auto lock = TRY(lock_permissions());
    auto rules = TRY(load_permissions());
    size_t removed = std::erase_if(rules, [&](auto const& rule) {
        return (!program || rule.program == *program) && (!interface || rule.interface == *interface);
    });
    if (removed)
        TRY(write_permissions(rules));
    return removed;
}

} // namespace hashos::cli
