// ExitWatcher: calls back on the event loop's io thread when a process ends, with how it ended,
// for the `process` handler. It takes the status through the kernel's exit notification
// (Kernel::notify_exit), so nobody else may wait for the processes it watches.
//
// Threads: watch() from any thread; callbacks run on the event loop's io thread.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/kernel.h"

#include <functional>
#include <memory>

namespace hashos::handlers {

class ExitWatcher : public std::enable_shared_from_this<ExitWatcher> {
public:
    using OnExit = std::function<void(const kernel::ExitStatus&)>;

    ExitWatcher(kernel::Kernel& kernel, EventLoop& loop);

    // `on_exit` runs once, on the io thread, when `process` has ended; never if the process is
    // unknown to the kernel (never spawned, or already waited for) or the watcher is gone.
    void watch(kernel::ProcessId process, OnExit on_exit);

private:
    kernel::Kernel& m_kernel;
    asio::io_context& m_io;
};

} // namespace hashos::handlers
