// The interpreter: threaded dispatch over the code of engine/compiler.cpp.
// https://webassembly.github.io/spec/core/exec/instructions.html
//
// Every instruction starts with its handler's address; a handler does its work and jumps straight
// to the next handler (g++ labels-as-values). Operands are slots relative to the frame pointer fp.
// The loop keeps pc, fp, the top of the frame stack, the current instance, its memory's base and
// size, and the remaining fuel in locals; they are saved to Thread::Impl when the loop stops
// (out of fuel, suspended host call), so run() resumes exactly where it left off. Calls never
// recurse on the C++ stack: a wasm call pushes a Frame and continues in the same loop.
//
// Fuel: about one unit per wasm instruction, charged in bulk, never per instruction. A call
// charges the callee's instructions outside loops; a loop's own instructions are charged by its
// header when the loop is entered and by the back-edge jump (a ...Loop op) on every further
// iteration, so an iteration pays no dispatch for its fuel; a host call charges one. Code compiled
// with FuelMetering::Off has none of these charges (entry costs are zero). Code between two
// charge points runs without a check, since straight-line code and forward branches cannot run
// without bound. A charge larger than the fuel left stops the run (OutOfFuel) and the leftover is
// carried into the next run(), so a run never overdraws, a charge larger than a slice is paid
// over several slices, and a call sliced into any budgets charges exactly what an uninterrupted
// call does. (A back-edge fused with the add before it stops when its charge exceeds the fuel
// left even if it would not jump, so that it never runs its add twice; it still charges only
// when it jumps.)
#include "engine/instance.h"
#include "engine/numerics.h"
#include "engine/thread_impl.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>

namespace hashos::wasm {

using runtime::CodeUnit;
using runtime::Op;

static_assert(std::endian::native == std::endian::little, "linear memory accesses assume a little-endian host");

namespace {

template<typename T>
inline T pointer_at(const CodeUnit* code)
{
    uint64_t bits;
    std::memcpy(&bits, code, sizeof(bits));
    return reinterpret_cast<T>(uintptr_t(bits));
}

inline uint64_t u64_at(const CodeUnit* code)
{
    uint64_t bits;
    std::memcpy(&bits, code, sizeof(bits));
    return bits;
}

template<typename T>
inline T get(const Value& value)
{
    if constexpr (std::is_same_v<T, float>)
        return std::bit_cast<float>(uint32_t(value.bits));
    else if constexpr (std::is_same_v<T, double>)
        return std::bit_cast<double>(value.bits);
    else
        return T(value.bits); // integers: truncation to 32 bits where T is 32 bits wide
}

// i32 results are stored zero-extended, like Value::from_i32.
template<typename T>
inline void put(Value& slot, T value)
{
    if constexpr (std::is_same_v<T, float>)
        slot.bits = std::bit_cast<uint32_t>(value);
    else if constexpr (std::is_same_v<T, double>)
        slot.bits = std::bit_cast<uint64_t>(value);
    else if constexpr (sizeof(T) == 8)
        slot.bits = uint64_t(value);
    else {
        static_assert(sizeof(T) == 4, "slots hold 32- or 64-bit values");
        slot.bits = uint32_t(value);
    }
}

// A function's first call compiles it (engine/compiler.h); false with the reason in `error` if
// a compiler limit refuses it. Out of line and cold, so the call path's registers stay put.
[[gnu::noinline, gnu::cold]] bool compile_on_first_call(const CompiledFunction& callee, std::string& error)
{
    auto compiled = callee.instance->compile(callee);
    if (compiled.is_error()) {
        error = compiled.error().message();
        return false;
    }
    return true;
}

// The binary numeric ops that cannot trap: name, operand type, result from a and b.
// https://webassembly.github.io/spec/core/exec/numerics.html
#define HASHOS_PURE_BINARY_OPS(X) \
    X(I32Eq, uint32_t, uint32_t(a == b)) \
    X(I32Ne, uint32_t, uint32_t(a != b)) \
    X(I32LtS, int32_t, uint32_t(a < b)) \
    X(I32LtU, uint32_t, uint32_t(a < b)) \
    X(I32GtS, int32_t, uint32_t(a > b)) \
    X(I32GtU, uint32_t, uint32_t(a > b)) \
    X(I32LeS, int32_t, uint32_t(a <= b)) \
    X(I32LeU, uint32_t, uint32_t(a <= b)) \
    X(I32GeS, int32_t, uint32_t(a >= b)) \
    X(I32GeU, uint32_t, uint32_t(a >= b)) \
    X(I64Eq, uint64_t, uint32_t(a == b)) \
    X(I64Ne, uint64_t, uint32_t(a != b)) \
    X(I64LtS, int64_t, uint32_t(a < b)) \
    X(I64LtU, uint64_t, uint32_t(a < b)) \
    X(I64GtS, int64_t, uint32_t(a > b)) \
    X(I64GtU, uint64_t, uint32_t(a > b)) \
    X(I64LeS, int64_t, uint32_t(a <= b)) \
    X(I64LeU, uint64_t, uint32_t(a <= b)) \
    X(I64GeS, int64_t, uint32_t(a >= b)) \
    X(I64GeU, uint64_t, uint32_t(a >= b)) \
    X(F32Eq, float, uint32_t(a == b)) \
    X(F32Ne, float, uint32_t(a != b)) \
    X(F32Lt, float, uint32_t(a < b)) \
    X(F32Gt, float, uint32_t(a > b)) \
    X(F32Le, float, uint32_t(a <= b)) \
    X(F32Ge, float, uint32_t(a >= b)) \
    X(F64Eq, double, uint32_t(a == b)) \
    X(F64Ne, double, uint32_t(a != b)) \
    X(F64Lt, double, uint32_t(a < b)) \
    X(F64Gt, double, uint32_t(a > b)) \
    X(F64Le, double, uint32_t(a <= b)) \
    X(F64Ge, double, uint32_t(a >= b)) \
    X(I32Add, uint32_t, uint32_t(a + b)) \
    X(I32Sub, uint32_t, uint32_t(a - b)) \
    X(I32Mul, uint32_t, uint32_t(a * b)) \
    X(I32And, uint32_t, uint32_t(a & b)) \
    X(I32Or, uint32_t, uint32_t(a | b)) \
    X(I32Xor, uint32_t, uint32_t(a ^ b)) \
    X(I32Shl, uint32_t, uint32_t(a << (b & 31))) \
    X(I32ShrS, uint32_t, int32_t(int32_t(a) >> (b & 31))) \
    X(I32ShrU, uint32_t, uint32_t(a >> (b & 31))) \
    X(I32Rotl, uint32_t, uint32_t(std::rotl(a, int(b & 31)))) \
    X(I32Rotr, uint32_t, uint32_t(std::rotr(a, int(b & 31)))) \
    X(I64Add, uint64_t, uint64_t(a + b)) \
    X(I64Sub, uint64_t, uint64_t(a - b)) \
    X(I64Mul, uint64_t, uint64_t(a * b)) \
    X(I64And, uint64_t, uint64_t(a & b)) \
    X(I64Or, uint64_t, uint64_t(a | b)) \
    X(I64Xor, uint64_t, uint64_t(a ^ b)) \
    X(I64Shl, uint64_t, uint64_t(a << (b & 63))) \
    X(I64ShrS, uint64_t, int64_t(int64_t(a) >> (b & 63))) \
    X(I64ShrU, uint64_t, uint64_t(a >> (b & 63))) \
    X(I64Rotl, uint64_t, uint64_t(std::rotl(a, int(b & 63)))) \
    X(I64Rotr, uint64_t, uint64_t(std::rotr(a, int(b & 63)))) \
    X(F32Add, float, a + b) \
    X(F32Sub, float, a - b) \
    X(F32Mul, float, a * b) \
    X(F32Div, float, a / b) \
    X(F32Min, float, numerics::min(a, b)) \
    X(F32Max, float, numerics::max(a, b)) \
    X(F32Copysign, float, numerics::copysign(a, b)) \
    X(F64Add, double, a + b) \
    X(F64Sub, double, a - b) \
    X(F64Mul, double, a * b) \
    X(F64Div, double, a / b) \
    X(F64Min, double, numerics::min(a, b)) \
    X(F64Max, double, numerics::max(a, b)) \
    X(F64Copysign, double, numerics::copysign(a, b))

// The loads: name, the type in memory, the type it is extended to.
#define HASHOS_LOADS(X)                 \
    X(I32Load, uint32_t, uint32_t)      \
    X(I64Load, uint64_t, uint64_t)      \
    X(F32Load, uint32_t, uint32_t)      \
    X(F64Load, uint64_t, uint64_t)      \
    X(I32Load8S, int8_t, int32_t)       \
    X(I32Load8U, uint8_t, uint32_t)     \
    X(I32Load16S, int16_t, int32_t)     \
    X(I32Load16U, uint16_t, uint32_t)   \
    X(I64Load8S, int8_t, int64_t)       \
    X(I64Load8U, uint8_t, uint64_t)     \
    X(I64Load16S, int16_t, int64_t)     \
    X(I64Load16U, uint16_t, uint64_t)   \
    X(I64Load32S, int32_t, int64_t)     \
    X(I64Load32U, uint32_t, uint64_t)

// The stores: name, the type written to memory.
#define HASHOS_STORES(X) \
    X(I32Store, uint32_t) X(I64Store, uint64_t) X(F32Store, uint32_t) X(F64Store, uint64_t) \
    X(I32Store8, uint8_t) X(I32Store16, uint16_t) X(I64Store8, uint8_t) X(I64Store16, uint16_t) \
    X(I64Store32, uint32_t)

// The threads proposal's loads, stores, read-modify-writes and compare-exchanges: name, the
// type in memory, the type of the result (zero-extended), and for the rmw the __atomic builtin.
#define HASHOS_ATOMIC_RMW_FAMILY(RMW, Name, fetch)                                                   \
    RMW(I32AtomicRmw##Name, uint32_t, uint32_t, fetch) RMW(I64AtomicRmw##Name, uint64_t, uint64_t, fetch) \
    RMW(I32AtomicRmw8##Name##U, uint8_t, uint32_t, fetch) RMW(I32AtomicRmw16##Name##U, uint16_t, uint32_t, fetch) \
    RMW(I64AtomicRmw8##Name##U, uint8_t, uint64_t, fetch) RMW(I64AtomicRmw16##Name##U, uint16_t, uint64_t, fetch) \
    RMW(I64AtomicRmw32##Name##U, uint32_t, uint64_t, fetch)
#define HASHOS_ATOMIC_ACCESSES(LOAD, STORE, RMW, CMPXCHG)                                          \
    LOAD(I32AtomicLoad, uint32_t, uint32_t) LOAD(I64AtomicLoad, uint64_t, uint64_t)                  \
    LOAD(I32AtomicLoad8U, uint8_t, uint32_t) LOAD(I32AtomicLoad16U, uint16_t, uint32_t)             \
    LOAD(I64AtomicLoad8U, uint8_t, uint64_t) LOAD(I64AtomicLoad16U, uint16_t, uint64_t)             \
    LOAD(I64AtomicLoad32U, uint32_t, uint64_t)                                                       \
    STORE(I32AtomicStore, uint32_t) STORE(I64AtomicStore, uint64_t) STORE(I32AtomicStore8, uint8_t)  \
    STORE(I32AtomicStore16, uint16_t) STORE(I64AtomicStore8, uint8_t) STORE(I64AtomicStore16, uint16_t) \
    STORE(I64AtomicStore32, uint32_t)                                                                \
    HASHOS_ATOMIC_RMW_FAMILY(RMW, Add, __atomic_fetch_add)                                           \
    HASHOS_ATOMIC_RMW_FAMILY(RMW, Sub, __atomic_fetch_sub)                                           \
    HASHOS_ATOMIC_RMW_FAMILY(RMW, And, __atomic_fetch_and)                                           \
    HASHOS_ATOMIC_RMW_FAMILY(RMW, Or, __atomic_fetch_or)                                             \
    HASHOS_ATOMIC_RMW_FAMILY(RMW, Xor, __atomic_fetch_xor)                                           \
    HASHOS_ATOMIC_RMW_FAMILY(RMW, Xchg, __atomic_exchange_n)                                         \
    CMPXCHG(I32AtomicRmwCmpxchg, uint32_t, uint32_t) CMPXCHG(I64AtomicRmwCmpxchg, uint64_t, uint64_t) \
    CMPXCHG(I32AtomicRmw8CmpxchgU, uint8_t, uint32_t) CMPXCHG(I32AtomicRmw16CmpxchgU, uint16_t, uint32_t) \
    CMPXCHG(I64AtomicRmw8CmpxchgU, uint8_t, uint64_t) CMPXCHG(I64AtomicRmw16CmpxchgU, uint16_t, uint64_t) \
    CMPXCHG(I64AtomicRmw32CmpxchgU, uint32_t, uint64_t)

template<Op op>
struct LoadType;
#define HASHOS_LOAD_TYPE(name, MemoryType, ResultType) \
    template<>                                         \
    struct LoadType<Op::name> {                        \
        using Memory = MemoryType;                     \
        using Result = ResultType;                     \
    };
HASHOS_LOADS(HASHOS_LOAD_TYPE)
#undef HASHOS_LOAD_TYPE

template<Op op>
struct StoreType;
#define HASHOS_STORE_TYPE(name, MemoryType) \
    template<>                              \
    struct StoreType<Op::name> {            \
        using Memory = MemoryType;          \
    };
HASHOS_STORES(HASHOS_STORE_TYPE)
#undef HASHOS_STORE_TYPE

// Binary<op>::apply computes a pure binary op, for its own handler and for the fused pairs
// (runtime::HASHOS_RUNTIME_FUSED_BINARIES).
template<Op op>
struct Binary;
#define HASHOS_BINARY_FUNCTION(name, In, expression)           \
    template<>                                                 \
    struct Binary<Op::name> {                                  \
        using Input = In;                                      \
        static inline auto apply(In a, In b) { return expression; } \
    };
HASHOS_PURE_BINARY_OPS(HASHOS_BINARY_FUNCTION)
#undef HASHOS_BINARY_FUNCTION

template<Op op>
inline auto apply_binary(const Value& a, const Value& b)
{
    using Input = typename Binary<op>::Input;
    return Binary<op>::apply(get<Input>(a), get<Input>(b));
}

[[gnu::noinline, gnu::cold]] std::string memory_trap(uint64_t address, uint64_t width, uint64_t size)
{
    return "out of bounds memory access: " + std::to_string(address) + "+" + std::to_string(width) + " > "
        + std::to_string(size);
}

[[gnu::noinline, gnu::cold]] std::string unaligned_atomic_trap(uint64_t address, uint64_t width)
{
    return "unaligned atomic: address " + std::to_string(address) + " is not a multiple of " + std::to_string(width);
}

// The slow path of every bounds check (docs/engine-threads.md): a run caches its memory's size,
// and another thread may have grown a shared memory since. The cache only ever lags behind (a
// memory never shrinks or moves), so an access out of bounds by it reloads the size before it
// traps, and the fast path pays nothing.
[[gnu::noinline, gnu::cold]] uint64_t current_memory_size(const Memory* memory)
{
    return memory ? memory->size_in_bytes() : 0;
}

// Out of line, so that the rare notify path leaves the interpreter loop's registers alone.
[[gnu::noinline]] uint32_t notify_waiters(Memory& memory, uint64_t address, uint32_t count)
{
    AtomicWaiters* waiters = memory.type().shared ? memory.waiters() : nullptr;
    return waiters ? waiters->notify(memory, address, count) : 0;
}

} // namespace

// Out of line, like notify_waiters().
void Interpreter::suspend_in_wait(Thread::Impl& impl, Value* result, const AtomicWait& wait)
{
    impl.suspended_function = nullptr;
    impl.suspended_slots = result;
    impl.suspended_wait = wait;
    impl.awaiting_host = true;
}

const void* const* runtime::handler_table() { return Interpreter::handlers(); }

const void* const* Interpreter::handlers()
{
    static const void* const* table = [] {
        const void* const* result = nullptr;
        execute(nullptr, 0, &result);
        return result;
    }();
    return table;
}

RunState Interpreter::run(Thread& thread, uint64_t fuel) { return execute(&thread, fuel, nullptr); }

RunState Interpreter::execute(Thread* thread, uint64_t budget, const void* const** table_out)
{
    static void* const k_handlers[] = {
#define WASM_OP(name, prefix, code, immediate, params, results, width, text) &&op_##name,
#include "engine/opcodes.def"
#undef WASM_OP
#define HASHOS_OP_LABEL(name) &&op_##name,
#define HASHOS_OP_LABEL_LOOP(name) &&op_##name##Loop,
#define HASHOS_OP_LABEL_INDEXED(name) &&op_##name##Indexed, &&op_##name##IndexedTee,
#define HASHOS_OP_LABEL_ADD_THEN(name) &&op_I32AddThen##name, &&op_I32AddThen##name##Loop, &&op_I64AddThen##name, &&op_I64AddThen##name##Loop,
#define HASHOS_OP_LABEL_FUSED(first, second) &&op_##first##Then##second, &&op_##first##Then##second##Swapped,
#define HASHOS_OP_LABEL_AND_I32_ADD(name) &&op_##name##AndI32Add,
#define HASHOS_OP_LABEL_BINARY_STORE(op, store) &&op_##op##Then##store, &&op_##op##Then##store##AndI32Add,
#define HASHOS_OP_LABEL_LOAD_BINARY_STORE(load, op, store) &&op_##load##Then##op##Then##store, &&op_##load##Then##op##Swapped##Then##store, \
    &&op_##load##Then##op##Then##store##AndI32Add, &&op_##load##Then##op##Swapped##Then##store##AndI32Add,
#define HASHOS_OP_LABEL_JOIN_PAIR(first, second) &&op_##first##And##second,
#define HASHOS_OP_LABEL_JOIN_FIRST(first) HASHOS_RUNTIME_JOIN_SECONDS(HASHOS_OP_LABEL_JOIN_PAIR, first)
#define HASHOS_OP_LABEL_LOAD_THEN(load, op) &&op_##load##Then##op, &&op_##load##Then##op##Swapped, &&op_##load##IndexedThen##op, &&op_##load##IndexedThen##op##Swapped,
        HASHOS_RUNTIME_INTERNAL_OPS(HASHOS_OP_LABEL)
        HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_OP_LABEL_LOOP)
        HASHOS_RUNTIME_MEMORY_ACCESSES(HASHOS_OP_LABEL_INDEXED)
        HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_OP_LABEL_ADD_THEN)
        HASHOS_RUNTIME_FUSED_BINARIES(HASHOS_OP_LABEL_FUSED)
        HASHOS_RUNTIME_LOAD_BINARIES(HASHOS_OP_LABEL_LOAD_THEN)
        HASHOS_RUNTIME_AND_I32_ADD(HASHOS_OP_LABEL_AND_I32_ADD)
        HASHOS_RUNTIME_BINARY_STORES(HASHOS_OP_LABEL_BINARY_STORE)
        HASHOS_RUNTIME_LOAD_BINARY_STORES(HASHOS_OP_LABEL_LOAD_BINARY_STORE)
        HASHOS_RUNTIME_JOIN_FIRSTS(HASHOS_OP_LABEL_JOIN_FIRST)
#undef HASHOS_OP_LABEL_JOIN_FIRST
#undef HASHOS_OP_LABEL_JOIN_PAIR
#undef HASHOS_OP_LABEL_AND_I32_ADD
#undef HASHOS_OP_LABEL_BINARY_STORE
#undef HASHOS_OP_LABEL_LOAD_BINARY_STORE
#undef HASHOS_OP_LABEL_LOAD_THEN
#undef HASHOS_OP_LABEL_FUSED
#undef HASHOS_OP_LABEL
#undef HASHOS_OP_LABEL_LOOP
#undef HASHOS_OP_LABEL_INDEXED
#undef HASHOS_OP_LABEL_ADD_THEN
    };
    static_assert(sizeof(k_handlers) / sizeof(k_handlers[0]) == size_t(Op::Count));
    if (table_out) {
        *table_out = const_cast<const void* const*>(k_handlers);
        return RunState::Idle;
    }

    Thread::Impl& t = *thread->m_impl;
    // The hot state in callee-saved registers, fixed: g++'s allocator otherwise moves fp or the
    // memory base to the stack whenever handlers are added (seen on x86-64: a stack load in
    // every handler, +10-25% instructions). Callee-saved, so calls out of the loop keep them;
    // optimised builds only (at -O0 rbp is the frame pointer).
#if defined(__x86_64__) && !defined(__clang__) && defined(__OPTIMIZE__)
    register const CodeUnit* pc asm("rbx") = t.pc;
    register Value* fp asm("rbp") = t.fp;
#else
    const CodeUnit* pc = t.pc;
    Value* fp = t.fp;
#endif
    Frame* frame_top = t.frame_top;
    Instance* instance = t.instance;
    Frame* const frame_limit = t.frames + t.frame_capacity;
    Value* const stack_limit = t.stack + t.stack_slots;
    const uint64_t start_fuel = std::min(budget, UINT64_MAX - t.fuel_carry) + t.fuel_carry;
    // A hint to g++ to keep the fuel in a register: every loop back-edge updates it, and a
    // spilled counter puts a store-to-load round trip on each iteration (seen on x86-64, where
    // g++ otherwise gives the callee-saved registers to pc, fp and the memory base and size).
#if defined(__x86_64__) && !defined(__clang__)
    register uint64_t fuel asm("r15") = start_fuel;
#else
    uint64_t fuel = start_fuel;
#endif
#if defined(__x86_64__) && !defined(__clang__) && defined(__OPTIMIZE__)
    register uint8_t* memory_base asm("r12") = nullptr;
    register uint64_t memory_size asm("r13") = 0;
#else
    uint8_t* memory_base = nullptr;
    uint64_t memory_size = 0;
#endif
    RunState state = RunState::Idle;
    std::string trap_text;
    // Operands of the shared call paths.
    const CompiledFunction* callee = nullptr;
    Function* host = nullptr;
    Value* callee_fp = nullptr;
    const CodeUnit* return_pc = nullptr;
    uint64_t trap_address = 0;
    uint64_t trap_width = 0;

#define RELOAD_MEMORY()                                                                   \
    do {                                                                                  \
        Memory* memory_ = instance ? instance->m_memory0 : nullptr;                       \
        memory_base = memory_ ? memory_->data() : nullptr;                                \
        memory_size = memory_ ? memory_->size_in_bytes() : 0;                             \
    } while (0)
// Whether the memory, its size reloaded, now holds [0, end): another thread grew it.
#define GREW_TO_HOLD(end) ((memory_size = current_memory_size(instance->m_memory0)) >= uint64_t(end))
#define DISPATCH() goto* pointer_at<void*>(pc)
// The empty asm makes the next handler's address a load from the new pc: otherwise g++ loads it
// from the old pc plus the length, which costs a copy of pc in every handler.
#define NEXT(units)                \
    do {                           \
        pc += (units);             \
        asm("" : "+r"(pc));        \
        DISPATCH();                \
    } while (0)
#define S(i) fp[pc[i]]
#define TRAP(message)          \
    do {                       \
        trap_text = (message); \
        goto trap;             \
    } while (0)
// Out of fuel, the instruction stops the run before it has any effect, and runs again on resume.
#define CHARGE(cost_index)                    \
    do {                                      \
        if (fuel < pc[cost_index])            \
            goto out_of_fuel;                 \
        fuel -= pc[cost_index];               \
    } while (0)
#define JUMP(offset_index)                    \
    do {                                      \
        pc += int32_t(pc[offset_index]);      \
        DISPATCH();                           \
    } while (0)

    RELOAD_MEMORY();
    DISPATCH();

    // ---- Internal ops -------------------------------------------------------------------------

    // An independent i32.add joined to the instruction before it (runtime::HASHOS_RUNTIME_AND_I32_ADD):
    // its dst, a, b follow that instruction's operands, from unit `at`.
#define AND_I32_ADD(at)                                           \
    put(S(at), uint32_t(S((at) + 1).u32() + S((at) + 2).u32()));  \
    NEXT((at) + 3);

op_Copy: // dst, src
    S(2) = S(3);
    NEXT(4);
op_CopyAndI32Add: // dst, src, then the add's dst, a, b
    S(2) = S(3);
    AND_I32_ADD(4)
op_I32AddAndI32Add: // dst, a, b, then the second add's dst, a, b
    put(S(2), uint32_t(S(3).u32() + S(4).u32()));
    AND_I32_ADD(5)

op_I32Add3: // dst, a, b, c
    put(S(2), uint32_t(S(3).u32() + S(4).u32() + S(5).u32()));
    NEXT(6);
op_Copy2: // dst, src, dst2, src2
    S(2) = S(3);
    S(4) = S(5);
    NEXT(6);
op_Const32: // dst, imm32
    S(2).bits = pc[3];
    NEXT(4);
op_Const64: // dst, imm64
    S(2).bits = u64_at(pc + 3);
    NEXT(5);
op_Jump: // rel
    JUMP(2);
op_JumpLoop: // rel, cost
    CHARGE(3);
    JUMP(2);
op_I32AddThenJump: // dst, a, b, rel
    put(S(2), uint32_t(S(3).u32() + S(4).u32()));
    JUMP(5);
op_I64AddThenJump: // dst, a, b, rel
    put(S(2), uint64_t(S(3).u64() + S(4).u64()));
    JUMP(5);
    // Out of fuel, these stop before the add, so that resuming runs them whole.
op_I32AddThenJumpLoop: // dst, a, b, rel, cost
    CHARGE(6);
    put(S(2), uint32_t(S(3).u32() + S(4).u32()));
    JUMP(5);
op_I64AddThenJumpLoop: // dst, a, b, rel, cost
    CHARGE(6);
    put(S(2), uint64_t(S(3).u64() + S(4).u64()));
    JUMP(5);
    // The copies that put a block's values or a loop's next locals in place, then the jump
    // (the Loop twins charge before copying, so that resuming runs them whole).
op_CopyThenJump: // dst, src, rel
    S(2) = S(3);
    JUMP(4);
op_CopyThenJumpLoop: // dst, src, rel, cost
    CHARGE(5);
    S(2) = S(3);
    JUMP(4);
op_Copy2ThenJump: // dst, src, dst2, src2, rel
    S(2) = S(3);
    S(4) = S(5);
    JUMP(6);
op_Copy2ThenJumpLoop: // dst, src, dst2, src2, rel, cost
    CHARGE(7);
    S(2) = S(3);
    S(4) = S(5);
    JUMP(6);

    // Each conditional jump and its back-edge twin, which charges the loop's fuel (the unit after
    // the offset) when it jumps. Out of fuel, it stops before jumping; run() resumes by testing
    // the condition again, which reads only slots and so gives the same answer.
    // The I32AddThen/I64AddThen twins (dst, a, b, then the jump's operands) do the add first; their
    // Loop twins stop for fuel before the add (whether or not they would jump), so that resuming
    // runs the whole instruction once: a run never overdraws, and fuel is still charged only
    // when the back-edge is taken. `test2` is the condition with its operands at unit 2, `test5`
    // the same at unit 5 (after the add's three).
#define JUMP_IF_ADD_THEN(name, Int, test5, operands)                 \
    op_##name:                                                       \
    put(S(2), Int(get<Int>(S(3)) + get<Int>(S(4))));                 \
    if (test5)                                                       \
        JUMP(5 + (operands));                                        \
    NEXT(6 + (operands));                                            \
    op_##name##Loop:                                                 \
    if (fuel < pc[6 + (operands)])                                   \
        goto out_of_fuel;                                            \
    put(S(2), Int(get<Int>(S(3)) + get<Int>(S(4))));                 \
    if (test5) {                                                     \
        fuel -= pc[6 + (operands)];                                  \
        JUMP(5 + (operands));                                        \
    }                                                                \
    NEXT(7 + (operands));
#define JUMP_IF(name, test2, test5, operands)                        \
    op_##name:                                                       \
    if (test2)                                                       \
        JUMP(2 + (operands));                                        \
    NEXT(3 + (operands));                                            \
    op_##name##Loop:                                                 \
    if (test2) {                                                     \
        CHARGE(3 + (operands));                                      \
        JUMP(2 + (operands));                                        \
    }                                                                \
    NEXT(4 + (operands));                                            \
    JUMP_IF_ADD_THEN(I32AddThen##name, uint32_t, test5, operands)    \
    JUMP_IF_ADD_THEN(I64AddThen##name, uint64_t, test5, operands)
#define JUMP_IF_TEST(name, T, test) JUMP_IF(name, get<T>(S(2)) test, get<T>(S(5)) test, 1) // a, rel
    JUMP_IF_TEST(JumpIf, uint32_t, != 0)
    JUMP_IF_TEST(JumpUnless, uint32_t, == 0)
    JUMP_IF_TEST(JumpIfI32Eqz, uint32_t, == 0)
#define JUMP_IF_COMPARE(name, T, op) JUMP_IF(name, get<T>(S(2)) op get<T>(S(3)), get<T>(S(5)) op get<T>(S(6)), 2) // a, b, rel
    JUMP_IF_COMPARE(JumpIfI32Eq, uint32_t, ==)
    JUMP_IF_COMPARE(JumpIfI32Ne, uint32_t, !=)
    JUMP_IF_COMPARE(JumpIfI32LtS, int32_t, <)
    JUMP_IF_COMPARE(JumpIfI32LtU, uint32_t, <)
    JUMP_IF_COMPARE(JumpIfI32GtS, int32_t, >)
    JUMP_IF_COMPARE(JumpIfI32GtU, uint32_t, >)
    JUMP_IF_COMPARE(JumpIfI32LeS, int32_t, <=)
    JUMP_IF_COMPARE(JumpIfI32LeU, uint32_t, <=)
    JUMP_IF_COMPARE(JumpIfI32GeS, int32_t, >=)
    JUMP_IF_COMPARE(JumpIfI32GeU, uint32_t, >=)
    JUMP_IF_TEST(JumpIfI64Eqz, uint64_t, == 0)
    JUMP_IF_TEST(JumpIfI64Nez, uint64_t, != 0)
    JUMP_IF_COMPARE(JumpIfI64Eq, uint64_t, ==)
    JUMP_IF_COMPARE(JumpIfI64Ne, uint64_t, !=)
    JUMP_IF_COMPARE(JumpIfI64LtS, int64_t, <)
    JUMP_IF_COMPARE(JumpIfI64LtU, uint64_t, <)
    JUMP_IF_COMPARE(JumpIfI64GtS, int64_t, >)
    JUMP_IF_COMPARE(JumpIfI64GtU, uint64_t, >)
    JUMP_IF_COMPARE(JumpIfI64LeS, int64_t, <=)
    JUMP_IF_COMPARE(JumpIfI64LeU, uint64_t, <=)
    JUMP_IF_COMPARE(JumpIfI64GeS, int64_t, >=)
    JUMP_IF_COMPARE(JumpIfI64GeU, uint64_t, >=)
#undef JUMP_IF_COMPARE
#undef JUMP_IF_TEST
#undef JUMP_IF
#undef JUMP_IF_ADD_THEN

op_BrTable: { // index, count, rel[count + 1]: the last is the default
    uint32_t index = S(2).u32();
    uint32_t count = pc[3];
    if (index > count)
        index = count;
    JUMP(4 + index);
}

op_Loop: // cost: the fuel of a loop's first iteration (its back-edges charge the others)
    CHARGE(2);
    NEXT(3);

    // ---- Calls and returns --------------------------------------------------------------------

op_Call: // CompiledFunction*, arg_base
    callee = pointer_at<const CompiledFunction*>(pc + 2);
    callee_fp = fp + pc[4];
    return_pc = pc + 5;
    goto enter_wasm;

op_CallHost: // Function*, arg_base
    host = pointer_at<Function*>(pc + 2);
    callee_fp = fp + pc[4];
    return_pc = pc + 5;
    goto enter_host;

op_CallIndirect: { // type id, Table*, index slot, arg_base
    // https://webassembly.github.io/spec/core/exec/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-call-indirect-x-y
    Table* table = pointer_at<Table*>(pc + 3);
    uint32_t index = S(5).u32();
    if (index >= table->size())
        TRAP("undefined element " + std::to_string(index));
    Value reference = table->elements()[index];
    if (reference.is_null())
        TRAP("uninitialized element " + std::to_string(index));
    Function* function = reference.function();
    if (function->m_type_id != pc[2])
        TRAP("indirect call type mismatch");
    callee_fp = fp + pc[6];
    return_pc = pc + 7;
    if (function->m_code) {
        callee = function->m_code;
        goto enter_wasm;
    }
    host = function;
    goto enter_host;
}

enter_wasm:
    if (fuel < callee->entry_cost)
        goto out_of_fuel;
    if (frame_top == frame_limit || callee_fp + callee->frame_slots > stack_limit)
        goto no_room_for_callee;
    fuel -= callee->entry_cost;
    frame_top->return_pc = return_pc;
    frame_top->fp = fp;
    frame_top->instance = instance;
    ++frame_top;
    fp = callee_fp;
    // The other locals' zeros and the constants (engine/compiler.cpp): a few slots, copied inline
    // in fixed-size blocks (a memcpy call costs more than the copy; engine/CMakeLists.txt keeps
    // g++ from turning the loop into one).
    {
        Value* to = fp + callee->param_count;
        const Value* from = callee->frame_image.data();
        size_t count = callee->frame_image.size();
        for (size_t i = 0; i < count; i += k_frame_image_block)
            std::memcpy(static_cast<void*>(to + i), from + i, k_frame_image_block * sizeof(Value));
    }
    pc = callee->code.data();
    if (callee->instance != instance) {
        instance = callee->instance;
        RELOAD_MEMORY();
    }
    DISPATCH();

enter_host: {
    if (fuel < 1)
        goto out_of_fuel;
    fuel -= 1;
    const FuncType& type = host->m_type;
    t.host_results.assign(type.results.size(), Value {});
    HostCall call { *thread, instance, std::span<const Value>(callee_fp, type.params.size()), std::span<Value>(t.host_results), {} };
    HostOutcome outcome = host->m_host(call);
    switch (outcome) {
    case HostOutcome::Return:
        std::copy(t.host_results.begin(), t.host_results.end(), callee_fp);
        // The host may have grown the memory.
        RELOAD_MEMORY();
        pc = return_pc;
        DISPATCH();
    case HostOutcome::Trap:
        TRAP(call.trap_message.empty() ? std::string("host function trapped") : std::move(call.trap_message));
    case HostOutcome::Suspend:
        t.suspended_function = host;
        t.suspended_slots = callee_fp;
        t.awaiting_host = true;
        pc = return_pc;
        state = RunState::Suspended;
        goto save;
    }
    TRAP("host function returned an unknown outcome");
}

op_Return0:
    goto leave;
op_Return1: // src
    fp[0] = S(2);
    goto leave;
op_ReturnN: // count, src
    std::memmove(fp, fp + pc[3], pc[2] * sizeof(Value));
    goto leave;
leave:
    --frame_top;
    pc = frame_top->return_pc;
    fp = frame_top->fp;
    // A callee of the same instance that grew the memory reloaded memory_base and memory_size
    // itself; one of another instance may have grown any memory, so that case reloads.
    if (frame_top->instance != instance) {
        instance = frame_top->instance;
        RELOAD_MEMORY();
    }
    DISPATCH();

op_Halt: // the end of the top-level call: results are at the base of the stack
    thread->m_results.assign(fp, fp + t.result_count);
    t.active = false;
    state = RunState::Finished;
    goto done;

    // ---- Parametric, variables, references ----------------------------------------------------

op_Select: { // dst, a, b, cond
    Value chosen = S(5).u32() != 0 ? S(3) : S(4);
    S(2) = chosen;
    NEXT(6);
}
op_GlobalGet: // dst, Value*
    S(2) = *pointer_at<Value*>(pc + 3);
    NEXT(5);
op_GlobalSet: // src, Value*
    *pointer_at<Value*>(pc + 3) = S(2);
    NEXT(5);
op_RefIsNull: // dst, a
    put(S(2), uint32_t(S(3).bits == 0));
    NEXT(4);

    // ---- Tables -------------------------------------------------------------------------------

op_TableGet: { // dst, index, Table*
    Table* table = pointer_at<Table*>(pc + 4);
    uint32_t index = S(3).u32();
    if (index >= table->size())
        TRAP("out of bounds table access");
    S(2) = table->elements()[index];
    NEXT(6);
}
op_TableSet: { // index, value, Table*
    Table* table = pointer_at<Table*>(pc + 4);
    uint32_t index = S(2).u32();
    if (index >= table->size())
        TRAP("out of bounds table access");
    table->elements()[index] = S(3);
    NEXT(6);
}
op_TableSize: // dst, Table*
    put(S(2), pointer_at<Table*>(pc + 3)->size());
    NEXT(5);
op_TableGrow: { // dst, init, delta, Table*
    Table* table = pointer_at<Table*>(pc + 5);
    auto old_size = table->grow(S(4).u32(), S(3));
    put(S(2), old_size ? *old_size : uint32_t(-1));
    NEXT(7);
}
op_TableFill: { // index, value, count, Table*
    Table* table = pointer_at<Table*>(pc + 5);
    uint32_t index = S(2).u32();
    uint32_t count = S(4).u32();
    if (uint64_t(index) + count > table->size())
        TRAP("out of bounds table access");
    std::fill_n(table->elements().begin() + index, count, S(3));
    NEXT(7);
}
op_TableCopy: { // destination, source, count, destination Table*, source Table*
    Table* destination_table = pointer_at<Table*>(pc + 5);
    Table* source_table = pointer_at<Table*>(pc + 7);
    uint32_t destination = S(2).u32();
    uint32_t source = S(3).u32();
    uint32_t count = S(4).u32();
    if (uint64_t(source) + count > source_table->size() || uint64_t(destination) + count > destination_table->size())
        TRAP("out of bounds table access");
    if (count != 0)
        std::memmove(destination_table->elements().data() + destination, source_table->elements().data() + source, count * sizeof(Value));
    NEXT(9);
}
op_TableInit: { // destination, source, count, Table*, Instance*, element index
    Table* table = pointer_at<Table*>(pc + 5);
    const std::vector<Value>& segment = pointer_at<Instance*>(pc + 7)->m_element_segments[pc[9]];
    uint32_t destination = S(2).u32();
    uint32_t source = S(3).u32();
    uint32_t count = S(4).u32();
    if (uint64_t(source) + count > segment.size() || uint64_t(destination) + count > table->size())
        TRAP("out of bounds table access");
    std::copy_n(segment.begin() + source, count, table->elements().begin() + destination);
    NEXT(10);
}
op_ElemDrop: { // Instance*, element index
    auto& segment = pointer_at<Instance*>(pc + 2)->m_element_segments[pc[4]];
    segment.clear();
    segment.shrink_to_fit();
    NEXT(5);
}

    // ---- Memory -------------------------------------------------------------------------------
    // https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions
    // The effective address is 33 bits wide (u32 address + u32 offset), so adding the width
    // cannot overflow 64 bits.

// The IndexedTee accesses also keep the address sum a + b in a slot (a local), as the i32.add
// they absorbed did, before the access reads it.
#define ADDRESS_TEE(a_index, b_index, sum_index) \
    (put(S(sum_index), uint32_t(S(a_index).u32() + S(b_index).u32())), S(sum_index).u32())
// Loads the value at address_expression + the offset in unit offset_index into `target`.
#define LOAD_VALUE(MemoryType, ResultType, address_expression, offset_index, target) \
    {                                                                        \
        uint64_t address = uint64_t(address_expression) + pc[offset_index];  \
        if (address + sizeof(MemoryType) > memory_size && !GREW_TO_HOLD(address + sizeof(MemoryType))) { \
            trap_address = address;                                          \
            trap_width = sizeof(MemoryType);                                 \
            goto memory_out_of_bounds;                                       \
        }                                                                    \
        MemoryType loaded;                                                   \
        std::memcpy(&loaded, memory_base + address, sizeof(MemoryType));     \
        put(target, ResultType(loaded));                                     \
    }
#define LOAD_AT(MemoryType, ResultType, address_expression, offset_index)    \
    LOAD_VALUE(MemoryType, ResultType, address_expression, offset_index, S(2)) \
    NEXT(offset_index + 1);
#define LOAD(name, MemoryType, ResultType)                                           \
    op_##name: /* dst, address, offset */                                             \
    LOAD_AT(MemoryType, ResultType, S(3).u32(), 4)                                    \
    op_##name##Indexed: /* dst, a, b, offset */                                       \
    LOAD_AT(MemoryType, ResultType, uint32_t(S(3).u32() + S(4).u32()), 5)             \
    op_##name##IndexedTee: /* dst, a, b, sum, offset */                               \
    LOAD_AT(MemoryType, ResultType, ADDRESS_TEE(3, 4, 5), 6)
    HASHOS_LOADS(LOAD)
#undef LOAD
#undef LOAD_AT

    // A load feeding a binary op (runtime::HASHOS_RUNTIME_LOAD_BINARIES): dst, x, then the load's
    // address operands and offset; dst = x op loaded, or loaded op x for the Swapped twins.
#define LOAD_THEN_AT(load, op, address_expression, offset_index, left, right)                   \
    {                                                                                           \
        Value loaded_value;                                                                     \
        LOAD_VALUE(LoadType<Op::load>::Memory, LoadType<Op::load>::Result, address_expression, \
            offset_index, loaded_value)                                                         \
        put(S(2), apply_binary<Op::op>(left, right));                                           \
        NEXT(offset_index + 1);                                                                 \
    }
#define LOAD_THEN(load, op)                                                                                  \
    op_##load##Then##op: /* dst, x, address, offset */                                                       \
    LOAD_THEN_AT(load, op, S(4).u32(), 5, S(3), loaded_value)                                                \
    op_##load##Then##op##Swapped:                                                                            \
    LOAD_THEN_AT(load, op, S(4).u32(), 5, loaded_value, S(3))                                                \
    op_##load##IndexedThen##op: /* dst, x, a, b, offset */                                                   \
    LOAD_THEN_AT(load, op, uint32_t(S(4).u32() + S(5).u32()), 6, S(3), loaded_value)                         \
    op_##load##IndexedThen##op##Swapped:                                                                     \
    LOAD_THEN_AT(load, op, uint32_t(S(4).u32() + S(5).u32()), 6, loaded_value, S(3))
    HASHOS_RUNTIME_LOAD_BINARIES(LOAD_THEN)
#undef LOAD_THEN
#undef LOAD_THEN_AT

    // Joined pairs (runtime::HASHOS_RUNTIME_JOIN_FIRSTS): FIRST's work as its own handler does it,
    // then pc moves past FIRST's operands, so that SECOND's operands are where SECOND's handler
    // reads them, and control goes straight there (a direct jump, not a dispatch).
#define JOIN_FIRST_I32Add put(S(2), uint32_t(S(3).u32() + S(4).u32())); pc += 3;
#define JOIN_FIRST_Copy S(2) = S(3); pc += 2;
#define JOIN_FIRST_Copy2 S(2) = S(3); S(4) = S(5); pc += 4;
#define JOIN_FIRST_LOAD(load, address_expression, offset_index)                                 \
    LOAD_VALUE(LoadType<Op::load>::Memory, LoadType<Op::load>::Result, address_expression,      \
        offset_index, S(2))                                                                     \
    pc += (offset_index) - 1;
#define JOIN_FIRST_I32Load JOIN_FIRST_LOAD(I32Load, S(3).u32(), 4)
#define JOIN_FIRST_I32LoadIndexed JOIN_FIRST_LOAD(I32Load, uint32_t(S(3).u32() + S(4).u32()), 5)
#define JOIN_FIRST_I64LoadIndexed JOIN_FIRST_LOAD(I64Load, uint32_t(S(3).u32() + S(4).u32()), 5)
#define JOIN_FIRST_F32Load JOIN_FIRST_LOAD(F32Load, S(3).u32(), 4)
#define JOIN_FIRST_F32LoadIndexed JOIN_FIRST_LOAD(F32Load, uint32_t(S(3).u32() + S(4).u32()), 5)
#define JOIN_FIRST_F64Load JOIN_FIRST_LOAD(F64Load, S(3).u32(), 4)
#define JOIN_FIRST_F64LoadIndexed JOIN_FIRST_LOAD(F64Load, uint32_t(S(3).u32() + S(4).u32()), 5)
#define JOIN_FIRST_BINARY(name) put(S(2), apply_binary<Op::name>(S(3), S(4))); pc += 3;
#define JOIN_FIRST_I32Rotl JOIN_FIRST_BINARY(I32Rotl)
#define JOIN_FIRST_I32And JOIN_FIRST_BINARY(I32And)
#define JOIN_FIRST_I32Xor JOIN_FIRST_BINARY(I32Xor)
#define JOIN_FIRST_F64Mul JOIN_FIRST_BINARY(F64Mul)
#define JOIN_PAIR(first, second)                         \
    op_##first##And##second: /* first's operands, then second's */ \
    JOIN_FIRST_##first                                   \
    goto op_##second;
#define JOIN_FIRST(first) HASHOS_RUNTIME_JOIN_SECONDS(JOIN_PAIR, first)
    HASHOS_RUNTIME_JOIN_FIRSTS(JOIN_FIRST)
#undef JOIN_FIRST
#undef JOIN_PAIR
#undef JOIN_FIRST_BINARY
#undef JOIN_FIRST_LOAD

    // A br_table whose index is an i32 loaded just before (an interpreter's opcode fetch), with
    // the load's operands from unit `at`: address, offset, count, rel[count + 1].
#define BR_TABLE_I32_LOAD(at)                                           \
    {                                                                   \
        Value loaded_index;                                             \
        LOAD_VALUE(uint32_t, uint32_t, S(at).u32(), (at) + 1, loaded_index) \
        uint32_t index = loaded_index.u32();                            \
        uint32_t count = pc[(at) + 2];                                  \
        if (index > count)                                              \
            index = count;                                              \
        JUMP((at) + 3 + index);                                         \
    }
op_BrTableI32Load: // address, offset, count, rel[count + 1]
    BR_TABLE_I32_LOAD(2)
op_I32AddThenBrTableI32Load: // dst, a, b, then BrTableI32Load's operands
    put(S(2), uint32_t(S(3).u32() + S(4).u32()));
    BR_TABLE_I32_LOAD(5)
#undef BR_TABLE_I32_LOAD
#undef LOAD_VALUE

#define STORE_VALUE(MemoryType, address_expression, value_index)               \
    {                                                                        \
        uint64_t address = uint64_t(address_expression) + pc[value_index + 1]; \
        if (address + sizeof(MemoryType) > memory_size && !GREW_TO_HOLD(address + sizeof(MemoryType))) { \
            trap_address = address;                                          \
            trap_width = sizeof(MemoryType);                                 \
            goto memory_out_of_bounds;                                       \
        }                                                                    \
        MemoryType stored = MemoryType(S(value_index).bits);                 \
        std::memcpy(memory_base + address, &stored, sizeof(MemoryType));     \
    }
#define STORE_AT(MemoryType, address_expression, value_index)                \
    STORE_VALUE(MemoryType, address_expression, value_index)                 \
    NEXT(value_index + 2);
#define STORE(name, MemoryType)                                                      \
    op_##name: /* address, value, offset */                                           \
    STORE_AT(MemoryType, S(2).u32(), 3)                                               \
    op_##name##Indexed: /* a, b, value, offset */                                     \
    STORE_AT(MemoryType, uint32_t(S(2).u32() + S(3).u32()), 4)                        \
    op_##name##IndexedTee: /* a, b, sum, value, offset */                             \
    STORE_AT(MemoryType, ADDRESS_TEE(2, 3, 4), 5)                                     \
    op_##name##AndI32Add: /* address, value, offset, dst, a, b */                     \
    STORE_VALUE(MemoryType, S(2).u32(), 3)                                            \
    AND_I32_ADD(5)                                                                    \
    op_##name##IndexedAndI32Add: /* a, b, value, offset, dst, a2, b2 */               \
    STORE_VALUE(MemoryType, uint32_t(S(2).u32() + S(3).u32()), 4)                     \
    AND_I32_ADD(6)
    HASHOS_STORES(STORE)

    // A binary op whose result only the store after it read (runtime::HASHOS_RUNTIME_BINARY_STORES):
    // address, a, b, offset; the bounds are checked as the store's own handler does.
#define BINARY_STORE_VALUE(op, store)                                                        \
    {                                                                                        \
        using MemoryType = StoreType<Op::store>::Memory;                                     \
        uint64_t address = uint64_t(S(2).u32()) + pc[5];                                     \
        if (address + sizeof(MemoryType) > memory_size && !GREW_TO_HOLD(address + sizeof(MemoryType))) { \
            trap_address = address;                                                          \
            trap_width = sizeof(MemoryType);                                                 \
            goto memory_out_of_bounds;                                                       \
        }                                                                                    \
        Value result;                                                                        \
        put(result, apply_binary<Op::op>(S(3), S(4)));                                       \
        MemoryType stored = MemoryType(result.bits);                                         \
        std::memcpy(memory_base + address, &stored, sizeof(MemoryType));                     \
    }
#define BINARY_STORE(op, store)                                                              \
    op_##op##Then##store: /* address, a, b, offset */                                        \
    BINARY_STORE_VALUE(op, store)                                                            \
    NEXT(6);                                                                                 \
    op_##op##Then##store##AndI32Add: /* address, a, b, offset, dst, a2, b2 */                \
    BINARY_STORE_VALUE(op, store)                                                            \
    AND_I32_ADD(6)
    HASHOS_RUNTIME_BINARY_STORES(BINARY_STORE)

    // `*p OP= x` (runtime::HASHOS_RUNTIME_LOAD_BINARY_STORES): x, address, offset. The load and
    // the store have the same width, so one bounds check covers both.
#define LOAD_BINARY_STORE_VALUE(load, op, store, left, right)                                 \
    {                                                                                        \
        using MemoryType = StoreType<Op::store>::Memory;                                     \
        static_assert(sizeof(MemoryType) == sizeof(LoadType<Op::load>::Memory));             \
        uint64_t address = uint64_t(S(3).u32()) + pc[4];                                     \
        if (address + sizeof(MemoryType) > memory_size && !GREW_TO_HOLD(address + sizeof(MemoryType))) { \
            trap_address = address;                                                          \
            trap_width = sizeof(MemoryType);                                                 \
            goto memory_out_of_bounds;                                                       \
        }                                                                                    \
        LoadType<Op::load>::Memory in_memory;                                                \
        std::memcpy(&in_memory, memory_base + address, sizeof(in_memory));                   \
        Value loaded_value;                                                                  \
        put(loaded_value, LoadType<Op::load>::Result(in_memory));                            \
        Value result;                                                                        \
        put(result, apply_binary<Op::op>(left, right));                                      \
        MemoryType stored = MemoryType(result.bits);                                         \
        std::memcpy(memory_base + address, &stored, sizeof(MemoryType));                     \
    }
#define LOAD_BINARY_STORE(load, op, store)                                                   \
    op_##load##Then##op##Then##store: /* x, address, offset */                               \
    LOAD_BINARY_STORE_VALUE(load, op, store, S(2), loaded_value)                             \
    NEXT(5);                                                                                 \
    op_##load##Then##op##Swapped##Then##store:                                               \
    LOAD_BINARY_STORE_VALUE(load, op, store, loaded_value, S(2))                             \
    NEXT(5);                                                                                 \
    op_##load##Then##op##Then##store##AndI32Add: /* x, address, offset, dst, a, b */         \
    LOAD_BINARY_STORE_VALUE(load, op, store, S(2), loaded_value)                             \
    AND_I32_ADD(5)                                                                           \
    op_##load##Then##op##Swapped##Then##store##AndI32Add:                                    \
    LOAD_BINARY_STORE_VALUE(load, op, store, loaded_value, S(2))                             \
    AND_I32_ADD(5)
    HASHOS_RUNTIME_LOAD_BINARY_STORES(LOAD_BINARY_STORE)
#undef LOAD_BINARY_STORE
#undef LOAD_BINARY_STORE_VALUE
#undef BINARY_STORE
#undef BINARY_STORE_VALUE
#undef STORE
#undef STORE_AT
#undef STORE_VALUE
#undef ADDRESS_TEE

op_MemorySize: // dst
    memory_size = current_memory_size(instance->m_memory0); // another thread may have grown it
    put(S(2), uint32_t(memory_size / k_page_size));
    NEXT(3);
op_MemoryGrow: { // dst, delta, Memory*
    auto old_pages = pointer_at<Memory*>(pc + 4)->grow(S(3).u32());
    put(S(2), old_pages ? *old_pages : uint32_t(-1));
    RELOAD_MEMORY();
    NEXT(6);
}
op_MemoryInit: { // destination, source, count, Instance*, data index
    Instance* owner = pointer_at<Instance*>(pc + 5);
    uint32_t index = pc[7];
    const auto& bytes = owner->module().module().datas[index].bytes;
    uint64_t length = owner->m_dropped_datas[index] ? 0 : bytes.size();
    uint64_t destination = S(2).u32();
    uint64_t source = S(3).u32();
    uint64_t count = S(4).u32();
    if (source + count > length || (destination + count > memory_size && !GREW_TO_HOLD(destination + count))) {
        trap_address = source + count > length ? source : destination;
        trap_width = count;
        if (source + count > length)
            TRAP("out of bounds memory access: data segment " + std::to_string(index) + " " + std::to_string(source) + "+" + std::to_string(count) + " > " + std::to_string(length));
        goto memory_out_of_bounds;
    }
    if (count != 0)
        std::memcpy(memory_base + destination, bytes.data() + source, count);
    NEXT(8);
}
op_DataDrop: // Instance*, data index
    pointer_at<Instance*>(pc + 2)->m_dropped_datas[pc[4]] = true;
    NEXT(5);
op_MemoryCopy: { // destination, source, count
    uint64_t destination = S(2).u32();
    uint64_t source = S(3).u32();
    uint64_t count = S(4).u32();
    if ((source + count > memory_size || destination + count > memory_size)
        && !GREW_TO_HOLD(std::max(source, destination) + count)) {
        trap_address = source + count > memory_size ? source : destination;
        trap_width = count;
        goto memory_out_of_bounds;
    }
    if (count != 0)
        std::memmove(memory_base + destination, memory_base + source, count);
    NEXT(5);
}
op_MemoryFill: { // destination, value, count
    uint64_t destination = S(2).u32();
    uint64_t count = S(4).u32();
    if (destination + count > memory_size && !GREW_TO_HOLD(destination + count)) {
        trap_address = destination;
        trap_width = count;
        goto memory_out_of_bounds;
    }
    if (count != 0)
        std::memset(memory_base + destination, int(uint8_t(S(3).bits)), count);
    NEXT(5);
}

    // ---- Numeric ------------------------------------------------------------------------------
    // https://webassembly.github.io/spec/core/exec/numerics.html

#define UNARY(name, In, expression)   \
    op_##name: { /* dst, a */          \
        In a = get<In>(S(3));          \
        put(S(2), (expression));       \
        NEXT(4);                       \
    }
#define BINARY(name, In, expression)                     \
    op_##name: /* dst, a, b */                            \
    put(S(2), apply_binary<Op::name>(S(3), S(4)));        \
    NEXT(5);
    HASHOS_PURE_BINARY_OPS(BINARY)

    // Two binary ops fused, the first's result feeding the second (dst, a, b, c):
    // NAME computes (a first b) second c, NAME##Swapped c second (a first b).
#define FUSED_BINARY(first, second)                                           \
    op_##first##Then##second: {                                               \
        Value product;                                                        \
        put(product, apply_binary<Op::first>(S(3), S(4)));                    \
        put(S(2), apply_binary<Op::second>(product, S(5)));                   \
        NEXT(6);                                                              \
    }                                                                         \
    op_##first##Then##second##Swapped: {                                      \
        Value product;                                                        \
        put(product, apply_binary<Op::first>(S(3), S(4)));                    \
        put(S(2), apply_binary<Op::second>(S(5), product));                   \
        NEXT(6);                                                              \
    }
    HASHOS_RUNTIME_FUSED_BINARIES(FUSED_BINARY)
#undef FUSED_BINARY

    UNARY(I32Eqz, uint32_t, uint32_t(a == 0))

    UNARY(I64Eqz, uint64_t, uint32_t(a == 0))

    UNARY(I32Clz, uint32_t, uint32_t(std::countl_zero(a)))
    UNARY(I32Ctz, uint32_t, uint32_t(std::countr_zero(a)))
    UNARY(I32Popcnt, uint32_t, uint32_t(std::popcount(a)))
    op_I32DivS: { // dst, a, b
        int32_t a = get<int32_t>(S(3));
        int32_t b = get<int32_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        if (a == INT32_MIN && b == -1)
            TRAP("integer overflow");
        put(S(2), int32_t(a / b));
        NEXT(5);
    }
    op_I32DivU: {
        uint32_t a = get<uint32_t>(S(3));
        uint32_t b = get<uint32_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        put(S(2), uint32_t(a / b));
        NEXT(5);
    }
    op_I32RemS: {
        int32_t a = get<int32_t>(S(3));
        int32_t b = get<int32_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        put(S(2), b == -1 ? int32_t(0) : int32_t(a % b));
        NEXT(5);
    }
    op_I32RemU: {
        uint32_t a = get<uint32_t>(S(3));
        uint32_t b = get<uint32_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        put(S(2), uint32_t(a % b));
        NEXT(5);
    }

    UNARY(I64Clz, uint64_t, uint64_t(std::countl_zero(a)))
    UNARY(I64Ctz, uint64_t, uint64_t(std::countr_zero(a)))
    UNARY(I64Popcnt, uint64_t, uint64_t(std::popcount(a)))
    op_I64DivS: {
        int64_t a = get<int64_t>(S(3));
        int64_t b = get<int64_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        if (a == INT64_MIN && b == -1)
            TRAP("integer overflow");
        put(S(2), int64_t(a / b));
        NEXT(5);
    }
    op_I64DivU: {
        uint64_t a = get<uint64_t>(S(3));
        uint64_t b = get<uint64_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        put(S(2), uint64_t(a / b));
        NEXT(5);
    }
    op_I64RemS: {
        int64_t a = get<int64_t>(S(3));
        int64_t b = get<int64_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        put(S(2), b == -1 ? int64_t(0) : int64_t(a % b));
        NEXT(5);
    }
    op_I64RemU: {
        uint64_t a = get<uint64_t>(S(3));
        uint64_t b = get<uint64_t>(S(4));
        if (b == 0)
            TRAP("integer divide by zero");
        put(S(2), uint64_t(a % b));
        NEXT(5);
    }

    UNARY(F32Abs, float, numerics::abs(a))
    UNARY(F32Neg, float, numerics::neg(a))
    UNARY(F32Ceil, float, numerics::ceil(a))
    UNARY(F32Floor, float, numerics::floor(a))
    UNARY(F32Trunc, float, numerics::trunc(a))
    UNARY(F32Nearest, float, numerics::nearest(a))
    UNARY(F32Sqrt, float, std::sqrt(a))

    UNARY(F64Abs, double, numerics::abs(a))
    UNARY(F64Neg, double, numerics::neg(a))
    UNARY(F64Ceil, double, numerics::ceil(a))
    UNARY(F64Floor, double, numerics::floor(a))
    UNARY(F64Trunc, double, numerics::trunc(a))
    UNARY(F64Nearest, double, numerics::nearest(a))
    UNARY(F64Sqrt, double, std::sqrt(a))

    UNARY(I32WrapI64, uint64_t, uint32_t(a))
    UNARY(I64ExtendI32S, int32_t, int64_t(a))
    UNARY(I64ExtendI32U, uint32_t, uint64_t(a))
    UNARY(F32ConvertI32S, int32_t, float(a))
    UNARY(F32ConvertI32U, uint32_t, float(a))
    UNARY(F32ConvertI64S, int64_t, float(a))
    UNARY(F32ConvertI64U, uint64_t, float(a))
    UNARY(F32DemoteF64, double, float(a))
    UNARY(F64ConvertI32S, int32_t, double(a))
    UNARY(F64ConvertI32U, uint32_t, double(a))
    UNARY(F64ConvertI64S, int64_t, double(a))
    UNARY(F64ConvertI64U, uint64_t, double(a))
    UNARY(F64PromoteF32, float, double(a))
    UNARY(I32ReinterpretF32, uint32_t, a)
    UNARY(I64ReinterpretF64, uint64_t, a)
    UNARY(F32ReinterpretI32, uint32_t, a)
    UNARY(F64ReinterpretI64, uint64_t, a)

    UNARY(I32Extend8S, uint32_t, int32_t(int8_t(a)))
    UNARY(I32Extend16S, uint32_t, int32_t(int16_t(a)))
    UNARY(I64Extend8S, uint64_t, int64_t(int8_t(a)))
    UNARY(I64Extend16S, uint64_t, int64_t(int16_t(a)))
    UNARY(I64Extend32S, uint64_t, int64_t(int32_t(a)))

#define TRUNCATE(name, Int, Float)                                                        \
    op_##name: { /* dst, a */                                                              \
        Int result;                                                                        \
        switch (numerics::truncate<Int, Float>(get<Float>(S(3)), result)) {               \
        case numerics::TruncStatus::Ok:                                                    \
            break;                                                                         \
        case numerics::TruncStatus::NaN:                                                   \
            TRAP("invalid conversion to integer");                                         \
        case numerics::TruncStatus::Overflow:                                              \
            TRAP("integer overflow");                                                      \
        }                                                                                  \
        put(S(2), result);                                                                 \
        NEXT(4);                                                                           \
    }
    TRUNCATE(I32TruncF32S, int32_t, float)
    TRUNCATE(I32TruncF32U, uint32_t, float)
    TRUNCATE(I32TruncF64S, int32_t, double)
    TRUNCATE(I32TruncF64U, uint32_t, double)
    TRUNCATE(I64TruncF32S, int64_t, float)
    TRUNCATE(I64TruncF32U, uint64_t, float)
    TRUNCATE(I64TruncF64S, int64_t, double)
    TRUNCATE(I64TruncF64U, uint64_t, double)
#undef TRUNCATE

    UNARY(I32TruncSatF32S, float, numerics::truncate_saturating<int32_t>(a))
    UNARY(I32TruncSatF32U, float, numerics::truncate_saturating<uint32_t>(a))
    UNARY(I32TruncSatF64S, double, numerics::truncate_saturating<int32_t>(a))
    UNARY(I32TruncSatF64U, double, numerics::truncate_saturating<uint32_t>(a))
    UNARY(I64TruncSatF32S, float, numerics::truncate_saturating<int64_t>(a))
    UNARY(I64TruncSatF32U, float, numerics::truncate_saturating<uint64_t>(a))
    UNARY(I64TruncSatF64S, double, numerics::truncate_saturating<int64_t>(a))
    UNARY(I64TruncSatF64U, double, numerics::truncate_saturating<uint64_t>(a))
#undef UNARY
#undef BINARY

op_Unreachable:
    TRAP("unreachable");

    // ---- Atomics (threads proposal) -----------------------------------------------------------
    // https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#atomic-memory-accesses
    // Every access is sequentially consistent (__atomic builtins on the linear memory, which is
    // the host's memory in place). The effective address is checked against the bounds, then
    // against the natural alignment: an atomic access never straddles, or it traps.
#define ATOMIC_CELL(Type, address_index, offset_index)                                   \
    uint64_t address = uint64_t(S(address_index).u32()) + pc[offset_index];              \
    if (address + sizeof(Type) > memory_size && !GREW_TO_HOLD(address + sizeof(Type))) { \
        trap_address = address;                                                          \
        trap_width = sizeof(Type);                                                       \
        goto memory_out_of_bounds;                                                       \
    }                                                                                    \
    if (address % sizeof(Type) != 0)                                                     \
        TRAP(unaligned_atomic_trap(address, sizeof(Type)));                              \
    Type* cell = reinterpret_cast<Type*>(memory_base + address);
#define ATOMIC_LOAD(name, Type, Result)                                                  \
    op_##name: { /* dst, address, offset */                                              \
        ATOMIC_CELL(Type, 3, 4)                                                          \
        put(S(2), Result(__atomic_load_n(cell, __ATOMIC_SEQ_CST)));                      \
        NEXT(5);                                                                         \
    }
#define ATOMIC_STORE(name, Type)                                                         \
    op_##name: { /* address, value, offset */                                            \
        ATOMIC_CELL(Type, 2, 4)                                                          \
        __atomic_store_n(cell, Type(S(3).bits), __ATOMIC_SEQ_CST);                       \
        NEXT(5);                                                                         \
    }
    // The narrow forms return the old value zero-extended.
#define ATOMIC_RMW(name, Type, Result, fetch)                                            \
    op_##name: { /* dst, address, value, offset */                                       \
        ATOMIC_CELL(Type, 3, 5)                                                          \
        put(S(2), Result(fetch(cell, Type(S(4).bits), __ATOMIC_SEQ_CST)));               \
        NEXT(6);                                                                         \
    }
    // The expected value is wrapped to the access width before the comparison; either way the
    // old value is returned (compare_exchange leaves it in `old` when it differs).
#define ATOMIC_CMPXCHG(name, Type, Result)                                               \
    op_##name: { /* dst, address, expected, replacement, offset */                       \
        ATOMIC_CELL(Type, 3, 6)                                                          \
        Type old = Type(S(4).bits);                                                      \
        __atomic_compare_exchange_n(cell, &old, Type(S(5).bits), false, __ATOMIC_SEQ_CST, \
            __ATOMIC_SEQ_CST);                                                           \
        put(S(2), Result(old));                                                          \
        NEXT(7);                                                                         \
    }
    HASHOS_ATOMIC_ACCESSES(ATOMIC_LOAD, ATOMIC_STORE, ATOMIC_RMW, ATOMIC_CMPXCHG)
#undef ATOMIC_LOAD
#undef ATOMIC_STORE
#undef ATOMIC_RMW
#undef ATOMIC_CMPXCHG
op_MemoryAtomicNotify: { // dst, address, count, offset, Memory*
    ATOMIC_CELL(uint32_t, 3, 5)
    (void)cell;
    // Only a shared memory can have waiters (wait traps on any other).
    put(S(2), notify_waiters(*pointer_at<Memory*>(pc + 6), address, S(4).u32()));
    NEXT(8);
}
    // Returns 1 ("not-equal") or 2 ("timed-out", for a zero timeout) at once; otherwise the
    // thread suspends with an AtomicWait (engine/thread.h) and the embedder writes the result.
#define ATOMIC_WAIT(name, Type)                                                          \
    op_##name: { /* dst, address, expected, timeout, offset, Memory* */                  \
        ATOMIC_CELL(Type, 3, 6)                                                          \
        Memory* memory = pointer_at<Memory*>(pc + 7);                                    \
        if (!memory->type().shared)                                                      \
            TRAP("expected shared memory");                                              \
        Type expected = Type(S(4).bits);                                                 \
        if (__atomic_load_n(cell, __ATOMIC_SEQ_CST) != expected) {                       \
            put(S(2), uint32_t(1));                                                      \
            NEXT(9);                                                                     \
        }                                                                                \
        int64_t timeout = S(5).i64();                                                    \
        if (timeout == 0) {                                                              \
            put(S(2), uint32_t(2));                                                      \
            NEXT(9);                                                                     \
        }                                                                                \
        suspend_in_wait(t, &S(2), AtomicWait { memory, address, uint64_t(expected), uint8_t(sizeof(Type)), timeout }); \
        pc += 9;                                                                         \
        state = RunState::Suspended;                                                     \
        goto save;                                                                       \
    }
    ATOMIC_WAIT(MemoryAtomicWait32, uint32_t)
    ATOMIC_WAIT(MemoryAtomicWait64, uint64_t)
#undef ATOMIC_WAIT
#undef ATOMIC_CELL
op_AtomicFence:
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    NEXT(2);

    // Rows of the opcode table the compiler never emits: structured control, locals and
    // constants compile to the internal ops above.
op_Nop:
op_Block:
op_If:
op_Else:
op_End:
op_Br:
op_BrIf:
op_Return:
op_RefNull:
op_RefFunc:
op_Drop:
op_SelectTyped:
op_LocalGet:
op_LocalSet:
op_LocalTee:
op_I32Const:
op_I64Const:
op_F32Const:
op_F64Const:
    TRAP("internal error: an instruction the compiler never emits");

    // ---- Leaving the loop ---------------------------------------------------------------------

out_of_fuel:
    state = RunState::OutOfFuel;
    goto save;

no_room_for_callee:
    // A function not compiled yet has no fuel cost and no room anywhere (k_not_compiled): its
    // first call compiles it here and runs the call instruction again (it has had no effect
    // yet), which then charges the function's real cost. Only Call and CallIndirect come here,
    // each from its own handler: no fused op ends in a call, or its first half would run twice.
    if (!callee->is_compiled()) {
        if (!compile_on_first_call(*callee, trap_text))
            goto trap;
        DISPATCH();
    }
    TRAP("call stack exhausted");

memory_out_of_bounds:
    trap_text = memory_trap(trap_address, trap_width, memory_size);
    goto trap;

trap:
    thread->m_trap_message = std::move(trap_text);
    t.active = false;
    state = RunState::Trapped;
    goto done;

save:
    t.pc = pc;
    t.fp = fp;
    t.frame_top = frame_top;
    t.instance = instance;
    goto done;

done:
    // Out of fuel, what is left was not charged: it is carried into the next run.
    thread->m_fuel_consumed += start_fuel - fuel;
    t.fuel_carry = state == RunState::OutOfFuel ? fuel : 0;
    thread->m_state = state;
    return state;

#undef AND_I32_ADD
#undef RELOAD_MEMORY
#undef GREW_TO_HOLD
#undef DISPATCH
#undef NEXT
#undef S
#undef TRAP
#undef JUMP
#undef CHARGE
}

} // namespace hashos::wasm
