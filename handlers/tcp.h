// TcpHandler: the kernel-native handler of `tcp` (interfaces/tcp.proto), on the event loop's
// Asio io_context: listeners, connections, reads that answer when data arrives.
//
// The I/O is readiness-based: a Read or Write first tries the non-blocking system call on the
// caller's thread, and only when the socket is not ready does it wait (socket.async_wait) on the
// io thread and try again. So a request whose data is there costs no thread switch (the common
// case of a busy server), a waiting Read consumes nothing and can be withdrawn without losing
// bytes, and thousands of idle sockets cost one epoll registration each, never an OS thread.
//
// Handles are numbers unique in this handler, each owned by the sender that made it; every
// handle of a sender is closed when it exits, and what waited on it is answered CANCELLED.
//
// Threads: deliver(), cancel() and sender_exited() from any thread; completions on the io
// thread. One mutex guards every socket and table (Asio objects are not safe for concurrent
// use); answers are sent after it is released.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/handler.h"

#include <asio/ip/tcp.hpp>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hashos::handlers {

class TcpHandler final : public kernel::Handler, public std::enable_shared_from_this<TcpHandler> {
public:
    static constexpr uint32_t k_max_read = 1 << 20;
    static constexpr uint32_t k_default_read = 64 * 1024;
    static constexpr size_t k_max_handles = 4096; // per sender

    explicit TcpHandler(EventLoop& loop);
    ~TcpHandler() override;

    kernel::Delivery deliver(kernel::Message&& message) override;
    void cancel(kernel::MessageId id) override;
    void sender_exited(kernel::SenderId sender) override;
    std::string description() const override { return "the kernel's tcp handler"; }

private:
    // Answers to send once m_lock is released.
    using Outbox = std::vector<std::pair<kernel::Message, kernel::Answer>>;

    struct PendingRead {
        kernel::Message message;
        uint32_t size;
    };
    struct PendingWrite {
        kernel::Message message;
        std::string data;
        size_t written = 0;
    };
    struct Stream {
        explicit Stream(asio::ip::tcp::socket&& s) : socket(std::move(s)) {}
        asio::ip::tcp::socket socket;
        std::deque<PendingRead> reads;
        std::deque<PendingWrite> writes;
        bool waiting_readable = false;
        bool waiting_writable = false;
        bool ended = false; // the peer's end of stream was seen
    };
    struct Listener {
        explicit Listener(asio::ip::tcp::acceptor&& a) : acceptor(std::move(a)) {}
        asio::ip::tcp::acceptor acceptor;
        std::deque<kernel::Message> accepts;
        bool waiting = false;
    };
    struct Object {
        kernel::SenderId owner;
        std::shared_ptr<Stream> stream;     // one of the two
        std::shared_ptr<Listener> listener;
    };
    struct Connecting {
        kernel::Message message;
        std::unique_ptr<asio::ip::tcp::resolver> resolver;
        std::unique_ptr<asio::ip::tcp::socket> socket;
        bool cancelled = false;
    };

    void handle(kernel::Message message, Outbox& outbox);
    void listen(kernel::Message message, Outbox& outbox);
    void accept(kernel::Message message, Outbox& outbox);
    void connect(kernel::Message message, Outbox& outbox);
    void read(kernel::Message message, Outbox& outbox);
    void write(kernel::Message message, Outbox& outbox);
    void shutdown(kernel::Message message, Outbox& outbox);
    void close(kernel::Message message, Outbox& outbox);
    void addresses(kernel::Message message, Outbox& outbox);
    void set_no_delay(kernel::Message message, Outbox& outbox);

    void connected(uint64_t attempt, const std::error_code& error, Outbox& outbox);

    // Serve what waits on an object as far as the socket allows, then wait for readiness.
    void pump_reads(uint64_t handle, const std::shared_ptr<Stream>& stream, Outbox& outbox);
    void pump_writes(uint64_t handle, const std::shared_ptr<Stream>& stream, Outbox& outbox);
    void pump_accepts(uint64_t handle, kernel::SenderId owner, const std::shared_ptr<Listener>& listener, Outbox& outbox);

    // The object `handle` if `sender` owns it; else answers the message and returns null.
    Object* owned(kernel::SenderId sender, uint64_t handle);
    uint64_t add(kernel::SenderId owner, Object object);
    // Closes the object and answers everything waiting on it CANCELLED.
    void close_object(uint64_t handle, Outbox& outbox);

    // Runs `work` under m_lock, then sends the answers it produced.
    template<typename Work>
    void locked(Work&& work);

    asio::io_context& m_io;
    std::mutex m_lock;
    uint64_t m_next_handle = 1;
    std::unordered_map<uint64_t, Object> m_objects;
    std::unordered_map<kernel::SenderId, std::set<uint64_t>> m_by_sender;
    // Messages waiting on an object, for cancel().
    std::unordered_map<kernel::MessageId, uint64_t> m_waiting;
    uint64_t m_next_attempt = 1;
    std::map<uint64_t, Connecting> m_connecting;
};

} // namespace hashos::handlers
