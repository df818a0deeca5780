// The "spectest" host module that the spec scripts import from: print functions, four constant
// globals, a table and a memory.
// https://github.com/WebAssembly/spec/blob/wg-2.0/interpreter/host/spectest.ml
#pragma once

#include "engine/store.h"

#include <map>
#include <string>

namespace hashos::spec {

// Export name → extern, all created in `store`. The print functions print nothing: scripts only
// call them for their type.
std::map<std::string, wasm::Extern> create_spectest_externs(wasm::Store& store);

} // namespace hashos::spec
