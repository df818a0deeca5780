// System: a booted hashos — the kernel with the `interface` hash of interfaces/ injected, the
// event loop, and the native handlers of log, time, random, loader and process registered,
// except where the user gave an interface to a program. The CLI's `run` and `boot` and the
// end-to-end tests start from here.
//
// The `interface` interface itself is handled by the kernel (kernel/interface_handler.h), since
// registering needs its process table; the user's side of it — which program may handle which
// interface — is SystemConfig::assignments, applied before any program starts. Interfaces no
// one is assigned go to whoever registers first.
//
// Threads: start(), wait() and shutdown() block, so they are for the embedder's own threads,
// never a kernel worker. The destructor shuts down.
#pragma once

#include "handlers/event_loop.h"
#include "handlers/files.h"
#include "handlers/loader.h"
#include "handlers/log.h"
#include "handlers/process.h"
#include "handlers/stdio.h"
#include "kernel/kernel.h"

#include <memory>
#include <optional>
#include <vector>

namespace hashos::handlers {

struct HandlerAssignment {
    kernel::InterfaceHash interface;
    kernel::ProgramId program; // the CID of the only program that may handle it
};

struct SystemConfig {
    std::optional<store::BlockStore> store; // the native loader reads it; none: no native loader
    FetchHook fetch;                        // blocks missing from the store, from the network
    kernel::Limits limits;
    kernel::SchedulerConfig scheduler;
    std::vector<HandlerAssignment> assignments;
    std::shared_ptr<kernel::PermissionAsker> asker; // none: "ask" denies
    LogOutput log_output;
    StdioStreams stdio; // what the `stdio` interface reads and writes
    // Import modules besides `hashos` (kernel/import_provider.h): WASI, given by cli/.
    std::vector<std::shared_ptr<kernel::ImportProvider>> import_providers;
    size_t max_processes = 4096;
};

class System {
public:
    explicit System(SystemConfig config);
    ~System();
    System(const System&) = delete;
    System& operator=(const System&) = delete;

    kernel::Kernel& kernel() { return *m_kernel; }
    ProcessManager& processes() { return *m_processes; }
    // The native `files` handler, to grant programs their directories before they start.
    FilesHandler& files() { return *m_files; }

    // Starts a program as the embedder's child (through the process handler, which asks the
    // loader) and returns its id.
    Result<kernel::ProcessId> start(SpawnSpec spec);
    // Waits until a process started by start() ends.
    Result<kernel::ExitStatus> wait(kernel::ProcessId process);

    // Kills what still runs, writes the log lines still queued, stops the event loop.
    // Idempotent.
    void shutdown();

private:
    EventLoop m_loop; // outlives the kernel: the handlers' timers belong to its io_context
    std::unique_ptr<kernel::Kernel> m_kernel;
    std::shared_ptr<ProcessManager> m_processes;
    std::shared_ptr<FilesHandler> m_files;
};

} // namespace hashos::handlers
