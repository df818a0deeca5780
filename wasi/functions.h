// The functions of wasi_snapshot_preview1, grouped by what they touch; each file documents its
// group and cites the spec (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md).
// A function reads its arguments, checks guest pointers (EFAULT, never a trap), then answers
// at once or sends a message and continues with the reply (wasi/wasi_process.h).
#pragma once

#include "engine/value.h"
#include "wasi/wasi_process.h"

#include <span>
#include <string_view>

namespace hashos::wasi {

using Arguments = std::span<const wasm::Value>;
using Function = WasiProcess::Outcome (*)(WasiProcess&, Arguments);

struct FunctionEntry {
    std::string_view name;
    std::string_view params; // one letter per parameter: i = i32, I = i64; the result is i32
    Function function;
};

// The table of every function but proc_exit (which never returns, wasi/provider.cpp).
std::span<const FunctionEntry> basic_functions();
std::span<const FunctionEntry> fd_functions();
std::span<const FunctionEntry> path_functions();
std::span<const FunctionEntry> poll_functions();

// Helpers shared by the groups.
inline uint32_t u32(Arguments args, size_t i) { return args[i].u32(); }
inline uint64_t u64(Arguments args, size_t i) { return args[i].u64(); }

} // namespace hashos::wasi
