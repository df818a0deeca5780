// The user's permission rules (DESIGN.md, "Permissions"): which program (by CID) may use which
// interface — allow, deny or ask. Kept in `<data dir>/permissions.toml`, a file hashos writes
// itself (`hashos perms set`, an "always" answer to a prompt), beside the hand-edited
// config.toml (cli/config.h) rather than inside it: rewriting config.toml would lose its
// comments, and its reader refuses keys it does not know. docs/config.md describes the format:
//
//     [permissions."bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"]
//     "c0c2d43776d9c817258706899481fbc8de71ff204815539f5a9701fb78ab34f7" = "deny"
//     tcp = "allow"    # a shipped interface may be named
//
// Changes are made under a lock file and written atomically, so two hashos processes answering
// "always" at once both keep their rule.
#pragma once

#include "base/result.h"
#include "kernel/permissions.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::cli {

struct PermissionRule {
    kernel::ProgramId program;
    kernel::InterfaceHash interface;
    kernel::Decision decision = kernel::Decision::Ask;
};

Result<kernel::Decision> parse_decision(std::string_view text);
std::string_view name(kernel::Decision decision);

Result<std::filesystem::path> permissions_path();
// The rules of permissions_path(); none when there is no such file.
Result<std::vector<PermissionRule>> load_permissions();
// Parses the text of a permissions file; `source` names it in error messages.
Result<std::vector<PermissionRule>> parse_permissions(std::string_view text, const std::string& source);
std::string format_permissions(const std::vector<PermissionRule>& rules);

// Sets (replacing) one rule in the file.
Result<void> save_permission(const PermissionRule& rule);
// Removes the rules of `program` (every program when nullopt) for `interface` (every interface
// when nullopt); returns how many went.
Result<size_t> reset_permissions(const std::optional<kernel::ProgramId>& program,
    const std::optional<kernel::InterfaceHash>& interface);

} // namespace hashos::cli
