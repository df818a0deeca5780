// ThreadHandler: the kernel-native handler of the `thread` interface (interfaces/thread.proto,
// docs/threads.md): Spawn (method 1) starts a thread in the sending process.
//
// Threads: as Handler, any thread. A Spawn is handled inside deliver(), which emit_message calls
// on the worker running the sending thread, so the sender is known to be running (Thread::
// current()) and cannot be torn down meanwhile (kernel/process.h). A message from anyone else —
// the embedder, or a sender whose message waited for this handler — is refused.
#pragma once

#include "kernel/handler.h"

namespace hashos::kernel {

class ThreadHandler final : public Handler {
public:
    Delivery deliver(Message&& message) override;
    std::string description() const override { return "the kernel's thread handler"; }

private:
    Answer handle(const Message& message);
};

} // namespace hashos::kernel
