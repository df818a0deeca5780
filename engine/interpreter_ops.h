// The internal instruction set the compiler emits and the interpreter executes.
//
// Compiled code is a vector of 32-bit units. Every instruction starts with the address of its
// handler (64 bits, two units: threaded dispatch with g++ labels-as-values), followed by its
// operands in fixed-width units: slot numbers relative to the frame pointer (the frame holds
// params, then locals, then the function's constants, then the operand stack, so every operand's
// place is known at compile time), immediates, relative branch offsets (in units, from the branching instruction's first
// unit) and 64-bit pointers to runtime objects (two units each).
//
// Ops are the rows of engine/opcodes.def (same name, same meaning; a numeric row reads its
// operands from slots and writes its result to a slot) plus the internal ops below. Layouts are
// documented next to each handler in engine/interpreter.cpp and each emitter in
// engine/compiler.cpp.
#pragma once

#include <cstdint>

namespace hashos::wasm::runtime {

// The conditional jumps; each has a twin named NAME##Loop for loop back-edges, with one more
// unit, the loop's fuel cost, which it charges when it jumps (engine/interpreter.cpp: Fuel).
#define HASHOS_RUNTIME_CONDITIONAL_JUMPS(X) \
    X(JumpIf)         /* cond, rel: jumps when the i32 in cond is not zero */ \
    X(JumpUnless)     /* cond, rel */                                         \
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
    X(JumpIfI32GeU)   /* a, b, rel */                                         \
    X(JumpIfI64Eqz)   /* a, rel */                                            \
    X(JumpIfI64Nez)   /* a, rel */                                            \
    X(JumpIfI64Eq)    /* a, b, rel */                                         \
    X(JumpIfI64Ne)    /* a, b, rel */                                         \
    X(JumpIfI64LtS)   /* a, b, rel */                                         \
    X(JumpIfI64LtU)   /* a, b, rel */                                         \
    X(JumpIfI64GtS)   /* a, b, rel */                                         \
    X(JumpIfI64GtU)   /* a, b, rel */                                         \
    X(JumpIfI64LeS)   /* a, b, rel */                                         \
    X(JumpIfI64LeU)   /* a, b, rel */                                         \
    X(JumpIfI64GeS)   /* a, b, rel */                                         \
    X(JumpIfI64GeU)   /* a, b, rel */

// The loads and stores of the opcode table; each has a twin named NAME##Indexed whose address
// operand is two slots added as i32 (the `i32.add` that so often computes an address, fused):
// loads  dst, a, b, offset   (address = u32(a + b) + offset)
// stores a, b, value, offset
#define HASHOS_RUNTIME_MEMORY_ACCESSES(X) \
    X(I32Load) X(I64Load) X(F32Load) X(F64Load) X(I32Load8S) X(I32Load8U) X(I32Load16S) X(I32Load16U) \
    X(I64Load8S) X(I64Load8U) X(I64Load16S) X(I64Load16U) X(I64Load32S) X(I64Load32U)                 \
    X(I32Store) X(I64Store) X(F32Store) X(F64Store) X(I32Store8) X(I32Store16) X(I64Store8)          \
    X(I64Store16) X(I64Store32)

#define HASHOS_RUNTIME_INTERNAL_OPS(X)                                        \
    X(Copy)           /* dst, src */                                          \
    X(Copy2)          /* dst, src, dst2, src2: two copies, in that order */   \
    X(I32Add3)        /* dst, a, b, c: a + b + c */                           \
    X(Const32)        /* dst, imm32 (zero-extended) */                        \
    X(Const64)        /* dst, imm64 */                                        \
    X(Jump)           /* rel */                                               \
    X(JumpLoop)       /* rel, cost: a back-edge */                            \
    X(Return0)        /* */                                                   \
    X(Return1)        /* src */                                               \
    X(ReturnN)        /* count, src: moves count slots to the frame base */   \
    X(CallHost)       /* Function*, arg_base */                               \
    X(Halt)           /* the end of a top-level call */                       \
    HASHOS_RUNTIME_CONDITIONAL_JUMPS(X)

enum class Op : uint16_t {
#define WASM_OP(name, prefix, code, immediate, params, results, width, text) name,
#include "engine/opcodes.def"
#undef WASM_OP
#define HASHOS_OP_ENUM(name) name,
#define HASHOS_OP_ENUM_LOOP(name) name##Loop,
#define HASHOS_OP_ENUM_INDEXED(name) name##Indexed,
    HASHOS_RUNTIME_INTERNAL_OPS(HASHOS_OP_ENUM)
    HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_OP_ENUM_LOOP)
    HASHOS_RUNTIME_MEMORY_ACCESSES(HASHOS_OP_ENUM_INDEXED)
#undef HASHOS_OP_ENUM
#undef HASHOS_OP_ENUM_LOOP
#undef HASHOS_OP_ENUM_INDEXED
        Count,
};

using CodeUnit = uint32_t;

// The handler address of each op, indexed by Op; defined in engine/interpreter.cpp, where the
// labels live.
const void* const* handler_table();

} // namespace hashos::wasm::runtime
