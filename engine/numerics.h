// Numeric semantics of WebAssembly that C++ does not give for free: trapping integer division,
// float min/max/nearest with the spec's NaN and signed-zero rules, bit-exact sign operations and
// range-checked float-to-int conversions. Internal to the engine (interpreter and constant folding).
// https://webassembly.github.io/spec/core/exec/numerics.html
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace hashos::wasm::numerics {

// The unsigned integer type with the same width as a float type, for bit manipulation.
template<typename F>
using Bits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;

template<typename F>
constexpr Bits<F> k_sign_bit = Bits<F>(1) << (sizeof(F) * 8 - 1);

// Quiet bit of a NaN: the most significant bit of the significand.
template<typename F>
constexpr Bits<F> k_quiet_bit = Bits<F>(1) << (std::numeric_limits<F>::digits - 2);

template<typename F>
inline F canonical_nan()
{
    return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(std::numeric_limits<F>::infinity()) | k_quiet_bit<F>));
}

// https://webassembly.github.io/spec/core/exec/numerics.html#op-fabs (and fneg, fcopysign):
// pure bit operations, NaN payloads untouched.
template<typename F>
inline F abs(F x) { return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(x) & ~k_sign_bit<F>)); }
template<typename F>
inline F neg(F x) { return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(x) ^ k_sign_bit<F>)); }
template<typename F>
inline F copysign(F x, F y)
{
    auto bits = Bits<F>((std::bit_cast<Bits<F>>(x) & ~k_sign_bit<F>) | (std::bit_cast<Bits<F>>(y) & k_sign_bit<F>));
    return std::bit_cast<F>(bits);
}

// https://webassembly.github.io/spec/core/exec/numerics.html#op-fmin
// A NaN operand gives a NaN (quieted, so an arithmetic NaN); -0 is smaller than +0.
template<typename F>
inline F min(F x, F y)
{
    if (std::isnan(x) || std::isnan(y))
        return x + y; // propagates a quieted NaN operand
    if (x == y) // equal, or +0 and -0: take the one with the sign bit
        return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(x) | std::bit_cast<Bits<F>>(y)));
    return x < y ? x : y;
}

template<typename F>
inline F max(F x, F y)
{
    if (std::isnan(x) || std::isnan(y))
        return x + y;
    if (x == y) // +0 and -0: the sign bit only when both have it
        return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(x) & std::bit_cast<Bits<F>>(y)));
    return x > y ? x : y;
}

// https://webassembly.github.io/spec/core/exec/numerics.html#op-fceil (fceil, ffloor, ftrunc,
// fnearest): a NaN operand gives an arithmetic NaN, but libm's rounding functions may hand a
// signalling NaN back unchanged, so NaNs are quieted first (x + x sets the quiet bit).
template<typename F>
inline F ceil(F x) { return std::isnan(x) ? x + x : std::ceil(x); }
template<typename F>
inline F floor(F x) { return std::isnan(x) ? x + x : std::floor(x); }
template<typename F>
inline F trunc(F x) { return std::isnan(x) ? x + x : std::trunc(x); }
// Ties to even: nearbyint uses the current rounding mode, which hashos never changes from
// round-to-nearest-even.
template<typename F>
inline F nearest(F x) { return std::isnan(x) ? x + x : std::nearbyint(x); }

// Float-to-int conversions. Trapping forms report why through the returned status.
enum class TruncStatus : uint8_t { Ok, NaN, Overflow };

// Converts when `x` truncates into [I::min, I::max]; the bounds are exact powers of two in F.
// https://webassembly.github.io/spec/core/exec/numerics.html#op-trunc-s
template<typename I, typename F>
inline TruncStatus truncate(F x, I& out)
{
    if (std::isnan(x))
        return TruncStatus::NaN;
    // 2^(bits) for unsigned, 2^(bits-1) for signed: the first value out of range above.
    constexpr F upper = std::is_signed_v<I> ? F(-(F(std::numeric_limits<I>::min()))) : F(2) * F(I(1) << (sizeof(I) * 8 - 1));
    if constexpr (std::is_signed_v<I>) {
        constexpr F lower = F(std::numeric_limits<I>::min()); // exact: -2^(bits-1)
        // Values in (lower-1, lower] truncate to lower, so compare against lower-1 when it is
        // representable; when it is not (f32 for 32/64-bit, f64 for 64-bit), lower-1 rounds to
        // lower and x >= lower is the exact test.
        if constexpr (F(lower - F(1)) != lower) {
            if (!(x > lower - F(1)))
                return TruncStatus::Overflow;
        } else {
            if (!(x >= lower))
                return TruncStatus::Overflow;
        }
    } else {
        if (!(x > F(-1)))
            return TruncStatus::Overflow;
    }
    if (!(x < upper))
        return TruncStatus::Overflow;
    out = I(x);
    return TruncStatus::Ok;
}

// https://webassembly.github.io/spec/core/exec/numerics.html#op-trunc-sat-s
template<typename I, typename F>
inline I truncate_saturating(F x)
{
    I result {};
    switch (truncate<I, F>(x, result)) {
    case TruncStatus::Ok:
        return result;
    case TruncStatus::NaN:
        return 0;
    case TruncStatus::Overflow:
        return x < F(0) ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
    }
    return 0;
}

} // namespace hashos::wasm::numerics
