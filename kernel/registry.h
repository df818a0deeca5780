// Registry: which Handler handles which interface (one per interface hash), and the messages
// waiting for a handler (sent with HASHOS_EMIT_WAIT_FOR_HANDLER while none was registered).
// route() is the one place a message finds its handler.
//
// Threads: every method may be called from any thread. Handler::deliver is always called with
// the registry unlocked, so a handler may route messages from inside deliver.
#pragma once

#include "kernel/handler.h"
#include "kernel/spin_lock.h"

#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace hashos::kernel {

enum class WaitForHandler : uint8_t { No, Yes };

enum class Routed : uint8_t {
    Delivered, // a handler accepted it
    Parked,    // no handler yet; it will be delivered when one registers
    NoHandler, // no handler and the sender did not want to wait: the message was dropped
    QueueFull, // the handler's queue (or the waiting list) is full: the message was dropped
};

struct RouteResult {
    Routed routed = Routed::NoHandler;
    std::weak_ptr<Handler> handler; // Delivered: who took it
};

enum class Registration : uint8_t {
    Registered,
    AlreadyHandled, // another handler has the interface
    Reserved,       // the user gave the interface to another program
};

class Registry {
public:
    // At most this many messages wait for a handler, per interface.
    static constexpr size_t k_max_parked = 4096;

    // Only `program` may handle `interface` (the user's choice, from the configuration);
    // interfaces with no reservation go to whoever registers first.
    void reserve(const InterfaceHash& interface, ProgramId program);

    // Makes `handler` (owned by `program`) the handler of `interface`, then delivers the messages
    // that were waiting for it, in the order they were sent.
    Registration add(const InterfaceHash& interface, std::shared_ptr<Handler> handler, const ProgramId& program);
    // Stops `handler` from handling `interface`; false if it did not. Waiting messages stay.
    bool remove(const InterfaceHash& interface, const Handler& handler);
    // Removes `handler` from every interface it handles (it is exiting).
    void remove_all(const Handler& handler);
    size_t count_of(const Handler& handler) const;
    std::shared_ptr<Handler> find(const InterfaceHash& interface) const;

    // Delivers `message` to the handler of its interface, or parks it (WaitForHandler::Yes).
    // On Delivered the caller tells the sender's sink (AnswerSink::delivered_to); messages
    // delivered later, from the waiting list, are told by the registry.
    RouteResult route(Message message, WaitForHandler wait);
    // The same for a message whose body is still in the sender's memory (its own body empty):
    // the handler copies it once (Handler::deliver_borrowed); a parked message keeps a copy.
    RouteResult route_borrowed(Message&& message, std::span<const uint8_t> body, WaitForHandler wait);

    // Drops the waiting messages of a sender that exited.
    void drop_parked_from(SenderId sender);

    // Puts `messages` (oldest first), which a handler gave back when it unregistered, at the head
    // of `interface`'s waiting messages, ahead of any sent since; delivers them if a handler has
    // registered meanwhile. Beyond k_max_parked waiting messages, the newest are answered
    // RESOURCE_EXHAUSTED.
    void requeue(const InterfaceHash& interface, std::vector<Message> messages);

private:
    struct Entry {
        std::shared_ptr<Handler> handler;
        std::deque<Message> parked;
        // While the waiting messages are handed to a new handler, new ones queue behind them so
        // that the order of each sender's messages holds.
        bool flushing = false;
    };
    void flush(const InterfaceHash& interface);
    // route() and route_borrowed(): `borrowed` null when the message owns its body.
    // By reference: a Message is large, and each by-value hop on every send moved it again.
    RouteResult route_with(Message&& message, const std::span<const uint8_t>* borrowed, WaitForHandler wait);

    mutable SpinLock m_lock;
    std::unordered_map<InterfaceHash, Entry> m_entries;
    std::unordered_map<InterfaceHash, ProgramId> m_reserved;
};

} // namespace hashos::kernel
