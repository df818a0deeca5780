// Module: the decoded form of a WebAssembly binary, exactly as the binary says it, not yet
// validated. Only engine/decoder.cpp creates one (hashos::wasm::decode); only the validator turns
// it into a ValidModule. Function bodies are decoded into Instruction vectors, so later stages
// never parse bytes again.
// https://webassembly.github.io/spec/core/syntax/modules.html
#pragma once

#include "base/result.h"
#include "engine/opcodes.h"
#include "engine/types.h"

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace hashos::wasm {

// A block's type: no value, one value type, or a function type by index (multi-value).
struct BlockType {
    enum class Kind : uint8_t { Empty, Value, TypeIndex };
    Kind kind = Kind::Empty;
    ValType value = ValType::I32; // when kind == Value
    uint32_t type_index = 0;      // when kind == TypeIndex
};

struct MemArg {
    uint32_t align = 0; // log2 of the alignment hint
    uint32_t offset = 0;
};

// One decoded instruction; which union member is meaningful follows info(op).immediate.
struct Instruction {
    Opcode op = Opcode::Nop;
    union {
        uint32_t index;
        struct {
            uint32_t first;
            uint32_t second;
        } pair;
        MemArg memory;
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        ValType ref_type;
        struct {
            ValType type;   // the first declared type
            uint32_t count; // how many types the binary lists; validation requires one
        } select;
        struct {
            uint32_t begin; // into FunctionBody::label_tables
            uint32_t count; // number of labels, not counting the default
        } label_table;
    };
    BlockType block_type; // for Block, Loop, If

    Instruction() : f64_bits(0) {}
};

// Locals as the binary groups them are flattened: locals[i] is the type of local
// params.size() + i.
struct FunctionBody {
    std::vector<ValType> locals;
    std::vector<Instruction> instructions; // ends with the function's final End
    // br_table operands: for an instruction with label_table {begin, count}, the labels are
    // label_tables[begin .. begin+count) and the default is label_tables[begin+count].
    std::vector<uint32_t> label_tables;
    uint32_t offset_in_binary = 0; // for error messages
};

// A constant expression (global initialisers, segment offsets, element items), decoded like a
// body; the validator checks that it is constant.
struct ConstantExpression {
    std::vector<Instruction> instructions; // ends with End
};

struct Import {
    std::string module;
    std::string name;
    ExternKind kind = ExternKind::Function;
    uint32_t type_index = 0; // Function
    TableType table;         // Table
    MemoryType memory;       // Memory
    GlobalType global;       // Global
};

struct Export {
    std::string name;
    ExternKind kind = ExternKind::Function;
    uint32_t index = 0;
};

struct Global {
    GlobalType type;
    ConstantExpression init;
};

struct ElementSegment {
    enum class Mode : uint8_t { Passive, Active, Declarative };
    Mode mode = Mode::Passive;
    ValType type = ValType::FuncRef;
    uint32_t table_index = 0;              // Active
    ConstantExpression offset;             // Active
    std::vector<ConstantExpression> items; // each yields one reference
};

struct DataSegment {
    enum class Mode : uint8_t { Passive, Active };
    Mode mode = Mode::Passive;
    uint32_t memory_index = 0; // Active
    ConstantExpression offset; // Active
    std::vector<uint8_t> bytes;
};

struct Module {
    std::vector<FuncType> types;
    std::vector<Import> imports;
    std::vector<uint32_t> functions; // type index of each defined (non-imported) function
    std::vector<TableType> tables;   // defined tables
    std::vector<MemoryType> memories;
    std::vector<Global> globals;
    std::vector<Export> exports;
    std::optional<uint32_t> start;
    std::vector<ElementSegment> elements;
    std::vector<DataSegment> datas;
    std::optional<uint32_t> data_count;
    std::vector<FunctionBody> code; // parallel to `functions`

    // Counts of imports per kind, filled by the decoder: index spaces put imports first.
    uint32_t imported_functions = 0;
    uint32_t imported_tables = 0;
    uint32_t imported_memories = 0;
    uint32_t imported_globals = 0;
};

// Decodes a binary module. Errors carry the spec's message ("magic header not detected",
// "unexpected end", "integer too large", …) followed by the offset.
Result<Module> decode(std::span<const uint8_t> bytes);

} // namespace hashos::wasm
