// UdpHandler: the kernel-native handler of `udp` (interfaces/udp.proto) on the event loop's Asio
// io_context. As handlers/tcp.h: a ReceiveFrom first tries a non-blocking receive on the caller's
// thread and otherwise waits for readiness on the io thread, so a waiting receive holds no thread
// and can be withdrawn without losing a datagram; a SendTo to a name resolves it first.
//
// Threads: deliver(), cancel() and sender_exited() from any thread; completions on the io
// thread; one mutex over the sockets, answers sent after it is released.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/handler.h"

#include <asio/ip/udp.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hashos::handlers {

class UdpHandler final : public kernel::Handler, public std::enable_shared_from_this<UdpHandler> {
public:
    static constexpr size_t k_max_handles = 4096; // per sender
    static constexpr size_t k_max_datagram = 65507;

    explicit UdpHandler(EventLoop& loop);

    kernel::Delivery deliver(kernel::Message&& message) override;
    void cancel(kernel::MessageId id) override;
    void sender_exited(kernel::SenderId sender) override;
    std::string description() const override { return "the kernel's udp handler"; }

private:
    using Outbox = std::vector<std::pair<kernel::Message, kernel::Answer>>;

    struct PendingReceive {
        kernel::Message message;
        uint32_t size;
    };
    struct Socket {
        explicit Socket(asio::ip::udp::socket&& s) : socket(std::move(s)) {}
        kernel::SenderId owner;
        asio::ip::udp::socket socket;
        std::deque<PendingReceive> receives;
        bool waiting = false;
    };

    void handle(kernel::Message message, Outbox& outbox);
    void bind(kernel::Message message, Outbox& outbox);
    void send_to(kernel::Message message, Outbox& outbox);
    void send_resolved(kernel::Message message, const std::shared_ptr<Socket>& socket, const asio::ip::udp::endpoint& to,
        const std::string& data, Outbox& outbox);
    void receive_from(kernel::Message message, Outbox& outbox);
    void close(kernel::Message message, Outbox& outbox);
    void pump(uint64_t handle, const std::shared_ptr<Socket>& socket, Outbox& outbox);
    void close_socket(uint64_t handle, Outbox& outbox);
    std::shared_ptr<Socket> owned(kernel::SenderId sender, uint64_t handle);

    template<typename Work>
    void locked(Work&& work);

    asio::io_context& m_io;
    std::mutex m_lock;
    uint64_t m_next_handle = 1;
    std::unordered_map<uint64_t, std::shared_ptr<Socket>> m_sockets;
    std::unordered_map<kernel::SenderId, std::set<uint64_t>> m_by_sender;
    std::unordered_map<kernel::MessageId, uint64_t> m_waiting;
};

} // namespace hashos::handlers
