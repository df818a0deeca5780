// ImportProvider: the host functions a module may import from a module other than `hashos` —
// such as `wasi_snapshot_preview1`, which wasi/ implements on top of interfaces. The embedder
// gives the providers to the kernel at setup (KernelConfig::import_providers), so that kernel/
// does not depend on who implements them (DESIGN.md's layering).
//
// A provider binds once to each process whose module imports from it, before the process runs;
// the binding makes that process's host functions, in its Store, and may keep per-process state
// in them (their closures live as long as the Store, that is, the process). Host functions that
// need an answer to a message send it with syscalls::send and wait with await_answers
// (kernel/host_wait.h), which suspends the wasm thread as next_message does.
//
// Threads: bind() and make_import() run while the process is being created, on the spawner's
// thread; the host functions run on the worker that runs the process.
#pragma once

#include "base/result.h"
#include "engine/store.h"

#include <memory>
#include <string_view>

namespace hashos::kernel {

class Process;

class ProcessImports {
public:
    virtual ~ProcessImports() = default;
    // The host function for the import `NAME` of type `type`. Errors: an unknown name or a
    // wrong type, in one line ("unknown import wasi_snapshot_preview1.foo").
    virtual Result<wasm::Function*> make_import(std::string_view name, const wasm::FuncType& type) = 0;
};

class ImportProvider {
public:
    virtual ~ImportProvider() = default;
    // The import module it serves: "wasi_snapshot_preview1".
    virtual std::string_view module_name() const = 0;
    // Binds to a process being created.
    virtual Result<std::unique_ptr<ProcessImports>> bind(Process& process) = 0;
};

} // namespace hashos::kernel
