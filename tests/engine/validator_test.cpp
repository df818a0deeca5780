// Validator tests: small modules built by hand for each rule, and a sweep of the spec suite's
// assert_invalid (must fail with the expected message) and module commands (must validate).
#include "engine/validator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace hashos::wasm;

namespace {

Instruction make(Opcode op)
{
    Instruction instruction;
    instruction.op = op;
    return instruction;
}

Instruction make(Opcode op, uint32_t index)
{
    Instruction instruction = make(op);
    instruction.index = index;
    return instruction;
}

Instruction make_pair(Opcode op, uint32_t first, uint32_t second)
{
    Instruction instruction = make(op);
    instruction.pair = { first, second };
    return instruction;
}

Instruction make_i32(int32_t value)
{
    Instruction instruction = make(Opcode::I32Const);
    instruction.i32 = value;
    return instruction;
}

Instruction make_ref_null(ValType type)
{
    Instruction instruction = make(Opcode::RefNull);
    instruction.ref_type = type;
    return instruction;
}

Instruction make_block(Opcode op, BlockType type)
{
    Instruction instruction = make(op);
    instruction.block_type = type;
    return instruction;
}

Instruction make_memory(Opcode op, uint32_t align, uint32_t offset = 0)
{
    Instruction instruction = make(op);
    instruction.memory = { align, offset };
    return instruction;
}

BlockType value_block(ValType type) { return { BlockType::Kind::Value, type, 0 }; }
BlockType indexed_block(uint32_t index) { return { BlockType::Kind::TypeIndex, ValType::I32, index }; }

ConstantExpression constant(std::vector<Instruction> instructions)
{
    instructions.push_back(make(Opcode::End));
    return { std::move(instructions) };
}

// Adds a defined function of `type` whose body is `instructions` followed by the final end.
uint32_t add_function(Module& module, FuncType type, std::vector<Instruction> instructions,
    std::vector<ValType> locals = {}, std::vector<uint32_t> label_tables = {})
{
    module.types.push_back(std::move(type));
    module.functions.push_back(uint32_t(module.types.size() - 1));
    instructions.push_back(make(Opcode::End));
    FunctionBody body;
    body.locals = std::move(locals);
    body.instructions = std::move(instructions);
    body.label_tables = std::move(label_tables);
    module.code.push_back(std::move(body));
    return module.imported_functions + uint32_t(module.functions.size() - 1);
}

Module single_function(FuncType type, std::vector<Instruction> instructions, std::vector<ValType> locals = {})
{
    Module module;
    add_function(module, std::move(type), std::move(instructions), std::move(locals));
    return module;
}

void add_memory(Module& module, uint32_t min = 1, std::optional<uint32_t> max = std::nullopt)
{
    module.memories.push_back({ Limits { min, max } });
}

// Expects validation to fail with a message that starts with `expected`.
void expect_invalid(Module module, const std::string& expected)
{
    auto result = validate(std::move(module));
    ASSERT_TRUE(result.is_error()) << "expected \"" << expected << "\"";
    EXPECT_EQ(result.error().message().rfind(expected, 0), 0u) << result.error().message();
}

std::optional<ValidModule> expect_valid(Module module)
{
    auto result = validate(std::move(module));
    if (result.is_error()) {
        ADD_FAILURE() << result.error().message();
        return std::nullopt;
    }
    return result.release_value();
}

const FuncType k_void {};
const FuncType k_to_i32 { {}, { ValType::I32 } };

} // namespace

TEST(ValidatorModule, EmptyModuleIsValid)
{
    auto valid = expect_valid(Module {});
    ASSERT_TRUE(valid);
    EXPECT_TRUE(valid->function_facts().empty());
}

TEST(ValidatorFunction, AddMeasuresStackHeight)
{
    auto valid = expect_valid(single_function({ { ValType::I32, ValType::I32 }, { ValType::I32 } },
        { make(Opcode::LocalGet, 0), make(Opcode::LocalGet, 1), make(Opcode::I32Add) }));
    ASSERT_TRUE(valid);
    ASSERT_EQ(valid->function_facts().size(), 1u);
    EXPECT_EQ(valid->function_facts()[0].max_stack_height, 2u);
}

TEST(ValidatorFunction, FunctionTypeCoversImportsFirst)
{
    Module module;
    module.types.push_back({ { ValType::I64 }, {} });
    Import import;
    import.module = "env";
    import.name = "f";
    import.type_index = 0;
    module.imports.push_back(import);
    module.imported_functions = 1;
    add_function(module, k_to_i32, { make_i32(7) });
    auto valid = expect_valid(std::move(module));
    ASSERT_TRUE(valid);
    EXPECT_EQ(valid->function_type(0).params, std::vector<ValType> { ValType::I64 });
    EXPECT_EQ(valid->function_type(1).results, std::vector<ValType> { ValType::I32 });
}

TEST(ValidatorFunction, OperandTypeMismatch)
{
    Instruction i64 = make(Opcode::I64Const);
    i64.i64 = 1;
    expect_invalid(single_function(k_to_i32, { i64, make(Opcode::I32Eqz) }), "type mismatch");
}

TEST(ValidatorFunction, ResultCountMustMatch)
{
    expect_invalid(single_function(k_to_i32, {}), "type mismatch");
    expect_invalid(single_function(k_void, { make_i32(1) }), "type mismatch");
}

TEST(ValidatorFunction, UnknownIndicesNameTheIndex)
{
    expect_invalid(single_function(k_to_i32, { make(Opcode::LocalGet, 5) }), "unknown local 5");
    expect_invalid(single_function(k_void, { make(Opcode::Call, 9) }), "unknown function 9");
    expect_invalid(single_function(k_void, { make(Opcode::Br, 1) }), "unknown label");
    expect_invalid(single_function(k_to_i32, { make(Opcode::GlobalGet, 0) }), "unknown global 0");
    expect_invalid(single_function(k_to_i32, { make(Opcode::TableSize, 0) }), "unknown table 0");
    expect_invalid(single_function(k_to_i32, { make(Opcode::MemorySize) }), "unknown memory 0");
    expect_invalid(single_function(k_void, { make(Opcode::ElemDrop, 4) }), "unknown elem segment 4");
    expect_invalid(single_function(k_void, { make_block(Opcode::Block, indexed_block(3)), make(Opcode::End) }),
        "unknown type");
}

TEST(ValidatorFunction, UnreachableMakesTheStackPolymorphic)
{
    expect_valid(single_function(k_to_i32, { make(Opcode::Unreachable), make(Opcode::I32Add) }));
    expect_valid(single_function(k_to_i32, { make(Opcode::Unreachable), make(Opcode::Select) }));
    // Values pushed after unreachable are still typed.
    Instruction i64 = make(Opcode::I64Const);
    expect_invalid(single_function(k_to_i32, { make(Opcode::Unreachable), i64, make(Opcode::I32Eqz) }),
        "type mismatch");
}

TEST(ValidatorFunction, BlocksWithParamsByTypeIndex)
{
    Module module;
    module.types.push_back({ { ValType::I32 }, { ValType::I32, ValType::I32 } });
    add_function(module, k_to_i32,
        { make_i32(1), make_block(Opcode::Block, indexed_block(0)), make(Opcode::LocalTee, 0), make(Opcode::LocalGet, 0),
            make(Opcode::End), make(Opcode::I32Add) },
        { ValType::I32 });
    expect_valid(std::move(module));
}

TEST(ValidatorFunction, IfWithoutElseMustPassItsParamsThrough)
{
    expect_invalid(single_function(k_to_i32,
                       { make_i32(0), make_block(Opcode::If, value_block(ValType::I32)), make_i32(1), make(Opcode::End) }),
        "type mismatch");
    expect_valid(single_function(k_to_i32,
        { make_i32(0), make_block(Opcode::If, value_block(ValType::I32)), make_i32(1), make(Opcode::Else), make_i32(2),
            make(Opcode::End) }));
}

TEST(ValidatorFunction, BrTableLabelsMustAgreeInArity)
{
    Module module;
    // block (result i32) block  i32.const 0  i32.const 0  br_table 0 1  end end
    Instruction table = make(Opcode::BrTable);
    table.label_table = { 0, 1 };
    add_function(module, k_to_i32,
        { make_block(Opcode::Block, value_block(ValType::I32)), make_block(Opcode::Block, {}), make_i32(0), make_i32(0),
            table, make(Opcode::End), make(Opcode::Unreachable), make(Opcode::End) },
        {}, { 0, 1 });
    expect_invalid(std::move(module), "type mismatch");
}

TEST(ValidatorFunction, BrTableInUnreachableCode)
{
    Module module;
    Instruction table = make(Opcode::BrTable);
    table.label_table = { 0, 2 };
    add_function(module, k_to_i32,
        { make_block(Opcode::Block, value_block(ValType::I32)), make(Opcode::Unreachable), table, make(Opcode::End) },
        {}, { 0, 0, 1 });
    expect_valid(std::move(module));
}

TEST(ValidatorFunction, AlignmentMustNotExceedNatural)
{
    Module module;
    add_memory(module);
    add_function(module, k_to_i32, { make_i32(0), make_memory(Opcode::I32Load, 3) });
    expect_invalid(std::move(module), "alignment must not be larger than natural");

    Module fine;
    add_memory(fine);
    add_function(fine, k_to_i32, { make_i32(0), make_memory(Opcode::I32Load8U, 0) });
    expect_valid(std::move(fine));
}

TEST(ValidatorFunction, SelectRules)
{
    // Untyped select refuses references; typed select takes them.
    expect_invalid(single_function({ {}, { ValType::FuncRef } },
                       { make_ref_null(ValType::FuncRef), make_ref_null(ValType::FuncRef), make_i32(1),
                           make(Opcode::Select) }),
        "type mismatch");
    Instruction typed = make(Opcode::SelectTyped);
    typed.select.type = ValType::FuncRef;
    typed.select.count = 1;
    expect_valid(single_function({ {}, { ValType::FuncRef } },
        { make_ref_null(ValType::FuncRef), make_ref_null(ValType::FuncRef), make_i32(1), typed }));
    // The binary may list other than one type; that is invalid, not malformed.
    typed.select.count = 2;
    expect_invalid(single_function({ {}, { ValType::FuncRef } },
                       { make_ref_null(ValType::FuncRef), make_ref_null(ValType::FuncRef), make_i32(1), typed }),
        "invalid result arity");
}

TEST(ValidatorFunction, RefFuncNeedsADeclaration)
{
    Module module;
    add_function(module, { {}, { ValType::FuncRef } }, { make(Opcode::RefFunc, 0) });
    expect_invalid(module, "undeclared function reference");
    module.exports.push_back({ "f", ExternKind::Function, 0 });
    expect_valid(std::move(module));
}

TEST(ValidatorFunction, GlobalSetNeedsAMutableGlobal)
{
    Module module;
    module.globals.push_back({ { ValType::I32, Mutability::Const }, constant({ make_i32(0) }) });
    add_function(module, k_void, { make_i32(1), make(Opcode::GlobalSet, 0) });
    expect_invalid(module, "global is immutable");
    module.globals[0].type.mutability = Mutability::Var;
    expect_valid(std::move(module));
}

TEST(ValidatorFunction, TableInitTypesMustAgree)
{
    Module module;
    module.tables.push_back({ ValType::ExternRef, { 1, std::nullopt } });
    ElementSegment segment;
    segment.type = ValType::FuncRef;
    module.elements.push_back(segment);
    add_function(module, k_void, { make_i32(0), make_i32(0), make_i32(0), make_pair(Opcode::TableInit, 0, 0) });
    expect_invalid(std::move(module), "type mismatch");
}

TEST(ValidatorFunction, MemoryInitNeedsTheDataCount)
{
    Module module;
    add_memory(module);
    module.datas.push_back({});
    module.data_count = 1;
    add_function(module, k_void, { make_i32(0), make_i32(0), make_i32(0), make(Opcode::MemoryInit, 1) });
    expect_invalid(std::move(module), "unknown data segment 1");
}

TEST(ValidatorFunction, DeepNestingIsBoundedByTheHeap)
{
    std::vector<Instruction> instructions;
    constexpr size_t depth = 200000;
    for (size_t i = 0; i < depth; ++i)
        instructions.push_back(make_block(Opcode::Block, {}));
    for (size_t i = 0; i < depth; ++i)
        instructions.push_back(make(Opcode::End));
    expect_valid(single_function(k_void, std::move(instructions)));
}

TEST(ValidatorModule, Limits)
{
    Module too_big;
    add_memory(too_big, 65537);
    expect_invalid(std::move(too_big), "memory size must be at most 65536 pages (4GiB)");
    Module inverted;
    add_memory(inverted, 2, 1);
    expect_invalid(std::move(inverted), "size minimum must not be greater than maximum");
    Module table;
    table.tables.push_back({ ValType::FuncRef, { 3, 2 } });
    expect_invalid(std::move(table), "size minimum must not be greater than maximum");
}

TEST(ValidatorModule, MultipleMemories)
{
    Module module;
    add_memory(module);
    add_memory(module);
    expect_invalid(std::move(module), "multiple memories");
}

TEST(ValidatorModule, Exports)
{
    Module module;
    add_function(module, k_void, {});
    module.exports.push_back({ "a", ExternKind::Function, 0 });
    module.exports.push_back({ "a", ExternKind::Function, 0 });
    expect_invalid(module, "duplicate export name");
    module.exports[1] = { "b", ExternKind::Memory, 0 };
    expect_invalid(std::move(module), "unknown memory 0");
}

TEST(ValidatorModule, StartFunctionType)
{
    Module module;
    add_function(module, k_to_i32, { make_i32(0) });
    module.start = 0;
    expect_invalid(module, "start function");
    module.start = 1;
    expect_invalid(std::move(module), "unknown function 1");
}

TEST(ValidatorModule, ConstantExpressions)
{
    Module defined_global;
    defined_global.globals.push_back({ { ValType::I32, Mutability::Const }, constant({ make_i32(0) }) });
    defined_global.globals.push_back({ { ValType::I32, Mutability::Const }, constant({ make(Opcode::GlobalGet, 0) }) });
    expect_invalid(std::move(defined_global), "unknown global 0");

    Module not_constant;
    not_constant.globals.push_back(
        { { ValType::I32, Mutability::Const }, constant({ make_i32(0), make(Opcode::I32Eqz) }) });
    expect_invalid(std::move(not_constant), "constant expression required");

    Module wrong_type;
    wrong_type.globals.push_back({ { ValType::I64, Mutability::Const }, constant({ make_i32(0) }) });
    expect_invalid(std::move(wrong_type), "type mismatch");

    Module mutable_import;
    Import import;
    import.kind = ExternKind::Global;
    import.global = { ValType::I32, Mutability::Var };
    mutable_import.imports.push_back(import);
    mutable_import.imported_globals = 1;
    mutable_import.globals.push_back({ { ValType::I32, Mutability::Const }, constant({ make(Opcode::GlobalGet, 0) }) });
    expect_invalid(std::move(mutable_import), "constant expression required");
}

TEST(ValidatorModule, ElementSegments)
{
    Module module;
    module.tables.push_back({ ValType::FuncRef, { 1, std::nullopt } });
    ElementSegment segment;
    segment.mode = ElementSegment::Mode::Active;
    segment.type = ValType::FuncRef;
    segment.offset = constant({ make_i32(0) });
    segment.items.push_back(constant({ make_ref_null(ValType::ExternRef) }));
    module.elements.push_back(segment);
    expect_invalid(module, "type mismatch");
    module.elements[0].items[0] = constant({ make(Opcode::RefFunc, 0) });
    add_function(module, { {}, { ValType::FuncRef } }, { make(Opcode::RefFunc, 0) });
    expect_valid(module);
    module.elements[0].table_index = 1;
    expect_invalid(std::move(module), "unknown table 1");
}

// The spec suite: every .wast of wasm-2.0-core is converted with wast2json; each assert_invalid
// module must decode and then fail validation with the expected message as prefix, and each
// module that the suite expects to be valid (module, assert_unlinkable, assert_uninstantiable)
// must validate. assert_malformed belongs to the decoder's tests.
namespace {

struct SweepCounts {
    size_t passed = 0;
    size_t failed = 0;
};

std::vector<uint8_t> read_binary(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>() };
}

// Where wast2json's binary is not the module the .wast means, so the spec's expectation cannot
// hold for the binary; each is reported, not counted.
struct ConversionArtifact {
    std::string_view location;
    std::string_view reason;
};
constexpr ConversionArtifact k_conversion_artifacts[] = {
    { "select.wast:324", "wabt encodes `select (result)` as an untyped select" },
};

// Checks one converted module; returns an empty string on success, else what went wrong.
std::string check_spec_module(const std::filesystem::path& wasm, const std::string* expected_error)
{
    std::vector<uint8_t> bytes = read_binary(wasm);
    auto decoded = decode(bytes);
    if (decoded.is_error())
        return "decoder rejected it: " + decoded.error().message();
    auto validated = validate(decoded.release_value());
    if (!expected_error) {
        if (validated.is_error())
            return "expected valid, got \"" + validated.error().message() + "\"";
        return {};
    }
    if (!validated.is_error())
        return "expected \"" + *expected_error + "\", but it validated";
    if (validated.error().message().rfind(*expected_error, 0) != 0)
        return "expected \"" + *expected_error + "\", got \"" + validated.error().message() + "\"";
    return {};
}

} // namespace

TEST(ValidatorSpec, AssertInvalidAndValidModules)
{
    namespace fs = std::filesystem;
    std::string temp_template = (fs::temp_directory_path() / "hashos-validator-XXXXXX").string();
    ASSERT_NE(mkdtemp(temp_template.data()), nullptr);
    fs::path temp = temp_template;

    std::vector<fs::path> wast_files;
    for (const auto& entry : fs::directory_iterator(HASHOS_SPEC_CORE_DIR)) {
        if (entry.path().extension() == ".wast")
            wast_files.push_back(entry.path());
    }
    std::sort(wast_files.begin(), wast_files.end());
    ASSERT_FALSE(wast_files.empty());

    SweepCounts invalid_total, valid_total;
    std::vector<std::string> failures;
    std::vector<std::string> unconverted;
    for (const fs::path& wast : wast_files) {
        std::string stem = wast.stem().string();
        fs::path json_path = temp / (stem + ".json");
        std::string command = std::string(HASHOS_WAST2JSON) + " '" + wast.string() + "' -o '" + json_path.string()
            + "' > /dev/null 2>&1";
        if (std::system(command.c_str()) != 0) {
            unconverted.push_back(stem);
            continue;
        }
        std::ifstream json_file(json_path);
        auto json = nlohmann::json::parse(json_file, nullptr, false);
        if (json.is_discarded()) {
            unconverted.push_back(stem);
            continue;
        }
        SweepCounts file_counts;
        for (const auto& command_json : json["commands"]) {
            std::string type = command_json.value("type", "");
            bool expect_invalid = type == "assert_invalid";
            bool expect_valid = type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable";
            if (!expect_invalid && !expect_valid)
                continue;
            if (command_json.value("module_type", "binary") != "binary")
                continue;
            std::string text = command_json.value("text", "");
            std::string problem = check_spec_module(
                temp / command_json.value("filename", ""), expect_invalid ? &text : nullptr);
            SweepCounts& total = expect_invalid ? invalid_total : valid_total;
            std::string location = stem + ".wast:" + std::to_string(command_json.value("line", 0));
            auto artifact = std::find_if(std::begin(k_conversion_artifacts), std::end(k_conversion_artifacts),
                [&](const ConversionArtifact& known) { return known.location == location; });
            if (!problem.empty() && artifact != std::end(k_conversion_artifacts)) {
                std::printf("known conversion artifact, not counted: %s: %s (%s)\n", location.c_str(),
                    std::string(artifact->reason).c_str(), problem.c_str());
                continue;
            }
            if (problem.empty()) {
                ++file_counts.passed;
                ++total.passed;
            } else {
                ++file_counts.failed;
                ++total.failed;
                failures.push_back(location + ": " + problem);
            }
        }
        std::printf("%-28s %zu passed, %zu failed\n", (stem + ".wast").c_str(), file_counts.passed, file_counts.failed);
    }
    std::printf("assert_invalid: %zu passed, %zu failed; valid modules: %zu passed, %zu failed\n",
        invalid_total.passed, invalid_total.failed, valid_total.passed, valid_total.failed);
    for (const std::string& stem : unconverted)
        std::printf("not converted by wast2json (skipped): %s.wast\n", stem.c_str());
    for (const std::string& failure : failures)
        ADD_FAILURE() << failure;
    fs::remove_all(temp);
}
