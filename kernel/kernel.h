// Kernel: the facade that cli/, handlers/ and tests use. It owns the services (registry,
// permissions), the scheduler and its workers, and the table of processes: spawn a program from
// wasm bytes, register native handlers, wait for a process to exit, kill, shut down.
//
// Threads: every method may be called from any thread except the workers themselves (wait()
// from a handler would block a worker). The destructor shuts down.
#pragma once

#include "base/result.h"
#include "kernel/exit_status.h"
#include "kernel/handler.h"
#include "kernel/limits.h"
#include "kernel/permissions.h"
#include "kernel/registry.h"
#include "kernel/scheduler.h"
#include "kernel/services.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

namespace hashos::kernel {

struct KernelConfig {
    // The hash of the `interface` interface (interfaces/interface.proto), which the kernel handles.
    InterfaceHash interface_interface;
    // The hash of the `thread` interface (interfaces/thread.proto), which the kernel handles too
    // (docs/threads.md); without it programs cannot start threads.
    std::optional<InterfaceHash> thread_interface;
    Limits limits;
    SchedulerConfig scheduler;
    // Import modules besides `hashos` that programs may use (e.g. WASI, wasi/).
    std::vector<std::shared_ptr<ImportProvider>> import_providers;
};

class Kernel {
public:
    explicit Kernel(KernelConfig config);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    // Creates a process from a wasm binary and makes it runnable. `program` is what permissions
    // know it by (its CID), `name` what humans see. Errors: see Process::create.
    Result<ProcessId> spawn(std::span<const uint8_t> wasm, ProgramId program, std::string name);
    Result<ProcessId> spawn(std::span<const uint8_t> wasm, ProgramId program, std::string name, const Limits& limits);

    // Makes a native handler the handler of `interface` (as the program `kernel`).
    Registration register_handler(const InterfaceHash& interface, std::shared_ptr<Handler> handler);

    // Sends a message from the embedder (sender 0, no permission check) to the handler of
    // `interface`; `on_answer` runs once with the answer (an error answer if there is no handler
    // and WaitForHandler::No), on whichever thread answers, without kernel locks held.
    void emit(const InterfaceHash& interface, std::vector<uint8_t> body, WaitForHandler wait,
        std::function<void(Answer)> on_answer);

    // Waits until the process exits and returns how; the kernel then forgets it. Errors: an
    // unknown process (never spawned, or already waited for).
    Result<ExitStatus> wait(ProcessId process);
    // As wait(), giving up after `timeout` (nullopt; the process is not forgotten).
    std::optional<ExitStatus> wait_for(ProcessId process, std::chrono::milliseconds timeout);
    // The embedder's exit notification: `on_exit` runs once with how `process` ended, which the
    // kernel then forgets, as after wait(). It runs on the worker that ended the process (or at
    // once on the calling thread if it has ended already), with no kernel lock held: it must be
    // quick and must not wait for the kernel (post to your own thread). Errors: an unknown
    // process (never spawned, already waited for, or already watched).
    using OnExit = std::function<void(const ExitStatus&)>;
    Result<void> notify_exit(ProcessId process, OnExit on_exit);
    // Ends a process as soon as its current slice ends.
    void kill(ProcessId process, std::string reason);

    // Kills every process, waits for them, stops the workers. Idempotent.
    void shutdown();

    // A running process's threads and memory size (as of its last slice); nullopt once it has
    // exited or if it never existed.
    std::optional<Process::Usage> usage(ProcessId process) const;

    Permissions& permissions() { return m_services.permissions; }
    Registry& registry() { return m_services.registry; }
    size_t process_count() const;
    size_t worker_count() const { return m_scheduler.worker_count(); }

private:
    void exited(Process& process, const ExitStatus& status);

    KernelConfig m_config;
    Services m_services;
    Scheduler m_scheduler;
    mutable std::mutex m_lock;
    std::condition_variable m_exit_signal;
    std::map<ProcessId, std::shared_ptr<Process>> m_processes;
    std::map<ProcessId, ExitStatus> m_exit_statuses;
    std::map<ProcessId, OnExit> m_exit_callbacks; // notify_exit() of running processes
    // Embedder messages waiting for their answer; each sink removes itself when answered.
    std::map<MessageId, std::shared_ptr<AnswerSink>> m_native_pending;
    uint64_t m_next_process_id = 1;
    bool m_shut_down = false;
};

} // namespace hashos::kernel
