// ExitWatcher: calls back when a process ends, with how it ended, for the `process` handler.
// It collects the status from the kernel (Kernel::wait_for), so nobody else may wait for the
// processes it watches.
//
// FIXME: the Kernel facade offers no exit notification to its embedder (Services::on_exit is the
// kernel's own), so exits are found by polling Kernel::wait_for(process, 0) on the io thread:
// every millisecond after a spawn or an exit, backing off to every 64 ms while nothing ends.
// An exit is therefore reported up to 64 ms late. Replace the polling with a kernel exit callback
// once Kernel has one.
//
// Threads: watch() from any thread; callbacks run on the event loop's io thread, which alone
// touches the watched set.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/kernel.h"

#include <asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

namespace hashos::handlers {

class ExitWatcher : public std::enable_shared_from_this<ExitWatcher> {
public:
    static constexpr std::chrono::milliseconds k_fastest_poll { 1 };
    static constexpr std::chrono::milliseconds k_slowest_poll { 64 };

    using OnExit = std::function<void(const kernel::ExitStatus&)>;

    ExitWatcher(kernel::Kernel& kernel, EventLoop& loop);

    // `on_exit` runs once, when `process` has ended.
    void watch(kernel::ProcessId process, OnExit on_exit);

private:
    void arm();
    void poll();

    kernel::Kernel& m_kernel;
    asio::io_context& m_io;
    asio::steady_timer m_timer;
    std::chrono::milliseconds m_interval = k_fastest_poll;
    bool m_armed = false;
    std::map<kernel::ProcessId, OnExit> m_watched;
};

} // namespace hashos::handlers
