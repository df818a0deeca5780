// The compiler: validated function bodies to the slot-addressed threaded code of
// engine/interpreter_ops.h.
//
// The frame of a function is one array of slots: params, then the other locals, then the
// function's constants, then the operand stack. Validation proved the stack height at every
// instruction, so the slot of every operand is known here and the interpreter needs no stack
// pointer: each instruction names the slots it reads and the slot it writes.
//
// Constants: every distinct value of the body's i32/i64/f32/f64.const gets a slot of its own,
// written with the zeroed locals when the function is entered (CompiledFunction::frame_image), so
// an instruction reads a constant operand like any other slot and `i32.const` costs nothing where
// it is used: `local.get 0; i32.const 8; i32.shl` is one instruction. (A call copies a few more
// slots; a loop that runs the constant once saves a dispatch per iteration.)
//
// The compiler keeps a virtual operand stack of slot numbers. An entry is either "canonical" (the
// value lives in the stack slot for its height) or "deferred": local.get and constants push the
// local's or constant's own slot and emit nothing, so `local.get 0; local.get 1; i32.add` is one
// instruction reading slots 0 and 1. A deferred local is materialised (copied to its canonical
// slot) before that local is written, and any deferred entry wherever control flow merges or a
// callee needs its arguments in place: at block/loop/if entry, block ends, branches, and call
// arguments.
//
// Peepholes, all local to the last two emitted instructions and never across a label (each one
// is a row family of engine/interpreter_ops.h; fewer dispatches is what makes the interpreter
// fast, measured by bench/engine):
//  - a single-result instruction followed by local.set/tee writes the local directly;
//  - an i32 or i64 comparison (or eqz) followed by br_if/if becomes one compare-and-jump, and an
//    i32.add/i64.add right before a jump is fused into it (I32AddThen..., a loop's step and test);
//  - two copies in a row become one Copy2, an i32.add of an i32.add's result one I32Add3;
//  - an i32.add followed by a load or store that takes its result as the address becomes one
//    indexed access (runtime::Op::NAME##Indexed), or NAME##IndexedTee when a local.tee keeps
//    the sum too (`*++p`);
//  - a binary op whose operand is the result of the binary op or load just before becomes one
//    fused instruction (HASHOS_RUNTIME_FUSED_BINARIES, HASHOS_RUNTIME_LOAD_BINARIES);
//  - finally, when the next instruction begins, the last two may be joined into one dispatch
//    whatever their dependence (HASHOS_RUNTIME_JOIN_FIRSTS, HASHOS_RUNTIME_AND_I32_ADD).
//
// Fuel (metered code only): a loop header charges the loop's cost when the loop is entered, and
// every back-edge charges it again as it jumps (the ...Loop jump ops), so an iteration costs no
// dispatch of its own for its fuel.
#include "engine/compiler.h"

#include "engine/instance.h"

#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>

namespace hashos::wasm {

using runtime::CodeUnit;
using runtime::Op;

namespace {

constexpr size_t k_none = std::numeric_limits<size_t>::max();

// local.get is deferred only in the bottom slots of the operand stack, so that every scan for
// deferred entries is bounded by this, never by the stack height (a hostile module could
// otherwise make compilation quadratic). Real code rarely reads a local that deep.
constexpr size_t k_max_deferred_height = 64;

// Constants beyond this many distinct values per function are written by Const32/Const64
// instructions where used, so that entering a huge function does not copy without bound.
constexpr size_t k_max_constants = 128;

// The longest instruction that writes one slot (handler, dst and up to eight more units), which
// compile_local_set may take back and emit again writing a local.
constexpr size_t k_max_retargeted_units = 12;

// Not from the spec: compiled code larger than this many units per wasm instruction (plus a
// floor) means a pathological module (e.g. a huge br_table whose targets all need value copies);
// compiling it is refused rather than allocating without bound.
constexpr size_t k_max_units_per_instruction = 64;
constexpr size_t k_min_code_limit = 1 << 20;

struct Signature {
    uint32_t params = 0;
    uint32_t results = 0;
};

// The slots of a function's constants by value bits: an open-addressing table (linear probing)
// in the Compiler itself, at most k_max_constants entries at most half full, so finding a
// constant costs a multiply and a compare or two, and nothing is allocated.
class ConstantSlots {
public:
    size_t size() const { return m_size; }
    // The slot of `bits`, or k_no_slot.
    uint32_t find(uint64_t bits) const
    {
        if (m_size == 0)
            return k_no_slot;
        for (size_t i = home(bits);; i = (i + 1) % k_capacity) {
            if (m_slots[i] == k_no_slot || m_keys[i] == bits)
                return m_slots[i];
        }
    }
    // Gives `bits` `slot` unless it has one; returns whether it was added.
    bool add(uint64_t bits, uint32_t slot)
    {
        if (m_size == 0)
            m_slots.fill(k_no_slot);
        for (size_t i = home(bits);; i = (i + 1) % k_capacity) {
            if (m_slots[i] == k_no_slot) {
                m_keys[i] = bits;
                m_slots[i] = slot;
                ++m_size;
                return true;
            }
            if (m_keys[i] == bits)
                return false;
        }
    }
    static constexpr uint32_t k_no_slot = std::numeric_limits<uint32_t>::max();

private:
    static constexpr unsigned k_capacity_bits = 8;
    static constexpr size_t k_capacity = size_t(1) << k_capacity_bits;
    static_assert(k_capacity >= 2 * k_max_constants);
    // Fibonacci hashing: the top bits of the product mix every bit of the value.
    static size_t home(uint64_t bits) { return size_t((bits * 0x9E3779B97F4A7C15ull) >> (64 - k_capacity_bits)); }
    std::array<uint64_t, k_capacity> m_keys;
    std::array<uint32_t, k_capacity> m_slots;
    size_t m_size = 0;
};

// A pending forward branch: the unit holding the offset and the start of its instruction.
struct Fixup {
    size_t field;
    size_t instruction;
};

struct Control {
    enum class Kind : uint8_t { Function, Block, Loop, If };
    Kind kind = Kind::Block;
    uint32_t height = 0; // operand stack height below the block's params
    Signature signature;
    size_t loop_start = 0; // Loop: where back-edges jump, after the header's fuel charge
    uint32_t loop_cost = 0; // Loop: the fuel a back-edge charges
    std::vector<Fixup> fixups;
    std::optional<Fixup> else_fixup; // If: the jump over the then-branch
    uint32_t arity() const { return kind == Kind::Loop ? signature.params : signature.results; }
};

// A condition a conditional jump tests, as one of the fused compare-and-jump ops.
struct Condition {
    Op jump = Op::JumpIf; // JumpIf, JumpUnless, JumpIfI32Eqz, JumpIfI64Eqz/Nez (one operand) or a compare (two)
    uint32_t a = 0;
    uint32_t b = 0;
};

bool has_two_operands(Op jump)
{
    switch (jump) {
    case Op::JumpIf:
    case Op::JumpUnless:
    case Op::JumpIfI32Eqz:
    case Op::JumpIfI64Eqz:
    case Op::JumpIfI64Nez:
    case Op::JumpIfLoop:
    case Op::JumpUnlessLoop:
    case Op::JumpIfI32EqzLoop:
    case Op::JumpIfI64EqzLoop:
    case Op::JumpIfI64NezLoop:
        return false;
    default:
        return true;
    }
}

Condition inverse(Condition condition)
{
    switch (condition.jump) {
    case Op::JumpIf: condition.jump = Op::JumpUnless; break;
    case Op::JumpUnless: condition.jump = Op::JumpIf; break;
    case Op::JumpIfI32Eqz: condition.jump = Op::JumpIf; break;
    case Op::JumpIfI32Eq: condition.jump = Op::JumpIfI32Ne; break;
    case Op::JumpIfI32Ne: condition.jump = Op::JumpIfI32Eq; break;
    case Op::JumpIfI32LtS: condition.jump = Op::JumpIfI32GeS; break;
    case Op::JumpIfI32GeS: condition.jump = Op::JumpIfI32LtS; break;
    case Op::JumpIfI32LtU: condition.jump = Op::JumpIfI32GeU; break;
    case Op::JumpIfI32GeU: condition.jump = Op::JumpIfI32LtU; break;
    case Op::JumpIfI32GtS: condition.jump = Op::JumpIfI32LeS; break;
    case Op::JumpIfI32LeS: condition.jump = Op::JumpIfI32GtS; break;
    case Op::JumpIfI32GtU: condition.jump = Op::JumpIfI32LeU; break;
    case Op::JumpIfI32LeU: condition.jump = Op::JumpIfI32GtU; break;
    case Op::JumpIfI64Eqz: condition.jump = Op::JumpIfI64Nez; break;
    case Op::JumpIfI64Nez: condition.jump = Op::JumpIfI64Eqz; break;
    case Op::JumpIfI64Eq: condition.jump = Op::JumpIfI64Ne; break;
    case Op::JumpIfI64Ne: condition.jump = Op::JumpIfI64Eq; break;
    case Op::JumpIfI64LtS: condition.jump = Op::JumpIfI64GeS; break;
    case Op::JumpIfI64GeS: condition.jump = Op::JumpIfI64LtS; break;
    case Op::JumpIfI64LtU: condition.jump = Op::JumpIfI64GeU; break;
    case Op::JumpIfI64GeU: condition.jump = Op::JumpIfI64LtU; break;
    case Op::JumpIfI64GtS: condition.jump = Op::JumpIfI64LeS; break;
    case Op::JumpIfI64LeS: condition.jump = Op::JumpIfI64GtS; break;
    case Op::JumpIfI64GtU: condition.jump = Op::JumpIfI64LeU; break;
    case Op::JumpIfI64LeU: condition.jump = Op::JumpIfI64GtU; break;
    default: break;
    }
    return condition;
}

// The compare-and-jump op for an i32 comparison, if it has one.
std::optional<Op> fused_jump(Op compare)
{
    switch (compare) {
    case Op::I32Eqz: return Op::JumpIfI32Eqz;
    case Op::I32Eq: return Op::JumpIfI32Eq;
    case Op::I32Ne: return Op::JumpIfI32Ne;
    case Op::I32LtS: return Op::JumpIfI32LtS;
    case Op::I32LtU: return Op::JumpIfI32LtU;
    case Op::I32GtS: return Op::JumpIfI32GtS;
    case Op::I32GtU: return Op::JumpIfI32GtU;
    case Op::I32LeS: return Op::JumpIfI32LeS;
    case Op::I32LeU: return Op::JumpIfI32LeU;
    case Op::I32GeS: return Op::JumpIfI32GeS;
    case Op::I32GeU: return Op::JumpIfI32GeU;
    case Op::I64Eqz: return Op::JumpIfI64Eqz;
    case Op::I64Eq: return Op::JumpIfI64Eq;
    case Op::I64Ne: return Op::JumpIfI64Ne;
    case Op::I64LtS: return Op::JumpIfI64LtS;
    case Op::I64LtU: return Op::JumpIfI64LtU;
    case Op::I64GtS: return Op::JumpIfI64GtS;
    case Op::I64GtU: return Op::JumpIfI64GtU;
    case Op::I64LeS: return Op::JumpIfI64LeS;
    case Op::I64LeU: return Op::JumpIfI64LeU;
    case Op::I64GeS: return Op::JumpIfI64GeS;
    case Op::I64GeU: return Op::JumpIfI64GeU;
    default: return std::nullopt;
    }
}

// The back-edge twin of a jump op: it also charges the loop's fuel.
Op loop_variant(Op jump)
{
    switch (jump) {
    case Op::Jump: return Op::JumpLoop;
#define HASHOS_LOOP_CASE(name) \
    case Op::name: return Op::name##Loop;
        HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_LOOP_CASE)
#undef HASHOS_LOOP_CASE
    default: return jump;
    }
}

// The fused twin of a conditional jump (or of its Loop twin) that first does `add`, an I32Add
// or I64Add.
std::optional<Op> add_then_variant(Op add, Op jump)
{
    bool wide = add == Op::I64Add;
    switch (jump) {
#define HASHOS_ADD_THEN_CASE(name)                                                 \
    case Op::name: return wide ? Op::I64AddThen##name : Op::I32AddThen##name;      \
    case Op::name##Loop: return wide ? Op::I64AddThen##name##Loop : Op::I32AddThen##name##Loop;
        HASHOS_RUNTIME_CONDITIONAL_JUMPS(HASHOS_ADD_THEN_CASE)
#undef HASHOS_ADD_THEN_CASE
    default: return std::nullopt;
    }
}

// The op that runs `first` then `second` in one dispatch (runtime::HASHOS_RUNTIME_JOIN_FIRSTS).
std::optional<Op> joined_pair(Op first, Op second)
{
#define HASHOS_JOIN_PAIR_CASE(a, b) \
    case Op::b: return Op::a##And##b;
#define HASHOS_JOIN_FIRST_CASE(a)                                   \
    case Op::a:                                                     \
        switch (second) {                                           \
            HASHOS_RUNTIME_JOIN_SECONDS(HASHOS_JOIN_PAIR_CASE, a)   \
        default: return std::nullopt;                               \
        }
    switch (first) {
        HASHOS_RUNTIME_JOIN_FIRSTS(HASHOS_JOIN_FIRST_CASE)
    default: return std::nullopt;
    }
#undef HASHOS_JOIN_FIRST_CASE
#undef HASHOS_JOIN_PAIR_CASE
}

// The twin of an instruction that an independent i32.add after it joins.
std::optional<Op> and_i32_add_variant(Op op)
{
    switch (op) {
#define HASHOS_AND_I32_ADD_CASE(name) \
    case Op::name: return Op::name##AndI32Add;
        HASHOS_RUNTIME_AND_I32_ADD(HASHOS_AND_I32_ADD_CASE)
#undef HASHOS_AND_I32_ADD_CASE
#define HASHOS_BINARY_STORE_AND_I32_ADD_CASE(op, store) \
    case Op::op##Then##store: return Op::op##Then##store##AndI32Add;
        HASHOS_RUNTIME_BINARY_STORES(HASHOS_BINARY_STORE_AND_I32_ADD_CASE)
#undef HASHOS_BINARY_STORE_AND_I32_ADD_CASE
#define HASHOS_LOAD_BINARY_STORE_AND_I32_ADD_CASE(load, op, store)                                      \
    case Op::load##Then##op##Then##store: return Op::load##Then##op##Then##store##AndI32Add;            \
    case Op::load##Then##op##Swapped##Then##store: return Op::load##Then##op##Swapped##Then##store##AndI32Add;
        HASHOS_RUNTIME_LOAD_BINARY_STORES(HASHOS_LOAD_BINARY_STORE_AND_I32_ADD_CASE)
#undef HASHOS_LOAD_BINARY_STORE_AND_I32_ADD_CASE
    default: return std::nullopt;
    }
}

// The fused op for a binary op whose result only `store` reads (runtime::HASHOS_RUNTIME_BINARY_STORES).
std::optional<Op> binary_store_variant(Op op, Op store)
{
#define HASHOS_BINARY_STORE_CASE(o, s)        \
    if (op == Op::o && store == Op::s)         \
        return Op::o##Then##s;
    HASHOS_RUNTIME_BINARY_STORES(HASHOS_BINARY_STORE_CASE)
#undef HASHOS_BINARY_STORE_CASE
    return std::nullopt;
}

// The `*p OP= x` op for a fused load and op (a plain LOAD##Then##OP, or its Swapped twin) whose
// result `store` writes back (runtime::HASHOS_RUNTIME_LOAD_BINARY_STORES).
std::optional<Op> load_binary_store_variant(Op load_then, Op store)
{
#define HASHOS_LOAD_BINARY_STORE_CASE(l, o, s)                     \
    if (load_then == Op::l##Then##o && store == Op::s)             \
        return Op::l##Then##o##Then##s;                            \
    if (load_then == Op::l##Then##o##Swapped && store == Op::s)    \
        return Op::l##Then##o##Swapped##Then##s;
    HASHOS_RUNTIME_LOAD_BINARY_STORES(HASHOS_LOAD_BINARY_STORE_CASE)
#undef HASHOS_LOAD_BINARY_STORE_CASE
    return std::nullopt;
}

// The twin of a load or store that also does the i32.add of its address and keeps the sum.
Op indexed_tee_variant(Op access)
{
    switch (access) {
#define HASHOS_INDEXED_TEE_CASE(name) \
    case Op::name: return Op::name##IndexedTee;
        HASHOS_RUNTIME_MEMORY_ACCESSES(HASHOS_INDEXED_TEE_CASE)
#undef HASHOS_INDEXED_TEE_CASE
    default: return access;
    }
}

// The fused op for a load (plain or indexed) feeding `op`: the loaded value is op's right operand,
// or its left one (`swapped`).
std::optional<Op> load_then_variant(Op load, Op op, bool swapped)
{
#define HASHOS_LOAD_THEN_CASE(l, o)                                                      \
    if (load == Op::l && op == Op::o)                                                     \
        return swapped ? Op::l##Then##o##Swapped : Op::l##Then##o;                        \
    if (load == Op::l##Indexed && op == Op::o)                                            \
        return swapped ? Op::l##IndexedThen##o##Swapped : Op::l##IndexedThen##o;
    HASHOS_RUNTIME_LOAD_BINARIES(HASHOS_LOAD_THEN_CASE)
#undef HASHOS_LOAD_THEN_CASE
    return std::nullopt;
}

// The fused op for `first` feeding `second` (runtime::HASHOS_RUNTIME_FUSED_BINARIES): the first's
// result is the second's left operand, or its right one (`swapped`).
std::optional<Op> fused_binary(Op first, Op second, bool swapped)
{
#define HASHOS_FUSED_CASE(a, b)           \
    if (first == Op::a && second == Op::b) \
        return swapped ? Op::a##Then##b##Swapped : Op::a##Then##b;
    HASHOS_RUNTIME_FUSED_BINARIES(HASHOS_FUSED_CASE)
#undef HASHOS_FUSED_CASE
    return std::nullopt;
}

// The indexed twin of a load or store.
Op indexed_variant(Op access)
{
    switch (access) {
#define HASHOS_INDEXED_CASE(name) \
    case Op::name: return Op::name##Indexed;
        HASHOS_RUNTIME_MEMORY_ACCESSES(HASHOS_INDEXED_CASE)
#undef HASHOS_INDEXED_CASE
    default: return access;
    }
}

class Compiler {
public:
    Compiler(const CompileContext& context, uint32_t defined_index, CompiledFunction& out)
        : m_context(context)
        , m_module(context.module.module())
        , m_body(m_module.code[defined_index])
        , m_type(context.module.function_type(m_module.imported_functions + defined_index))
        , m_out(out)
        , m_code(out.code)
        , m_handlers(runtime::handler_table())
    {
    }

    Result<void> compile();

private:
    // Emission.
    size_t begin(Op op, bool writes_slot = false)
    {
        // A comparison is often taken back into a compare-and-jump, which may then absorb the
        // add before it: no join across one.
        if (!fused_jump(op))
            join_independent_add();
        m_last = m_code.size();
        m_last_op = op;
        m_last_writes_slot = writes_slot;
        m_previous_emitted = m_last_emitted;
        m_last_emitted = { m_last, op };
        pointer(m_handlers[size_t(op)]);
        return m_last;
    }
    // Called as the next instruction begins, when no peephole can take the last two any more:
    // they become one joined instruction (runtime::HASHOS_RUNTIME_JOIN_FIRSTS), or an i32.add
    // joins the instruction before it when that one has an ...AndI32Add twin; one dispatch for
    // both. Only between labels (the emitted records are reset at each), so no jump lands
    // between the two.
    void join_independent_add()
    {
        if (m_previous_emitted.start == k_none)
            return;
        {
            // A pair of runtime::HASHOS_RUNTIME_JOIN_FIRSTS: the second's handler units go, its
            // operands move two units down, right after the first's.
            if (std::optional<Op> joined = joined_pair(m_previous_emitted.op, m_last_emitted.op)) {
                size_t next = m_last_emitted.start;
                m_code.erase(m_code.begin() + next, m_code.begin() + next + 2);
                set_handler(m_previous_emitted.start, *joined);
                m_last_emitted = { m_previous_emitted.start, *joined };
                m_previous_emitted = {};
                m_last = k_none;
                return;
            }
        }
        if (m_last_emitted.op != Op::I32Add)
            return;
        std::optional<Op> joined = and_i32_add_variant(m_previous_emitted.op);
        if (!joined)
            return;
        size_t add = m_last_emitted.start;
        uint32_t dst = m_code[add + 2];
        uint32_t a = m_code[add + 3];
        uint32_t b = m_code[add + 4];
        m_code.resize(add);
        m_code.push_back(dst);
        m_code.push_back(a);
        m_code.push_back(b);
        set_handler(m_previous_emitted.start, *joined);
        m_last_emitted = { m_previous_emitted.start, *joined };
        m_previous_emitted = {};
        m_last = k_none;
    }
    // Takes back the last instruction (a peephole fuses it into the next one).
    void retract()
    {
        m_last_emitted.start = m_last;
        retract_emitted();
    }
    // The same for m_last_emitted, which m_last may have forgotten on purpose.
    void retract_emitted()
    {
        m_code.resize(m_last_emitted.start);
        m_last = k_none;
        m_last_emitted = m_previous_emitted;
        m_previous_emitted = {};
    }
    void unit(uint32_t value) { m_code.push_back(value); }
    void set_handler(size_t at, Op op)
    {
        uint64_t bits = reinterpret_cast<uintptr_t>(m_handlers[size_t(op)]);
        m_code[at] = uint32_t(bits);
        m_code[at + 1] = uint32_t(bits >> 32);
    }
    void pointer(const void* value)
    {
        uint64_t bits = reinterpret_cast<uintptr_t>(value);
        m_code.push_back(uint32_t(bits));
        m_code.push_back(uint32_t(bits >> 32));
    }
    void imm64(uint64_t bits)
    {
        m_code.push_back(uint32_t(bits));
        m_code.push_back(uint32_t(bits >> 32));
    }
    // Forgets the last instruction, so no peephole reaches across what comes next.
    void place_label()
    {
        m_last = k_none;
        m_last_emitted = {};
        m_previous_emitted = {};
    }
    bool last_is(Op op) const { return m_last != k_none && m_last_op == op; }
    bool metered() const { return m_context.metering == FuelMetering::On; }
    void patch(Fixup fixup, size_t target) { m_code[fixup.field] = uint32_t(int32_t(int64_t(target) - int64_t(fixup.instruction))); }

    // The virtual operand stack.
    uint32_t canonical(size_t height) const { return m_stack_base + uint32_t(height); }
    bool is_local(uint32_t slot) const { return slot < m_local_count; }
    // The slot of a constant whose value is 0 (frame_image holds the locals after the params,
    // then the constants).
    bool is_zero_constant(uint32_t slot) const
    {
        return slot >= m_local_count && slot < m_stack_base && m_out.frame_image[slot - m_out.param_count].bits == 0;
    }
    // A canonical stack slot, not a deferred local or constant.
    bool is_stack(uint32_t slot) const { return slot >= m_stack_base; }
    uint32_t push()
    {
        uint32_t slot = canonical(m_stack.size());
        m_stack.push_back(slot);
        if (m_stack.size() > m_max_height)
            m_max_height = uint32_t(m_stack.size());
        return slot;
    }
    void push_local(uint32_t local)
    {
        if (m_stack.size() >= k_max_deferred_height) {
            uint32_t slot = push();
            emit_copy(slot, local);
            return;
        }
        m_stack.push_back(local);
        ++m_local_refs[local];
        ++m_deferred;
        if (m_stack.size() > m_max_height)
            m_max_height = uint32_t(m_stack.size());
    }
    void push_constant(uint32_t slot)
    {
        if (m_stack.size() >= k_max_deferred_height) {
            emit_copy(push(), slot);
            return;
        }
        m_stack.push_back(slot);
        ++m_deferred;
        if (m_stack.size() > m_max_height)
            m_max_height = uint32_t(m_stack.size());
    }
    uint32_t pop()
    {
        uint32_t slot = m_stack.back();
        m_stack.pop_back();
        if (is_local(slot))
            --m_local_refs[slot];
        if (!is_stack(slot))
            --m_deferred;
        return slot;
    }
    void truncate(size_t height)
    {
        while (m_stack.size() > height)
            pop();
    }
    // Two copies in a row (locals shuffled, values materialised together) become one Copy2.
    void emit_copy(uint32_t to, uint32_t from)
    {
        if (last_is(Op::Copy)) {
            set_handler(m_last, Op::Copy2);
            m_last_op = Op::Copy2;
            m_last_emitted.op = Op::Copy2;
            m_last_writes_slot = false; // its unit 2 is not the slot it writes last
            unit(to);
            unit(from);
            return;
        }
        begin(Op::Copy, true);
        unit(to);
        unit(from);
    }
    void materialize(size_t index)
    {
        uint32_t slot = m_stack[index];
        if (is_stack(slot))
            return;
        emit_copy(canonical(index), slot);
        if (is_local(slot))
            --m_local_refs[slot];
        --m_deferred;
        m_stack[index] = canonical(index);
    }
    void materialize_top(size_t count)
    {
        if (m_deferred == 0)
            return;
        size_t end = std::min(m_stack.size(), k_max_deferred_height);
        for (size_t i = m_stack.size() - count; i < end; ++i)
            materialize(i);
    }
    void materialize_all() { materialize_top(m_stack.size()); }
    void materialize_local(uint32_t local)
    {
        if (m_local_refs[local] == 0)
            return;
        for (size_t i = 0; i < std::min(m_stack.size(), k_max_deferred_height); ++i) {
            if (m_stack[i] == local)
                materialize(i);
        }
    }

    Signature signature(const BlockType& type) const
    {
        switch (type.kind) {
        case BlockType::Kind::Empty: return {};
        case BlockType::Kind::Value: return { 0, 1 };
        case BlockType::Kind::TypeIndex: {
            const FuncType& function_type = m_module.types[type.type_index];
            return { uint32_t(function_type.params.size()), uint32_t(function_type.results.size()) };
        }
        }
        return {};
    }

    // Control.
    void enter(Control::Kind kind, Signature signature);
    void compile_else();
    void compile_end();
    void emit_return();
    // Jumps to `control`'s label with values already where the label wants them.
    void emit_jump_to(Control& control);
    void emit_branch(uint32_t depth);
    void emit_branch_if(uint32_t depth);
    void emit_branch_table(const Instruction& instruction);
    size_t emit_conditional_jump(Condition condition);
    Condition take_condition(uint32_t slot);
    bool values_in_place(const Control& control) const;
    void copy_values_to(const Control& control);

    // One walk over the body before compiling it: the fuel costs (each instruction is charged to
    // its innermost loop, or to the function's entry) and the constants ("Constants" above).
    void scan_body()
    {
        // Per open block: the loop it is in, or k_none. Real code nests a few levels deep.
        std::array<size_t, 32> inline_loops;
        std::vector<size_t> deeper_loops; // past inline_loops.size() levels
        size_t depth = 0;
        size_t loop = k_none; // the innermost loop of the current block
        uint64_t entry_cost = 0;
        std::vector<Value>& image = m_out.frame_image;
        image.assign(m_local_count - m_out.param_count, Value {});
        for (const Instruction& instruction : m_body.instructions) {
            if (loop == k_none)
                ++entry_cost;
            else
                ++m_loop_costs[loop];
            uint64_t bits;
            switch (instruction.op) {
            case Opcode::Loop:
            case Opcode::Block:
            case Opcode::If:
                if (depth < inline_loops.size())
                    inline_loops[depth] = loop;
                else
                    deeper_loops.push_back(loop);
                ++depth;
                if (instruction.op == Opcode::Loop) {
                    loop = m_loop_costs.size();
                    m_loop_costs.push_back(0);
                }
                continue;
            case Opcode::End:
                if (depth > 0) {
                    --depth;
                    if (depth < inline_loops.size()) {
                        loop = inline_loops[depth];
                    } else {
                        loop = deeper_loops.back();
                        deeper_loops.pop_back();
                    }
                }
                continue;
            case Opcode::I32Const: bits = uint32_t(instruction.i32); break;
            case Opcode::F32Const: bits = instruction.f32_bits; break;
            case Opcode::I64Const: bits = uint64_t(instruction.i64); break;
            case Opcode::F64Const: bits = instruction.f64_bits; break;
            default: continue;
            }
            // The first k_max_constants distinct constant values get their slots, right after the
            // locals (i32 and f32 constants zero-extended, as the interpreter stores them).
            if (m_constant_slots.size() < k_max_constants
                && m_constant_slots.add(bits, m_local_count + uint32_t(m_constant_slots.size())))
                image.push_back(Value { bits });
        }
        m_stack_base = m_local_count + uint32_t(m_constant_slots.size());
        m_out.entry_cost = m_context.metering == FuelMetering::On ? uint32_t(std::min<uint64_t>(entry_cost, UINT32_MAX)) : 0;
    }

    // Instructions.
    void compile_local_set(uint32_t local, bool tee);
    void compile_numeric(Op op);
    void compile_constant(uint64_t bits, bool wide);
    void compile_memory_access(Op op, const Instruction& instruction);
    void compile_atomic(Op op, const Instruction& instruction);
    void compile_call(Op op, const void* target, const FuncType& type, std::optional<uint32_t> index_slot, uint32_t type_id, Table* table);

    const CompileContext& m_context;
    const Module& m_module;
    const FunctionBody& m_body;
    const FuncType& m_type;
    CompiledFunction& m_out;
    std::vector<CodeUnit>& m_code;
    const void* const* m_handlers;

    uint32_t m_local_count = 0;
    uint32_t m_stack_base = 0; // locals plus constants
    ConstantSlots m_constant_slots; // value bits to slot
    std::vector<uint32_t> m_stack;
    std::vector<uint32_t> m_local_refs; // deferred entries per local
    size_t m_deferred = 0;
    uint32_t m_max_height = 0;
    std::vector<Control> m_controls;
    std::vector<uint32_t> m_loop_costs; // per loop, in order of appearance: its own instructions
    size_t m_loops_seen = 0;
    bool m_dead = false; // after br/br_table/return/unreachable until the enclosing else/end
    uint32_t m_dead_nesting = 0;

    // The last two instructions emitted since the last label, whatever peepholes did to their
    // operands (unlike m_last, which a peephole may forget on purpose): what the add-then-jump
    // fusion needs to know.
    struct Emitted {
        size_t start = k_none;
        Op op = Op::Nop;
    };
    Emitted m_last_emitted;
    Emitted m_previous_emitted;

    size_t m_last = k_none; // start of the last emitted instruction, k_none after a label
    Op m_last_op = Op::Nop;
    bool m_last_writes_slot = false; // its unit 2 is the one slot it writes
};

void Compiler::enter(Control::Kind kind, Signature signature)
{
    materialize_all();
    Control control;
    control.kind = kind;
    control.signature = signature;
    control.height = uint32_t(m_stack.size() - signature.params);
    if (kind == Control::Kind::Loop) {
        place_label();
        uint32_t cost = m_loop_costs[m_loops_seen++];
        control.loop_cost = cost;
        if (m_context.metering == FuelMetering::On) {
            begin(Op::Loop); // the fuel of the first iteration; back-edges charge the others
            unit(cost);
            place_label();
        }
        control.loop_start = m_code.size();
    }
    m_controls.push_back(std::move(control));
}

// Only after materialize_top(arity): the values are then in their own canonical slots, which are
// the label's exactly when they sit right on the label's height.
bool Compiler::values_in_place(const Control& control) const
{
    uint32_t arity = control.arity();
    return arity == 0 || control.height + arity == m_stack.size();
}

// Ascending copies are safe: a value's source is a local (below every stack slot) or its own
// canonical slot, which is at or above its destination.
void Compiler::copy_values_to(const Control& control)
{
    uint32_t arity = control.arity();
    for (uint32_t k = 0; k < arity; ++k) {
        uint32_t from = m_stack[m_stack.size() - arity + k];
        uint32_t to = canonical(control.height + k);
        if (from != to)
            emit_copy(to, from);
    }
}

// An add emitted right before the jump (a loop's induction step) is fused into it.
void Compiler::emit_jump_to(Control& control)
{
    bool back_edge = control.kind == Control::Kind::Loop;
    bool charge = back_edge && metered();
    Emitted add = m_last_emitted;
    size_t start;
    size_t offset_field;
    if (add.start != k_none && (add.op == Op::Copy || add.op == Op::Copy2)) {
        // The copies that put a loop's next locals or a block's values in place, then the jump.
        std::array<CodeUnit, 4> copies {};
        size_t count = add.op == Op::Copy ? 2 : 4;
        std::copy_n(m_code.begin() + add.start + 2, count, copies.begin());
        retract_emitted();
        if (add.op == Op::Copy)
            start = begin(charge ? Op::CopyThenJumpLoop : Op::CopyThenJump);
        else
            start = begin(charge ? Op::Copy2ThenJumpLoop : Op::Copy2ThenJump);
        for (size_t i = 0; i < count; ++i)
            unit(copies[i]);
    } else if (add.start != k_none && (add.op == Op::I32Add || add.op == Op::I64Add)) {
        uint32_t dst = m_code[add.start + 2];
        uint32_t a = m_code[add.start + 3];
        uint32_t b = m_code[add.start + 4];
        retract_emitted();
        bool wide = add.op == Op::I64Add;
        Op op = charge ? (wide ? Op::I64AddThenJumpLoop : Op::I32AddThenJumpLoop) : (wide ? Op::I64AddThenJump : Op::I32AddThenJump);
        start = begin(op);
        unit(dst);
        unit(a);
        unit(b);
    } else {
        start = begin(charge ? Op::JumpLoop : Op::Jump);
    }
    offset_field = m_code.size();
    unit(0);
    if (charge)
        unit(control.loop_cost);
    if (back_edge)
        patch({ offset_field, start }, control.loop_start);
    else
        control.fixups.push_back({ offset_field, start });
}

void Compiler::emit_return()
{
    uint32_t count = uint32_t(m_type.results.size());
    if (count == 0) {
        begin(Op::Return0);
    } else if (count == 1) {
        begin(Op::Return1);
        unit(m_stack.back());
    } else {
        // Results go to slots 0..count, which locals occupy: move them out of locals first.
        materialize_top(count);
        begin(Op::ReturnN);
        unit(count);
        unit(canonical(m_stack.size() - count));
    }
}

void Compiler::emit_branch(uint32_t depth)
{
    Control& control = m_controls[m_controls.size() - 1 - depth];
    if (control.kind == Control::Kind::Function) {
        emit_return();
        return;
    }
    copy_values_to(control);
    emit_jump_to(control);
}

// An i32.add or i64.add emitted right before the jump (no label between) is fused into it: the
// add then the jump, one dispatch (a loop's induction step and its exit test).
size_t Compiler::emit_conditional_jump(Condition condition)
{
    Emitted add = m_last_emitted;
    std::optional<Op> fused;
    if (add.start != k_none && (add.op == Op::I32Add || add.op == Op::I64Add))
        fused = add_then_variant(add.op, condition.jump);
    if (fused) {
        uint32_t dst = m_code[add.start + 2];
        uint32_t a = m_code[add.start + 3];
        uint32_t b = m_code[add.start + 4];
        retract_emitted();
        size_t start = begin(*fused);
        unit(dst);
        unit(a);
        unit(b);
        unit(condition.a);
        if (has_two_operands(condition.jump))
            unit(condition.b);
        unit(0);
        return start;
    }
    size_t start = begin(condition.jump);
    unit(condition.a);
    if (has_two_operands(condition.jump))
        unit(condition.b);
    unit(0);
    return start;
}

// The condition for a just-popped i32 in `slot`: when the instruction that computed it is a
// comparison emitted right before, it is taken back and fused into the jump.
Condition Compiler::take_condition(uint32_t slot)
{
    Condition condition { Op::JumpIf, slot, 0 };
    if (m_last == k_none || !m_last_writes_slot || !is_stack(slot) || m_code[m_last + 2] != slot)
        return condition;
    if (m_last_op == Op::I32Eqz || m_last_op == Op::I64Eqz) {
        condition = { *fused_jump(m_last_op), m_code[m_last + 3], 0 };
    } else if (auto jump = fused_jump(m_last_op)) {
        condition = { *jump, m_code[m_last + 3], m_code[m_last + 4] };
    } else {
        return condition;
    }
    retract();
    return condition;
}

void Compiler::emit_branch_if(uint32_t depth)
{
    uint32_t slot = pop();
    Condition condition = take_condition(slot);
    Control& control = m_controls[m_controls.size() - 1 - depth];
    // Materialised on both paths so that the fall-through path sees the same virtual stack.
    materialize_top(control.kind == Control::Kind::Function ? m_type.results.size() : control.arity());
    if (control.kind != Control::Kind::Function && values_in_place(control)) {
        if (control.kind == Control::Kind::Loop) {
            bool charge = metered();
            if (charge)
                condition.jump = loop_variant(condition.jump);
            size_t start = emit_conditional_jump(condition);
            patch({ m_code.size() - 1, start }, control.loop_start);
            if (charge)
                unit(control.loop_cost); // after the offset
            return;
        }
        size_t start = emit_conditional_jump(condition);
        control.fixups.push_back({ m_code.size() - 1, start });
        return;
    }
    size_t start = emit_conditional_jump(inverse(condition));
    Fixup skip { m_code.size() - 1, start };
    emit_branch(depth);
    patch(skip, m_code.size());
    place_label();
}

void Compiler::emit_branch_table(const Instruction& instruction)
{
    uint32_t index = pop();
    // An index loaded just before (an interpreter's `switch (*pc++)`): the load is taken back
    // into the br_table, and so is an i32.add right before it (the `pc++`). The copies that
    // materialize_top may emit in between write stack slots below the index, which neither reads.
    std::optional<std::array<CodeUnit, 2>> loaded; // address, offset
    if (m_last != k_none && m_last_op == Op::I32Load && m_last_writes_slot && is_stack(index) && m_code[m_last + 2] == index) {
        loaded = std::array<CodeUnit, 2> { m_code[m_last + 3], m_code[m_last + 4] };
        retract();
    }
    uint32_t count = instruction.label_table.count;
    const uint32_t* depths = m_body.label_tables.data() + instruction.label_table.begin;
    Control& first = m_controls[m_controls.size() - 1 - depths[count]];
    uint32_t arity = first.kind == Control::Kind::Function ? uint32_t(m_type.results.size()) : first.arity();
    materialize_top(arity);

    size_t start;
    if (loaded) {
        Emitted add = m_last_emitted;
        if (add.start != k_none && add.op == Op::I32Add) {
            std::array<CodeUnit, 3> sum { m_code[add.start + 2], m_code[add.start + 3], m_code[add.start + 4] };
            retract_emitted();
            start = begin(Op::I32AddThenBrTableI32Load);
            for (CodeUnit operand : sum)
                unit(operand);
        } else {
            start = begin(Op::BrTableI32Load);
        }
        unit((*loaded)[0]);
        unit((*loaded)[1]);
    } else {
        start = begin(Op::BrTable);
        unit(index);
    }
    unit(count);
    size_t table = m_code.size();
    m_code.resize(table + count + 1, 0);
    // Targets whose values are not in place get a stub after the table (copies, then a jump);
    // one stub per distinct depth.
    std::unordered_map<uint32_t, size_t> stubs;
    for (uint32_t i = 0; i <= count; ++i) {
        uint32_t depth = depths[i];
        Control& control = m_controls[m_controls.size() - 1 - depth];
        Fixup entry { table + i, start };
        // A metered back-edge goes through a stub too: the stub's JumpLoop charges the fuel.
        bool direct = control.kind != Control::Kind::Function && values_in_place(control)
            && !(control.kind == Control::Kind::Loop && metered());
        if (direct) {
            if (control.kind == Control::Kind::Loop)
                patch(entry, control.loop_start);
            else
                control.fixups.push_back(entry);
            continue;
        }
        auto [it, inserted] = stubs.try_emplace(depth, 0);
        if (inserted) {
            it->second = m_code.size();
            emit_branch(depth);
        }
        patch(entry, it->second);
    }
}

void Compiler::compile_else()
{
    Control& control = m_controls.back();
    if (!m_dead) {
        materialize_top(control.signature.results);
        emit_jump_to(control);
    }
    place_label();
    patch(*control.else_fixup, m_code.size());
    control.else_fixup.reset();
    truncate(control.height);
    for (uint32_t i = 0; i < control.signature.params; ++i)
        push();
    m_dead = false;
}

void Compiler::compile_end()
{
    Control& control = m_controls.back();
    if (!m_dead && control.kind != Control::Kind::Function)
        materialize_top(control.signature.results);
    if (control.kind == Control::Kind::Function) {
        if (!m_dead)
            emit_return();
        m_controls.pop_back();
        return;
    }
    place_label();
    for (const Fixup& fixup : control.fixups)
        patch(fixup, m_code.size());
    if (control.else_fixup)
        patch(*control.else_fixup, m_code.size());
    truncate(control.height);
    for (uint32_t i = 0; i < control.signature.results; ++i)
        push();
    m_controls.pop_back();
    m_dead = false;
}

void Compiler::compile_local_set(uint32_t local, bool tee)
{
    uint32_t value = m_stack.back();
    bool writes_value = m_last != k_none && m_last_writes_slot && is_stack(value) && m_code[m_last + 2] == value;
    bool fold = writes_value && m_local_refs[local] == 0;
    pop();
    if (fold) {
        m_code[m_last + 2] = local;
        // The patched instruction wrote a local, not the slot a later peephole looks for.
        m_last = k_none;
    } else if (writes_value && m_code.size() - m_last <= k_max_retargeted_units) {
        // The old value of the local is still on the stack (`p = p + 4` with p still to be used):
        // the instruction is taken back, the old value copied out, and the instruction emitted
        // again writing the local itself. Not `tmp = p + 4; old = p; p = tmp`, whose copy puts
        // one more store-to-load round trip on the dependency chain of p (a loop's pointer or
        // counter). The instruction reads only the local, constants and the stack at or above
        // its own result's height, none of which the materialising copies write.
        std::array<CodeUnit, k_max_retargeted_units> units {};
        size_t count = m_code.size() - m_last;
        std::copy(m_code.begin() + m_last, m_code.end(), units.begin());
        Op op = m_last_op;
        retract();
        materialize_local(local);
        begin(op, true);
        m_code.insert(m_code.end(), units.begin() + 2, units.begin() + count);
        m_code[m_last + 2] = local;
        m_last = k_none;
    } else {
        materialize_local(local);
        if (value != local) {
            emit_copy(local, value);
            // Still the last instruction for the Copy2 peephole, but not as a write of `value`.
            m_last_writes_slot = false;
        } else {
            m_last = k_none;
        }
    }
    if (tee)
        push_local(local);
}

void Compiler::compile_numeric(Op op)
{
    const OpcodeInfo& opcode = info(Opcode(op));
    if (opcode.params.size() == 1) {
        uint32_t a = pop();
        uint32_t result = push();
        begin(op, true);
        unit(result);
        unit(a);
        return;
    }
    uint32_t b = pop();
    uint32_t a = pop();
    // x + 0 is x (clang writes `n + 0` for a value that merges control flow, as in fib's
    // `return n`): x is pushed back as it was, no instruction. Not when x is the top stack slot
    // and the zero below it: x would have to move down.
    if ((op == Op::I32Add || op == Op::I64Add) && (is_zero_constant(a) || is_zero_constant(b))) {
        uint32_t x = is_zero_constant(b) ? a : b;
        if (is_local(x)) {
            push_local(x);
            return;
        }
        if (!is_stack(x)) {
            push_constant(x);
            return;
        }
        if (x == canonical(m_stack.size())) {
            push();
            return;
        }
    }
    // (x + y) + z: the first sum lives only in the stack slot this add reads.
    if (op == Op::I32Add && last_is(Op::I32Add) && m_last_writes_slot && is_stack(m_code[m_last + 2])
        && (a == m_code[m_last + 2] || b == m_code[m_last + 2])) {
        uint32_t x = m_code[m_last + 3];
        uint32_t y = m_code[m_last + 4];
        uint32_t z = a == m_code[m_last + 2] ? b : a;
        retract();
        uint32_t result = push();
        begin(Op::I32Add3, true);
        unit(result);
        unit(x);
        unit(y);
        unit(z);
        return;
    }
    // A load whose value only this op reads: one instruction that loads and computes.
    if (m_last != k_none && m_last_writes_slot && is_stack(m_code[m_last + 2])
        && (a == m_code[m_last + 2] || b == m_code[m_last + 2])) {
        bool swapped = a == m_code[m_last + 2];
        if (auto fused = load_then_variant(m_last_op, op, swapped)) {
            uint32_t x = swapped ? b : a;
            // The load's operands after its dst: address or a, b; then the offset.
            std::array<CodeUnit, 3> operands {};
            size_t count = m_code.size() - (m_last + 3);
            std::copy(m_code.begin() + m_last + 3, m_code.end(), operands.begin());
            retract();
            uint32_t result = push();
            begin(*fused, true);
            unit(result);
            unit(x);
            for (size_t i = 0; i < count; ++i)
                unit(operands[i]);
            return;
        }
    }
    // A binary op whose result only this one reads: the pair becomes one fused instruction.
    if (m_last != k_none && m_last_writes_slot && is_stack(m_code[m_last + 2])
        && (a == m_code[m_last + 2] || b == m_code[m_last + 2])) {
        bool swapped = b == m_code[m_last + 2];
        if (auto fused = fused_binary(m_last_op, op, swapped)) {
            uint32_t x = m_code[m_last + 3];
            uint32_t y = m_code[m_last + 4];
            uint32_t z = swapped ? a : b;
            retract();
            uint32_t result = push();
            begin(*fused, true);
            unit(result);
            unit(x);
            unit(y);
            unit(z);
            return;
        }
    }
    uint32_t result = push();
    begin(op, true);
    unit(result);
    unit(a);
    unit(b);
}

void Compiler::compile_constant(uint64_t bits, bool wide)
{
    if (uint32_t slot = m_constant_slots.find(bits); slot != ConstantSlots::k_no_slot) {
        push_constant(slot);
        return;
    }
    uint32_t result = push();
    begin(wide ? Op::Const64 : Op::Const32, true);
    unit(result);
    if (wide)
        imm64(bits);
    else
        unit(uint32_t(bits));
}

// Loads are `dst, address, offset`, stores `address, value, offset`; when the address is the
// result of the i32.add just emitted, the add is taken back and the access reads its two operands.
void Compiler::compile_memory_access(Op op, const Instruction& instruction)
{
    bool is_store = info(instruction.op).results.empty();
    uint32_t value = is_store ? pop() : 0;
    uint32_t address = pop();
    // A value computed by the binary op just before, for this store only: one instruction that
    // computes and stores (the op's operands are read before anything is written).
    if (is_store && m_last != k_none && m_last_writes_slot && is_stack(value) && m_code[m_last + 2] == value) {
        if (std::optional<Op> fused = binary_store_variant(m_last_op, op)) {
            uint32_t a = m_code[m_last + 3];
            uint32_t b = m_code[m_last + 4];
            retract();
            begin(*fused);
            unit(address);
            unit(a);
            unit(b);
            unit(instruction.memory.offset);
            return;
        }
        // `*p += x`: the load-and-op read the same address and offset this store writes (the
        // same slot, and nothing wrote it in between: it is the instruction just before).
        std::optional<Op> read_modify_write = load_binary_store_variant(m_last_op, op);
        if (read_modify_write && m_code[m_last + 4] == address && m_code[m_last + 5] == instruction.memory.offset) {
            uint32_t x = m_code[m_last + 3];
            retract();
            begin(*read_modify_write);
            unit(x);
            unit(address);
            unit(instruction.memory.offset);
            return;
        }
    }
    bool fuse = last_is(Op::I32Add) && m_last_writes_slot && is_stack(address) && m_code[m_last + 2] == address;
    uint32_t a = 0, b = 0;
    if (fuse) {
        a = m_code[m_last + 3];
        b = m_code[m_last + 4];
        retract();
    }
    // `i32.add; local.tee L; load/store` with the address in L: the add is absorbed too, and the
    // access writes L itself (NAME##IndexedTee).
    std::optional<uint32_t> tee;
    Emitted add = m_last_emitted;
    if (!fuse && add.start != k_none && add.op == Op::I32Add && is_local(address) && m_code[add.start + 2] == address) {
        a = m_code[add.start + 3];
        b = m_code[add.start + 4];
        tee = address;
        retract_emitted();
    }
    Op access = fuse ? indexed_variant(op) : tee ? indexed_tee_variant(op) : op;
    if (is_store) {
        begin(access);
    } else {
        uint32_t result = push();
        begin(access, true);
        unit(result);
    }
    if (fuse || tee) {
        unit(a);
        unit(b);
        if (tee)
            unit(*tee);
    } else {
        unit(address);
    }
    if (is_store)
        unit(value);
    unit(instruction.memory.offset);
}

// The threads proposal's instructions, never fused with anything: `dst` (when the row has a
// result), the operand slots in push order, the offset, and for notify and wait the Memory*,
// whose sharedness and waiters they consult. atomic.fence has no operands.
void Compiler::compile_atomic(Op op, const Instruction& instruction)
{
    const OpcodeInfo& opcode = info(instruction.op);
    std::array<uint32_t, 3> operands {};
    size_t count = opcode.params.size();
    for (size_t i = count; i-- > 0;)
        operands[i] = pop();
    bool has_result = !opcode.results.empty();
    uint32_t result = has_result ? push() : 0;
    begin(op, has_result);
    if (has_result)
        unit(result);
    for (size_t i = 0; i < count; ++i)
        unit(operands[i]);
    if (opcode.immediate == ImmediateKind::MemArg)
        unit(instruction.memory.offset);
    if (op == Op::MemoryAtomicNotify || op == Op::MemoryAtomicWait32 || op == Op::MemoryAtomicWait64)
        pointer(m_context.memories[0]);
}

void Compiler::compile_call(Op op, const void* target, const FuncType& type, std::optional<uint32_t> index_slot, uint32_t type_id, Table* table)
{
    uint32_t params = uint32_t(type.params.size());
    materialize_top(params);
    uint32_t arg_base = canonical(m_stack.size() - params);
    // The callee's frame starts at the arguments and may grow past anything above them; the
    // table index was popped already and is read before the callee runs.
    begin(op);
    if (op == Op::CallIndirect) {
        unit(type_id);
        pointer(table);
        unit(*index_slot);
    } else {
        pointer(target);
    }
    unit(arg_base);
    truncate(m_stack.size() - params);
    for (size_t i = 0; i < type.results.size(); ++i)
        push();
}

Result<void> Compiler::compile()
{
    m_local_count = uint32_t(m_type.params.size() + m_body.locals.size());
    m_local_refs.assign(m_local_count, 0);
    m_out.param_count = uint32_t(m_type.params.size());
    m_out.local_count = m_local_count;
    m_out.result_count = uint32_t(m_type.results.size());

    scan_body();
    // Most instructions compile to a handful of units or to none: one reservation, no regrowth.
    m_code.reserve(m_body.instructions.size() * 4 + 8);
    m_stack.reserve(64);

    Control function;
    function.kind = Control::Kind::Function;
    function.signature = { 0, uint32_t(m_type.results.size()) };
    m_controls.push_back(function);

    size_t code_limit = std::max(k_min_code_limit, m_body.instructions.size() * k_max_units_per_instruction);
    for (const Instruction& instruction : m_body.instructions) {
        if (m_code.size() > code_limit)
            return Error("function too large to compile: more than " + std::to_string(code_limit) + " units of code");
        Op op = Op(instruction.op);
        if (m_dead) {
            switch (instruction.op) {
            case Opcode::Loop:
                ++m_loops_seen;
                ++m_dead_nesting;
                break;
            case Opcode::Block:
            case Opcode::If:
                ++m_dead_nesting;
                break;
            case Opcode::Else:
                if (m_dead_nesting == 0)
                    compile_else();
                break;
            case Opcode::End:
                if (m_dead_nesting == 0)
                    compile_end();
                else
                    --m_dead_nesting;
                break;
            default:
                break;
            }
            continue;
        }

        switch (instruction.op) {
        case Opcode::Unreachable:
            begin(Op::Unreachable);
            m_dead = true;
            break;
        case Opcode::Nop:
            break;
        case Opcode::Block:
            enter(Control::Kind::Block, signature(instruction.block_type));
            break;
        case Opcode::Loop:
            enter(Control::Kind::Loop, signature(instruction.block_type));
            break;
        case Opcode::If: {
            uint32_t slot = pop();
            Condition condition = take_condition(slot);
            Signature block = signature(instruction.block_type);
            materialize_all();
            size_t start = emit_conditional_jump(inverse(condition));
            Fixup else_fixup { m_code.size() - 1, start };
            enter(Control::Kind::If, block);
            m_controls.back().else_fixup = else_fixup;
            break;
        }
        case Opcode::Else:
            compile_else();
            break;
        case Opcode::End:
            compile_end();
            break;
        case Opcode::Br:
            emit_branch(instruction.index);
            m_dead = true;
            break;
        case Opcode::BrIf:
            emit_branch_if(instruction.index);
            break;
        case Opcode::BrTable:
            emit_branch_table(instruction);
            m_dead = true;
            break;
        case Opcode::Return:
            emit_return();
            m_dead = true;
            break;
        case Opcode::Call: {
            uint32_t index = instruction.index;
            const FuncType& type = m_context.module.function_type(index);
            if (const CompiledFunction* code = m_context.code[index])
                compile_call(Op::Call, code, type, std::nullopt, 0, nullptr);
            else
                compile_call(Op::CallHost, m_context.functions[index], type, std::nullopt, 0, nullptr);
            break;
        }
        case Opcode::CallIndirect: {
            uint32_t index_slot = pop();
            const FuncType& type = m_module.types[instruction.pair.first];
            compile_call(Op::CallIndirect, nullptr, type, index_slot, m_context.type_ids[instruction.pair.first], m_context.tables[instruction.pair.second]);
            break;
        }

        case Opcode::RefNull: {
            uint32_t result = push();
            begin(Op::Const32, true);
            unit(result);
            unit(0);
            break;
        }
        case Opcode::RefIsNull: {
            uint32_t a = pop();
            uint32_t result = push();
            begin(Op::RefIsNull, true);
            unit(result);
            unit(a);
            break;
        }
        case Opcode::RefFunc: {
            uint32_t result = push();
            begin(Op::Const64, true);
            unit(result);
            pointer(m_context.functions[instruction.index]);
            break;
        }

        case Opcode::Drop:
            pop();
            break;
        case Opcode::Select:
        case Opcode::SelectTyped: {
            uint32_t condition = pop();
            uint32_t b = pop();
            uint32_t a = pop();
            uint32_t result = push();
            begin(Op::Select, true);
            unit(result);
            unit(a);
            unit(b);
            unit(condition);
            break;
        }

        case Opcode::LocalGet:
            push_local(instruction.index);
            break;
        case Opcode::LocalSet:
            compile_local_set(instruction.index, false);
            break;
        case Opcode::LocalTee:
            compile_local_set(instruction.index, true);
            break;
        case Opcode::GlobalGet: {
            uint32_t result = push();
            begin(Op::GlobalGet, true);
            unit(result);
            pointer(m_context.globals[instruction.index]->slot());
            break;
        }
        case Opcode::GlobalSet: {
            uint32_t value = pop();
            begin(Op::GlobalSet);
            unit(value);
            pointer(m_context.globals[instruction.index]->slot());
            break;
        }

        case Opcode::TableGet: {
            uint32_t index = pop();
            uint32_t result = push();
            begin(Op::TableGet, true);
            unit(result);
            unit(index);
            pointer(m_context.tables[instruction.index]);
            break;
        }
        case Opcode::TableSet: {
            uint32_t value = pop();
            uint32_t index = pop();
            begin(Op::TableSet);
            unit(index);
            unit(value);
            pointer(m_context.tables[instruction.index]);
            break;
        }
        case Opcode::TableSize: {
            uint32_t result = push();
            begin(Op::TableSize, true);
            unit(result);
            pointer(m_context.tables[instruction.index]);
            break;
        }
        case Opcode::TableGrow: {
            uint32_t delta = pop();
            uint32_t init = pop();
            uint32_t result = push();
            begin(Op::TableGrow);
            unit(result);
            unit(init);
            unit(delta);
            pointer(m_context.tables[instruction.index]);
            break;
        }
        case Opcode::TableFill: {
            uint32_t count = pop();
            uint32_t value = pop();
            uint32_t index = pop();
            begin(Op::TableFill);
            unit(index);
            unit(value);
            unit(count);
            pointer(m_context.tables[instruction.index]);
            break;
        }
        case Opcode::TableCopy: {
            uint32_t count = pop();
            uint32_t source = pop();
            uint32_t destination = pop();
            begin(Op::TableCopy);
            unit(destination);
            unit(source);
            unit(count);
            pointer(m_context.tables[instruction.pair.first]);
            pointer(m_context.tables[instruction.pair.second]);
            break;
        }
        case Opcode::TableInit: {
            uint32_t count = pop();
            uint32_t source = pop();
            uint32_t destination = pop();
            begin(Op::TableInit);
            unit(destination);
            unit(source);
            unit(count);
            pointer(m_context.tables[instruction.pair.second]);
            pointer(m_context.instance);
            unit(instruction.pair.first);
            break;
        }
        case Opcode::ElemDrop:
            begin(Op::ElemDrop);
            pointer(m_context.instance);
            unit(instruction.index);
            break;

        case Opcode::MemorySize: {
            uint32_t result = push();
            begin(Op::MemorySize, true);
            unit(result);
            break;
        }
        case Opcode::MemoryGrow: {
            uint32_t delta = pop();
            uint32_t result = push();
            begin(Op::MemoryGrow);
            unit(result);
            unit(delta);
            pointer(m_context.memories[0]);
            break;
        }
        case Opcode::MemoryInit: {
            uint32_t count = pop();
            uint32_t source = pop();
            uint32_t destination = pop();
            begin(Op::MemoryInit);
            unit(destination);
            unit(source);
            unit(count);
            pointer(m_context.instance);
            unit(instruction.index);
            break;
        }
        case Opcode::DataDrop:
            begin(Op::DataDrop);
            pointer(m_context.instance);
            unit(instruction.index);
            break;
        case Opcode::MemoryCopy:
        case Opcode::MemoryFill: {
            uint32_t count = pop();
            uint32_t b = pop();
            uint32_t a = pop();
            begin(op);
            unit(a);
            unit(b);
            unit(count);
            break;
        }

        case Opcode::I32Const: compile_constant(uint32_t(instruction.i32), false); break;
        case Opcode::F32Const: compile_constant(instruction.f32_bits, false); break;
        case Opcode::I64Const: compile_constant(uint64_t(instruction.i64), true); break;
        case Opcode::F64Const: compile_constant(instruction.f64_bits, true); break;

        default: {
            const OpcodeInfo& opcode = info(instruction.op);
            if (opcode.prefix == 0xFE) {
                compile_atomic(op, instruction);
                break;
            }
            if (opcode.immediate == ImmediateKind::MemArg) {
                compile_memory_access(op, instruction);
                break;
            }
            if (opcode.immediate == ImmediateKind::None && opcode.params != "*" && opcode.results.size() == 1
                && (opcode.params.size() == 1 || opcode.params.size() == 2)) {
                compile_numeric(op);
                break;
            }
            return Error("compiler: unhandled instruction " + std::string(opcode.text));
        }
        }
    }

    // The image is copied in blocks of k_frame_image_block slots: padded with zeros (they land in
    // operand stack slots, unused yet), and the frame holds the padding.
    size_t padded = (m_out.frame_image.size() + k_frame_image_block - 1) / k_frame_image_block * k_frame_image_block;
    m_out.frame_image.resize(padded, Value {});
    m_out.frame_slots = std::max<uint32_t>(m_stack_base + m_max_height, m_out.param_count + uint32_t(padded));
    if (m_code.size() > size_t(std::numeric_limits<int32_t>::max()))
        return Error("function too large to compile");
    m_code.shrink_to_fit();
    return {};
}

} // namespace

Result<void> compile_function(const CompileContext& context, uint32_t defined_index, CompiledFunction& out)
{
    Compiler compiler(context, defined_index, out);
    if (auto compiled = compiler.compile(); compiled.is_error()) {
        out.frame_slots = k_not_compiled;
        out.code.clear();
        out.frame_image.clear();
        out.entry_cost = 0;
        return compiled;
    }
    return {};
}

} // namespace hashos::wasm
