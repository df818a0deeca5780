#include "engine/instance.h"

#include "engine/compiler.h"

namespace hashos::wasm {

std::optional<Extern> Instance::find_export(std::string_view name) const
{
    for (const Export& entry : m_module->module().exports) {
        if (entry.name != name)
            continue;
        switch (entry.kind) {
        case ExternKind::Function: return Extern::from(m_functions[entry.index]);
        case ExternKind::Table: return Extern::from(m_tables[entry.index]);
        case ExternKind::Memory: return Extern::from(m_memories[entry.index]);
        case ExternKind::Global: return Extern::from(m_globals[entry.index]);
        }
    }
    return std::nullopt;
}

Function* Instance::start_function() const
{
    const auto& start = m_module->module().start;
    return start ? m_functions[*start] : nullptr;
}

} // namespace hashos::wasm
