// Calling one export of a module with the engine alone (cli/invoke.cpp), for `hashos run --invoke`.
#pragma once

#include "base/result.h"

#include <string>
#include <vector>

namespace hashos::cli {

// Runs the module at `path` (which may import nothing), calls `export_name` with `arguments`
// parsed by its parameter types, and prints `NAME(ARGS) = RESULTS` on stdout.
Result<void> invoke_export(const std::string& path, const std::string& export_name, const std::vector<std::string>& arguments);

} // namespace hashos::cli
