// Services: the kernel-wide objects that processes and syscalls use, created and owned by Kernel
// (kernel/kernel.h) and outliving every process. Each member says its own thread rules; all are
// safe to use from any thread.
#pragma once

#include "kernel/exit_status.h"
#include "kernel/import_provider.h"
#include "kernel/ids.h"
#include "kernel/permissions.h"
#include "kernel/registry.h"
#include "kernel/timer_queue.h"

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace hashos::kernel {

class Process;
class Scheduler;

struct Services {
    Registry registry;
    Permissions permissions;
    Scheduler* scheduler = nullptr;
    // The kernel-handled `interface` interface (interfaces/interface.proto), injected by the
    // embedder so kernel/ does not depend on interfaces/.
    InterfaceHash interface_interface;
    // Import modules other than `hashos` (kernel/import_provider.h), given by the embedder.
    std::vector<std::shared_ptr<ImportProvider>> import_providers;
    // Called once per process, on the worker that ended it, after its cleanup.
    std::function<void(Process&, const ExitStatus&)> on_exit;
    // The kernel's own timers: memory.atomic.wait timeouts (kernel/atomic_waiters.h).
    TimerQueue timers;

    MessageId new_message_id() { return MessageId(m_next_message_id.fetch_add(1, std::memory_order_relaxed)); }

private:
    std::atomic<uint64_t> m_next_message_id { 1 };
};

} // namespace hashos::kernel
