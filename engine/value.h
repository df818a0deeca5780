// Value: one untyped 64-bit slot, the unit of the operand stack, locals and globals.
// The type is known statically (validation), so the slot carries none.
// References: 0 is null; a funcref is a Function*; an externref is an embedder value
// stored as value+1 (so externref 0 is not null).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace hashos::wasm {

class Function;

struct Value {
    uint64_t bits = 0;

    static Value from_i32(int32_t v) { return { uint64_t(uint32_t(v)) }; }
    static Value from_u32(uint32_t v) { return { uint64_t(v) }; }
    static Value from_i64(int64_t v) { return { uint64_t(v) }; }
    static Value from_u64(uint64_t v) { return { v }; }
    static Value from_f32(float v) { return { uint64_t(std::bit_cast<uint32_t>(v)) }; }
    static Value from_f64(double v) { return { std::bit_cast<uint64_t>(v) }; }
    static Value from_f32_bits(uint32_t v) { return { uint64_t(v) }; }
    static Value from_f64_bits(uint64_t v) { return { v }; }
    static Value null_ref() { return { 0 }; }
    static Value from_function(const Function* f) { return { uint64_t(reinterpret_cast<uintptr_t>(f)) }; }
    static Value from_extern(uint64_t host_value) { return { host_value + 1 }; }

    int32_t i32() const { return int32_t(uint32_t(bits)); }
    uint32_t u32() const { return uint32_t(bits); }
    int64_t i64() const { return int64_t(bits); }
    uint64_t u64() const { return bits; }
    float f32() const { return std::bit_cast<float>(uint32_t(bits)); }
    double f64() const { return std::bit_cast<double>(bits); }
    uint32_t f32_bits() const { return uint32_t(bits); }
    uint64_t f64_bits() const { return bits; }
    bool is_null() const { return bits == 0; }
    Function* function() const { return reinterpret_cast<Function*>(uintptr_t(bits)); }
    uint64_t extern_value() const { return bits - 1; } // only when !is_null()

    bool operator==(const Value&) const = default;
};

static_assert(sizeof(Value) == 8);

} // namespace hashos::wasm
