// The internal instruction set the compiler emits and the interpreter executes.
//
// Compiled code is a vector of 32-bit units. Every instruction starts with the address of its
// handler (64 bits, two units: threaded dispatch with g++ labels-as-values), followed by its
// operands in fixed-width units: slot numbers relative to the frame pointer (the frame holds
// params, then locals, then the operand stack, so every operand's place is known at compile
// time), immediates, relative branch offsets (in units, from the branching instruction's first
// unit) and 64-bit pointers to runtime objects (two units each).
//
// Ops are the rows of engine/opcodes.def (same name, same meaning; a numeric row reads its
// operands from slots and writes its result to a slot) plus the internal ops below. Layouts are
// documented next to each handler in engine/interpreter.cpp and each emitter in
// engine/compiler.cpp.
#pragma once

#include <cstdint>

namespace hashos::wasm::runtime {

#define HASHOS_RUNTIME_INTERNAL_OPS(X) \
    X(Copy)           /* dst, src */                                          \
    X(Const32)        /* dst, imm32 (zero-extended) */                        \
    X(Const64)        /* dst, imm64 */                                        \
    X(Jump)           /* rel */                                               \
    X(JumpIf)         /* cond, rel: jumps when the i32 in cond is not zero */ \
    X(JumpUnless)     /* cond, rel */                                         \
    X(Return0)        /* */                                                   \
    X(Return1)        /* src */                                               \
    X(ReturnN)        /* count, src: moves count slots to the frame base */   \
    X(CallHost)       /* Function*, arg_base */                               \
    X(Halt)           /* the end of a top-level call */                       \
    X(I32AddImm)      /* dst, a, imm32 */                                     \
    X(I32SubImm)      /* dst, a, imm32 */                                     \
    X(JumpIfI32Eqz)   /* a, rel */                                            \
    X(JumpIfI32Eq)    /* a, b, rel */                                         \
    X(JumpIfI32Ne)    /* a, b, rel */                                         \
    X(JumpIfI32LtS)   /* a, b, rel */                                         \
    X(JumpIfI32LtU)   /* a, b, rel */                                         \
    X(JumpIfI32GtS)   /* a, b, rel */                                         \
    X(JumpIfI32GtU)   /* a, b, rel */                                         \
    X(JumpIfI32LeS)   /* a, b, rel */                                         \
    X(JumpIfI32LeU)   /* a, b, rel */                                         \
    X(JumpIfI32GeS)   /* a, b, rel */                                         \
    X(JumpIfI32GeU)   /* a, b, rel */

enum class Op : uint16_t {
#define WASM_OP(name, prefix, code, immediate, params, results, width, text) name,
#include "engine/opcodes.def"
#undef WASM_OP
#define HASHOS_OP_ENUM(name) name,
    HASHOS_RUNTIME_INTERNAL_OPS(HASHOS_OP_ENUM)
#undef HASHOS_OP_ENUM
        Count,
};

using CodeUnit = uint32_t;

// The handler address of each op, indexed by Op; defined in engine/interpreter.cpp, where the
// labels live.
const void* const* handler_table();

} // namespace hashos::wasm::runtime
