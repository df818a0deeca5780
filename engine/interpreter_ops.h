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

// Each conditional jump (and its Loop twin) also has two fused twins that first do an add, the
// induction step that so often comes right before a loop's compare-and-branch:
// I32AddThen##NAME and I64AddThen##NAME: dst, a, b, then NAME's operands (dst = a + b, then the
// jump, whose operands may read dst). Their Loop twins check the fuel before the add, so that an
// instruction stopped for fuel has had no effect and runs again whole on resume.

// The loads and stores of the opcode table; each has a twin named NAME##Indexed whose address
// operand is two slots added as i32 (the `i32.add` that so often computes an address, fused):
// loads  dst, a, b, offset   (address = u32(a + b) + offset)
// stores a, b, value, offset
// and a twin named NAME##IndexedTee for an i32.add whose sum a local.tee also kept:
// loads  dst, a, b, sum, offset; stores a, b, sum, value, offset (the sum is written to slot sum).
#define HASHOS_RUNTIME_MEMORY_ACCESSES(X) \
    X(I32Load) X(I64Load) X(F32Load) X(F64Load) X(I32Load8S) X(I32Load8U) X(I32Load16S) X(I32Load16U) \
    X(I64Load8S) X(I64Load8U) X(I64Load16S) X(I64Load16U) X(I64Load32S) X(I64Load32U)                 \
    X(I32Store) X(I64Store) X(F32Store) X(F64Store) X(I32Store8) X(I32Store16) X(I64Store8)          \
    X(I64Store16) X(I64Store32)

// Pairs of binary numeric ops fused into one instruction when the first's result (a stack slot)
// is the second's operand, chosen by how often they follow each other in the benchmark workloads
// (hashing, address arithmetic, dot products). Each pair is two ops, FIRSTThenSECOND and
// FIRSTThenSECONDSwapped: dst, a, b, c computes (a FIRST b) SECOND c, or c SECOND (a FIRST b).
#define HASHOS_RUNTIME_FUSED_BINARIES(X) \
    X(I32Shl, I32Add) X(I32Add, I32Shl) X(I32Mul, I32Add) X(I32Add, I32Mul) X(I32Sub, I32Add)   \
    X(I32Add, I32Sub) X(I32And, I32Add) X(I32Add, I32And) X(I32Xor, I32Add) X(I32Add, I32Xor)   \
    X(I32Rotl, I32Xor) X(I32Xor, I32Rotl) X(I32Rotr, I32Xor) X(I32Xor, I32Rotr)                \
    X(I32ShrU, I32Xor) X(I32Xor, I32ShrU) X(I32Shl, I32Xor) X(I32And, I32Xor) X(I32Xor, I32And) \
    X(I32Xor, I32Xor) X(I32Or, I32Xor) X(I32ShrU, I32And) X(I32And, I32Or) X(I32Shl, I32Or)     \
    X(I32ShrU, I32Or) X(I32Xor, I32Mul) X(I32Mul, I32Xor)                                      \
    X(I64Mul, I64Add) X(I64Xor, I64Mul) X(I64Shl, I64Or) X(I64ShrU, I64Xor) X(I64Add, I64Xor)  \
    X(I64Xor, I64Xor) X(I64ShrU, I64Or) X(I64And, I64Or)                                       \
    X(F64Mul, F64Add) X(F64Mul, F64Sub) X(F64Sub, F64Mul) X(F64Mul, F64Mul) X(F64Add, F64Add)  \
    X(F64Add, F64Mul) X(F64Sub, F64Sub) X(F64Div, F64Mul) X(F64Mul, F64Div)                    \
    X(F32Mul, F32Add) X(F32Add, F32Add) X(F32Mul, F32Mul) X(F32Sub, F32Mul) X(F32Mul, F32Sub)

// Loads fused with the binary op that takes the loaded value (a stack slot only it reads), four
// ops per pair: LOADThenOP (dst, x, address, offset: dst = x OP loaded), LOADThenOPSwapped
// (loaded OP x), and LOADIndexedThenOP, LOADIndexedThenOPSwapped (dst, x, a, b, offset: the
// address is u32(a + b), as for the indexed loads).
#define HASHOS_RUNTIME_LOAD_BINARIES(X)                                                        \
    X(I32Load, I32Add) X(I32Load, I32Xor) X(I32Load, I32And) X(I32Load, I32Sub)             \
    X(I32Load8U, I32Add) X(I32Load8U, I32Xor) X(I64Load, I64Add) X(I64Load, I64Xor)         \
    X(F32Load, F32Add) X(F32Load, F32Sub) X(F32Load, F32Mul)                                \
    X(F64Load, F64Add) X(F64Load, F64Sub) X(F64Load, F64Mul)

// Binary ops whose result only the store right after them reads (the value stored): two ops per
// pair, OP##Then##STORE (address, a, b, offset: stores a OP b, never writing a slot) and
// OP##Then##STORE##AndI32Add (then an independent i32.add's dst, a, b, as the stores' twins).
#define HASHOS_RUNTIME_BINARY_STORES(X)                                                          \
    X(I32Add, I32Store) X(I32Sub, I32Store) X(I32Mul, I32Store) X(I32And, I32Store)            \
    X(I32Or, I32Store) X(I32Xor, I32Store) X(I32Shl, I32Store) X(I32ShrU, I32Store)            \
    X(I32LtS, I32Store) X(I64Add, I64Store) X(I64Xor, I64Store) X(F32Add, F32Store)            \
    X(F32Sub, F32Store) X(F32Mul, F32Store) X(F64Add, F64Store) X(F64Sub, F64Store)            \
    X(F64Mul, F64Store)

// `*p OP= x`: a load fused with its binary op (runtime::HASHOS_RUNTIME_LOAD_BINARIES, plain
// address) whose result only a store to the same address and offset reads. Four ops per triple:
// LOAD##Then##OP##Then##STORE (x, address, offset: memory = x OP memory), the same with
// OP##Swapped (memory OP x), and an ...AndI32Add twin of each (an independent i32.add after).
#define HASHOS_RUNTIME_LOAD_BINARY_STORES(X)                                                      \
    X(I32Load, I32Add, I32Store) X(I32Load, I32Xor, I32Store) X(I32Load, I32And, I32Store)       \
    X(I32Load, I32Sub, I32Store) X(I32Load8U, I32Add, I32Store8) X(I32Load8U, I32Xor, I32Store8) \
    X(I64Load, I64Add, I64Store) X(I64Load, I64Xor, I64Store) X(F32Load, F32Add, F32Store)       \
    X(F32Load, F32Sub, F32Store) X(F32Load, F32Mul, F32Store) X(F64Load, F64Add, F64Store)       \
    X(F64Load, F64Sub, F64Store) X(F64Load, F64Mul, F64Store)

// Instructions that an independent i32.add right after them (a pointer or counter step) joins:
// NAME##AndI32Add does NAME, then the add, whose dst, a, b follow NAME's own operands.
#define HASHOS_RUNTIME_AND_I32_ADD(X)                                                              \
    X(Copy) X(I32Add) X(I32Store) X(I64Store) X(F32Store) X(F64Store) X(I32Store8) X(I32Store16) \
    X(I64Store8) X(I64Store16) X(I64Store32) X(I32StoreIndexed) X(I64StoreIndexed)               \
    X(F32StoreIndexed) X(F64StoreIndexed) X(I32Store8Indexed) X(I32Store16Indexed)               \
    X(I64Store8Indexed) X(I64Store16Indexed) X(I64Store32Indexed)

// Pairs of instructions joined into one dispatch, when the second follows the first with no
// label between (engine/compiler.cpp: join_pair): FIRST##And##SECOND does FIRST, then goes
// straight to SECOND's own handler, whose operands follow FIRST's. Any two instructions run in
// sequence this way, dependent or not; SECOND must be one that no jump or fixup points into
// (no control flow), which holds for every row of the lists below.
#define HASHOS_RUNTIME_JOIN_FIRSTS(X)                                                              \
    X(I32Add) X(Copy) X(Copy2) X(I32Load) X(I32LoadIndexed) X(I64LoadIndexed) X(F32Load)       \
    X(F32LoadIndexed) X(F64Load) X(F64LoadIndexed) X(I32Rotl) X(I32And) X(I32Xor) X(F64Mul)
#define HASHOS_RUNTIME_JOIN_SECONDS(X, first)                                                      \
    X(first, I32Load) X(first, I32LoadIndexed) X(first, I32LoadIndexedTee) X(first, I32Load8U)   \
    X(first, I32Load8UIndexed) X(first, I64Load) X(first, I64LoadIndexed) X(first, F32Load)      \
    X(first, F32LoadIndexed) X(first, F64Load) X(first, F64LoadIndexed) X(first, I32Store)       \
    X(first, I32StoreIndexed) X(first, I64Store) X(first, I64StoreIndexed) X(first, F64Store)    \
    X(first, F64StoreIndexed) X(first, F32Store) X(first, F32StoreIndexed) X(first, I32Store8)   \
    X(first, Copy) X(first, Copy2) X(first, I32Sub) X(first, I32Mul) X(first, I32Shl)           \
    X(first, I32And) X(first, I32Or) X(first, I32Xor) X(first, I32ShrU) X(first, I32Rotl)       \
    X(first, I32ShlThenI32Add) X(first, I32ShlThenI32AddSwapped) X(first, I32RotlThenI32XorSwapped) \
    X(first, I32ShrUThenI32XorSwapped) X(first, I64Add) X(first, I64Mul) X(first, F32Mul)       \
    X(first, F64Mul) X(first, F64Add) X(first, F64Sub) X(first, F64MulThenF64Mul)               \
    X(first, F64MulThenF64Add) X(first, F32MulThenF32Add) X(first, I32LoadIndexedThenI32Add)    \
    X(first, I32Load8UIndexedThenI32Xor) X(first, F32LoadThenF32Mul)                             \
    X(first, F32LoadIndexedThenF32Mul) X(first, F64LoadThenF64Add) X(first, F64LoadIndexedThenF64Sub)

#define HASHOS_RUNTIME_INTERNAL_OPS(X)                                        \
    X(Copy)           /* dst, src */                                          \
    X(Copy2)          /* dst, src, dst2, src2: two copies, in that order */   \
    X(I32Add3)        /* dst, a, b, c: a + b + c */                           \
    X(Const32)        /* dst, imm32 (zero-extended) */                        \
    X(Const64)        /* dst, imm64 */                                        \
    X(Jump)           /* rel */                                               \
    X(JumpLoop)       /* rel, cost: a back-edge */                            \
    X(I32AddThenJump) /* dst, a, b, rel: an add, then Jump */                 \
    X(I64AddThenJump) /* dst, a, b, rel */                                    \
    X(I32AddThenJumpLoop) /* dst, a, b, rel, cost: an add, then JumpLoop */   \
    X(I64AddThenJumpLoop) /* dst, a, b, rel, cost */                          \
    X(CopyThenJump)   /* dst, src, rel: a copy (a block's value, a local), then Jump */ \
    X(CopyThenJumpLoop) /* dst, src, rel, cost: charges first, then copies */ \
    X(Copy2ThenJump)  /* dst, src, dst2, src2, rel */                         \
    X(Copy2ThenJumpLoop) /* dst, src, dst2, src2, rel, cost */                \
    X(BrTableI32Load) /* address, offset, count, rel[count + 1]: br_table on a loaded i32 */ \
    X(I32AddThenBrTableI32Load) /* dst, a, b, then BrTableI32Load's operands */ \
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
#define HASHOS_OP_ENUM_INDEXED(name) name##Indexed, name##IndexedTee,
#define HASHOS_OP_ENUM_ADD_THEN(name) I32AddThen##name, I32AddThen##name##Loop, I64AddThen##name, I64AddThen##name##Loop,
#define HASHOS_OP_ENUM_FUSED(first, second) first##Then##second, first##Then##second##Swapped,
#define HASHOS_OP_ENUM_AND_I32_ADD(name) name##AndI32Add,
#define HASHOS_OP_ENUM_BINARY_STORE(op, store) op##Then##store, op##Then##store##AndI32Add,
#define HASHOS_OP_ENUM_LOAD_BINARY_STORE(load, op, store) load##Then##op##Then##store, load##Then##op##Swapped##Then##store, \
    load##Then##op##Then##store##AndI32Add, load##Then##op##Swapped##Then##store##AndI32Add,
#define HASHOS_OP_ENUM_JOIN_PAIR(first, second) first##And##second,
#define HASHOS_OP_ENUM_JOIN_FIRST(first) HASHOS_RUNTIME_JOIN_SECONDS(HASHOS_OP_ENUM_JOIN_PAIR, first)
#define HASHOS_OP_ENUM_LOAD_THEN(load, op) load##Then##op, load##Then##op##Swapped, load##IndexedThen##op, load##IndexedThen##op##Swapped,
    HASHOS_RUNTIME_INTERNAL_OPS(HASHOS_OP_ENUM)
    HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_OP_ENUM_LOOP)
    HASHOS_RUNTIME_MEMORY_ACCESSES(HASHOS_OP_ENUM_INDEXED)
    HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_OP_ENUM_ADD_THEN)
    HASHOS_RUNTIME_FUSED_BINARIES(HASHOS_OP_ENUM_FUSED)
    HASHOS_RUNTIME_LOAD_BINARIES(HASHOS_OP_ENUM_LOAD_THEN)
    HASHOS_RUNTIME_AND_I32_ADD(HASHOS_OP_ENUM_AND_I32_ADD)
    HASHOS_RUNTIME_BINARY_STORES(HASHOS_OP_ENUM_BINARY_STORE)
    HASHOS_RUNTIME_LOAD_BINARY_STORES(HASHOS_OP_ENUM_LOAD_BINARY_STORE)
    HASHOS_RUNTIME_JOIN_FIRSTS(HASHOS_OP_ENUM_JOIN_FIRST)
#undef HASHOS_OP_ENUM_JOIN_FIRST
#undef HASHOS_OP_ENUM_JOIN_PAIR
#undef HASHOS_OP_ENUM_AND_I32_ADD
#undef HASHOS_OP_ENUM_BINARY_STORE
#undef HASHOS_OP_ENUM_LOAD_BINARY_STORE
#undef HASHOS_OP_ENUM_LOAD_THEN
#undef HASHOS_OP_ENUM_FUSED
#undef HASHOS_OP_ENUM
#undef HASHOS_OP_ENUM_LOOP
#undef HASHOS_OP_ENUM_INDEXED
#undef HASHOS_OP_ENUM_ADD_THEN
        Count,
};

using CodeUnit = uint32_t;

// The handler address of each op, indexed by Op; defined in engine/interpreter.cpp, where the
// labels live.
const void* const* handler_table();

} // namespace hashos::wasm::runtime
