#include "kernel/mailbox.h"

#include "kernel/event_writer.h"
#include "kernel/thread.h"

#include <algorithm>

namespace hashos::kernel {

namespace {

// Whether two weak pointers name the same object (owner_less's equivalence), without locking.
bool same_owner(const std::weak_ptr<Handler>& a, const std::weak_ptr<Handler>& b)
{
    return !a.owner_before(b) && !b.owner_before(a);
}

} // namespace

Mailbox::WaitFilter::WaitFilter(std::span<const MessageId> ids)
    : m_size(uint32_t(ids.size()))
{
    if (ids.size() == 1)
        m_inline[0] = ids[0]; // a call waiting for its answer: the common case
    else if (ids.size() <= k_inline)
        std::copy(ids.begin(), ids.end(), m_inline.begin());
    else
        m_heap.assign(ids.begin(), ids.end());
}

std::span<const MessageId> Mailbox::WaitFilter::ids() const
{
    if (m_size <= k_inline)
        return { m_inline.data(), m_size };
    return m_heap;
}

Mailbox::Mailbox(uint32_t pending_limit, uint32_t queue_limit, WakeCallback wake)
    : m_pending_limit(pending_limit)
    , m_queue_limit(queue_limit)
    , m_wake(std::move(wake))
{
}

bool Mailbox::add_pending(MessageId id, const InterfaceHash& interface)
{
    std::lock_guard lock(m_lock);
    if (m_closed || m_pending.size() >= m_pending_limit)
        return false;
    m_pending.insert(id, Pending { interface, {}, false });
    return true;
}

void Mailbox::delivered(MessageId pending, const std::weak_ptr<Handler>& handler)
{
    // One lock for both: this is on every message's path.
    std::lock_guard lock(m_lock);
    if (m_closed)
        return;
    if (!same_owner(handler, m_last_served) || m_last_served.expired()) {
        m_served_by.insert(handler);
        m_last_served = handler;
    }
    if (pending.is_null())
        return;
    if (Pending* entry = m_pending.find(pending))
        entry->handler = handler;
}

std::optional<std::weak_ptr<Handler>> Mailbox::cancel(MessageId id)
{
    std::lock_guard lock(m_lock);
    Pending* pending = m_pending.find(id);
    if (!pending)
        return std::nullopt;
    auto handler = std::move(pending->handler);
    if (pending->answered) {
        std::erase_if(m_queue, [&](const Event& event) {
            return event.kind != abi::EventKind::Message && event.kind != abi::EventKind::SenderExited
                && event.message.id == id;
        });
    }
    m_pending.erase(id);
    // A thread waiting for exactly this id must learn that it is gone (UnknownMessage).
    for (auto waiter = m_waiters.begin(); waiter != m_waiters.end();) {
        auto filter = waiter->filter.ids();
        if (std::find(filter.begin(), filter.end(), id) != filter.end()) {
            Thread& thread = *waiter->thread;
            waiter = m_waiters.erase(waiter);
            m_wake(thread);
        } else {
            ++waiter;
        }
    }
    return handler;
}

void Mailbox::receive_answer(MessageId id, const InterfaceHash& interface, Answer answer)
{
    std::lock_guard lock(m_lock);
    receive_answer_locked(id, interface, answer.kind, {}, &answer.body);
}

void Mailbox::receive_answer_borrowed(MessageId id, const InterfaceHash& interface, AnswerKind kind, std::span<const uint8_t> body)
{
    std::lock_guard lock(m_lock);
    receive_answer_locked(id, interface, kind, body, nullptr);
}

void Mailbox::receive_answer_locked(MessageId id, const InterfaceHash& interface, AnswerKind kind,
    std::span<const uint8_t> borrowed, std::vector<uint8_t>* owned)
{
    Pending* pending = m_pending.find(id);
    // Not pending: cancelled, already answered (a handler cannot answer twice: it no longer holds
    // the id), or this process has exited. The ABI says such answers are dropped.
    if (m_closed || !pending || pending->answered)
        return;
    const auto event_kind = kind == AnswerKind::Ok ? abi::EventKind::Answer : abi::EventKind::ErrorAnswer;
    std::span<const uint8_t> body = owned ? std::span<const uint8_t>(*owned) : borrowed;
    auto waiter = direct_waiter_locked(event_kind, id, uint64_t(abi::k_event_header_size) + body.size());
    if (waiter != m_waiters.end()) {
        write_event(*waiter->out, { event_kind, false, uint32_t(body.size()), id, SenderId(), &interface }, body);
        m_pending.erase(id); // taken, as take() would
        complete_direct_locked(waiter, abi::k_event_header_size + uint32_t(body.size()));
        return;
    }
    pending->answered = true;
    Event event;
    event.kind = event_kind;
    event.message.id = id;
    event.message.interface = interface;
    if (owned)
        event.message.body = std::move(*owned);
    else
        event.message.body.assign(borrowed.begin(), borrowed.end());
    push_locked(std::move(event));
}

void Mailbox::delivered_to(std::weak_ptr<Handler> handler)
{
    std::lock_guard lock(m_lock);
    if (!m_closed && (!same_owner(handler, m_last_served) || m_last_served.expired())) {
        m_served_by.insert(handler);
        m_last_served = std::move(handler);
    }
}

Mailbox::Offer Mailbox::offer(Message&& message)
{
    std::lock_guard lock(m_lock);
    return offer_locked(std::move(message), message.body);
}

Mailbox::Offer Mailbox::offer_borrowed(Message&& message, std::span<const uint8_t> body)
{
    std::unique_lock lock(m_lock);
    Offer offer = offer_locked(std::move(message), body);
    lock.unlock();
    if (offer != Offer::Accepted)
        message.body.assign(body.begin(), body.end());
    return offer;
}

// `body` is the message's own body or the borrowed one; the message moves only when Accepted.
Mailbox::Offer Mailbox::offer_locked(Message&& message, std::span<const uint8_t> body)
{
    if (m_closed)
        return Offer::Closed;
    if (m_queued_messages >= m_queue_limit)
        return Offer::QueueFull;
    auto waiter = direct_waiter_locked(abi::EventKind::Message, message.id, uint64_t(abi::k_event_header_size) + body.size());
    if (waiter != m_waiters.end()) {
        EventHeader header { abi::EventKind::Message, message.answer_wanted == AnswerWanted::Yes, uint32_t(body.size()),
            message.id, message.sender, &message.interface };
        write_event(*waiter->out, header, body);
        took_message_locked(message.id, message.interface, message.sender, message.answer_wanted, message.reply_to);
        complete_direct_locked(waiter, abi::k_event_header_size + uint32_t(body.size()));
        return Offer::Accepted;
    }
    if (message.body.data() != body.data())
        message.body.assign(body.begin(), body.end());
    ++m_queued_messages;
    push_locked(Event { abi::EventKind::Message, std::move(message) });
    return Offer::Accepted;
}

std::vector<Mailbox::Waiter>::iterator Mailbox::direct_waiter_locked(abi::EventKind kind, MessageId id, uint64_t header_and_body)
{
    // The first waiter the event matches is the one it goes to (wake_waiters_for_locked); it had
    // nothing to take when it registered, so nothing queued comes before this event.
    auto waiter = std::find_if(m_waiters.begin(), m_waiters.end(),
        [&](const Waiter& candidate) { return matches(kind, id, candidate.filter.ids()); });
    if (waiter == m_waiters.end() || !waiter->out || header_and_body > waiter->out->size())
        return m_waiters.end();
    return waiter;
}

void Mailbox::complete_direct_locked(std::vector<Waiter>::iterator waiter, uint32_t event_size)
{
    Thread& thread = *waiter->thread;
    m_waiters.erase(waiter);
    thread.set_delivered(int32_t(event_size));
    m_wake(thread);
}

void Mailbox::took_message_locked(MessageId id, const InterfaceHash& interface, SenderId sender, AnswerWanted answer_wanted,
    const std::weak_ptr<AnswerSink>& reply_to)
{
    if (sender != m_last_seen_sender) {
        m_seen_senders.insert(sender);
        m_last_seen_sender = sender;
    }
    if (answer_wanted == AnswerWanted::Yes) {
        Message route;
        route.id = id;
        route.interface = interface;
        route.sender = sender;
        route.answer_wanted = AnswerWanted::Yes;
        route.reply_to = reply_to;
        m_held.insert(id, std::move(route));
    }
}

void Mailbox::drop_queued(MessageId id)
{
    std::lock_guard lock(m_lock);
    auto it = std::find_if(m_queue.begin(), m_queue.end(), [&](const Event& event) {
        return event.kind == abi::EventKind::Message && event.message.id == id;
    });
    if (it != m_queue.end()) {
        m_queue.erase(it);
        --m_queued_messages;
    }
}

void Mailbox::sender_exited(SenderId sender)
{
    std::lock_guard lock(m_lock);
    if (m_closed)
        return;
    // Its queued messages: nobody waits for their answers any more.
    m_queued_messages -= uint32_t(std::erase_if(m_queue, [&](const Event& event) {
        return event.kind == abi::EventKind::Message && event.message.sender == sender;
    }));
    if (m_last_seen_sender == sender)
        m_last_seen_sender.reset();
    if (m_seen_senders.erase(sender) == 0)
        return; // this process never saw it: nothing of it to clean up
    Event event;
    event.kind = abi::EventKind::SenderExited;
    event.message.sender = sender;
    push_locked(std::move(event));
}

std::optional<Message> Mailbox::take_held(MessageId id)
{
    std::lock_guard lock(m_lock);
    Message route;
    if (!m_held.erase(id, &route))
        return std::nullopt;
    return route;
}

std::pair<std::vector<Message>, std::vector<Message>> Mailbox::withdraw(const InterfaceHash& interface)
{
    std::lock_guard lock(m_lock);
    std::vector<Message> queued;
    std::vector<Message> held;
    auto of_interface = [&](const Event& event) {
        return event.kind == abi::EventKind::Message && event.message.interface == interface;
    };
    for (Event& event : m_queue) {
        if (of_interface(event))
            queued.push_back(std::move(event.message));
    }
    m_queued_messages -= uint32_t(std::erase_if(m_queue, of_interface));
    m_held.erase_if([&](MessageId, Message& route) {
        if (route.interface != interface)
            return false;
        held.push_back(std::move(route));
        return true;
    });
    return { std::move(queued), std::move(held) };
}

bool Mailbox::matches(abi::EventKind kind, MessageId id, std::span<const MessageId> filter)
{
    if (filter.empty())
        return true;
    if (kind != abi::EventKind::Answer && kind != abi::EventKind::ErrorAnswer)
        return false;
    return std::find(filter.begin(), filter.end(), id) != filter.end();
}

TakeResult Mailbox::take(std::span<const MessageId> filter, uint32_t capacity, Wait wait, Thread* waiter, const GuestSpan* out)
{
    std::lock_guard lock(m_lock);
    TakeResult result;
    if (m_closed)
        return result;
    for (MessageId id : filter) {
        if (!m_pending.contains(id)) {
            result.status = Taken::UnknownMessage;
            return result;
        }
    }
    auto it = std::find_if(m_queue.begin(), m_queue.end(), [&](const Event& event) { return matches(event, filter); });
    if (it == m_queue.end()) {
        if (wait == Wait::Yes && waiter)
            m_waiters.emplace_back(waiter, filter, out);
        return result;
    }
    result.body_size = uint32_t(it->message.body.size());
    if (uint64_t(abi::k_event_header_size) + result.body_size > capacity) {
        result.status = Taken::TooSmall;
        result.event.kind = it->kind;
        result.event.message.id = it->message.id;
        result.event.message.interface = it->message.interface;
        result.event.message.sender = it->message.sender;
        result.event.message.answer_wanted = it->message.answer_wanted;
        return result;
    }
    result.status = Taken::Event;
    result.event = std::move(*it);
    if (it == m_queue.begin())
        m_queue.pop_front(); // the common case, much cheaper than erase()
    else
        m_queue.erase(it);
    Message& message = result.event.message;
    switch (result.event.kind) {
    case abi::EventKind::Message:
        --m_queued_messages;
        took_message_locked(message.id, message.interface, message.sender, message.answer_wanted, message.reply_to);
        break;
    case abi::EventKind::Answer:
    case abi::EventKind::ErrorAnswer:
        m_pending.erase(message.id);
        break;
    case abi::EventKind::SenderExited:
        break;
    }
    return result;
}

void Mailbox::remove_waiter(Thread& waiter)
{
    std::lock_guard lock(m_lock);
    std::erase_if(m_waiters, [&](const Waiter& entry) { return entry.thread == &waiter; });
}

void Mailbox::push_locked(Event event)
{
    m_queue.push_back(std::move(event));
    wake_waiters_for_locked(m_queue.back());
}

void Mailbox::wake_waiters_for_locked(const Event& event)
{
    // One event, one waiter: the first (oldest) whose filter takes it.
    for (auto it = m_waiters.begin(); it != m_waiters.end(); ++it) {
        if (matches(event, it->filter.ids())) {
            Thread& thread = *it->thread;
            m_waiters.erase(it);
            m_wake(thread);
            return;
        }
    }
}

Mailbox::Closed Mailbox::close()
{
    std::lock_guard lock(m_lock);
    Closed closed;
    m_closed = true;
    for (Event& event : m_queue) {
        if (event.kind == abi::EventKind::Message && event.message.answer_wanted == AnswerWanted::Yes)
            closed.unanswered.push_back(std::move(event.message));
    }
    m_held.erase_if([&](MessageId, Message& route) {
        closed.unanswered.push_back(std::move(route));
        return false;
    });
    m_pending.erase_if([&](MessageId id, Pending& pending) {
        if (!pending.answered)
            closed.pending.emplace_back(id, std::move(pending.handler));
        return false;
    });
    closed.served_by.assign(m_served_by.begin(), m_served_by.end());
    m_queue.clear();
    m_queued_messages = 0;
    m_held.clear();
    m_pending.clear();
    m_seen_senders.clear();
    m_last_seen_sender.reset();
    m_served_by.clear();
    m_last_served.reset();
    m_waiters.clear();
    return closed;
}

size_t Mailbox::queued_events() const
{
    std::lock_guard lock(m_lock);
    return m_queue.size();
}

size_t Mailbox::pending_count() const
{
    std::lock_guard lock(m_lock);
    return m_pending.size();
}

} // namespace hashos::kernel
