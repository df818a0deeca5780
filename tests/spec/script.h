// Script: one .wast file as wast2json describes it, converted into plain C++ values so the runner
// never touches JSON. Commands keep their order and their line numbers for reports.
// https://github.com/WebAssembly/wabt/blob/main/docs/wast2json.md
#pragma once

#include "engine/types.h"
#include "engine/value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hashos::spec {

// An argument of an invoke: a type and the exact bits.
struct Argument {
    wasm::ValType type = wasm::ValType::I32;
    wasm::Value value;
};

// What one result must look like.
struct Expectation {
    enum class Kind : uint8_t {
        Exact,         // same bits (masked to the type's width)
        CanonicalNan,  // nan:canonical
        ArithmeticNan, // nan:arithmetic
        AnyFunction,   // a non-null funcref (wast2json cannot name which one)
    };
    Kind kind = Kind::Exact;
    wasm::ValType type = wasm::ValType::I32;
    wasm::Value value;
};

struct Action {
    enum class Kind : uint8_t { Invoke, Get };
    Kind kind = Kind::Invoke;
    std::string module_name; // empty: the most recent module
    std::string field;
    std::vector<Argument> args;
};

enum class CommandType : uint8_t {
    Module,
    Register,
    Action,
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
    Unknown, // a command this runner does not know; counted as a failed assertion
};

struct Command {
    CommandType type = CommandType::Unknown;
    std::string type_name; // as written in the JSON, for reports
    uint32_t line = 0;
    std::string filename;    // module commands and module assertions
    bool text_module = false; // "module_type": "text": a .wat that needs a text parser
    std::string name;        // module: its $name; register: the module to register (empty: last)
    std::string as;          // register: the import module name
    std::string text;        // assertions: the expected error or trap message
    std::optional<Action> action;
    std::vector<Expectation> expected;
    // Set when the command could not be understood (e.g. a v128 value); the runner fails it with
    // this reason instead of guessing.
    std::string load_error;
};

// Assertions are what the suite counts; modules, register and bare actions are not.
bool is_assertion(CommandType type);

// Text-format assert_malformed needs a text parser: reported apart as skipped.
inline bool is_text_malformed(const Command& command)
{
    return command.type == CommandType::AssertMalformed && command.text_module;
}

struct Script {
    std::string source_filename;
    std::vector<Command> commands;
};

} // namespace hashos::spec
