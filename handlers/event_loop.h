// EventLoop: where the native handlers do host work, so that no handler ever blocks a kernel
// worker (DESIGN.md: "Host I/O completes on an event loop (Asio) that posts answers into the
// kernel"). Two parts:
//   - an asio::io_context run by one thread, for timers and asynchronous I/O;
//   - a small pool for work that must block (reading the block store, validating a program,
//     writing to a terminal), so a slow disk or a full pipe never delays a timer.
//
// Threads: io(), post() and post_blocking() from any thread. stop() runs the blocking work
// already posted to its end, abandons pending timers and joins both; the destructor stops.
// Work posted after stop() is dropped.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>

#include <functional>
#include <mutex>
#include <thread>

namespace hashos::handlers {

class EventLoop {
public:
    explicit EventLoop(size_t blocking_threads = 2);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    asio::io_context& io() { return m_io; }
    asio::thread_pool::executor_type blocking_executor() { return m_blocking.get_executor(); }

    void post(std::function<void()> work);
    void post_blocking(std::function<void()> work);

    void stop();

private:
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_keep_running;
    asio::thread_pool m_blocking;
    std::thread m_io_thread;
    std::once_flag m_stopped;
};

} // namespace hashos::handlers
