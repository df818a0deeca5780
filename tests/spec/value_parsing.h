// Values of a wast2json script: arguments and expected results as JSON objects
// ({"type": "i32", "value": "4294967295"}, {"type": "f32", "value": "nan:canonical"}, …),
// and the NaN patterns of the spec's assert_return.
// Script syntax: https://github.com/WebAssembly/spec/tree/wg-2.0/interpreter#scripts
// NaN patterns: https://webassembly.github.io/spec/core/syntax/values.html#floating-point
#pragma once

#include "base/result.h"
#include "tests/spec/script.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace hashos::spec {

// Both return an error for a value this engine has no slot for (v128) or a malformed number.
// They do not throw for well-formed JSON objects; the loader catches nlohmann's exceptions.
Result<Argument> parse_argument(const nlohmann::json& json);
Result<Expectation> parse_expectation(const nlohmann::json& json);

bool matches(const Expectation& expected, wasm::Value actual);

// "i32:42", "f32:0x7fc00000 (nan)", "externref:7", "funcref:null", for failure reports.
std::string describe(wasm::ValType type, wasm::Value value);
std::string describe(const Expectation& expected);

} // namespace hashos::spec
