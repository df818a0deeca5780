#include "tests/spec/registry.h"

namespace hashos::spec {

using namespace hashos::wasm;

void Registry::add(const std::string& module_name, std::map<std::string, Extern> externs)
{
    m_failed.erase(module_name);
    m_modules[module_name] = std::move(externs);
}

void Registry::add_instance(const std::string& module_name, const Instance& instance)
{
    std::map<std::string, Extern> externs;
    for (auto& export_ : instance.module().module().exports) {
        if (auto found = instance.find_export(export_.name))
            externs[export_.name] = *found;
    }
    add(module_name, std::move(externs));
}

void Registry::add_failed(const std::string& module_name, std::string reason)
{
    m_modules.erase(module_name);
    m_failed[module_name] = std::move(reason);
}

Result<std::vector<Extern>> Registry::resolve_imports(const Module& module) const
{
    std::vector<Extern> externs;
    externs.reserve(module.imports.size());
    for (auto& import : module.imports) {
        auto quoted = "\"" + import.module + "\" \"" + import.name + "\"";
        auto found_module = m_modules.find(import.module);
        if (found_module == m_modules.end()) {
            if (auto failed = m_failed.find(import.module); failed != m_failed.end())
                return Error("unknown import " + quoted + " (its module failed: " + failed->second + ")");
            return Error("unknown import " + quoted);
        }
        auto found = found_module->second.find(import.name);
        if (found == found_module->second.end())
            return Error("unknown import " + quoted);
        externs.push_back(found->second);
    }
    return externs;
}

} // namespace hashos::spec
