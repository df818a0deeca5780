// WasiProvider: the kernel's import provider (kernel/import_provider.h) for the module
// `wasi_snapshot_preview1`, so that programs built with clang-14 --target=wasm32-wasi and
// wasi-libc run unchanged. Every function is translated into messages on hashos interfaces —
// stdio, environment, time, random, files — never a direct host call, so a program that takes
// over one of them serves WASI programs too. docs/wasi.md lists each function and its status.
//
// Threads: one provider for the kernel, used from any thread; each process gets its own
// WasiProcess (wasi/wasi_process.h), used only on its worker.
#pragma once

#include "kernel/import_provider.h"

namespace hashos::wasi {

class WasiProvider final : public kernel::ImportProvider {
public:
    std::string_view module_name() const override { return "wasi_snapshot_preview1"; }
    Result<std::unique_ptr<kernel::ProcessImports>> bind(kernel::Process& process) override;
};

} // namespace hashos::wasi
