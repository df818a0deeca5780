// Opcode: one enumerator per row of engine/opcodes.def, and the table's facts per opcode.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hashos::wasm {

enum class ImmediateKind : uint8_t {
    None,
    BlockType,    // Instruction::block_type
    Label,        // Instruction::index: relative label depth
    LabelTable,   // Instruction::table: labels in FunctionBody::label_tables
    Function,     // Instruction::index: function index
    CallIndirect, // Instruction::pair: { type index, table index }
    RefType,      // Instruction::ref_type
    SelectTypes,  // Instruction::select: { first type, number of types }
    Local,        // Instruction::index
    Global,       // Instruction::index
    Table,        // Instruction::index
    TableInit,    // Instruction::pair: { element index, table index }
    TableCopy,    // Instruction::pair: { destination table, source table }
    Element,      // Instruction::index: element segment index
    MemArg,       // Instruction::memory: { align (log2), offset }
    MemoryZero,   // memory index 0 (a reserved zero byte in the binary)
    MemoryInit,   // Instruction::index: data segment index (memory 0)
    MemoryCopy,   // two reserved zero bytes
    Reserved,     // one reserved zero byte (atomic.fence's flags)
    Data,         // Instruction::index: data segment index
    I32,          // Instruction::i32
    I64,          // Instruction::i64
    F32,          // Instruction::f32_bits
    F64,          // Instruction::f64_bits
};

enum class Opcode : uint16_t {
#define WASM_OP(name, prefix, code, immediate, params, results, width, text) name,
#include "engine/opcodes.def"
#undef WASM_OP
    Count,
};

struct OpcodeInfo {
    uint8_t prefix;
    uint32_t code;
    ImmediateKind immediate;
    std::string_view params;  // "*" when typed by hand in the validator
    std::string_view results;
    uint8_t width;            // bytes of memory accessed, 0 if none
    std::string_view text;
};

inline constexpr OpcodeInfo k_opcode_info[] = {
#define WASM_OP(name, prefix, code, immediate, params, results, width, text) \
    { prefix, code, ImmediateKind::immediate, params, results, width, text },
#include "engine/opcodes.def"
#undef WASM_OP
};

constexpr const OpcodeInfo& info(Opcode opcode) { return k_opcode_info[static_cast<size_t>(opcode)]; }
constexpr std::string_view name(Opcode opcode) { return info(opcode).text; }

// Maps a binary encoding to its opcode; nullopt for an unknown one.
std::optional<Opcode> opcode_from_byte(uint8_t byte);
std::optional<Opcode> opcode_from_fc(uint32_t code);
std::optional<Opcode> opcode_from_fe(uint32_t code);

} // namespace hashos::wasm
