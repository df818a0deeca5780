#include "handlers/event_loop.h"

#include <asio/post.hpp>

namespace hashos::handlers {

EventLoop::EventLoop(size_t blocking_threads)
    : m_keep_running(asio::make_work_guard(m_io))
    , m_blocking(blocking_threads)
    , m_io_thread([this] { m_io.run(); })
{
}

EventLoop::~EventLoop() { stop(); }

void EventLoop::post(std::function<void()> work) { asio::post(m_io, std::move(work)); }

void EventLoop::post_blocking(std::function<void()> work) { asio::post(m_blocking, std::move(work)); }

void EventLoop::stop()
{
    std::call_once(m_stopped, [this] {
        // Blocking work first: it may still post to the io_context (and a log line in the pool
        // must reach the terminal before hashos exits).
        m_blocking.join();
        m_keep_running.reset();
        m_io.stop();
        m_io_thread.join();
    });
}

} // namespace hashos::handlers
