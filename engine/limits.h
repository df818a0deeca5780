// Implementation limits of the engine, checked by the decoder before it allocates anything sized by
// the binary. They are generous for real programs (large C++ and Rust builds stay far below them)
// and small enough that a hostile module cannot make us allocate gigabytes: every vector the
// decoder builds is bounded both by these numbers and by the bytes actually present.
// The WebAssembly spec allows implementations to set such limits:
// https://webassembly.github.io/spec/core/appendix/implementation.html
// Several figures follow the JavaScript API's limits, which browsers share:
// https://webassembly.github.io/spec/js-api/#limits
#pragma once

#include <cstddef>
#include <cstdint>

namespace hashos::wasm::limits {

// Whole binary. Decoding expands code about 24 bytes per instruction byte, so this bounds the
// decoded module to a few GiB in the very worst case; real programs are tens of MiB at most.
constexpr size_t k_max_module_size = 256 * 1024 * 1024;

constexpr uint32_t k_max_types = 1'000'000;
constexpr uint32_t k_max_function_params = 1'000;
constexpr uint32_t k_max_function_results = 1'000;
constexpr uint32_t k_max_imports = 100'000;
constexpr uint32_t k_max_functions = 1'000'000; // defined functions (function and code sections)
constexpr uint32_t k_max_tables = 100'000;
constexpr uint32_t k_max_memories = 100; // the validator allows one; this only bounds the vector
constexpr uint32_t k_max_globals = 1'000'000;
constexpr uint32_t k_max_exports = 100'000;
constexpr uint32_t k_max_element_segments = 100'000;
constexpr uint32_t k_max_data_segments = 100'000;

// Each element item becomes a small ConstantExpression (~90 bytes), so this is the one count
// where the expansion over the binary is large; 1M items is ~90 MiB.
constexpr uint32_t k_max_element_segment_items = 1'000'000;

// Bytes of one string (import/export/custom section name).
constexpr uint32_t k_max_name_length = 100'000;

// Declared locals of one function, parameters not included. The spec only requires fewer than
// 2^32; we flatten locals into one vector, so we keep the count small.
constexpr uint64_t k_max_locals = 50'000;

constexpr uint32_t k_max_function_body_size = 7'654'321; // bytes, as in the JS API
constexpr uint32_t k_max_br_table_labels = 1'000'000;
// Nesting of block/loop/if in one function or constant expression.
constexpr uint32_t k_max_block_depth = 100'000;

} // namespace hashos::wasm::limits
