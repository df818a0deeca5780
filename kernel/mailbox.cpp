#include "kernel/mailbox.h"

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
    if (ids.size() <= k_inline)
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
    m_pending.emplace(id, Pending { interface, {}, false });
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
    if (auto it = m_pending.find(pending); it != m_pending.end())
        it->second.handler = handler;
}

std::optional<std::weak_ptr<Handler>> Mailbox::cancel(MessageId id)
{
    std::lock_guard lock(m_lock);
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return std::nullopt;
    auto handler = std::move(it->second.handler);
    if (it->second.answered) {
        std::erase_if(m_queue, [&](const Event& event) {
            return event.kind != abi::EventKind::Message && event.kind != abi::EventKind::SenderExited
                && event.message.id == id;
        });
    }
    m_pending.erase(it);
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
    auto it = m_pending.find(id);
    // Not pending: cancelled, already answered (a handler cannot answer twice: it no longer holds
    // the id), or this process has exited. The ABI says such answers are dropped.
    if (m_closed || it == m_pending.end() || it->second.answered)
        return;
    it->second.answered = true;
    Event event;
    event.kind = answer.kind == AnswerKind::Ok ? abi::EventKind::Answer : abi::EventKind::ErrorAnswer;
    event.message.id = id;
    event.message.interface = interface;
    event.message.body = std::move(answer.body);
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
    if (m_closed)
        return Offer::Closed;
    if (m_queued_messages >= m_queue_limit)
        return Offer::QueueFull;
    ++m_queued_messages;
    push_locked(Event { abi::EventKind::Message, std::move(message) });
    return Offer::Accepted;
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
    auto it = m_held.find(id);
    if (it == m_held.end())
        return std::nullopt;
    Message route = std::move(it->second);
    m_held.erase(it);
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
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (it->second.interface == interface) {
            held.push_back(std::move(it->second));
            it = m_held.erase(it);
        } else {
            ++it;
        }
    }
    return { std::move(queued), std::move(held) };
}

bool Mailbox::matches(const Event& event, std::span<const MessageId> filter)
{
    if (filter.empty())
        return true;
    if (event.kind != abi::EventKind::Answer && event.kind != abi::EventKind::ErrorAnswer)
        return false;
    return std::find(filter.begin(), filter.end(), event.message.id) != filter.end();
}

TakeResult Mailbox::take(std::span<const MessageId> filter, uint32_t capacity, Wait wait, Thread* waiter)
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
            m_waiters.push_back({ waiter, WaitFilter(filter) });
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
        if (message.sender != m_last_seen_sender) {
            m_seen_senders.insert(message.sender);
            m_last_seen_sender = message.sender;
        }
        if (message.answer_wanted == AnswerWanted::Yes) {
            Message route;
            route.id = message.id;
            route.interface = message.interface;
            route.sender = message.sender;
            route.answer_wanted = AnswerWanted::Yes;
            route.reply_to = message.reply_to;
            m_held.emplace(message.id, std::move(route));
        }
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
    for (auto& [id, route] : m_held)
        closed.unanswered.push_back(std::move(route));
    for (auto& [id, pending] : m_pending) {
        if (!pending.answered)
            closed.pending.emplace_back(id, std::move(pending.handler));
    }
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
