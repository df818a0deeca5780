#include "handlers/exit_watcher.h"

#include <asio/post.hpp>

#include <vector>

namespace hashos::handlers {

ExitWatcher::ExitWatcher(kernel::Kernel& kernel, EventLoop& loop)
    : m_kernel(kernel)
    , m_io(loop.io())
    , m_timer(loop.io())
{
}

void ExitWatcher::watch(kernel::ProcessId process, OnExit on_exit)
{
    asio::post(m_io, [self = weak_from_this(), process, on_exit = std::move(on_exit)]() mutable {
        auto watcher = self.lock();
        if (!watcher)
            return;
        watcher->m_watched.emplace(process, std::move(on_exit));
        // Fresh processes are the likeliest to end soon (a short program, a failed start).
        watcher->m_interval = k_fastest_poll;
        watcher->arm();
    });
}

void ExitWatcher::arm()
{
    if (m_armed || m_watched.empty())
        return;
    m_armed = true;
    m_timer.expires_after(m_interval);
    m_timer.async_wait([self = weak_from_this()](const std::error_code& error) {
        auto watcher = self.lock();
        if (!error && watcher)
            watcher->poll();
    });
}

void ExitWatcher::poll()
{
    m_armed = false;
    std::vector<std::pair<OnExit, kernel::ExitStatus>> ended;
    for (auto it = m_watched.begin(); it != m_watched.end();) {
        if (auto status = m_kernel.wait_for(it->first, std::chrono::milliseconds(0))) {
            ended.emplace_back(std::move(it->second), std::move(*status));
            it = m_watched.erase(it);
        } else {
            ++it;
        }
    }
    m_interval = ended.empty() ? std::min(m_interval * 2, k_slowest_poll) : k_fastest_poll;
    arm();
    // After the bookkeeping: a callback may watch another process.
    for (auto& [on_exit, status] : ended)
        on_exit(status);
}

} // namespace hashos::handlers
