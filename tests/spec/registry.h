// The names a script's modules import from: "spectest" and every module `register`ed under a
// name. Resolving a module's imports here is the "unknown import" check; whether a found extern
// has the right type is the Store's check at instantiation ("incompatible import type").
#pragma once

#include "base/result.h"
#include "engine/instance.h"

#include <map>
#include <string>
#include <vector>

namespace hashos::spec {

class Registry {
public:
    void add(const std::string& module_name, std::map<std::string, wasm::Extern> externs);
    void add_instance(const std::string& module_name, const wasm::Instance& instance);
    // Remembers that a failed module was registered under `module_name`, so that an import
    // from it reports that failure instead of a bare "unknown import".
    void add_failed(const std::string& module_name, std::string reason);

    // The externs for the module's imports, in import order.
    Result<std::vector<wasm::Extern>> resolve_imports(const wasm::Module& module) const;

private:
    std::map<std::string, std::map<std::string, wasm::Extern>> m_modules;
    std::map<std::string, std::string> m_failed;
};

} // namespace hashos::spec
