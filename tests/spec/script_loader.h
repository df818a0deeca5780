// Reading a wast2json JSON script into a Script. This file and value_parsing.cpp are the only
// places that see JSON; nlohmann's exceptions stop here and become Errors.
#pragma once

#include "base/result.h"
#include "tests/spec/script.h"

#include <filesystem>

namespace hashos::spec {

Result<Script> load_script(const std::filesystem::path& json_path);

} // namespace hashos::spec
