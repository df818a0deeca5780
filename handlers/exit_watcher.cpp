#include "handlers/exit_watcher.h"

#include <asio/post.hpp>

namespace hashos::handlers {

ExitWatcher::ExitWatcher(kernel::Kernel& kernel, EventLoop& loop)
    : m_kernel(kernel)
    , m_io(loop.io())
{
}

void ExitWatcher::watch(kernel::ProcessId process, OnExit on_exit)
{
    // The kernel calls back on the worker that ended the process: hop to the io thread, which
    // alone runs the process handler's bookkeeping. The io_context outlives neither the kernel's
    // workers nor this watcher for sure, so the hop goes through a weak pointer.
    (void)m_kernel.notify_exit(process, [self = weak_from_this(), on_exit = std::move(on_exit)](const kernel::ExitStatus& status) {
        auto watcher = self.lock();
        if (!watcher)
            return;
        asio::post(watcher->m_io, [self = watcher->weak_from_this(), on_exit, status] {
            if (self.lock())
                on_exit(status);
        });
    });
}

} // namespace hashos::handlers
