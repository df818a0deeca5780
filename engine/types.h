// The WebAssembly type grammar: value types, function types, limits, table/memory/global types.
// https://webassembly.github.io/spec/core/syntax/types.html
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace hashos::wasm {

// Values are the binary encodings, so a decoded byte converts directly.
enum class ValType : uint8_t {
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B, // decoded so that SIMD modules get a clear "not supported" error
    FuncRef = 0x70,
    ExternRef = 0x6F,
};

constexpr bool is_reference(ValType type) { return type == ValType::FuncRef || type == ValType::ExternRef; }
std::string_view name(ValType type);

struct FuncType {
    std::vector<ValType> params;
    std::vector<ValType> results;
    bool operator==(const FuncType&) const = default;
};

struct Limits {
    uint32_t min = 0;
    std::optional<uint32_t> max;
    bool operator==(const Limits&) const = default;
};

struct TableType {
    ValType element = ValType::FuncRef;
    Limits limits;
};

struct MemoryType {
    Limits limits; // in 64 KiB pages
    // Threads proposal: a shared memory may be used by several threads at once and is the only
    // kind memory.atomic.wait accepts; it always has a maximum (the binary cannot say otherwise).
    // https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#shared-linear-memory
    bool shared = false;
};

enum class Mutability : uint8_t { Const = 0, Var = 1 };

struct GlobalType {
    ValType type = ValType::I32;
    Mutability mutability = Mutability::Const;
    bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { Function = 0, Table = 1, Memory = 2, Global = 3 };
std::string_view name(ExternKind kind);

constexpr uint32_t k_page_size = 65536;
constexpr uint32_t k_max_pages = 65536; // 4 GiB, the wasm32 address space

} // namespace hashos::wasm
