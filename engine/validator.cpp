// validate(): the module-level rules (index spaces, limits, imports, exports, segments, constant
// expressions, the start function), then each function body through validate_function().
// https://webassembly.github.io/spec/core/valid/modules.html
#include "engine/validator.h"
#include "engine/validator_context.h"

#include <string>
#include <string_view>
#include <unordered_set>

namespace hashos::wasm {

using validation::Context;
using validation::with_index;

namespace {

// Appends where an error was found to its spec message, keeping the message first.
Error located(const Error& error, std::string_view where, size_t index)
{
    return Error(error.message() + " (" + std::string(where) + " " + std::to_string(index) + ")");
}

// Not from the spec's 2.0 core: v128 belongs to SIMD, which hashos does not implement yet; the
// decoder accepts the type so that this says why such a module is refused.
Result<void> check_value_type(ValType type)
{
    if (type == ValType::V128)
        return Error("SIMD (v128) is not supported");
    return {};
}

Result<void> check_types(std::span<const ValType> types)
{
    for (ValType type : types)
        TRY(check_value_type(type));
    return {};
}

// https://webassembly.github.io/spec/core/valid/types.html#limits
Result<void> check_limits(const Limits& limits, uint64_t bound, std::string_view too_large)
{
    if (limits.min > bound)
        return Error(std::string(too_large));
    if (limits.max) {
        if (*limits.max > bound)
            return Error(std::string(too_large));
        if (limits.min > *limits.max)
            return Error("size minimum must not be greater than maximum");
    }
    return {};
}

// https://webassembly.github.io/spec/core/valid/types.html#table-types
Result<void> check_table_type(const TableType& table)
{
    if (!is_reference(table.element))
        return Error("type mismatch");
    return check_limits(table.limits, 0xFFFF'FFFFu, "table size must be at most 2^32-1");
}

// https://webassembly.github.io/spec/core/valid/types.html#memory-types
Result<void> check_memory_type(const MemoryType& memory)
{
    return check_limits(memory.limits, k_max_pages, "memory size must be at most 65536 pages (4GiB)");
}

// https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
// In 2.0 a constant expression may read only imported globals (the context C' of the module
// rule), and only immutable ones. It never pops, so it is valid when exactly one instruction
// pushes a value of the expected type.
Result<void> check_constant(const Context& context, const ConstantExpression& expression, ValType expected)
{
    const auto& instructions = expression.instructions;
    uint64_t pushed = 0;
    ValType type = expected;
    for (size_t i = 0; i < instructions.size(); ++i) {
        const Instruction& instruction = instructions[i];
        switch (instruction.op) {
        case Opcode::I32Const:
            type = ValType::I32;
            break;
        case Opcode::I64Const:
            type = ValType::I64;
            break;
        case Opcode::F32Const:
            type = ValType::F32;
            break;
        case Opcode::F64Const:
            type = ValType::F64;
            break;
        case Opcode::RefNull:
            type = instruction.ref_type;
            break;
        case Opcode::RefFunc:
            if (instruction.index >= context.function_count())
                return with_index("unknown function", instruction.index);
            type = ValType::FuncRef;
            break;
        case Opcode::GlobalGet: {
            if (instruction.index >= context.module->imported_globals)
                return with_index("unknown global", instruction.index);
            const GlobalType& global = context.globals[instruction.index];
            if (global.mutability != Mutability::Const)
                return Error("constant expression required");
            type = global.type;
            break;
        }
        case Opcode::End:
            if (i + 1 != instructions.size())
                return Error("constant expression required");
            continue;
        default:
            return Error("constant expression required");
        }
        ++pushed;
    }
    if (pushed != 1 || type != expected)
        return Error("type mismatch");
    return {};
}

// C.refs: every ref.func outside function bodies, plus every exported function.
// https://webassembly.github.io/spec/core/valid/conventions.html#context (refs)
void collect_declared_functions(const Module& module, Context& context)
{
    context.declared_functions.assign(context.function_count(), false);
    auto declare = [&](const ConstantExpression& expression) {
        for (const Instruction& instruction : expression.instructions) {
            if (instruction.op == Opcode::RefFunc && instruction.index < context.function_count())
                context.declared_functions[instruction.index] = true;
        }
    };
    for (const Global& global : module.globals)
        declare(global.init);
    for (const ElementSegment& segment : module.elements) {
        declare(segment.offset);
        for (const ConstantExpression& item : segment.items)
            declare(item);
    }
    for (const DataSegment& segment : module.datas)
        declare(segment.offset);
    for (const Export& entry : module.exports) {
        if (entry.kind == ExternKind::Function && entry.index < context.function_count())
            context.declared_functions[entry.index] = true;
    }
}

Result<void> validate_imports(const Module& module, Context& context)
{
    for (size_t i = 0; i < module.imports.size(); ++i) {
        const Import& import = module.imports[i];
        Result<void> result;
        switch (import.kind) {
        case ExternKind::Function:
            if (import.type_index >= module.types.size())
                result = with_index("unknown type", import.type_index);
            context.function_type_indices.push_back(import.type_index);
            break;
        case ExternKind::Table:
            result = check_table_type(import.table);
            context.tables.push_back(import.table);
            break;
        case ExternKind::Memory:
            result = check_memory_type(import.memory);
            ++context.memory_count;
            break;
        case ExternKind::Global:
            result = check_value_type(import.global.type);
            context.globals.push_back(import.global);
            break;
        }
        if (result.is_error())
            return located(result.error(), "import", i);
    }
    // Not from the spec: later stages index with the decoder's per-kind import counts, so they
    // must agree with the import list.
    if (context.function_type_indices.size() != module.imported_functions
        || context.tables.size() != module.imported_tables || context.memory_count != module.imported_memories
        || context.globals.size() != module.imported_globals)
        return Error("import counts do not match the import section");
    return {};
}

Result<void> validate_definitions(const Module& module, Context& context)
{
    for (size_t i = 0; i < module.types.size(); ++i) {
        auto result = check_types(module.types[i].params);
        if (!result.is_error())
            result = check_types(module.types[i].results);
        if (result.is_error())
            return located(result.error(), "type", i);
    }
    TRY(validate_imports(module, context));
    for (size_t i = 0; i < module.functions.size(); ++i) {
        if (module.functions[i] >= module.types.size())
            return located(with_index("unknown type", module.functions[i]), "function", module.imported_functions + i);
        context.function_type_indices.push_back(module.functions[i]);
    }
    if (module.code.size() != module.functions.size())
        return Error("function and code section have inconsistent lengths");
    for (size_t i = 0; i < module.tables.size(); ++i) {
        auto result = check_table_type(module.tables[i]);
        if (result.is_error())
            return located(result.error(), "table", module.imported_tables + i);
        context.tables.push_back(module.tables[i]);
    }
    for (size_t i = 0; i < module.memories.size(); ++i) {
        auto result = check_memory_type(module.memories[i]);
        if (result.is_error())
            return located(result.error(), "memory", module.imported_memories + i);
        ++context.memory_count;
    }
    // Multiple memories is a later proposal; 2.0 allows one, imported or defined.
    if (context.memory_count > 1)
        return Error("multiple memories");
    collect_declared_functions(module, context);
    for (size_t i = 0; i < module.globals.size(); ++i) {
        const Global& global = module.globals[i];
        auto result = check_value_type(global.type.type);
        if (!result.is_error())
            result = check_constant(context, global.init, global.type.type);
        if (result.is_error())
            return located(result.error(), "global", module.imported_globals + i);
        context.globals.push_back(global.type);
    }
    return {};
}

// https://webassembly.github.io/spec/core/valid/modules.html#element-segments
Result<void> validate_element(const Context& context, const ElementSegment& segment)
{
    if (!is_reference(segment.type))
        return Error("type mismatch");
    for (const ConstantExpression& item : segment.items)
        TRY(check_constant(context, item, segment.type));
    if (segment.mode == ElementSegment::Mode::Active) {
        if (segment.table_index >= context.tables.size())
            return with_index("unknown table", segment.table_index);
        TRY(check_constant(context, segment.offset, ValType::I32));
        if (context.tables[segment.table_index].element != segment.type)
            return Error("type mismatch");
    }
    return {};
}

// https://webassembly.github.io/spec/core/valid/modules.html#data-segments
Result<void> validate_data(const Context& context, const DataSegment& segment)
{
    if (segment.mode == DataSegment::Mode::Active) {
        if (segment.memory_index >= context.memory_count)
            return with_index("unknown memory", segment.memory_index);
        TRY(check_constant(context, segment.offset, ValType::I32));
    }
    return {};
}

Result<void> validate_segments(const Module& module, Context& context)
{
    for (size_t i = 0; i < module.elements.size(); ++i) {
        auto result = validate_element(context, module.elements[i]);
        if (result.is_error())
            return located(result.error(), "element segment", i);
        context.element_types.push_back(module.elements[i].type);
    }
    for (size_t i = 0; i < module.datas.size(); ++i) {
        auto result = validate_data(context, module.datas[i]);
        if (result.is_error())
            return located(result.error(), "data segment", i);
    }
    context.data_count = module.data_count;
    return {};
}

// https://webassembly.github.io/spec/core/valid/modules.html#exports
Result<void> validate_exports(const Module& module, const Context& context)
{
    std::unordered_set<std::string_view> names;
    names.reserve(module.exports.size());
    for (size_t i = 0; i < module.exports.size(); ++i) {
        const Export& entry = module.exports[i];
        Result<void> result;
        switch (entry.kind) {
        case ExternKind::Function:
            if (entry.index >= context.function_count())
                result = with_index("unknown function", entry.index);
            break;
        case ExternKind::Table:
            if (entry.index >= context.tables.size())
                result = with_index("unknown table", entry.index);
            break;
        case ExternKind::Memory:
            if (entry.index >= context.memory_count)
                result = with_index("unknown memory", entry.index);
            break;
        case ExternKind::Global:
            if (entry.index >= context.globals.size())
                result = with_index("unknown global", entry.index);
            break;
        }
        if (!result.is_error() && !names.insert(entry.name).second)
            result = Error("duplicate export name \"" + entry.name + "\"");
        if (result.is_error())
            return located(result.error(), "export", i);
    }
    return {};
}

// https://webassembly.github.io/spec/core/valid/modules.html#start-function
Result<void> validate_start(const Module& module, const Context& context)
{
    if (!module.start)
        return {};
    uint32_t index = *module.start;
    if (index >= context.function_count())
        return with_index("unknown function", index);
    const FuncType& type = context.function_type(index);
    if (!type.params.empty() || !type.results.empty())
        return Error("start function must have type [] -> [] (function " + std::to_string(index) + ")");
    return {};
}

} // namespace

const FuncType& ValidModule::function_type(uint32_t index) const
{
    return m_module->types[m_function_type_indices[index]];
}

Result<ValidModule> validate(Module module)
{
    Context context;
    context.module = &module;
    TRY(validate_definitions(module, context));
    TRY(validate_segments(module, context));
    TRY(validate_start(module, context));
    TRY(validate_exports(module, context));

    ValidModule valid;
    valid.m_function_facts.reserve(module.code.size());
    validation::Scratch scratch;
    for (size_t i = 0; i < module.code.size(); ++i) {
        uint32_t function_index = module.imported_functions + uint32_t(i);
        uint32_t max_stack_height = TRY(validation::validate_function(context, function_index, module.code[i], scratch));
        valid.m_function_facts.push_back({ max_stack_height });
    }
    valid.m_function_type_indices = std::move(context.function_type_indices);
    valid.m_module = std::make_shared<const Module>(std::move(module));
    return valid;
}

} // namespace hashos::wasm
