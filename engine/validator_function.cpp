// FunctionValidator: type-checks one function body with the operand stack and control stack of
// the spec's validation algorithm, and measures the deepest operand stack the body reaches.
// https://webassembly.github.io/spec/core/appendix/algorithm.html
// https://webassembly.github.io/spec/core/valid/instructions.html
#include "engine/validator_context.h"

#include <algorithm>
#include <array>
#include <string>

namespace hashos::wasm::validation {

namespace {

// The spec algorithm's Unknown: the type of an operand popped from the polymorphic stack after
// an unconditional branch. 0x00 is no value type's encoding.
constexpr ValType k_unknown = static_cast<ValType>(0x00);

// One entry per byte value, entry i being ValType(i): a one-value block type can then be viewed
// as a one-element span of this table, like the spans that point into module.types.
constexpr std::array<ValType, 128> build_value_type_table()
{
    std::array<ValType, 128> table {};
    for (size_t i = 0; i < table.size(); ++i)
        table[i] = static_cast<ValType>(i);
    return table;
}
constexpr std::array<ValType, 128> k_value_types = build_value_type_table();

bool same_types(TypeList a, TypeList b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

ValType value_type_from_letter(char letter)
{
    switch (letter) {
    case 'i':
        return ValType::I32;
    case 'l':
        return ValType::I64;
    case 'f':
        return ValType::F32;
    default:
        return ValType::F64;
    }
}

bool is_numeric_or_unknown(ValType type)
{
    return type == k_unknown || type == ValType::I32 || type == ValType::I64 || type == ValType::F32
        || type == ValType::F64;
}

// The stack effect of an instruction typed entirely by its row of engine/opcodes.def, decoded
// from the row's letters once, at compile time.
struct SimpleSignature {
    bool simple = false; // typed by its row, immediates (a constant, a memarg) aside
    bool memory = false; // a load or store (not atomic): needs a memory and a natural alignment
    uint8_t width = 0;   // bytes accessed, for the alignment check
    uint8_t pop_count = 0;
    uint8_t push_count = 0;
    std::array<ValType, 3> pops {}; // in push order
    ValType push {};
};

constexpr ValType letter_type(char letter)
{
    return letter == 'i' ? ValType::I32 : letter == 'l' ? ValType::I64 : letter == 'f' ? ValType::F32 : ValType::F64;
}

constexpr std::array<SimpleSignature, size_t(Opcode::Count)> build_simple_signatures()
{
    std::array<SimpleSignature, size_t(Opcode::Count)> table {};
    for (size_t i = 0; i < table.size(); ++i) {
        const OpcodeInfo& row = k_opcode_info[i];
        bool memory = row.immediate == ImmediateKind::MemArg && row.prefix == 0;
        bool constant = row.immediate == ImmediateKind::I32 || row.immediate == ImmediateKind::I64
            || row.immediate == ImmediateKind::F32 || row.immediate == ImmediateKind::F64;
        if (row.params == "*" || (row.immediate != ImmediateKind::None && !memory && !constant) || row.params.size() > 3
            || row.results.size() > 1)
            continue;
        SimpleSignature& signature = table[i];
        signature.simple = true;
        signature.memory = memory;
        signature.width = row.width;
        signature.pop_count = uint8_t(row.params.size());
        for (size_t k = 0; k < row.params.size(); ++k)
            signature.pops[k] = letter_type(row.params[k]);
        signature.push_count = uint8_t(row.results.size());
        if (!row.results.empty())
            signature.push = letter_type(row.results[0]);
    }
    return table;
}
constexpr std::array<SimpleSignature, size_t(Opcode::Count)> k_simple_signatures = build_simple_signatures();

// The operand stack of types, over a buffer kept from function to function (Scratch). Not a
// std::vector: g++ does not inline vector::push_back (its growth path makes it large), and a push
// is the validator's most common step; here growth is out of line, so a push is a compare and a
// store.
class TypeStack {
public:
    size_t size() const { return m_size; }
    const ValType* data() const { return m_storage.data(); }
    ValType back() const { return m_storage[m_size - 1]; }
    ValType operator[](size_t index) const { return m_storage[index]; }
    void push_back(ValType type)
    {
        if (m_size == m_storage.size()) [[unlikely]]
            grow();
        m_storage[m_size++] = type;
    }
    void pop_back() { --m_size; }
    void drop(size_t count) { m_size -= count; }
    // Only ever shrinks: the stack is cut back to a frame's height.
    void resize(size_t size) { m_size = std::min(m_size, size); }
    void clear() { m_size = 0; }
    std::vector<ValType>& storage() { return m_storage; }

private:
    [[gnu::noinline]] void grow() { m_storage.resize(std::max<size_t>(64, m_storage.size() * 2)); }
    std::vector<ValType> m_storage; // its size is the stack's capacity
    size_t m_size = 0;
};

class FunctionValidator {
public:
    FunctionValidator(const Context& context, uint32_t function_index, const FunctionBody& body, Scratch& scratch)
        : m_function_index(function_index)
        , m_context(context)
        , m_module(*context.module)
        , m_body(body)
        , m_type(context.function_type(function_index))
        , m_scratch(scratch)
    {
        // The stacks are the validator's own members while it runs (one indirection less on
        // every push and pop), borrowed from the caller's scratch and handed back at the end.
        m_values.storage().swap(scratch.values);
        m_controls.swap(scratch.controls);
        m_values.clear();
        m_controls.clear();
    }
    ~FunctionValidator()
    {
        m_values.storage().swap(m_scratch.values);
        m_controls.swap(m_scratch.controls);
    }
    FunctionValidator(const FunctionValidator&) = delete;
    FunctionValidator& operator=(const FunctionValidator&) = delete;

    Result<uint32_t> run();

private:
    Result<void> validate(const Instruction& instruction);
    Result<void> validate_simple(const Instruction& instruction);
    Result<void> validate_block(const Instruction& instruction);
    Result<void> validate_br_table(const Instruction& instruction);
    Result<void> validate_memory_access(const Instruction& instruction);

    void push(ValType type)
    {
        m_values.push_back(type);
        if (m_values.size() > m_max_height)
            m_max_height = m_values.size();
    }
    void push(TypeList types)
    {
        for (ValType type : types)
            push(type);
    }
    Result<ValType> pop()
    {
        const ControlFrame& frame = m_controls.back();
        if (m_values.size() == frame.height) {
            if (frame.unreachable)
                return k_unknown;
            return Error("type mismatch");
        }
        ValType type = m_values.back();
        m_values.pop_back();
        return type;
    }
    Result<ValType> pop(ValType expected)
    {
        ValType actual = TRY(pop());
        if (actual != expected && actual != k_unknown && expected != k_unknown)
            return Error("type mismatch");
        return actual;
    }
    Result<void> pop(TypeList types)
    {
        for (size_t i = types.size(); i-- > 0;)
            TRY(pop(types[i]));
        return {};
    }
    Result<ValType> pop_reference()
    {
        ValType actual = TRY(pop());
        if (actual != k_unknown && !is_reference(actual))
            return Error("type mismatch");
        return actual;
    }

    // table.copy, table.init, memory.copy, memory.init and memory.fill each take three i32s.
    Result<void> pop_three_i32s()
    {
        for (int i = 0; i < 3; ++i)
            TRY(pop(ValType::I32));
        return {};
    }

    void push_control(Opcode opcode, TypeList params, TypeList results)
    {
        m_controls.push_back({ opcode, params, results, uint32_t(m_values.size()), false, 0 });
        push(params);
    }
    Result<ControlFrame> pop_control()
    {
        ControlFrame frame = m_controls.back();
        TRY(pop(frame.results));
        if (m_values.size() != frame.height)
            return Error("type mismatch");
        m_controls.pop_back();
        return frame;
    }
    void mark_unreachable()
    {
        ControlFrame& frame = m_controls.back();
        m_values.resize(frame.height);
        frame.unreachable = true;
    }
    Result<ControlFrame*> label(uint32_t depth)
    {
        if (depth >= m_controls.size())
            return with_index("unknown label", depth);
        return &m_controls[m_controls.size() - 1 - depth];
    }

    Result<ValType> local_type(uint32_t index) const
    {
        if (index < m_type.params.size())
            return m_type.params[index];
        uint64_t declared = uint64_t(index) - m_type.params.size();
        if (declared < m_body.locals.size())
            return m_body.locals[declared];
        return with_index("unknown local", index);
    }
    Result<const GlobalType*> global(uint32_t index) const
    {
        if (index >= m_context.globals.size())
            return with_index("unknown global", index);
        return &m_context.globals[index];
    }
    Result<const TableType*> table(uint32_t index) const
    {
        if (index >= m_context.tables.size())
            return with_index("unknown table", index);
        return &m_context.tables[index];
    }
    Result<void> memory(uint32_t index) const
    {
        if (index >= m_context.memory_count)
            return with_index("unknown memory", index);
        return {};
    }
    Result<ValType> element(uint32_t index) const
    {
        if (index >= m_context.element_types.size())
            return with_index("unknown elem segment", index);
        return m_context.element_types[index];
    }
    Result<void> data(uint32_t index) const
    {
        // The decoder rejects memory.init/data.drop without a data count section only when
        // the module has data segments (wast2json omits the section when there are none, and
        // the suite then expects "unknown data segment"), so fall back to the segment count.
        if (index >= m_context.data_count.value_or(uint32_t(m_context.module->datas.size())))
            return with_index("unknown data segment", index);
        return {};
    }
    Result<const FuncType*> function_type(uint32_t index) const
    {
        if (index >= m_context.function_count())
            return with_index("unknown function", index);
        return &m_context.function_type(index);
    }
    Result<const FuncType*> type(uint32_t index) const
    {
        if (index >= m_module.types.size())
            return with_index("unknown type", index);
        return &m_module.types[index];
    }

    uint32_t m_function_index;
    const Context& m_context;
    const Module& m_module;
    const FunctionBody& m_body;
    const FuncType& m_type;

    // Both stacks live on the heap, so deep nesting in a hostile module costs memory, not C++ stack;
    // their buffers are reused from function to function (Scratch).
    Scratch& m_scratch;
    TypeStack m_values;
    std::vector<ControlFrame> m_controls;
    size_t m_max_height = 0;
    uint32_t m_br_table_count = 0;
};

Result<uint32_t> FunctionValidator::run()
{
    const auto& instructions = m_body.instructions;
    for (ValType local : m_body.locals) {
        if (local == ValType::V128)
            return Error("SIMD (v128) is not supported (function " + std::to_string(m_function_index) + ")");
    }
    push_control(Opcode::Block, {}, m_type.results);
    // The function's params are locals, not operands: push_control pushed none.
    for (size_t i = 0; i < instructions.size(); ++i) {
        if (m_controls.empty()) {
            // Not from the spec: the decoder ends the body at the matching end; this is defence.
            return Error("operators remaining after end of function (function " + std::to_string(m_function_index)
                + ", instruction " + std::to_string(i) + ")");
        }
        const Instruction& instruction = instructions[i];
        // The fast path: an instruction typed by its row whose operands are all on the stack of
        // the current frame, with the right types. Anything else (too few operands, a mismatch,
        // an unreachable frame) takes validate(), which gives the error or handles the
        // polymorphic stack.
        const SimpleSignature& signature = k_simple_signatures[size_t(instruction.op)];
        if (signature.simple && m_values.size() - m_controls.back().height >= signature.pop_count
            && (!signature.memory
                || (m_context.memory_count > 0 && instruction.memory.align < 32
                    && (uint64_t(1) << instruction.memory.align) <= signature.width))) {
            const ValType* top = m_values.data() + m_values.size() - signature.pop_count;
            bool match;
            switch (signature.pop_count) {
            case 0: match = true; break;
            case 1: match = top[0] == signature.pops[0]; break;
            case 2: match = top[0] == signature.pops[0] && top[1] == signature.pops[1]; break;
            default: match = top[0] == signature.pops[0] && top[1] == signature.pops[1] && top[2] == signature.pops[2]; break;
            }
            if (match) {
                m_values.drop(signature.pop_count);
                if (signature.push_count)
                    push(signature.push);
                continue;
            }
        }
        // Locals, the other common case: an index in range and, for a write, the local's type on
        // top of the current frame's operands.
        if (instruction.op == Opcode::LocalGet || instruction.op == Opcode::LocalSet || instruction.op == Opcode::LocalTee) {
            uint32_t index = instruction.index;
            size_t param_count = m_type.params.size();
            ValType type = k_unknown;
            if (index < param_count)
                type = m_type.params[index];
            else if (index - param_count < m_body.locals.size())
                type = m_body.locals[index - param_count];
            if (type != k_unknown) {
                if (instruction.op == Opcode::LocalGet) {
                    push(type);
                    continue;
                }
                if (m_values.size() > m_controls.back().height && m_values.back() == type) {
                    if (instruction.op == Opcode::LocalSet)
                        m_values.pop_back();
                    continue;
                }
            }
        }
        auto result = validate(instruction);
        if (result.is_error()) {
            return Error(result.error().message() + " (function " + std::to_string(m_function_index) + ", instruction "
                + std::to_string(i) + ": " + std::string(name(instructions[i].op)) + ")");
        }
    }
    if (!m_controls.empty())
        return Error("unexpected end of function body (function " + std::to_string(m_function_index) + ")");
    return uint32_t(m_max_height);
}

Result<void> FunctionValidator::validate_block(const Instruction& instruction)
{
    TypeList params;
    TypeList results;
    const BlockType& block_type = instruction.block_type;
    switch (block_type.kind) {
    case BlockType::Kind::Empty:
        break;
    case BlockType::Kind::Value:
        if (block_type.value == ValType::V128)
            return Error("SIMD (v128) is not supported");
        results = TypeList(&k_value_types[static_cast<uint8_t>(block_type.value) & 0x7F], 1);
        break;
    case BlockType::Kind::TypeIndex: {
        const FuncType* function_type = TRY(type(block_type.type_index));
        params = function_type->params;
        results = function_type->results;
        break;
    }
    }
    if (instruction.op == Opcode::If)
        TRY(pop(ValType::I32));
    TRY(pop(params));
    push_control(instruction.op, params, results);
    return {};
}

// https://webassembly.github.io/spec/core/valid/instructions.html#valid-br-table
// The spec algorithm pops and re-pushes each label's types; checking the operands in place is
// the same test without moving values. A label already checked by this br_table is skipped, so
// repeated targets cost nothing.
Result<void> FunctionValidator::validate_br_table(const Instruction& instruction)
{
    TRY(pop(ValType::I32));
    uint32_t begin = instruction.label_table.begin;
    uint32_t count = instruction.label_table.count;
    if (uint64_t(begin) + count >= m_body.label_tables.size())
        return Error("br_table label table out of range");
    const ControlFrame* default_frame = TRY(label(m_body.label_tables[begin + count]));
    TypeList default_types = default_frame->label_types();
    size_t arity = default_types.size();
    uint32_t stamp = ++m_br_table_count;
    const ControlFrame& current = m_controls.back();
    for (uint32_t i = 0; i < count; ++i) {
        ControlFrame* target = TRY(label(m_body.label_tables[begin + i]));
        if (target->br_table_stamp == stamp)
            continue;
        target->br_table_stamp = stamp;
        TypeList types = target->label_types();
        if (types.size() != arity)
            return Error("type mismatch");
        if (types.data() == default_types.data())
            continue;
        for (size_t j = 0; j < arity; ++j) {
            // Operand j of the label, counted from the bottom of the `arity` topmost operands.
            size_t from_top = arity - j;
            size_t available = m_values.size() - current.height;
            if (from_top > available) {
                if (!current.unreachable)
                    return Error("type mismatch");
                continue;
            }
            ValType actual = m_values[m_values.size() - from_top];
            if (actual != k_unknown && actual != types[j])
                return Error("type mismatch");
        }
    }
    TRY(pop(default_types));
    mark_unreachable();
    return {};
}

// https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions
Result<void> FunctionValidator::validate_memory_access(const Instruction& instruction)
{
    TRY(memory(0));
    uint32_t width = info(instruction.op).width;
    if (instruction.memory.align >= 32 || (uint64_t(1) << instruction.memory.align) > width)
        return Error("alignment must not be larger than natural");
    // Threads proposal: an atomic access names exactly its natural alignment, so that the
    // unaligned-address trap it performs is what the immediate promised.
    // https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#alignment
    if (info(instruction.op).prefix == 0xFE && (uint64_t(1) << instruction.memory.align) != width)
        return Error("atomic alignment must be natural");
    return validate_simple(instruction);
}

// An instruction typed entirely by its row in engine/opcodes.def.
Result<void> FunctionValidator::validate_simple(const Instruction& instruction)
{
    const OpcodeInfo& row = info(instruction.op);
    for (size_t i = row.params.size(); i-- > 0;)
        TRY(pop(value_type_from_letter(row.params[i])));
    for (char letter : row.results)
        push(value_type_from_letter(letter));
    return {};
}

Result<void> FunctionValidator::validate(const Instruction& instruction)
{
    switch (instruction.op) {
    case Opcode::Unreachable:
        mark_unreachable();
        return {};
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
        return validate_block(instruction);
    case Opcode::Else: {
        if (m_controls.back().opcode != Opcode::If)
            return Error("else without matching if");
        ControlFrame frame = TRY(pop_control());
        push_control(Opcode::Else, frame.params, frame.results);
        return {};
    }
    case Opcode::End: {
        ControlFrame frame = TRY(pop_control());
        // An if without else has an implicit empty else, which passes its params through.
        if (frame.opcode == Opcode::If && !same_types(frame.params, frame.results))
            return Error("type mismatch");
        if (!m_controls.empty())
            push(frame.results);
        return {};
    }
    case Opcode::Br: {
        const ControlFrame* target = TRY(label(instruction.index));
        TRY(pop(target->label_types()));
        mark_unreachable();
        return {};
    }
    case Opcode::BrIf: {
        const ControlFrame* target = TRY(label(instruction.index));
        TypeList types = target->label_types();
        TRY(pop(ValType::I32));
        TRY(pop(types));
        push(types);
        return {};
    }
    case Opcode::BrTable:
        return validate_br_table(instruction);
    case Opcode::Return:
        TRY(pop(TypeList(m_type.results)));
        mark_unreachable();
        return {};
    case Opcode::Call: {
        const FuncType* callee = TRY(function_type(instruction.index));
        TRY(pop(TypeList(callee->params)));
        push(TypeList(callee->results));
        return {};
    }
    case Opcode::CallIndirect: {
        const TableType* callee_table = TRY(table(instruction.pair.second));
        const FuncType* callee = TRY(type(instruction.pair.first));
        if (callee_table->element != ValType::FuncRef)
            return Error("type mismatch");
        TRY(pop(ValType::I32));
        TRY(pop(TypeList(callee->params)));
        push(TypeList(callee->results));
        return {};
    }

    case Opcode::RefNull:
        if (!is_reference(instruction.ref_type))
            return Error("type mismatch");
        push(instruction.ref_type);
        return {};
    case Opcode::RefIsNull:
        TRY(pop_reference());
        push(ValType::I32);
        return {};
    case Opcode::RefFunc:
        TRY(function_type(instruction.index));
        if (!m_context.declared_functions[instruction.index])
            return with_index("undeclared function reference", instruction.index);
        push(ValType::FuncRef);
        return {};

    case Opcode::Drop:
        TRY(pop());
        return {};
    // https://webassembly.github.io/spec/core/valid/instructions.html#valid-select
    case Opcode::Select: {
        TRY(pop(ValType::I32));
        ValType first = TRY(pop());
        ValType second = TRY(pop());
        if (!is_numeric_or_unknown(first) || !is_numeric_or_unknown(second))
            return Error("type mismatch");
        if (first != second && first != k_unknown && second != k_unknown)
            return Error("type mismatch");
        push(first == k_unknown ? second : first);
        return {};
    }
    case Opcode::SelectTyped: {
        // https://webassembly.github.io/spec/core/valid/instructions.html#parametric-instructions
        if (instruction.select.count != 1)
            return Error("invalid result arity");
        ValType type = instruction.select.type;
        if (type == ValType::V128)
            return Error("SIMD (v128) is not supported");
        TRY(pop(ValType::I32));
        TRY(pop(type));
        TRY(pop(type));
        push(type);
        return {};
    }

    case Opcode::LocalGet: {
        ValType type = TRY(local_type(instruction.index));
        push(type);
        return {};
    }
    case Opcode::LocalSet: {
        ValType type = TRY(local_type(instruction.index));
        TRY(pop(type));
        return {};
    }
    case Opcode::LocalTee: {
        ValType type = TRY(local_type(instruction.index));
        TRY(pop(type));
        push(type);
        return {};
    }
    case Opcode::GlobalGet: {
        const GlobalType* source = TRY(global(instruction.index));
        push(source->type);
        return {};
    }
    case Opcode::GlobalSet: {
        const GlobalType* target = TRY(global(instruction.index));
        if (target->mutability != Mutability::Var)
            return with_index("global is immutable", instruction.index);
        TRY(pop(target->type));
        return {};
    }

    // https://webassembly.github.io/spec/core/valid/instructions.html#table-instructions
    case Opcode::TableGet: {
        ValType element_type = TRY(table(instruction.index))->element;
        TRY(pop(ValType::I32));
        push(element_type);
        return {};
    }
    case Opcode::TableSet: {
        ValType element_type = TRY(table(instruction.index))->element;
        TRY(pop(element_type));
        TRY(pop(ValType::I32));
        return {};
    }
    case Opcode::TableSize:
        TRY(table(instruction.index));
        push(ValType::I32);
        return {};
    case Opcode::TableGrow: {
        ValType element_type = TRY(table(instruction.index))->element;
        TRY(pop(ValType::I32));
        TRY(pop(element_type));
        push(ValType::I32);
        return {};
    }
    case Opcode::TableFill: {
        ValType element_type = TRY(table(instruction.index))->element;
        TRY(pop(ValType::I32));
        TRY(pop(element_type));
        TRY(pop(ValType::I32));
        return {};
    }
    case Opcode::TableCopy: {
        ValType destination = TRY(table(instruction.pair.first))->element;
        ValType source = TRY(table(instruction.pair.second))->element;
        if (destination != source)
            return Error("type mismatch");
        return pop_three_i32s();
    }
    case Opcode::TableInit: {
        ValType table_type = TRY(table(instruction.pair.second))->element;
        ValType segment_type = TRY(element(instruction.pair.first));
        if (table_type != segment_type)
            return Error("type mismatch");
        return pop_three_i32s();
    }
    case Opcode::ElemDrop:
        TRY(element(instruction.index));
        return {};

    case Opcode::MemorySize:
        TRY(memory(0));
        push(ValType::I32);
        return {};
    case Opcode::MemoryGrow:
        TRY(memory(0));
        TRY(pop(ValType::I32));
        push(ValType::I32);
        return {};
    case Opcode::MemoryFill:
    case Opcode::MemoryCopy:
        TRY(memory(0));
        return pop_three_i32s();
    case Opcode::MemoryInit:
        TRY(memory(0));
        TRY(data(instruction.index));
        return pop_three_i32s();
    case Opcode::DataDrop:
        TRY(data(instruction.index));
        return {};

    default:
        break;
    }
    if (info(instruction.op).immediate == ImmediateKind::MemArg)
        return validate_memory_access(instruction);
    return validate_simple(instruction);
}

} // namespace

Error with_index(std::string_view what, uint32_t index)
{
    return Error(std::string(what) + " " + std::to_string(index));
}

Result<uint32_t> validate_function(const Context& context, uint32_t function_index, const FunctionBody& body, Scratch& scratch)
{
    FunctionValidator validator(context, function_index, body, scratch);
    return validator.run();
}

} // namespace hashos::wasm::validation
