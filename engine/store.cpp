// The Store and module instantiation.
// https://webassembly.github.io/spec/core/exec/modules.html#instantiation
#include "engine/store.h"

#include "engine/compiler.h"
#include "engine/instance.h"

#include <cstring>

namespace hashos::wasm {

namespace {

// https://webassembly.github.io/spec/core/valid/types.html#match-limits
bool limits_match(const Limits& actual, const Limits& expected)
{
    if (actual.min < expected.min)
        return false;
    if (!expected.max)
        return true;
    return actual.max && *actual.max <= *expected.max;
}

// https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
// Validation proved the expression constant and well-typed, so it pushes exactly one value.
Result<Value> evaluate_constant(const Instance& instance, const ConstantExpression& expression)
{
    Value value;
    for (const Instruction& instruction : expression.instructions) {
        switch (instruction.op) {
        case Opcode::I32Const: value = Value::from_i32(instruction.i32); break;
        case Opcode::I64Const: value = Value::from_i64(instruction.i64); break;
        case Opcode::F32Const: value = Value::from_f32_bits(instruction.f32_bits); break;
        case Opcode::F64Const: value = Value::from_f64_bits(instruction.f64_bits); break;
        case Opcode::RefNull: value = Value::null_ref(); break;
        case Opcode::RefFunc: value = Value::from_function(instance.function(instruction.index)); break;
        case Opcode::GlobalGet: value = instance.global(instruction.index)->value(); break;
        case Opcode::End: return value;
        default: return Error("constant expression: unsupported instruction " + std::string(name(instruction.op)));
        }
    }
    return value;
}

} // namespace

Store::Store() = default;
Store::~Store() = default;

uint32_t Store::intern_type(const FuncType& type)
{
    std::string key;
    key.reserve(type.params.size() + type.results.size() + 1);
    for (ValType param : type.params)
        key.push_back(char(param));
    key.push_back('>');
    for (ValType result : type.results)
        key.push_back(char(result));
    auto [it, inserted] = m_type_ids.try_emplace(std::move(key), uint32_t(m_type_ids.size()));
    return it->second;
}

Function* Store::create_host_function(FuncType type, HostCallback callback)
{
    auto function = std::make_unique<Function>();
    function->m_type_id = intern_type(type);
    function->m_type = std::move(type);
    function->m_host = std::move(callback);
    m_functions.push_back(std::move(function));
    return m_functions.back().get();
}

GlobalInstance* Store::create_global(GlobalType type, Value value)
{
    auto global = std::make_unique<GlobalInstance>();
    global->m_type = type;
    global->m_value = value;
    m_globals.push_back(std::move(global));
    return m_globals.back().get();
}

// https://webassembly.github.io/spec/core/exec/modules.html#import-subtyping
Result<void> Store::check_import(const Module& module, const Import& import, const Extern& value) const
{
    auto incompatible = [&](std::string_view why) {
        return Error("incompatible import type: " + import.module + "." + import.name + ": " + std::string(why));
    };
    if (value.kind != import.kind || value.function == nullptr)
        return incompatible("expected a " + std::string(name(import.kind)));
    switch (import.kind) {
    case ExternKind::Function:
        if (value.function->type() != module.types[import.type_index])
            return incompatible("function type differs");
        return {};
    case ExternKind::Table: {
        const Table& table = *value.table;
        if (table.type().element != import.table.element)
            return incompatible("element type differs");
        if (!limits_match({ table.size(), table.type().limits.max }, import.table.limits))
            return incompatible("table limits do not match");
        return {};
    }
    case ExternKind::Memory: {
        const Memory& memory = *value.memory;
        if (!limits_match({ memory.size_in_pages(), memory.type().limits.max }, import.memory.limits))
            return incompatible("memory limits do not match");
        // Threads proposal: shared and unshared memories never match each other.
        if (memory.type().shared != import.memory.shared)
            return incompatible(import.memory.shared ? "expected a shared memory" : "expected an unshared memory");
        return {};
    }
    case ExternKind::Global:
        if (!(value.global->type() == import.global))
            return incompatible("global type differs");
        return {};
    }
    return incompatible("unknown kind");
}

Result<Instance*> Store::instantiate(const ValidModule& valid, std::span<const Extern> imports)
{
    const Module& module = valid.module();
    if (imports.size() != module.imports.size())
        return Error("incompatible import type: the module has " + std::to_string(module.imports.size()) + " imports, "
            + std::to_string(imports.size()) + " given");
    for (size_t i = 0; i < imports.size(); ++i)
        TRY(check_import(module, module.imports[i], imports[i]));

    // The instance joins the store at once: if a segment fails below, tables and memories it
    // already wrote (possibly imported ones) may hold references into it.
    m_instances.push_back(std::unique_ptr<Instance>(new Instance));
    Instance& instance = *m_instances.back();
    instance.m_module = std::make_shared<const ValidModule>(valid);

    for (const Extern& value : imports) {
        switch (value.kind) {
        case ExternKind::Function: instance.m_functions.push_back(value.function); break;
        case ExternKind::Table: instance.m_tables.push_back(value.table); break;
        case ExternKind::Memory: instance.m_memories.push_back(value.memory); break;
        case ExternKind::Global: instance.m_globals.push_back(value.global); break;
        }
    }

    std::vector<uint32_t> type_ids;
    type_ids.reserve(module.types.size());
    for (const FuncType& type : module.types)
        type_ids.push_back(intern_type(type));

    instance.m_code.reserve(module.functions.size());
    for (size_t i = 0; i < module.functions.size(); ++i) {
        auto function = std::make_unique<Function>();
        function->m_type = module.types[module.functions[i]];
        function->m_type_id = type_ids[module.functions[i]];
        function->m_instance = &instance;
        function->m_index_in_module = module.imported_functions + uint32_t(i);
        auto code = std::make_unique<CompiledFunction>();
        code->instance = &instance;
        code->function = function.get();
        code->defined_index = uint32_t(i);
        function->m_code = code.get();
        instance.m_code.push_back(std::move(code));
        instance.m_functions.push_back(function.get());
        m_functions.push_back(std::move(function));
    }
    for (const TableType& type : module.tables)
        instance.m_tables.push_back(TRY(create_table(type)));
    for (const MemoryType& type : module.memories)
        instance.m_memories.push_back(TRY(create_memory(type)));
    if (!instance.m_memories.empty())
        instance.m_memory0 = instance.m_memories[0];
    for (const Global& global : module.globals) {
        Value value = TRY(evaluate_constant(instance, global.init));
        instance.m_globals.push_back(create_global(global.type, value));
    }

    // Nothing is compiled here: each function compiles on its first call (Instance::compile).
    instance.m_code_by_index.reserve(instance.m_functions.size());
    for (Function* function : instance.m_functions)
        instance.m_code_by_index.push_back(function->m_code);
    instance.m_type_ids = std::move(type_ids);
    instance.m_metering = m_fuel_metering;

    // https://webassembly.github.io/spec/core/exec/modules.html#instantiation, steps 14 to 16:
    // element items are evaluated first, then active segments are copied and dropped in order,
    // then active data segments. A failure keeps earlier writes (2.0 semantics).
    instance.m_element_segments.resize(module.elements.size());
    for (size_t i = 0; i < module.elements.size(); ++i) {
        auto& values = instance.m_element_segments[i];
        values.reserve(module.elements[i].items.size());
        for (const ConstantExpression& item : module.elements[i].items)
            values.push_back(TRY(evaluate_constant(instance, item)));
    }
    for (size_t i = 0; i < module.elements.size(); ++i) {
        const ElementSegment& segment = module.elements[i];
        auto& values = instance.m_element_segments[i];
        if (segment.mode == ElementSegment::Mode::Active) {
            uint32_t offset = TRY(evaluate_constant(instance, segment.offset)).u32();
            Table& table = *instance.m_tables[segment.table_index];
            if (uint64_t(offset) + values.size() > table.size())
                return Error("out of bounds table access: element segment " + std::to_string(i) + " at " + std::to_string(offset) + "+"
                    + std::to_string(values.size()) + " > " + std::to_string(table.size()));
            std::copy(values.begin(), values.end(), table.elements().begin() + offset);
        }
        if (segment.mode != ElementSegment::Mode::Passive) {
            values.clear();
            values.shrink_to_fit();
        }
    }

    instance.m_dropped_datas.assign(module.datas.size(), false);
    for (size_t i = 0; i < module.datas.size(); ++i) {
        const DataSegment& segment = module.datas[i];
        if (segment.mode != DataSegment::Mode::Active)
            continue;
        uint32_t offset = TRY(evaluate_constant(instance, segment.offset)).u32();
        Memory& memory = *instance.m_memories[segment.memory_index];
        if (uint64_t(offset) + segment.bytes.size() > memory.size_in_bytes())
            return Error("out of bounds memory access: data segment " + std::to_string(i) + " at " + std::to_string(offset) + "+"
                + std::to_string(segment.bytes.size()) + " > " + std::to_string(memory.size_in_bytes()));
        if (!segment.bytes.empty())
            std::memcpy(memory.data() + offset, segment.bytes.data(), segment.bytes.size());
        instance.m_dropped_datas[i] = true;
    }
    return &instance;
}

} // namespace hashos::wasm
