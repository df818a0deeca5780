// The syscalls of docs/abi.md as host functions of module `hashos`. Each one decodes its
// arguments (through GuestMemory: a bad pointer is an error code, never a fault), checks them,
// and only then performs the operation, which cannot fail halfway (seL4's decode/invoke split).
//
// Threads: the host functions run on the worker that runs the calling process;
// retry_next_message likewise. make_import runs while the process is being created.
#pragma once

#include "base/result.h"
#include "engine/store.h"

#include <string_view>

namespace hashos::kernel {

class Process;
class Thread;

namespace syscalls {

// The host function for import `hashos.NAME` of `process`. Errors: an unknown NAME, or a type
// other than docs/abi.md's.
Result<wasm::Function*> make_import(Process& process, std::string_view name, const wasm::FuncType& type);

// A thread blocked in next_message was woken: takes the event if it is there (writes it and
// resumes the thread; true) or waits again (false).
bool retry_next_message(Thread& thread);

} // namespace syscalls
} // namespace hashos::kernel
