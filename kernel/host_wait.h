// Waiting for answers inside a host function: how an import provider's function (e.g. WASI's
// fd_read, wasi/) sends a message for its process and suspends the wasm thread until the answer
// comes, exactly as a blocked next_message does: the worker runs other programs meanwhile, and
// the thread resumes when the mailbox wakes it.
//
//     kernel::MessageId id;
//     if (int32_t error = kernel::syscalls::send(process, interface, body, kernel::AnswerWanted::Yes,
//             kernel::WaitForHandler::No, id))
//         ... // a syscall error: no message exists
//     auto result = kernel::await_answers(*kernel::Thread::current(), { id },
//         [](kernel::Event&& answer) -> std::optional<int32_t> { ... return errno; });
//     if (!result)
//         return wasm::HostOutcome::Suspend;
//     call.results[0] = wasm::Value::from_i32(*result);
//     return wasm::HostOutcome::Return;
//
// Threads: only on the worker that runs the thread (in its host functions, and in the
// continuations, which run there too); other threads of the process may await at the same time,
// each with its own wait.
#pragma once

#include "kernel/mailbox.h"
#include "kernel/thread.h"

#include <functional>
#include <optional>
#include <vector>

namespace hashos::kernel {

// Runs with the first answer (ANSWER or ERROR_ANSWER event) to one of the awaited messages; it
// returns the host function's i32 result, or nullopt after it awaits again (await_answers
// returned nullopt to it).
using AnswerContinuation = std::function<std::optional<int32_t>(Event&& answer)>;

// Waits for the answer to one of `ids` (pending messages of the thread's process that want an
// answer). If one is there already — a native handler that answered inside deliver() — `then`
// runs at once and its result is returned; else the thread is registered to wait, nullopt is
// returned, and the host function must return HostOutcome::Suspend. The answers not taken stay
// pending: cancel them (syscalls::cancel) or await them later.
std::optional<int32_t> await_answers(Thread& thread, std::vector<MessageId> ids, AnswerContinuation then);

// The scheduler's half: a thread suspended in await_answers was woken. Takes the answer if it
// is there, runs the continuation and resumes the thread (true: it may run), or keeps it waiting
// (false).
bool retry_host_wait(Thread& thread);

} // namespace hashos::kernel
