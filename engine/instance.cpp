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

Result<void> Instance::compile(const CompiledFunction& function)
{
    if (function.is_compiled())
        return {};
    CompiledFunction& out = *m_code[function.defined_index];
    CompileContext context { *m_module, this, m_functions, m_code_by_index, m_tables, m_memories, m_globals, m_type_ids, m_metering };
    if (auto compiled = compile_function(context, function.defined_index, out); compiled.is_error())
        return Error("function " + std::to_string(m_module->module().imported_functions + function.defined_index)
            + ": " + compiled.error().message());
    return {};
}

bool Instance::is_compiled(uint32_t index) const
{
    if (index >= m_functions.size() || m_functions[index]->instance() != this)
        return false;
    return m_functions[index]->m_code->is_compiled();
}

Result<void> Instance::compile_all()
{
    for (const auto& function : m_code)
        TRY(compile(*function));
    return {};
}

Function* Instance::start_function() const
{
    const auto& start = m_module->module().start;
    return start ? m_functions[*start] : nullptr;
}

} // namespace hashos::wasm
