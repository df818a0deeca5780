// Mailbox: the message state of one process (kernel/messages.h's per-process half).
// - its queue of events, oldest first: incoming messages (bounded: Limits::queued_messages,
//   the backpressure of DESIGN.md), answers to its own messages, SENDER_EXITED notifications;
// - its pending messages (sent with an answer wanted, answer not taken yet; bounded:
//   Limits::pending_messages) and the messages it holds as a handler (taken, not answered);
// - the wasm threads blocked in next_message, woken when an event they wait for arrives.
// docs/abi.md's rules on message ids, filters and lifetimes are all checked here.
//
// Fast path (DESIGN.md, STYLE.md: seL4's): a thread blocked in next_message registers where its
// event goes; a message or answer that arrives for it is written there at once, by the thread
// that delivers it (one copy, from the sender's memory to the receiver's, with no queue and no
// allocation), and the thread is woken with its syscall's result set (Thread::set_delivered).
// Everything else goes through the queue.
//
// Threads: every method locks the mailbox and may be called from any thread. The wake callback
// runs with the mailbox locked, so it must not call back into the mailbox (the scheduler's wake
// only queues the thread). After close() every call is a harmless no-op. A waiting thread's
// buffer is written only under the lock while the mailbox is open, so while its process lives.
#pragma once

#include "kernel/abi.h"
#include "kernel/guest_memory.h"
#include "kernel/id_map.h"
#include "kernel/messages.h"
#include "kernel/spin_lock.h"

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hashos::kernel {

class Thread;

// One next_message event, before it is encoded into guest memory.
struct Event {
    abi::EventKind kind = abi::EventKind::Message;
    Message message; // for answers: id, interface, body; for SENDER_EXITED: sender only
};

enum class Taken : uint8_t {
    Event,          // `event` is the whole event, now consumed
    TooSmall,       // `event` has the header fields and `body_size`, nothing consumed
    Nothing,        // no event matches (the thread was registered as a waiter if asked to)
    UnknownMessage, // a filter id is not pending
};

struct TakeResult {
    Taken status = Taken::Nothing;
    Event event;
    uint32_t body_size = 0;
};

enum class Wait : uint8_t { No, Yes };

class Mailbox final : public AnswerSink, public std::enable_shared_from_this<Mailbox> {
public:
    using WakeCallback = std::function<void(Thread&)>;
    Mailbox(uint32_t pending_limit, uint32_t queue_limit, WakeCallback wake);

    // --- As a sender -----------------------------------------------------------------------------
    // Counts a message that wants an answer against the pending limit; false when at the limit.
    bool add_pending(MessageId id, const InterfaceHash& interface);
    // `handler` accepted a message of this process: it will be told when the process exits, and
    // if `pending` is not null it names the pending message, which cancel_message then reaches.
    void delivered(MessageId pending, const std::weak_ptr<Handler>& handler);
    // cancel_message: forgets a pending message and any answer queued for it. Returns the handler
    // to tell, or nullopt if `id` is not pending.
    std::optional<std::weak_ptr<Handler>> cancel(MessageId id);

    // AnswerSink
    void receive_answer(MessageId id, const InterfaceHash& interface, Answer answer) override;
    void receive_answer_borrowed(MessageId id, const InterfaceHash& interface, AnswerKind kind, std::span<const uint8_t> body) override;
    void delivered_to(std::weak_ptr<Handler> handler) override;

    // --- As a handler ----------------------------------------------------------------------------
    // Queues an incoming message (from this process's Handler proxy); moves from `message` only
    // when it is Accepted.
    enum class Offer : uint8_t { Accepted, QueueFull, Closed };
    Offer offer(Message&& message);
    // The same with the body still in the sender's memory (Handler::deliver_borrowed): on
    // anything but Accepted, `message.body` holds a copy of it.
    Offer offer_borrowed(Message&& message, std::span<const uint8_t> body);
    // Drops a queued message the sender cancelled.
    void drop_queued(MessageId id);
    // A sender this process served has exited: queue SENDER_EXITED (once) and drop its messages.
    void sender_exited(SenderId sender);
    // emit_answer: stops holding `id`; returns where its answer goes, or nullopt if not held.
    std::optional<Message> take_held(MessageId id);
    // The process gave up `interface`: removes and returns its queued messages of it (oldest
    // first) and the routes of those it holds (the program's emit_answer then fails for them).
    std::pair<std::vector<Message>, std::vector<Message>> withdraw(const InterfaceHash& interface);

    // --- next_message ----------------------------------------------------------------------------
    // Takes the oldest event matching `filter` (empty: any) if it fits `capacity` bytes (header
    // included). With Wait::Yes and nothing to take, `waiter` is registered and woken (once)
    // when a matching event may have arrived; it then calls take() again. With `out` (the
    // buffer of a thread in next_message, `capacity` bytes), a matching event that fits may
    // instead be written there directly: the thread is then woken with Thread::delivered() set.
    TakeResult take(std::span<const MessageId> filter, uint32_t capacity, Wait wait, Thread* waiter,
        const GuestSpan* out = nullptr);
    // Forgets a waiter (its thread is going away).
    void remove_waiter(Thread& waiter);

    // --- Exit ------------------------------------------------------------------------------------
    struct Closed {
        std::vector<Message> unanswered;                              // queued or held, answer wanted
        std::vector<std::pair<MessageId, std::weak_ptr<Handler>>> pending; // sent, not answered
        std::vector<std::weak_ptr<Handler>> served_by;                // handlers that accepted ours
    };
    // Empties everything and refuses all further traffic; the caller answers and notifies.
    Closed close();

    size_t queued_events() const;
    size_t pending_count() const;

private:
    struct Pending {
        InterfaceHash interface;
        std::weak_ptr<Handler> handler;
        bool answered = false; // its answer is in m_queue
    };
    // A waiter's filter. Nearly all are empty or one id (a call waiting for its answer): those
    // are kept inline, so that blocking in next_message allocates nothing.
    class WaitFilter {
    public:
        explicit WaitFilter(std::span<const MessageId> ids);
        std::span<const MessageId> ids() const;

    private:
        static constexpr size_t k_inline = 4;
        std::array<MessageId, k_inline> m_inline {};
        uint32_t m_size = 0;
        std::vector<MessageId> m_heap; // when there are more than k_inline
    };
    struct Waiter {
        // Built in place in m_waiters: next_message registers one on every blocking call.
        Waiter(Thread* waiting, std::span<const MessageId> ids, const GuestSpan* buffer)
            : thread(waiting), filter(ids)
        {
            if (buffer)
                out.emplace(*buffer);
        }
        Thread* thread;
        WaitFilter filter;
        std::optional<GuestSpan> out; // where a next_message event may be written directly
    };

    void push_locked(Event event);
    static bool matches(abi::EventKind kind, MessageId id, std::span<const MessageId> filter);
    static bool matches(const Event& event, std::span<const MessageId> filter) { return matches(event.kind, event.message.id, filter); }
    void wake_waiters_for_locked(const Event& event);
    // The fast path: the first waiter that `kind`/`id` matches, if it waits with a buffer that
    // `header_and_body` bytes fit; null otherwise (the event then goes through the queue).
    std::vector<Waiter>::iterator direct_waiter_locked(abi::EventKind kind, MessageId id, uint64_t header_and_body);
    // Completes `waiter`'s next_message with the event just written into its buffer.
    void complete_direct_locked(std::vector<Waiter>::iterator waiter, uint32_t event_size);
    // What taking a MESSAGE event changes: its sender is seen, and it is held if it wants an answer.
    void took_message_locked(MessageId id, const InterfaceHash& interface, SenderId sender, AnswerWanted answer_wanted,
        const std::weak_ptr<AnswerSink>& reply_to);
    Offer offer_locked(Message&& message, std::span<const uint8_t> borrowed);
    void receive_answer_locked(MessageId id, const InterfaceHash& interface, AnswerKind kind, std::span<const uint8_t> borrowed,
        std::vector<uint8_t>* owned);

    mutable SpinLock m_lock;
    const uint32_t m_pending_limit;
    const uint32_t m_queue_limit;
    WakeCallback m_wake;
    bool m_closed = false;
    std::deque<Event> m_queue;
    uint32_t m_queued_messages = 0; // MESSAGE events in m_queue
    IdMap<Pending> m_pending;
    IdMap<Message> m_held; // body emptied: only the route is kept
    std::unordered_set<SenderId> m_seen_senders;
    std::optional<SenderId> m_last_seen_sender; // in m_seen_senders: a handler's next message is likely from it again
    std::set<std::weak_ptr<Handler>, std::owner_less<>> m_served_by;
    std::weak_ptr<Handler> m_last_served; // in m_served_by: a client likely calls the same handler again
    std::vector<Waiter> m_waiters;
};

} // namespace hashos::kernel
