// The listing of engine/interpreter_dump.h. Instruction starts are found by their handler
// addresses (the first two units of every instruction): operands are slot numbers, immediates,
// offsets and heap pointers, never the address of one of the interpreter's labels.
#include "engine/interpreter_dump.h"

#include "engine/instance.h"
#include "engine/thread_impl.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace hashos::wasm {

using runtime::CodeUnit;
using runtime::Op;

const char* op_name(Op op)
{
    static const char* const k_names[] = {
#define WASM_OP(name, prefix, code, immediate, params, results, width, text) #name,
#include "engine/opcodes.def"
#undef WASM_OP
#define HASHOS_NAME(name) #name,
#define HASHOS_NAME_LOOP(name) #name "Loop",
#define HASHOS_NAME_INDEXED(name) #name "Indexed", #name "IndexedTee",
#define HASHOS_NAME_ADD_THEN(name) "I32AddThen" #name, "I32AddThen" #name "Loop", "I64AddThen" #name, "I64AddThen" #name "Loop",
#define HASHOS_NAME_FUSED(first, second) #first "Then" #second, #first "Then" #second "Swapped",
#define HASHOS_NAME_AND_I32_ADD(name) #name "AndI32Add",
#define HASHOS_NAME_BINARY_STORE(op, store) #op "Then" #store, #op "Then" #store "AndI32Add",
#define HASHOS_NAME_LOAD_BINARY_STORE(load, op, store) #load "Then" #op "Then" #store, #load "Then" #op "SwappedThen" #store, \
    #load "Then" #op "Then" #store "AndI32Add", #load "Then" #op "SwappedThen" #store "AndI32Add",
#define HASHOS_NAME_JOIN_PAIR(first, second) #first "And" #second,
#define HASHOS_NAME_JOIN_FIRST(first) HASHOS_RUNTIME_JOIN_SECONDS(HASHOS_NAME_JOIN_PAIR, first)
#define HASHOS_NAME_LOAD_THEN(load, op) #load "Then" #op, #load "Then" #op "Swapped", #load "IndexedThen" #op, #load "IndexedThen" #op "Swapped",
        HASHOS_RUNTIME_INTERNAL_OPS(HASHOS_NAME)
        HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_NAME_LOOP)
        HASHOS_RUNTIME_MEMORY_ACCESSES(HASHOS_NAME_INDEXED)
        HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_NAME_ADD_THEN)
        HASHOS_RUNTIME_FUSED_BINARIES(HASHOS_NAME_FUSED)
        HASHOS_RUNTIME_LOAD_BINARIES(HASHOS_NAME_LOAD_THEN)
        HASHOS_RUNTIME_AND_I32_ADD(HASHOS_NAME_AND_I32_ADD)
        HASHOS_RUNTIME_BINARY_STORES(HASHOS_NAME_BINARY_STORE)
        HASHOS_RUNTIME_LOAD_BINARY_STORES(HASHOS_NAME_LOAD_BINARY_STORE)
        HASHOS_RUNTIME_JOIN_FIRSTS(HASHOS_NAME_JOIN_FIRST)
#undef HASHOS_NAME_JOIN_FIRST
#undef HASHOS_NAME_JOIN_PAIR
#undef HASHOS_NAME_AND_I32_ADD
#undef HASHOS_NAME_BINARY_STORE
#undef HASHOS_NAME_LOAD_BINARY_STORE
#undef HASHOS_NAME_LOAD_THEN
#undef HASHOS_NAME_FUSED
#undef HASHOS_NAME
#undef HASHOS_NAME_LOOP
#undef HASHOS_NAME_INDEXED
#undef HASHOS_NAME_ADD_THEN
    };
    static_assert(sizeof(k_names) / sizeof(k_names[0]) == size_t(Op::Count));
    return size_t(op) < size_t(Op::Count) ? k_names[size_t(op)] : "?";
}

std::string Interpreter::disassemble(const Function& function)
{
    const CompiledFunction* compiled = function.m_code;
    if (!compiled)
        return {};
    if (auto made = function.instance()->compile(*compiled); made.is_error())
        return "; " + made.error().message() + "\n";
    const void* const* table = handlers();
    std::unordered_map<uint64_t, Op> ops;
    for (size_t i = 0; i < size_t(Op::Count); ++i)
        ops.try_emplace(uint64_t(reinterpret_cast<uintptr_t>(table[i])), Op(i));
    auto op_at = [&](size_t at) -> const Op* {
        const std::vector<CodeUnit>& code = compiled->code;
        if (at + 1 >= code.size())
            return nullptr;
        uint64_t bits = code[at] | uint64_t(code[at + 1]) << 32;
        auto found = ops.find(bits);
        return found == ops.end() ? nullptr : &found->second;
    };
    std::string listing;
    char line[128];
    std::snprintf(line, sizeof(line), "; params %u, locals %u, frame %u slots, entry cost %u\n", compiled->param_count,
        compiled->local_count, compiled->frame_slots, compiled->entry_cost);
    listing += line;
    const std::vector<CodeUnit>& code = compiled->code;
    size_t at = 0;
    while (at < code.size()) {
        const Op* op = op_at(at);
        std::snprintf(line, sizeof(line), "%6zu  ", at);
        listing += line;
        listing += op ? op_name(*op) : "(data)";
        // The operands: every unit up to the next instruction's handler.
        size_t next = op ? at + 2 : at + 1;
        if (!op) {
            std::snprintf(line, sizeof(line), " %" PRId32, int32_t(code[at]));
            listing += line;
        }
        for (; next < code.size() && !op_at(next); ++next) {
            std::snprintf(line, sizeof(line), " %" PRId32, int32_t(code[next]));
            listing += line;
        }
        listing += '\n';
        at = next;
    }
    return listing;
}

std::string disassemble(const Function& function) { return Interpreter::disassemble(function); }

} // namespace hashos::wasm
