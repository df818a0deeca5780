// ValidationContext: the index spaces of a module as validation sees them (the spec's context C),
// built once by validate() and read by the function and constant-expression validators.
// Private to the validator: nothing outside engine/validator*.cpp includes this file.
// https://webassembly.github.io/spec/core/valid/conventions.html#contexts
#pragma once

#include "base/result.h"
#include "engine/module.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hashos::wasm::validation {

struct Context {
    const Module* module = nullptr;
    std::vector<uint32_t> function_type_indices; // whole function index space, imports first
    std::vector<TableType> tables;               // imports first
    uint32_t memory_count = 0;
    std::vector<GlobalType> globals; // imports first
    std::vector<ValType> element_types;
    // The data count section's value, when present; memory.init and data.drop check against it.
    std::optional<uint32_t> data_count;
    // C.refs: functions that may be named by ref.func inside a function body, because they
    // occur in an element segment, a global initialiser, a segment offset or an export.
    // https://webassembly.github.io/spec/core/valid/modules.html#valid-module
    std::vector<bool> declared_functions;

    uint32_t function_count() const { return uint32_t(function_type_indices.size()); }
    const FuncType& function_type(uint32_t index) const
    {
        return module->types[function_type_indices[index]];
    }
};

using TypeList = std::span<const ValType>;

// An entry of the control stack of the spec's algorithm.
struct ControlFrame {
    Opcode opcode;
    TypeList params;
    TypeList results;
    uint32_t height;  // operand stack size when the frame was entered (after its params are popped)
    bool unreachable; // an unconditional branch happened: the rest of the frame is stack-polymorphic
    uint32_t br_table_stamp; // the last br_table that checked this label, to check each label once

    // A branch to a loop goes back to its start and so carries the loop's params.
    TypeList label_types() const { return opcode == Opcode::Loop ? params : results; }
};

// The function validator's stacks, kept from one function to the next so that validating a
// module allocates them once.
struct Scratch {
    std::vector<ValType> values;
    std::vector<ControlFrame> controls;
};

// Validates the body of defined function `function_index` against the context and returns the
// maximum operand stack height it reaches (value slots, locals excluded).
Result<uint32_t> validate_function(const Context& context, uint32_t function_index, const FunctionBody& body, Scratch& scratch);

// Builds "MESSAGE INDEX", the form the spec suite expects for indices ("unknown global 1").
Error with_index(std::string_view what, uint32_t index);

} // namespace hashos::wasm::validation
