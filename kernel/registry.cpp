#include "kernel/registry.h"

#include <algorithm>
#include <iterator>

namespace hashos::kernel {

void Registry::reserve(const InterfaceHash& interface, ProgramId program)
{
    std::lock_guard lock(m_lock);
    m_reserved[interface] = std::move(program);
}

Registration Registry::add(const InterfaceHash& interface, std::shared_ptr<Handler> handler, const ProgramId& program)
{
    {
        std::lock_guard lock(m_lock);
        if (auto reserved = m_reserved.find(interface); reserved != m_reserved.end() && reserved->second != program)
            return Registration::Reserved;
        Entry& entry = m_entries[interface];
        if (entry.handler)
            return Registration::AlreadyHandled;
        entry.handler = std::move(handler);
        entry.flushing = !entry.parked.empty();
        if (!entry.flushing)
            return Registration::Registered;
    }
    flush(interface);
    return Registration::Registered;
}

void Registry::flush(const InterfaceHash& interface)
{
    for (;;) {
        std::shared_ptr<Handler> handler;
        Message message;
        {
            std::lock_guard lock(m_lock);
            auto it = m_entries.find(interface);
            if (it == m_entries.end())
                return;
            Entry& entry = it->second;
            if (entry.parked.empty() || !entry.handler) {
                entry.flushing = false;
                return;
            }
            handler = entry.handler;
            message = std::move(entry.parked.front());
            entry.parked.pop_front();
        }
        auto sender = message.reply_to;
        switch (handler->deliver(std::move(message))) {
        case Delivery::Accepted:
            if (auto sink = sender.lock())
                sink->delivered_to(handler);
            break;
        case Delivery::QueueFull:
            answer_message(message, Answer::error(ErrorCode::ResourceExhausted, handler->description() + ": queue full"));
            break;
        case Delivery::Gone: {
            // The handler is exiting: the message waits for the next one, first in line again.
            std::lock_guard lock(m_lock);
            m_entries[interface].parked.push_front(std::move(message));
            m_entries[interface].flushing = false;
            return;
        }
        }
    }
}

bool Registry::remove(const InterfaceHash& interface, const Handler& handler)
{
    std::lock_guard lock(m_lock);
    auto it = m_entries.find(interface);
    if (it == m_entries.end() || it->second.handler.get() != &handler)
        return false;
    it->second.handler.reset();
    it->second.flushing = false;
    if (it->second.parked.empty())
        m_entries.erase(it);
    return true;
}

void Registry::remove_all(const Handler& handler)
{
    std::lock_guard lock(m_lock);
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        Entry& entry = it->second;
        if (entry.handler.get() == &handler) {
            entry.handler.reset();
            entry.flushing = false;
        }
        if (!entry.handler && entry.parked.empty())
            it = m_entries.erase(it);
        else
            ++it;
    }
}

size_t Registry::count_of(const Handler& handler) const
{
    std::lock_guard lock(m_lock);
    return std::count_if(m_entries.begin(), m_entries.end(), [&](const auto& item) { return item.second.handler.get() == &handler; });
}

std::shared_ptr<Handler> Registry::find(const InterfaceHash& interface) const
{
    std::lock_guard lock(m_lock);
    auto it = m_entries.find(interface);
    return it == m_entries.end() ? nullptr : it->second.handler;
}

RouteResult Registry::route(Message message, WaitForHandler wait) { return route_with(std::move(message), nullptr, wait); }

RouteResult Registry::route_borrowed(Message&& message, std::span<const uint8_t> body, WaitForHandler wait)
{
    return route_with(std::move(message), &body, wait);
}

RouteResult Registry::route_with(Message&& message, const std::span<const uint8_t>* borrowed, WaitForHandler wait)
{
    std::shared_ptr<Handler> handler;
    {
        std::lock_guard lock(m_lock);
        auto it = m_entries.find(message.interface);
        bool ready = it != m_entries.end() && it->second.handler && !it->second.flushing;
        if (!ready) {
            bool parks = wait == WaitForHandler::Yes || (it != m_entries.end() && it->second.flushing);
            if (!parks)
                return { Routed::NoHandler, {} };
            Entry& entry = it != m_entries.end() ? it->second : m_entries[message.interface];
            if (entry.parked.size() >= k_max_parked)
                return { Routed::QueueFull, {} };
            if (borrowed)
                message.body.assign(borrowed->begin(), borrowed->end());
            entry.parked.push_back(std::move(message));
            return { Routed::Parked, {} };
        }
        handler = it->second.handler;
    }
    // On failure either leaves the body in `message`, for parking below.
    Delivery delivery = borrowed ? handler->deliver_borrowed(std::move(message), *borrowed) : handler->deliver(std::move(message));
    switch (delivery) {
    case Delivery::Accepted:
        return { Routed::Delivered, handler };
    case Delivery::QueueFull:
        return { Routed::QueueFull, {} };
    case Delivery::Gone:
        // The handler is exiting and about to leave the registry: as if it had left already.
        if (wait == WaitForHandler::Yes) {
            std::lock_guard lock(m_lock);
            m_entries[message.interface].parked.push_back(std::move(message));
            return { Routed::Parked, {} };
        }
        return { Routed::NoHandler, {} };
    }
    return { Routed::NoHandler, {} };
}

void Registry::requeue(const InterfaceHash& interface, std::vector<Message> messages)
{
    if (messages.empty())
        return;
    std::vector<Message> overflow;
    bool deliver_now = false;
    {
        std::lock_guard lock(m_lock);
        Entry& entry = m_entries[interface];
        entry.parked.insert(entry.parked.begin(), std::make_move_iterator(messages.begin()), std::make_move_iterator(messages.end()));
        while (entry.parked.size() > k_max_parked) {
            overflow.push_back(std::move(entry.parked.back()));
            entry.parked.pop_back();
        }
        if (entry.handler && !entry.flushing) {
            entry.flushing = true;
            deliver_now = true;
        }
    }
    for (const Message& message : overflow)
        answer_message(message, Answer::error(ErrorCode::ResourceExhausted, "interface " + interface.short_hex() + ": too many messages waiting for a handler"));
    if (deliver_now)
        flush(interface);
}

void Registry::drop_parked_from(SenderId sender)
{
    std::lock_guard lock(m_lock);
    for (auto& [interface, entry] : m_entries)
        std::erase_if(entry.parked, [&](const Message& message) { return message.sender == sender; });
}

} // namespace hashos::kernel
