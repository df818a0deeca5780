// Scheduler: M:N green threads. Ready processes wait in one run queue; a pool of OS worker
// threads (default: one per core) takes them and runs one ready wasm thread of each for a fuel
// slice, so a program stuck in `loop br 0` delays the others by at most about one slice.
// The slice is fuel, calibrated per worker to last about `slice_time` (fuel is about one wasm
// instruction, whose cost differs between builds and machines).
//
// - Blocking is a suspended wasm thread, never a blocked worker: a thread blocked in
//   next_message leaves the run queue until its mailbox wakes it (wake()).
// - Fast path (DESIGN.md; seL4's): a process woken by a worker — typically a handler that a
//   message just reached — goes to that worker's "next" slot and runs there as soon as the
//   current slice ends, sharing what is left of it, instead of crossing to another core.
//   A next slot not taken within `handoff_steal_after` may be taken by an idle worker.
// - Idle workers spin for `idle_spin` before they sleep, since waking a sleeping OS thread
//   costs far more on these VMs than a short spin.
// - One wasm thread per process runs at a time (engine/store.h: one OS thread per Store);
//   the run queue holds processes, each with its own list of ready threads.
//
// Threads: wake(), enqueue() and kill() may be called from any thread (wake() runs under the
// mailbox lock and takes only scheduler locks). start()/stop() from the owner (Kernel).
#pragma once

#include "kernel/process.h"
#include "kernel/spin_lock.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hashos::kernel {

struct SchedulerConfig {
    size_t workers = 0; // 0: one per core
    std::chrono::microseconds slice_time { 2000 };
    std::chrono::microseconds idle_spin { 50 };
    std::chrono::microseconds handoff_steal_after { 200 };
};

class Scheduler {
public:
    explicit Scheduler(SchedulerConfig config);
    ~Scheduler();

    void start();
    // Stops the workers once they finish their current slice; processes stay where they are.
    void stop();

    // Queues a process that has ready threads (a new one).
    void enqueue(std::shared_ptr<Process> process);
    // Makes a waiting thread ready (its mailbox has an event for it).
    void wake(Thread& thread);
    // Ends the process with ExitStatus::killed(reason) as soon as it is not running.
    void kill(Process& process, std::string reason);

    size_t worker_count() const { return m_workers.size(); }

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<Process> next; // the hand-off slot, under m_lock
        // Counts what went into `next`, so that idle workers can tell how long one process has
        // sat there without the hand-off path reading the clock (under m_lock).
        uint64_t next_generation = 0;
        // What this worker, idle, saw in the others' next slots: generation and since when.
        std::vector<std::pair<uint64_t, std::chrono::steady_clock::time_point>> seen_next;
        uint64_t fuel_per_slice = 100'000;
    };
    enum class Outcome : uint8_t { Ready, Waiting, ThreadDone, ProcessExits };

    void work(size_t index);
    enum class Source : uint8_t { HandOff, Queue };
    struct Picked {
        std::shared_ptr<Process> process;
        Source source = Source::Queue;
        std::chrono::steady_clock::time_point now; // read once per pick: the clock is not free here
    };
    Picked pick(size_t index, std::chrono::steady_clock::time_point slice_start);
    void run_process(Worker& worker, std::shared_ptr<Process> process, std::chrono::steady_clock::time_point start);
    Outcome run_thread(Worker& worker, Thread& thread, ExitStatus& status, std::chrono::steady_clock::time_point start);
    void push_locked(std::shared_ptr<Process> process);

    SchedulerConfig m_config;
    // A spin lock (kernel/spin_lock.h): every hand-off takes it twice (wake, pick); idle workers
    // sleep on the condition variable, which releases it.
    SpinLock m_lock;
    std::condition_variable_any m_wakeup;
    std::deque<std::shared_ptr<Process>> m_queue;
    std::vector<std::unique_ptr<Worker>> m_workers;
    size_t m_sleeping = 0;
    std::atomic<bool> m_stopping { false };
    std::atomic<size_t> m_queued { 0 }; // m_queue.size() plus taken next slots, for spinning without the lock
};

} // namespace hashos::kernel
