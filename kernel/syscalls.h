// The syscalls of docs/abi.md as host functions of module `hashos`. Each one decodes its
// arguments (through GuestMemory: a bad pointer is an error code, never a fault), checks them,
// and only then performs the operation, which cannot fail halfway (seL4's decode/invoke split).
//
// Threads: the host functions run on the worker that runs the calling process;
// retry_next_message likewise. make_import runs while the process is being created.
#pragma once

#include "base/result.h"
#include "engine/store.h"
#include "kernel/messages.h"
#include "kernel/registry.h"

#include <string_view>

namespace hashos::kernel {

class Process;
class Thread;

namespace syscalls {

// The host function for import `hashos.NAME` of `process`. Errors: an unknown NAME, or a type
// other than docs/abi.md's.
Result<wasm::Function*> make_import(Process& process, std::string_view name, const wasm::FuncType& type);

// emit_message's operation once its arguments are decoded, for the host functions of import
// providers too (kernel/host_wait.h): sends `body` to `interface` as `process`, checking its
// pending limit, permissions and the handler. Returns 0 or a docs/abi.md error code; `out_id`
// is set when the message exists and wants an answer (then exactly one answer will come).
int32_t send(Process& process, const InterfaceHash& interface, std::vector<uint8_t> body, AnswerWanted answer_wanted,
    WaitForHandler wait, MessageId& out_id);
// The same with the body still in the sender's memory (emit_message's): it is copied only once
// the checks pass, and then once only when its handler is waiting for it.
int32_t send_borrowed(Process& process, const InterfaceHash& interface, std::span<const uint8_t> body,
    AnswerWanted answer_wanted, WaitForHandler wait, MessageId& out_id);

// cancel_message's operation: withdraws a pending message of `process`. 0 or
// HASHOS_E_UNKNOWN_MESSAGE.
int32_t cancel(Process& process, MessageId id);

// A thread blocked in next_message was woken: takes the event if it is there (writes it and
// resumes the thread; true) or waits again (false).
bool retry_next_message(Thread& thread);

} // namespace syscalls
} // namespace hashos::kernel
