// Handler: whoever handles an interface. The registry maps an interface hash to one Handler and
// cannot tell a kernel-native handler (a C++ object, handlers/) from the proxy of a wasm process
// (kernel/process_handler.h): both receive messages through deliver() and answer them with
// answer_message() (kernel/messages.h), at once or later, from any thread.
//
// Threads: every method may be called from any thread, concurrently, and is never called with a
// kernel lock held, so an implementation may answer or send messages from inside it.
#pragma once

#include "kernel/messages.h"

namespace hashos::kernel {

enum class Delivery : uint8_t {
    Accepted,  // the handler owns the message now; it will answer it if an answer is wanted
    QueueFull, // the handler's queue is at its limit: the sender gets HASHOS_E_QUEUE_FULL
    Gone,      // the handler is exiting: the message is treated as having no handler
};

class Handler {
public:
    virtual ~Handler() = default;

    // Offers a message. On Accepted the handler has moved it out of `message` and must answer it
    // (if an answer is wanted) exactly once, or may drop it after cancel(); on anything else
    // `message` is left as it was, for the caller to park or answer with an error.
    virtual Delivery deliver(Message&& message) = 0;

    // The same for a message whose body is still in the sender's memory (emit_message's; the
    // message's own body is empty): a handler that can put it straight where it goes copies it
    // once. On anything but Accepted, `message.body` holds the body afterwards, for the caller
    // to park. The default copies it into the message and calls deliver().
    virtual Delivery deliver_borrowed(Message&& message, std::span<const uint8_t> body)
    {
        message.body.assign(body.begin(), body.end());
        return deliver(std::move(message));
    }

    // The sender withdrew `id`: if it is still queued, drop it; if it is being handled, its
    // answer will be dropped anyway.
    virtual void cancel(MessageId id) {}

    // A process this handler accepted messages from has exited.
    virtual void sender_exited(SenderId sender) {}

    // The handler gives up `interface` (interface.Unregister): it hands back, and forgets, its
    // messages of that interface not taken yet (`queued`, for the next handler) and those taken
    // but not answered (`held`, as routes without bodies; the caller answers them UNAVAILABLE).
    // A native handler keeps no messages of its own: the default gives back nothing.
    struct Withdrawn {
        std::vector<Message> queued;
        std::vector<Message> held;
    };
    virtual Withdrawn withdraw(const InterfaceHash& interface) { return {}; }

    // A name for messages ("process 12 (pong)", "log"): who handles what, when something fails.
    virtual std::string description() const = 0;
};

} // namespace hashos::kernel
