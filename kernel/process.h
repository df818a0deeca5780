// Process: a running program — its instance in its own engine Store, its threads, its limits,
// its mailbox and the Handler proxy through which it handles interfaces, and who it is (program
// id for permissions, a name for humans).
//
// Threads: create() may be called from any thread. The threads of a process run on several
// workers at once (kernel/scheduler.h), each on an instance of its own; what they share is safe
// for that: the shared memory (engine/store.h), the mailbox and the handler (locked), the
// permission cache (locked), the thread table and the Store's instantiation (m_threads_lock).
// The scheduling fields are the Scheduler's, under m_schedule_lock. exit() runs once, when no
// thread of the process is on a worker any more.
#pragma once

#include "base/result.h"
#include "engine/instance.h"
#include "engine/store.h"
#include "kernel/atomic_waiters.h"
#include "kernel/exit_status.h"
#include "kernel/limits.h"
#include "kernel/mailbox.h"
#include "kernel/permissions.h"
#include "kernel/process_handler.h"
#include "kernel/spin_lock.h"
#include "kernel/thread.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace hashos::kernel {

struct Services;

struct ProcessIdentity {
    ProcessId id;
    ProgramId program;
    std::string name;
};

class Process : public std::enable_shared_from_this<Process> {
public:
    // Decodes, validates and instantiates `wasm` with the hashos syscalls as its imports, and
    // prepares its main thread (start function, then _start or main). Nothing runs until the
    // scheduler picks it. Errors: the engine's decode/validation/instantiation message, an
    // unknown import, a missing or ill-typed entry point.
    static Result<std::shared_ptr<Process>> create(Services& services, ProcessIdentity identity,
        std::span<const uint8_t> wasm, const Limits& limits);
    ~Process();

    ProcessId id() const { return m_identity.id; }
    // Handlers see a process as this opaque id (docs/abi.md); it is its ProcessId's value.
    SenderId sender_id() const { return SenderId(m_identity.id.value()); }
    const ProgramId& program() const { return m_identity.program; }
    const std::string& name() const { return m_identity.name; }
    // "process 12 (pong)"
    std::string description() const;
    const Limits& limits() const { return m_limits; }
    Services& services() const { return m_services; }

    wasm::Store& store() { return *m_store; }
    wasm::Instance& instance() { return *m_instance; }
    Mailbox& mailbox() { return *m_mailbox; }
    const std::shared_ptr<Mailbox>& shared_mailbox() const { return m_mailbox; }
    const std::shared_ptr<ProcessHandler>& handler() const { return m_handler; }
    // Any thread of the process (it locks).
    PermissionCache& permission_cache() { return m_permission_cache; }

    // --- Used by the workers that run the process's threads ----------------------------------------
    // The thread finished its call: what now (start the entry after the start function, end).
    enum class AfterFinish : uint8_t { Continue, ThreadDone, ProcessExits };
    AfterFinish thread_finished(Thread& thread, ExitStatus& status);
    // The thread that runs the start function and the entry (the first one).
    Thread& main_thread() { return *m_threads.front(); }
    // Forgets a thread whose call has returned (it is on no queue and waits for nothing).
    void remove_thread(Thread& thread);
    // docs/threads.md: starts a thread on a new instance of the program's module that shares its
    // imported shared memory, running the export `hashos_thread_start(thread id, argument)` after
    // that instance's start function, and hands it to the scheduler. Returns the thread's id.
    // Errors (one line each): no shared memory imported, no such export, active data segments,
    // imports from an import provider (their state is one thread's), the thread limit; `why`
    // tells the last from the others.
    enum class SpawnRefusal : uint8_t { NotThreaded, AtLimit };
    Result<uint32_t> spawn_thread(int32_t argument, SpawnRefusal* why = nullptr);
    // The futex table of the process's shared memory (null without one).
    ProcessWaiters* waiters() const { return m_waiters.get(); }
    // How a trap of `thread` ends the process: the engine's message, naming a thread that is
    // not the main one.
    ExitStatus trap_status(Thread& thread);
    // Ends the process: frees its interfaces, answers what it held, tells whom it served, drops
    // its threads. Exactly once, by the scheduler, on a worker, once none of its threads is on
    // a worker any more (kernel/scheduler.cpp).
    void exit(const ExitStatus& status);
    // Takes note of the linear memories' size for usage(), after each slice.
    void record_memory_size();

    // Its threads and the size of its linear memories, as of its last slice. Any thread.
    struct Usage {
        uint32_t threads = 0;
        uint64_t memory_bytes = 0;
    };
    Usage usage() const
    {
        return { m_thread_count.load(std::memory_order_relaxed), m_memory_bytes.load(std::memory_order_relaxed) };
    }

private:
    friend class Scheduler;
    Process(Services& services, ProcessIdentity identity, const Limits& limits);
    Result<void> instantiate(std::span<const uint8_t> wasm);
    // Makes a thread calling `function` with `args` (checks Limits::threads). Under
    // m_threads_lock once the process runs.
    Result<Thread*> add_thread_locked(wasm::Function* function, std::span<const wasm::Value> args);
    // The memory a program made for threads imports (docs/threads.md).
    Result<wasm::Memory*> import_memory(const wasm::MemoryType& type);

    Services& m_services;
    ProcessIdentity m_identity;
    Limits m_limits;
    std::unique_ptr<wasm::Store> m_store;
    wasm::Instance* m_instance = nullptr;
    wasm::Function* m_entry = nullptr;
    std::shared_ptr<Mailbox> m_mailbox;
    std::shared_ptr<ProcessHandler> m_handler;
    // Threads (docs/threads.md): the threads, what a new instance of the module is instantiated
    // with (the same host functions and the same shared memory), the shared memory's wait table,
    // the next thread id. Spawning and ending threads take m_threads_lock (two threads may spawn
    // at once, and the Store's instantiate() is not reentrant).
    std::mutex m_threads_lock;
    std::vector<std::unique_ptr<Thread>> m_threads;
    std::vector<wasm::Extern> m_imports;
    wasm::Memory* m_shared_memory = nullptr;
    std::shared_ptr<ProcessWaiters> m_waiters;
    uint32_t m_next_thread_id = 2;
    bool m_uses_import_providers = false;
    PermissionCache m_permission_cache;
    // For usage(), read from other threads; written by the worker that runs the process.
    std::atomic<uint32_t> m_thread_count { 0 };
    std::atomic<uint64_t> m_memory_bytes { 0 };

    // Scheduling state: kernel/scheduler.cpp (with each Thread's own).
    SpinLock m_schedule_lock;
    uint32_t m_running = 0;               // its threads on a worker now
    std::optional<ExitStatus> m_ending;   // how it ends, once decided (the first to decide wins)
    bool m_exited = false;                // exit() has been claimed: it runs once
};

} // namespace hashos::kernel
