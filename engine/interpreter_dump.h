// A listing of a function's compiled code (engine/interpreter_ops.h), for whoever tunes the
// compiler's peepholes: one instruction per line, its offset in units, the op's name and its
// operand units as numbers. Used by `hashos-bench --dump`.
#pragma once

#include "engine/interpreter_ops.h"
#include "engine/store.h"

#include <string>

namespace hashos::wasm {

// The name of an internal op (the opcode table's name for the rows of engine/opcodes.def).
const char* op_name(runtime::Op op);

// The listing of a wasm function's compiled code; empty for a host function.
std::string disassemble(const Function& function);

} // namespace hashos::wasm
