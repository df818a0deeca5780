// ProcessHandler: the Handler (kernel/handler.h) of a wasm process — it queues each message in
// the process's Mailbox, from where next_message takes it — so the registry treats a wasm
// handler exactly like a native one. Threads: as Handler, any thread.
#pragma once

#include "kernel/handler.h"
#include "kernel/mailbox.h"

#include <memory>
#include <string>

namespace hashos::kernel {

class ProcessHandler final : public Handler {
public:
    ProcessHandler(std::shared_ptr<Mailbox> mailbox, std::string description)
        : m_mailbox(std::move(mailbox))
        , m_description(std::move(description))
    {
    }

    Delivery deliver(Message&& message) override { return delivery_of(m_mailbox->offer(std::move(message))); }
    Delivery deliver_borrowed(Message&& message, std::span<const uint8_t> body) override
    {
        return delivery_of(m_mailbox->offer_borrowed(std::move(message), body));
    }
    void cancel(MessageId id) override { m_mailbox->drop_queued(id); }
    void sender_exited(SenderId sender) override { m_mailbox->sender_exited(sender); }
    Withdrawn withdraw(const InterfaceHash& interface) override
    {
        auto [queued, held] = m_mailbox->withdraw(interface);
        return { std::move(queued), std::move(held) };
    }
    std::string description() const override { return m_description; }

private:
    static Delivery delivery_of(Mailbox::Offer offer)
    {
        switch (offer) {
        case Mailbox::Offer::Accepted:
            return Delivery::Accepted;
        case Mailbox::Offer::QueueFull:
            return Delivery::QueueFull;
        case Mailbox::Offer::Closed:
            break;
        }
        return Delivery::Gone;
    }

    std::shared_ptr<Mailbox> m_mailbox;
    std::string m_description;
};

} // namespace hashos::kernel
