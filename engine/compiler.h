// The compiler: turns each function body of a ValidModule into the internal form the interpreter
// runs (engine/interpreter_ops.h). It trusts validation completely and checks nothing again.
//
// Code is compiled per instance: calls, globals, tables and memories are resolved to pointers at
// compile time, so the interpreter never looks an index up. Store::instantiate creates the
// CompiledFunction objects of an instance (calls may point at any of them), uncompiled; each is
// filled in by compile_function() on its first call (Instance::compile, called by the
// interpreter), so a spawn pays only for the functions it runs. Validation stays eager: an
// invalid module is refused whole before anything runs.
#pragma once

#include "base/result.h"
#include "engine/interpreter_ops.h"
#include "engine/store.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hashos::wasm {

// CompiledFunction::frame_image is a whole number of these blocks.
constexpr size_t k_frame_image_block = 4;

// CompiledFunction::frame_slots of a function not compiled yet: no stack has room for it, so the
// interpreter's call path takes its cold branch, where it compiles the function and enters again
// (a call of a compiled function pays nothing for laziness).
constexpr uint32_t k_not_compiled = UINT32_MAX;

// The compiled form of one function, owned by its Instance, and written only by the OS thread
// running that instance (a kernel thread has an instance of its own).
struct CompiledFunction {
    Instance* instance = nullptr;
    Function* function = nullptr;
    uint32_t defined_index = 0; // 0 = the module's first non-imported function
    uint32_t param_count = 0;
    uint32_t local_count = 0;  // params included: the frame's first local_count slots
    uint32_t frame_slots = k_not_compiled; // locals, constants and the deepest operand stack
    uint32_t result_count = 0;
    // What a call writes above the arguments before the body runs: zeros for the other locals,
    // then the function's constants (engine/compiler.cpp: "Constants"), then zeros up to a
    // multiple of k_frame_image_block slots, so that the call copies it in fixed-size blocks.
    std::vector<Value> frame_image;
    // Fuel charged on entry: the function's instructions outside loops (each loop charges its
    // own body on every iteration), so one unit of fuel is about one wasm instruction. Zero until
    // compiled, so that the first call's fuel check passes and the compiled function's own cost
    // is then charged exactly as on any later call.
    uint32_t entry_cost = 0;
    std::vector<runtime::CodeUnit> code;

    bool is_compiled() const { return frame_slots != k_not_compiled; }
};

// What the compiler needs to know about the instance it compiles for, index spaces resolved.
struct CompileContext {
    const ValidModule& module;
    Instance* instance = nullptr;
    std::span<Function* const> functions;                // whole function index space
    std::span<const CompiledFunction* const> code;       // per function index; null for a host function
    std::span<Table* const> tables;
    std::span<Memory* const> memories;
    std::span<GlobalInstance* const> globals;
    std::span<const uint32_t> type_ids;                  // Store-wide id of each module type
    FuelMetering metering = FuelMetering::On;
};

// Compiles defined function `defined_index` (0 = the first non-imported function) into `out`,
// whose instance/function fields the caller has set. On failure (a resource limit: validation
// proved the body correct) `out` is left uncompiled.
Result<void> compile_function(const CompileContext& context, uint32_t defined_index, CompiledFunction& out);

} // namespace hashos::wasm
