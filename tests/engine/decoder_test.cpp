// Tests of the binary decoder (engine/decoder.cpp): hand-built binaries for each construct and
// each error, modules built by wat2wasm, a sweep over the spec suite's binary modules, and
// truncated / mutated inputs that must fail cleanly (run under ASan/UBSan).

#include "engine/limits.h"
#include "engine/module.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace hashos::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes leb(uint64_t value)
{
    Bytes out;
    do {
        uint8_t byte = value & 0x7f;
        value >>= 7;
        if (value)
            byte |= 0x80;
        out.push_back(byte);
    } while (value);
    return out;
}

Bytes concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

Bytes section(uint8_t id, const Bytes& content) { return concat({ { id }, leb(content.size()), content }); }

Bytes module_of(std::initializer_list<Bytes> sections)
{
    Bytes out = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };
    for (const Bytes& part : sections)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

const Bytes k_type_void = section(1, { 0x01, 0x60, 0x00, 0x00 }); // (func)
const Bytes k_one_function = section(3, { 0x01, 0x00 });
const Bytes k_one_memory = section(5, { 0x01, 0x00, 0x01 });

// A module with one function of type (func) whose body is `body` (without locals or the final end).
Bytes module_with_body(const Bytes& body, std::initializer_list<Bytes> extra_before_code = {})
{
    Bytes function = concat({ { 0x00 }, body, { 0x0b } });
    Bytes code = section(10, concat({ { 0x01 }, leb(function.size()), function }));
    Bytes out = module_of({ k_type_void, k_one_function });
    for (const Bytes& part : extra_before_code)
        out.insert(out.end(), part.begin(), part.end());
    out.insert(out.end(), code.begin(), code.end());
    return out;
}

Module decode_ok(const Bytes& bytes)
{
    auto result = decode(bytes);
    if (result.is_error()) {
        ADD_FAILURE() << "decode failed: " << result.error().message();
        return {};
    }
    return result.release_value();
}

// The error message of a failed decode; fails the test if decoding succeeded.
std::string decode_error(const Bytes& bytes)
{
    auto result = decode(bytes);
    if (!result.is_error()) {
        ADD_FAILURE() << "decode succeeded unexpectedly";
        return "";
    }
    return result.error().message();
}

::testing::AssertionResult starts_with(const std::string& text, const std::string& prefix)
{
    if (text.rfind(prefix, 0) == 0)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\"" << text << "\" does not start with \"" << prefix << "\"";
}

#define EXPECT_DECODE_ERROR(bytes, prefix) EXPECT_TRUE(starts_with(decode_error(bytes), prefix))

// ---- Header -------------------------------------------------------------------------------

TEST(DecoderHeader, EmptyModuleDecodes)
{
    Module module = decode_ok(module_of({}));
    EXPECT_TRUE(module.types.empty());
    EXPECT_TRUE(module.code.empty());
    EXPECT_FALSE(module.start.has_value());
}

TEST(DecoderHeader, RejectsBadMagicAndVersion)
{
    EXPECT_DECODE_ERROR(Bytes {}, "unexpected end");
    EXPECT_DECODE_ERROR((Bytes { 0x00, 0x61, 0x73 }), "unexpected end");
    EXPECT_DECODE_ERROR((Bytes { 0x00, 0x41, 0x53, 0x4d, 0x01, 0x00, 0x00, 0x00 }), "magic header not detected");
    EXPECT_DECODE_ERROR((Bytes { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00 }), "unexpected end");
    EXPECT_DECODE_ERROR((Bytes { 0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00 }), "unknown binary version");
}

TEST(DecoderHeader, ErrorsSayWhere)
{
    std::string message = decode_error(Bytes { 0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00 });
    EXPECT_EQ(message, "unknown binary version at offset 4");
}

// ---- Sections -----------------------------------------------------------------------------

TEST(DecoderSections, CustomSectionsAnywhere)
{
    Bytes custom = section(0, concat({ { 0x04, 'n', 'a', 'm', 'e' }, { 1, 2, 3 } }));
    Module module = decode_ok(module_of({ custom, k_type_void, custom, k_one_function, custom,
        section(10, { 0x01, 0x02, 0x00, 0x0b }), custom }));
    EXPECT_EQ(module.types.size(), 1u);
    EXPECT_EQ(module.code.size(), 1u);
}

TEST(DecoderSections, OrderAndDuplicates)
{
    EXPECT_DECODE_ERROR(module_of({ k_type_void, k_type_void }), "unexpected content after last section");
    EXPECT_DECODE_ERROR(module_of({ k_one_function, k_type_void }), "unexpected content after last section");
    // The data count section sits between element and code sections.
    EXPECT_DECODE_ERROR(module_of({ section(10, { 0x00 }), section(12, { 0x00 }) }),
        "unexpected content after last section");
    decode_ok(module_of({ section(9, { 0x00 }), section(12, { 0x00 }), section(10, { 0x00 }), section(11, { 0x00 }) }));
}

TEST(DecoderSections, MalformedIdsAndSizes)
{
    EXPECT_DECODE_ERROR(module_of({ { 0x0d, 0x00 } }), "malformed section id");
    EXPECT_DECODE_ERROR(module_of({ { 0x01, 0x05, 0x00 } }), "length out of bounds");
    EXPECT_DECODE_ERROR(module_of({ { 0x01, 0x02, 0x00, 0x00 } }), "section size mismatch");
    EXPECT_DECODE_ERROR(module_of({ { 0x01, 0x01 } }), "unexpected end");
    // A custom section whose name is longer than the section.
    EXPECT_DECODE_ERROR(module_of({ { 0x00, 0x01, 0x03, 'a', 'b', 'c' } }), "unexpected end");
}

TEST(DecoderSections, NamesMustBeUtf8)
{
    decode_ok(module_of({ section(0, { 0x03, 0xe2, 0x8c, 0xa3 }) }));
    EXPECT_DECODE_ERROR(module_of({ section(0, { 0x01, 0x80 }) }), "malformed UTF-8 encoding");
    EXPECT_DECODE_ERROR(module_of({ section(0, { 0x02, 0xc0, 0x80 }) }), "malformed UTF-8 encoding");       // overlong
    EXPECT_DECODE_ERROR(module_of({ section(0, { 0x03, 0xed, 0xa0, 0x80 }) }), "malformed UTF-8 encoding"); // surrogate
    EXPECT_DECODE_ERROR(module_of({ section(0, { 0x04, 0xf4, 0x90, 0x80, 0x80 }) }), "malformed UTF-8 encoding");
    Bytes import = section(2, { 0x01, 0x01, 0xff, 0x01, 'f', 0x00, 0x00 });
    EXPECT_DECODE_ERROR(module_of({ k_type_void, import }), "malformed UTF-8 encoding");
}

TEST(DecoderSections, LebRules)
{
    // Type count 1 written in 5 bytes is fine; 6 bytes is too long; a 5th byte over 4 bits is too large.
    decode_ok(module_of({ section(1, { 0x81, 0x80, 0x80, 0x80, 0x00, 0x60, 0x00, 0x00 }) }));
    EXPECT_DECODE_ERROR(module_of({ section(1, { 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x60, 0x00, 0x00 }) }),
        "integer representation too long");
    EXPECT_DECODE_ERROR(module_of({ section(1, { 0x81, 0x80, 0x80, 0x80, 0x10, 0x60, 0x00, 0x00 }) }),
        "integer too large");
    // Too large wins over too long, as in the reference interpreter.
    EXPECT_DECODE_ERROR(module_of({ section(1, { 0x81, 0x80, 0x80, 0x80, 0x90, 0x00, 0x60, 0x00, 0x00 }) }),
        "integer too large");
    // An unsigned immediate in 5 bytes (as linkers pad relocated indices) keeps all 32 bits.
    EXPECT_EQ(decode_ok(module_with_body({ 0x0c, 0xff, 0xff, 0xff, 0xff, 0x0f })).code[0].instructions[0].index, UINT32_MAX);
    EXPECT_EQ(decode_ok(module_with_body({ 0x0c, 0x80, 0x80, 0x80, 0x80, 0x01 })).code[0].instructions[0].index, 1u << 28);
    EXPECT_DECODE_ERROR(module_with_body({ 0x0c, 0xff, 0xff, 0xff, 0xff, 0x1f }), "integer too large");
    // Signed: i32.const -1 as 5 bytes is fine; unused bits that are not a sign extension are too large.
    decode_ok(module_with_body({ 0x41, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x1a }));
    EXPECT_DECODE_ERROR(module_with_body({ 0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x1a }), "integer too large");
}

// Signed LEB128 of `value` in exactly `length` bytes (padded with sign-extension bytes).
Bytes signed_leb(int64_t value, size_t length)
{
    Bytes out;
    for (size_t i = 0; i < length; ++i) {
        uint8_t byte = uint8_t(value & 0x7f);
        value >>= 7; // arithmetic: keeps the sign
        out.push_back(i + 1 < length ? byte | 0x80 : byte);
    }
    return out;
}

// The decoder reads short LEB128 forms inline and leaves the longest form to a slow path (and the
// five-byte i32 form to a path of its own): every length must give the same value.
TEST(DecoderSections, ConstantsOfEveryEncodingLength)
{
    const int32_t i32_values[] = { 0, 1, -1, 63, -64, 64, -65, 8191, -8192, 1 << 20, -(1 << 27), INT32_MAX, INT32_MIN };
    for (int32_t value : i32_values) {
        for (size_t length = 1; length <= 5; ++length) {
            if (length < 5 && (value >= (int64_t(1) << (7 * length - 1)) || value < -(int64_t(1) << (7 * length - 1))))
                continue; // does not fit
            Module module = decode_ok(module_with_body(concat({ { 0x41 }, signed_leb(value, length), { 0x1a } })));
            EXPECT_EQ(module.code[0].instructions[0].i32, value) << "length " << length;
        }
    }
    const int64_t i64_values[] = { 0, -1, 1234567, -(int64_t(1) << 40), (int64_t(1) << 55) + 3, INT64_MAX, INT64_MIN };
    for (int64_t value : i64_values) {
        for (size_t length = 1; length <= 10; ++length) {
            if (length < 10 && (value >= (int64_t(1) << (7 * length - 1)) || value < -(int64_t(1) << (7 * length - 1))))
                continue;
            Module module = decode_ok(module_with_body(concat({ { 0x42 }, signed_leb(value, length), { 0x1a } })));
            EXPECT_EQ(module.code[0].instructions[0].i64, value) << "length " << length;
        }
    }
    // A five-byte i32 whose unused bits are not all copies of the sign, either way round.
    EXPECT_DECODE_ERROR(module_with_body({ 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x1a }), "integer too large");
    EXPECT_DECODE_ERROR(module_with_body({ 0x41, 0xff, 0xff, 0xff, 0xff, 0x08, 0x1a }), "integer too large");
    EXPECT_DECODE_ERROR(module_with_body({ 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a }), "integer representation too long");
    // Cut off by the end of the module in the middle of a constant.
    Bytes function = { 0x00, 0x41, 0x80, 0x80 };
    EXPECT_DECODE_ERROR(module_of({ k_type_void, k_one_function, section(10, concat({ { 0x01 }, leb(function.size()), function })) }),
        "unexpected end");
}

// ---- Types, imports, exports, globals, tables, memories -----------------------------------

TEST(DecoderTypes, FunctionTypes)
{
    Module module = decode_ok(module_of({ section(1, { 0x02, 0x60, 0x02, 0x7f, 0x6f, 0x01, 0x7c, 0x60, 0x00, 0x02, 0x7e, 0x70 }) }));
    ASSERT_EQ(module.types.size(), 2u);
    EXPECT_EQ(module.types[0].params, (std::vector<ValType> { ValType::I32, ValType::ExternRef }));
    EXPECT_EQ(module.types[0].results, (std::vector<ValType> { ValType::F64 }));
    EXPECT_EQ(module.types[1].results, (std::vector<ValType> { ValType::I64, ValType::FuncRef }));
    EXPECT_DECODE_ERROR(module_of({ section(1, { 0x01, 0x61, 0x00, 0x00 }) }), "malformed function type");
    EXPECT_DECODE_ERROR(module_of({ section(1, { 0x01, 0x60, 0x01, 0x7b, 0x00 }) }), "malformed value type: v128");
}

TEST(DecoderTypes, ImportsOfEveryKind)
{
    Bytes imports = section(2, {
        0x04,
        0x01, 'm', 0x01, 'f', 0x00, 0x00,                    // func type 0
        0x01, 'm', 0x01, 't', 0x01, 0x6f, 0x01, 0x02, 0x03,  // table externref 2..3
        0x01, 'm', 0x01, 'm', 0x02, 0x00, 0x01,              // memory 1
        0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01,              // global (mut i64)
    });
    Module module = decode_ok(module_of({ k_type_void, imports }));
    ASSERT_EQ(module.imports.size(), 4u);
    EXPECT_EQ(module.imported_functions, 1u);
    EXPECT_EQ(module.imported_tables, 1u);
    EXPECT_EQ(module.imported_memories, 1u);
    EXPECT_EQ(module.imported_globals, 1u);
    EXPECT_EQ(module.imports[0].module, "m");
    EXPECT_EQ(module.imports[0].name, "f");
    EXPECT_EQ(module.imports[1].table.element, ValType::ExternRef);
    EXPECT_EQ(module.imports[1].table.limits, (Limits { 2, 3 }));
    EXPECT_EQ(module.imports[2].memory.limits, (Limits { 1, std::nullopt }));
    EXPECT_EQ(module.imports[3].global, (GlobalType { ValType::I64, Mutability::Var }));

    EXPECT_DECODE_ERROR(module_of({ section(2, { 0x01, 0x01, 'm', 0x01, 'f', 0x04, 0x00 }) }), "malformed import kind");
    EXPECT_DECODE_ERROR(module_of({ section(2, { 0x01, 0x01, 'm', 0x01, 'g', 0x03, 0x7f, 0x02 }) }), "malformed mutability");
    EXPECT_DECODE_ERROR(module_of({ section(2, { 0x01, 0x01, 'm', 0x01, 't', 0x01, 0x7f, 0x00, 0x00 }) }),
        "malformed reference type");
    // Limits flags are a one-bit LEB128: 2 (shared, threads) is too large for 2.0.
    EXPECT_DECODE_ERROR(module_of({ section(5, { 0x01, 0x02, 0x00 }) }), "integer too large");
}

TEST(DecoderTypes, ExportsGlobalsTablesMemoriesStart)
{
    Bytes tables = section(4, { 0x02, 0x70, 0x00, 0x01, 0x6f, 0x01, 0x00, 0x05 });
    Bytes globals = section(6, { 0x01, 0x7f, 0x00, 0x41, 0x2a, 0x0b });
    Bytes exports = section(7, { 0x02, 0x01, 'f', 0x00, 0x00, 0x01, 'm', 0x02, 0x00 });
    Bytes start = section(8, { 0x00 });
    Module module = decode_ok(module_with_body({}, { tables, k_one_memory, globals, exports, start }));
    ASSERT_EQ(module.tables.size(), 2u);
    EXPECT_EQ(module.tables[1].element, ValType::ExternRef);
    EXPECT_EQ(module.tables[1].limits, (Limits { 0, 5 }));
    ASSERT_EQ(module.memories.size(), 1u);
    ASSERT_EQ(module.globals.size(), 1u);
    ASSERT_EQ(module.globals[0].init.instructions.size(), 2u);
    EXPECT_EQ(module.globals[0].init.instructions[0].op, Opcode::I32Const);
    EXPECT_EQ(module.globals[0].init.instructions[0].i32, 42);
    EXPECT_EQ(module.globals[0].init.instructions[1].op, Opcode::End);
    ASSERT_EQ(module.exports.size(), 2u);
    EXPECT_EQ(module.exports[1].name, "m");
    EXPECT_EQ(module.exports[1].kind, ExternKind::Memory);
    EXPECT_EQ(module.start, 0u);

    EXPECT_DECODE_ERROR(module_of({ section(7, { 0x01, 0x01, 'f', 0x04, 0x00 }) }), "malformed export kind");
}

// ---- Function bodies --------------------------------------------------------------------

const Instruction& instruction_at(const Module& module, size_t index)
{
    static const Instruction none;
    if (module.code.empty() || index >= module.code[0].instructions.size()) {
        ADD_FAILURE() << "no instruction " << index;
        return none;
    }
    return module.code[0].instructions[index];
}

TEST(DecoderCode, LocalsAreFlattened)
{
    Bytes function = { 0x02, 0x02, 0x7f, 0x01, 0x7e, 0x0b };
    Module module = decode_ok(module_of({ k_type_void, k_one_function,
        section(10, concat({ { 0x01 }, leb(function.size()), function })) }));
    ASSERT_EQ(module.code.size(), 1u);
    EXPECT_EQ(module.code[0].locals, (std::vector<ValType> { ValType::I32, ValType::I32, ValType::I64 }));
    EXPECT_GT(module.code[0].offset_in_binary, 0u);
}

TEST(DecoderCode, TooManyLocals)
{
    auto with_locals = [](const Bytes& locals) {
        Bytes function = concat({ locals, { 0x0b } });
        return module_of({ k_type_void, k_one_function, section(10, concat({ { 0x01 }, leb(function.size()), function })) });
    };
    EXPECT_DECODE_ERROR(with_locals(concat({ { 0x01 }, leb(limits::k_max_locals + 1), { 0x7f } })), "too many locals");
    EXPECT_DECODE_ERROR(with_locals(concat({ { 0x02 }, leb(0xffffffff), { 0x7f }, leb(0xffffffff), { 0x7e } })),
        "too many locals");
    decode_ok(with_locals(concat({ { 0x01 }, leb(limits::k_max_locals), { 0x7f } })));
}

TEST(DecoderCode, ImmediatesOfEachKind)
{
    Bytes body = {
        0x41, 0x7f,                                     // 0 i32.const -1
        0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,       // 1 i64.const 2^35
        0x43, 0x00, 0x00, 0x80, 0x3f,                   // 2 f32.const 1.0
        0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,             // 3 f64.const 1.0
        0x28, 0x02, 0x10,                               // 4 i32.load align=4 offset=16
        0x0e, 0x02, 0x00, 0x01, 0x02,                   // 5 br_table 0 1 2
        0x11, 0x00, 0x01,                               // 6 call_indirect type 0 table 1
        0xd0, 0x6f,                                     // 7 ref.null extern
        0x1c, 0x01, 0x7e,                               // 8 select (result i64)
        0xfc, 0x0c, 0x03, 0x04,                         // 9 table.init elem 3 table 4
        0xfc, 0x0e, 0x05, 0x06,                         // 10 table.copy 5 6
        0xfc, 0x08, 0x07, 0x00,                         // 11 memory.init 7
        0xfc, 0x0a, 0x00, 0x00,                         // 12 memory.copy
        0x3f, 0x00,                                     // 13 memory.size
        0xfc, 0x02,                                     // 14 i32.trunc_sat_f64_s
        0xc4,                                           // 15 i64.extend32_s
        0x25, 0x08,                                     // 16 table.get 8
        0x20, 0x09,                                     // 17 local.get 9
    };
    Module module = decode_ok(module_with_body(body, { section(12, { 0x00 }) }));
    EXPECT_EQ(instruction_at(module, 0).i32, -1);
    EXPECT_EQ(instruction_at(module, 1).i64, int64_t(1) << 35);
    EXPECT_EQ(instruction_at(module, 2).f32_bits, 0x3f800000u);
    EXPECT_EQ(instruction_at(module, 3).f64_bits, 0x3ff0000000000000u);
    EXPECT_EQ(instruction_at(module, 4).op, Opcode::I32Load);
    EXPECT_EQ(instruction_at(module, 4).memory.align, 2u);
    EXPECT_EQ(instruction_at(module, 4).memory.offset, 16u);
    const Instruction& br_table = instruction_at(module, 5);
    EXPECT_EQ(br_table.op, Opcode::BrTable);
    EXPECT_EQ(br_table.label_table.count, 2u);
    EXPECT_EQ(module.code[0].label_tables, (std::vector<uint32_t> { 0, 1, 2 }));
    EXPECT_EQ(instruction_at(module, 6).pair.first, 0u);
    EXPECT_EQ(instruction_at(module, 6).pair.second, 1u);
    EXPECT_EQ(instruction_at(module, 7).ref_type, ValType::ExternRef);
    EXPECT_EQ(instruction_at(module, 8).op, Opcode::SelectTyped);
    EXPECT_EQ(instruction_at(module, 8).select.type, ValType::I64);
    EXPECT_EQ(instruction_at(module, 8).select.count, 1u);
    EXPECT_EQ(instruction_at(module, 9).pair.first, 3u);
    EXPECT_EQ(instruction_at(module, 9).pair.second, 4u);
    EXPECT_EQ(instruction_at(module, 10).pair.first, 5u);
    EXPECT_EQ(instruction_at(module, 10).pair.second, 6u);
    EXPECT_EQ(instruction_at(module, 11).op, Opcode::MemoryInit);
    EXPECT_EQ(instruction_at(module, 11).index, 7u);
    EXPECT_EQ(instruction_at(module, 12).op, Opcode::MemoryCopy);
    EXPECT_EQ(instruction_at(module, 13).op, Opcode::MemorySize);
    EXPECT_EQ(instruction_at(module, 14).op, Opcode::I32TruncSatF64S);
    EXPECT_EQ(instruction_at(module, 15).op, Opcode::I64Extend32S);
    EXPECT_EQ(instruction_at(module, 16).index, 8u);
    EXPECT_EQ(instruction_at(module, 17).index, 9u);
    EXPECT_EQ(instruction_at(module, 18).op, Opcode::End);
    EXPECT_EQ(module.code[0].instructions.size(), 19u);
}

TEST(DecoderCode, BlockTypes)
{
    Bytes body = {
        0x02, 0x40, 0x0b,             // block (empty)
        0x03, 0x7f, 0x0b,             // loop (result i32)
        0x02, 0x70, 0x0b,             // block (result funcref)
        0x02, 0x00, 0x0b,             // block (type 0)
        0x02, 0x80, 0x80, 0x04, 0x0b, // block (type 65536), a multi-byte s33
    };
    Module module = decode_ok(module_with_body(body));
    EXPECT_EQ(instruction_at(module, 0).block_type.kind, BlockType::Kind::Empty);
    EXPECT_EQ(instruction_at(module, 2).block_type.kind, BlockType::Kind::Value);
    EXPECT_EQ(instruction_at(module, 2).block_type.value, ValType::I32);
    EXPECT_EQ(instruction_at(module, 4).block_type.value, ValType::FuncRef);
    EXPECT_EQ(instruction_at(module, 6).block_type.kind, BlockType::Kind::TypeIndex);
    EXPECT_EQ(instruction_at(module, 6).block_type.type_index, 0u);
    EXPECT_EQ(instruction_at(module, 8).block_type.type_index, 65536u);
}

TEST(DecoderCode, IfElseNesting)
{
    Bytes body = { 0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x41, 0x00, 0x04, 0x40, 0x0b };
    Module module = decode_ok(module_with_body(body));
    std::vector<Opcode> ops;
    for (const Instruction& instruction : module.code[0].instructions)
        ops.push_back(instruction.op);
    EXPECT_EQ(ops, (std::vector<Opcode> { Opcode::I32Const, Opcode::If, Opcode::Nop, Opcode::Else, Opcode::Nop,
                       Opcode::End, Opcode::I32Const, Opcode::If, Opcode::End, Opcode::End }));

    EXPECT_DECODE_ERROR(module_with_body({ 0x02, 0x40, 0x05, 0x0b }), "END opcode expected");       // else in block
    EXPECT_DECODE_ERROR(module_with_body({ 0x05 }), "END opcode expected");                          // else at top
    EXPECT_DECODE_ERROR(module_with_body({ 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0b }), "END opcode expected");
}

TEST(DecoderCode, StructuralErrors)
{
    EXPECT_DECODE_ERROR(module_with_body({ 0x06 }), "illegal opcode 06");
    EXPECT_DECODE_ERROR(module_with_body({ 0xfc, 0x12 }), "illegal opcode fc 12");
    EXPECT_DECODE_ERROR(module_with_body({ 0xfd, 0x0c }), "illegal opcode fd (SIMD");
    EXPECT_DECODE_ERROR(module_with_body({ 0x3f, 0x01, 0x1a }, { k_one_memory }), "zero byte expected");
    EXPECT_DECODE_ERROR(module_with_body({ 0x40, 0x80, 0x00, 0x1a }, { k_one_memory }), "zero byte expected");
    EXPECT_DECODE_ERROR(module_with_body({ 0x41, 0x00, 0x28, 0x20, 0x00, 0x1a }, { k_one_memory }),
        "malformed memop flags");
    EXPECT_DECODE_ERROR(module_with_body({ 0xd0, 0x7f, 0x1a }), "malformed reference type");
    // A body that ends before its end: the code section runs out.
    Bytes unterminated = module_of({ k_type_void, k_one_function, section(10, { 0x01, 0x02, 0x00, 0x01 }) });
    EXPECT_DECODE_ERROR(unterminated, "unexpected end");
    // A body shorter than its declared size.
    Bytes short_body = module_of({ k_type_void, k_one_function, section(10, { 0x01, 0x03, 0x00, 0x0b, 0x01 }) });
    EXPECT_DECODE_ERROR(short_body, "section size mismatch");
}

TEST(DecoderCode, FunctionAndCodeCountsMustAgree)
{
    EXPECT_DECODE_ERROR(module_of({ k_type_void, k_one_function }), "function and code section have inconsistent lengths");
    EXPECT_DECODE_ERROR(module_of({ section(10, { 0x01, 0x02, 0x00, 0x0b }) }),
        "function and code section have inconsistent lengths");
}

TEST(DecoderCode, DataCountRequiredForDataIndices)
{
    Bytes data = section(11, { 0x01, 0x01, 0x00 });
    Bytes init = { 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00 };
    Bytes with_code = module_with_body(init, { k_one_memory });
    with_code.insert(with_code.end(), data.begin(), data.end());
    EXPECT_DECODE_ERROR(with_code, "data count section required");
    Bytes drop = module_with_body({ 0xfc, 0x09, 0x00 });
    drop.insert(drop.end(), data.begin(), data.end());
    EXPECT_DECODE_ERROR(drop, "data count section required");
    decode_ok(module_with_body({ 0xfc, 0x09, 0x00 }, { section(12, { 0x00 }) }));
    // Without any data segment the index is unknown anyway: the validator reports it.
    decode_ok(module_with_body({ 0xfc, 0x09, 0x00 }));
}

TEST(DecoderCode, TypedSelectKeepsItsTypeCountForTheValidator)
{
    // Other than one type is invalid, not malformed: the validator says "invalid result arity".
    Module two = decode_ok(module_with_body({ 0x1c, 0x02, 0x7f, 0x7e }));
    ASSERT_FALSE(two.code.empty());
    EXPECT_EQ(two.code[0].instructions[0].select.count, 2u);
    EXPECT_EQ(two.code[0].instructions[0].select.type, ValType::I32);
    Module none = decode_ok(module_with_body({ 0x1c, 0x00 }));
    ASSERT_FALSE(none.code.empty());
    EXPECT_EQ(none.code[0].instructions[0].select.count, 0u);
}

TEST(DecoderCode, ErrorsTheModuleCannotRepresentComeAfterStructure)
{
    // br_table in a constant expression has nowhere to keep its labels.
    EXPECT_DECODE_ERROR(module_of({ section(6, { 0x01, 0x7f, 0x00, 0x0e, 0x00, 0x00, 0x0b }) }),
        "constant expression required");
}

// ---- Element and data segments ---------------------------------------------------------

TEST(DecoderSegments, AllEightElementEncodings)
{
    Bytes elements = section(9, {
        0x08,
        0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,                   // 0: active table 0, funcidx
        0x01, 0x00, 0x01, 0x00,                               // 1: passive, elemkind, funcidx
        0x02, 0x01, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x00,       // 2: active table 1, elemkind, funcidx
        0x03, 0x00, 0x02, 0x00, 0x00,                         // 3: declarative, elemkind, 2 funcidx
        0x04, 0x41, 0x02, 0x0b, 0x01, 0xd2, 0x00, 0x0b,       // 4: active table 0, exprs
        0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,                   // 5: passive externref, exprs
        0x06, 0x02, 0x41, 0x03, 0x0b, 0x70, 0x00,             // 6: active table 2, funcref, no exprs
        0x07, 0x70, 0x01, 0xd0, 0x70, 0x0b,                   // 7: declarative funcref, exprs
    });
    Module module = decode_ok(module_with_body({}, { elements }));
    ASSERT_EQ(module.elements.size(), 8u);
    using Mode = ElementSegment::Mode;
    const auto& e = module.elements;
    EXPECT_EQ(e[0].mode, Mode::Active);
    EXPECT_EQ(e[0].table_index, 0u);
    EXPECT_EQ(e[0].offset.instructions[0].op, Opcode::I32Const);
    ASSERT_EQ(e[0].items.size(), 1u);
    EXPECT_EQ(e[0].items[0].instructions[0].op, Opcode::RefFunc);
    EXPECT_EQ(e[0].items[0].instructions[1].op, Opcode::End);
    EXPECT_EQ(e[1].mode, Mode::Passive);
    EXPECT_EQ(e[2].mode, Mode::Active);
    EXPECT_EQ(e[2].table_index, 1u);
    EXPECT_EQ(e[2].offset.instructions[0].i32, 1);
    EXPECT_EQ(e[3].mode, Mode::Declarative);
    EXPECT_EQ(e[3].items.size(), 2u);
    EXPECT_EQ(e[4].mode, Mode::Active);
    EXPECT_EQ(e[4].items[0].instructions[0].op, Opcode::RefFunc);
    EXPECT_EQ(e[5].mode, Mode::Passive);
    EXPECT_EQ(e[5].type, ValType::ExternRef);
    EXPECT_EQ(e[5].items[0].instructions[0].op, Opcode::RefNull);
    EXPECT_EQ(e[6].table_index, 2u);
    EXPECT_EQ(e[6].items.size(), 0u);
    EXPECT_EQ(e[7].mode, Mode::Declarative);
    EXPECT_EQ(e[7].type, ValType::FuncRef);

    EXPECT_DECODE_ERROR(module_of({ section(9, { 0x01, 0x08 }) }), "malformed elements segment kind");
    EXPECT_DECODE_ERROR(module_of({ section(9, { 0x01, 0x01, 0x01, 0x00 }) }), "malformed element kind");
}

TEST(DecoderSegments, DataSegments)
{
    Bytes data = section(11, {
        0x03,
        0x00, 0x41, 0x00, 0x0b, 0x02, 'h', 'i', // active memory 0
        0x01, 0x01, 'x',                        // passive
        0x02, 0x00, 0x41, 0x08, 0x0b, 0x00,     // active memory 0, explicit index
    });
    Module module = decode_ok(module_of({ k_one_memory, section(12, { 0x03 }), data }));
    ASSERT_EQ(module.datas.size(), 3u);
    EXPECT_EQ(module.data_count, 3u);
    EXPECT_EQ(module.datas[0].mode, DataSegment::Mode::Active);
    EXPECT_EQ(module.datas[0].bytes, (std::vector<uint8_t> { 'h', 'i' }));
    EXPECT_EQ(module.datas[1].mode, DataSegment::Mode::Passive);
    EXPECT_EQ(module.datas[2].offset.instructions[0].i32, 8);

    EXPECT_DECODE_ERROR(module_of({ section(11, { 0x01, 0x03 }) }), "malformed data segment kind");
    EXPECT_DECODE_ERROR(module_of({ section(12, { 0x02 }), data }), "data count and data section have inconsistent lengths");
    EXPECT_DECODE_ERROR(module_of({ section(12, { 0x01 }) }), "data count and data section have inconsistent lengths");
}

// ---- Robustness ---------------------------------------------------------------------------

Bytes rich_module()
{
    Bytes elements = section(9, { 0x01, 0x05, 0x70, 0x01, 0xd2, 0x00, 0x0b });
    Bytes body = { 0x02, 0x40, 0x41, 0x01, 0x0e, 0x01, 0x00, 0x00, 0x0b, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1a,
        0xfc, 0x09, 0x00, 0x1c, 0x01, 0x7f, 0x1a };
    Bytes out = module_with_body(body, { section(4, { 0x01, 0x70, 0x00, 0x01 }), k_one_memory,
                                           section(7, { 0x01, 0x01, 'f', 0x00, 0x00 }), elements, section(12, { 0x01 }) });
    Bytes data = section(11, { 0x01, 0x01, 0x02, 'o', 'k' });
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

TEST(DecoderRobustness, TruncationsFailCleanly)
{
    Bytes bytes = rich_module();
    decode_ok(bytes);
    for (size_t length = 0; length < bytes.size(); ++length) {
        Bytes truncated(bytes.begin(), bytes.begin() + length);
        auto result = decode(truncated);
        // A cut exactly between sections leaves a well-formed prefix only if no count disagrees.
        if (!result.is_error())
            continue;
        EXPECT_NE(result.error().message().find(" at offset "), std::string::npos) << result.error().message();
    }
}

TEST(DecoderRobustness, MutationsNeverCrash)
{
    Bytes original = rich_module();
    uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    for (int round = 0; round < 10000; ++round) {
        Bytes bytes = original;
        int edits = 1 + next() % 4;
        for (int i = 0; i < edits; ++i) {
            size_t at = 8 + next() % (bytes.size() - 8);
            switch (next() % 3) {
            case 0:
                bytes[at] = uint8_t(next());
                break;
            case 1:
                bytes.insert(bytes.begin() + at, uint8_t(next()));
                break;
            default:
                bytes.erase(bytes.begin() + at);
                break;
            }
        }
        auto result = decode(bytes); // must return, with a value or an error, under ASan/UBSan
        (void)result;
    }
}

TEST(DecoderRobustness, HugeCountsDoNotAllocate)
{
    // Counts near 2^32 with no bytes behind them are rejected before anything is reserved.
    EXPECT_DECODE_ERROR(module_of({ section(1, concat({ leb(0xffffffff) })) }), "length out of bounds");
    EXPECT_DECODE_ERROR(module_with_body({ 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f }), "length out of bounds");
    EXPECT_DECODE_ERROR(module_of({ section(11, concat({ { 0x01, 0x01 }, leb(0xfffffff0) })) }), "length out of bounds");
}

// ---- Real modules from text ---------------------------------------------------------------

std::filesystem::path make_temp_directory(const std::string& stem)
{
    auto path = std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path;
}

Bytes read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// wat2wasm sits beside wast2json (both from Debian's wabt).
std::string wat2wasm_path() { return (std::filesystem::path(HASHOS_WAST2JSON).parent_path() / "wat2wasm").string(); }

TEST(DecoderWat, FeatureModuleFromWat2wasm)
{
    const char* text = R"((module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "table" (table 1 funcref))
  (memory (export "memory") 1 2)
  (table $refs 2 externref)
  (global $counter (mut i64) (i64.const -7))
  (data $bytes "hello")
  (elem $fns func $swap $log)
  (elem declare func $fill)
  (func $swap (export "swap") (type $pair) (local.get 1) (local.get 0))
  (func $fill (param i32) (local f64 f64)
    (memory.fill (i32.const 0) (i32.const 0) (local.get 0))
    (memory.init $bytes (i32.const 0) (i32.const 0) (i32.const 5))
    (data.drop $bytes)
    (table.set $refs (i32.const 0) (ref.null extern))
    (drop (table.grow $refs (ref.null extern) (i32.const 1)))
    (i32.const 7)
    (block $exit (param i32) (result i32)
      (br_table $exit $exit (i32.const 1)))
    (call $log)
    (drop (i32.trunc_sat_f32_s (f32.const 1.5)))
    (drop (ref.is_null (ref.func $fill)))
    (global.set $counter (i64.extend32_s (global.get $counter)))
    (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0))))
  (start $start)
  (func $start))
)";
    auto directory = make_temp_directory("hashos-decoder-wat");
    {
        std::ofstream out(directory / "features.wat");
        out << text;
    }
    std::string command = wat2wasm_path() + " " + (directory / "features.wat").string() + " -o " +
        (directory / "features.wasm").string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    Module module = decode_ok(read_file(directory / "features.wasm"));
    std::filesystem::remove_all(directory);

    EXPECT_EQ(module.imported_functions, 1u);
    EXPECT_EQ(module.imported_tables, 1u);
    EXPECT_EQ(module.functions.size(), 3u);
    EXPECT_EQ(module.code.size(), 3u);
    EXPECT_EQ(module.memories.size(), 1u);
    EXPECT_EQ(module.tables.size(), 1u);
    EXPECT_EQ(module.globals.size(), 1u);
    EXPECT_EQ(module.globals[0].init.instructions[0].i64, -7);
    EXPECT_EQ(module.elements.size(), 2u);
    EXPECT_EQ(module.elements[1].mode, ElementSegment::Mode::Declarative);
    ASSERT_EQ(module.datas.size(), 1u);
    EXPECT_EQ(module.datas[0].mode, DataSegment::Mode::Passive);
    EXPECT_TRUE(module.data_count.has_value());
    EXPECT_EQ(module.start, 3u); // after the import and $swap, $fill
    EXPECT_EQ(module.exports.size(), 2u);
    EXPECT_EQ(module.code[1].locals, (std::vector<ValType> { ValType::F64, ValType::F64 }));
    bool saw_br_table = false;
    for (const Instruction& instruction : module.code[1].instructions) {
        if (instruction.op == Opcode::BrTable) {
            saw_br_table = true;
            EXPECT_EQ(instruction.label_table.count, 1u);
        }
    }
    EXPECT_TRUE(saw_br_table);
    EXPECT_EQ(module.code[1].instructions.back().op, Opcode::End);
}

// ---- The spec suite ---------------------------------------------------------------------

// Every binary module of the core spec suite: modules (and those only the validator or the
// linker rejects) must decode; binary assert_malformed must fail with the expected text first.
TEST(DecoderSpec, CoreSuiteBinaryModules)
{
    namespace fs = std::filesystem;
    fs::path suite = HASHOS_SPEC_CORE_DIR;
    ASSERT_TRUE(fs::is_directory(suite)) << suite;
    auto directory = make_temp_directory("hashos-decoder-spec");

    int modules_passed = 0, modules_failed = 0, malformed_passed = 0, malformed_failed = 0;
    std::vector<fs::path> scripts;
    for (const auto& entry : fs::directory_iterator(suite)) {
        if (entry.path().extension() == ".wast")
            scripts.push_back(entry.path());
    }
    std::sort(scripts.begin(), scripts.end());
    for (const fs::path& script : scripts) {
        fs::path json_path = directory / (script.stem().string() + ".json");
        std::string command = std::string(HASHOS_WAST2JSON) + " " + script.string() + " -o " + json_path.string() +
            " > /dev/null 2>&1";
        if (std::system(command.c_str()) != 0 || !fs::exists(json_path)) {
            ADD_FAILURE() << "wast2json failed on " << script;
            continue;
        }
        std::ifstream in(json_path);
        auto json = nlohmann::json::parse(in, nullptr, false);
        ASSERT_FALSE(json.is_discarded()) << json_path;
        for (const auto& command_json : json["commands"]) {
            std::string type = command_json["type"];
            std::string where = script.filename().string() + ":" + std::to_string(int(command_json["line"]));
            bool is_module = type == "module" || type == "assert_invalid" || type == "assert_unlinkable" ||
                type == "assert_uninstantiable";
            bool is_malformed = type == "assert_malformed";
            if (!command_json.contains("filename"))
                continue;
            if (command_json.value("module_type", "binary") != "binary")
                continue; // text-format malformed modules test the text parser
            Bytes bytes = read_file(directory / std::string(command_json["filename"]));
            auto result = decode(bytes);
            if (is_malformed) {
                std::string expected = command_json["text"];
                if (result.is_error() && starts_with(result.error().message(), expected)) {
                    ++malformed_passed;
                } else {
                    ++malformed_failed;
                    ADD_FAILURE() << where << ": expected \"" << expected << "\", got "
                                  << (result.is_error() ? "\"" + result.error().message() + "\"" : "success");
                }
            } else if (is_module) {
                // Decoding may reject an invalid module only with the validator's expected text
                // (the few checks the decoder makes for the validator, see decoder_instructions.h).
                bool ok = !result.is_error() ||
                    (type == "assert_invalid" && starts_with(result.error().message(), std::string(command_json["text"])));
                if (ok) {
                    ++modules_passed;
                } else {
                    ++modules_failed;
                    ADD_FAILURE() << where << " (" << type << "): " << result.error().message();
                }
            }
        }
    }
    std::filesystem::remove_all(directory);
    std::printf("decoder spec sweep: modules %d passed, %d failed; binary assert_malformed %d passed, %d failed\n",
        modules_passed, modules_failed, malformed_passed, malformed_failed);
    EXPECT_GT(modules_passed, 1000);
    EXPECT_GT(malformed_passed, 700);
}

} // namespace
} // namespace hashos::wasm
