#include "tests/spec/value_parsing.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <optional>

namespace hashos::spec {

using wasm::ValType;
using wasm::Value;

namespace {

std::optional<ValType> parse_type(const std::string& name)
{
    if (name == "i32")
        return ValType::I32;
    if (name == "i64")
        return ValType::I64;
    if (name == "f32")
        return ValType::F32;
    if (name == "f64")
        return ValType::F64;
    if (name == "funcref")
        return ValType::FuncRef;
    if (name == "externref")
        return ValType::ExternRef;
    // v128 has no place in a 64-bit Value: reported as an error, never guessed.
    return std::nullopt;
}

// wast2json writes every number as the decimal value of its unsigned bit pattern.
Result<uint64_t> parse_bits(const std::string& text, uint64_t max)
{
    uint64_t bits = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), bits, 10);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        return Error("bad number \"" + text + "\"");
    if (bits > max)
        return Error("number out of range \"" + text + "\"");
    return bits;
}

// An exact value of `type` from its text in the JSON.
Result<Argument> parse_exact(ValType type, const std::string& text)
{
    switch (type) {
    case ValType::I32:
    case ValType::F32:
        return Argument { type, Value::from_u64(TRY(parse_bits(text, UINT32_MAX))) };
    case ValType::I64:
    case ValType::F64:
        return Argument { type, Value::from_u64(TRY(parse_bits(text, UINT64_MAX))) };
    case ValType::FuncRef:
        if (text == "null")
            return Argument { type, Value::null_ref() };
        // A funcref argument would have to name a function, which the JSON cannot.
        return Error("funcref value \"" + text + "\" cannot be built");
    case ValType::ExternRef:
        if (text == "null")
            return Argument { type, Value::null_ref() };
        // Not from the spec: the host value N becomes Value::from_extern(N); an exact
        // comparison of the slots then compares N.
        return Argument { type, Value::from_extern(TRY(parse_bits(text, UINT64_MAX - 1))) };
    default:
        return Error("unsupported value type");
    }
}

std::string json_string(const nlohmann::json& json, const char* key)
{
    auto it = json.find(key);
    if (it == json.end() || !it->is_string())
        return {};
    return it->get<std::string>();
}

} // namespace

Result<Argument> parse_argument(const nlohmann::json& json)
{
    auto type_name = json_string(json, "type");
    auto type = parse_type(type_name);
    if (!type)
        return Error("unsupported value type \"" + type_name + "\"");
    return parse_exact(*type, json_string(json, "value"));
}

Result<Expectation> parse_expectation(const nlohmann::json& json)
{
    auto type_name = json_string(json, "type");
    auto type = parse_type(type_name);
    if (!type)
        return Error("unsupported value type \"" + type_name + "\"");
    auto text = json_string(json, "value");
    Expectation expected;
    expected.type = *type;
    if (*type == ValType::F32 || *type == ValType::F64) {
        if (text == "nan:canonical") {
            expected.kind = Expectation::Kind::CanonicalNan;
            return expected;
        }
        if (text == "nan:arithmetic") {
            expected.kind = Expectation::Kind::ArithmeticNan;
            return expected;
        }
    }
    if (*type == ValType::FuncRef && text != "null") {
        expected.kind = Expectation::Kind::AnyFunction;
        return expected;
    }
    expected.value = TRY(parse_exact(*type, text)).value;
    return expected;
}

// https://webassembly.github.io/spec/core/syntax/values.html#floating-point
// A canonical NaN has only the top bit of the significand set (either sign); an arithmetic NaN
// has that bit set and anything in the rest of the significand.
bool matches(const Expectation& expected, Value actual)
{
    bool is_f32 = expected.type == ValType::F32;
    uint64_t sign_mask = is_f32 ? 0x8000'0000ull : 0x8000'0000'0000'0000ull;
    uint64_t width_mask = is_f32 ? 0xffff'ffffull : ~0ull;
    uint64_t canonical = is_f32 ? 0x7fc0'0000ull : 0x7ff8'0000'0000'0000ull;
    switch (expected.kind) {
    case Expectation::Kind::CanonicalNan:
        return (actual.bits & width_mask & ~sign_mask) == canonical;
    case Expectation::Kind::ArithmeticNan:
        return (actual.bits & canonical) == canonical;
    case Expectation::Kind::AnyFunction:
        return !actual.is_null();
    case Expectation::Kind::Exact:
        break;
    }
    switch (expected.type) {
    case ValType::I32:
    case ValType::F32:
        // Only the low 32 bits are the value; the slot's upper half is not part of it.
        return actual.u32() == expected.value.u32();
    default:
        return actual.bits == expected.value.bits;
    }
}

std::string describe(ValType type, Value value)
{
    char buffer[96];
    switch (type) {
    case ValType::I32:
        std::snprintf(buffer, sizeof buffer, "i32:%" PRIu32 " (0x%08" PRIx32 ")", value.u32(), value.u32());
        break;
    case ValType::I64:
        std::snprintf(buffer, sizeof buffer, "i64:%" PRIu64 " (0x%016" PRIx64 ")", value.u64(), value.u64());
        break;
    case ValType::F32:
        std::snprintf(buffer, sizeof buffer, "f32:0x%08" PRIx32 " (%.9g)", value.f32_bits(), double(value.f32()));
        break;
    case ValType::F64:
        std::snprintf(buffer, sizeof buffer, "f64:0x%016" PRIx64 " (%.17g)", value.f64_bits(), value.f64());
        break;
    case ValType::FuncRef:
        if (value.is_null())
            return "funcref:null";
        std::snprintf(buffer, sizeof buffer, "funcref:%p", static_cast<void*>(value.function()));
        break;
    case ValType::ExternRef:
        if (value.is_null())
            return "externref:null";
        std::snprintf(buffer, sizeof buffer, "externref:%" PRIu64, value.extern_value());
        break;
    default:
        std::snprintf(buffer, sizeof buffer, "?:0x%016" PRIx64, value.bits);
        break;
    }
    return buffer;
}

std::string describe(const Expectation& expected)
{
    const char* type = expected.type == ValType::F32 ? "f32" : "f64";
    switch (expected.kind) {
    case Expectation::Kind::CanonicalNan:
        return std::string(type) + ":nan:canonical";
    case Expectation::Kind::ArithmeticNan:
        return std::string(type) + ":nan:arithmetic";
    case Expectation::Kind::AnyFunction:
        return "funcref:(any non-null)";
    case Expectation::Kind::Exact:
        break;
    }
    return describe(expected.type, expected.value);
}

} // namespace hashos::spec
