// Scheduler: M:N green threads. Ready wasm threads wait in one run queue; a pool of OS worker
// threads (default: one per core) takes them and runs each for a fuel slice, so a program stuck
// in `loop br 0` delays the others by at most about one slice.
// The slice is fuel, calibrated per worker to last about `slice_time` (fuel is about one wasm
// instruction, whose cost differs between builds and machines).
//
// - Blocking is a suspended wasm thread, never a blocked worker: a thread blocked in
//   next_message leaves the run queue until its mailbox wakes it (wake()).
// - Fast path (DESIGN.md; seL4's): a thread woken by a worker — typically a handler that a
//   message just reached — goes to that worker's "next" slot and runs there as soon as the
//   current slice ends, sharing what is left of it, instead of crossing to another core.
//   A next slot not taken within `handoff_steal_after` may be taken by an idle worker.
// - Idle workers spin for `idle_spin` before they sleep, since waking a sleeping OS thread
//   costs far more on these VMs than a short spin.
// - The threads of one process run at once on different workers (docs/threads.md), each on an
//   instance of its own over the shared memory. Each ready thread is one entry of the queue, so
//   a process with N ready threads gets N turns to a single-threaded process's one (as Linux
//   without group scheduling).
// - Ending (docs/threads.md): an exit or a trap in any thread, or kill(), decides how the
//   process ends (the first decision wins). From then on none of its threads starts a slice;
//   those running on other workers stop at the end of their current slice, and the last one off
//   its worker runs Process::exit, exactly once (a process with none running gets a queue entry
//   that does it).
//
// Threads: wake(), enqueue(), start_thread() and kill() may be called from any thread (wake()
// runs under a mailbox's or a wait table's lock and takes only scheduler locks: a process's
// schedule lock, then m_lock, never the other way round). start()/stop() from the owner (Kernel).
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

    // Starts a new process: its main thread becomes ready.
    void enqueue(std::shared_ptr<Process> process);
    // Makes a new thread of a running process ready, in the queue every worker takes from.
    void start_thread(Thread& thread);
    // Where a woken thread goes when the waker runs on a worker: to that worker's hand-off slot,
    // to run there when the waker's slice ends (a message: its sender is about to block for the
    // answer), or to the queue, where an idle worker takes it at once (a notify: its waker goes
    // on running, and the two run in parallel).
    enum class WakeTo : uint8_t { HandOff, Queue };
    // Makes a waiting thread ready (its mailbox has an event for it, or a notify or timeout
    // ended its wait).
    void wake(Thread& thread, WakeTo to = WakeTo::HandOff);
    // Ends the process with ExitStatus::killed(reason) once none of its threads runs.
    void kill(Process& process, std::string reason);

    size_t worker_count() const { return m_workers.size(); }

private:
    // An entry of the run queue: a ready thread, or (thread null) a process to end.
    struct Runnable {
        std::shared_ptr<Process> process;
        Thread* thread = nullptr;
        explicit operator bool() const { return bool(process); }
    };
    struct Worker {
        std::thread thread;
        Runnable next; // the hand-off slot, under m_lock
        // Counts what went into `next`, so that idle workers can tell how long one thread has
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
        Runnable runnable;
        Source source = Source::Queue;
        std::chrono::steady_clock::time_point now; // read once per pick: the clock is not free here
    };
    Picked pick(size_t index, std::chrono::steady_clock::time_point slice_start);
    void run(Worker& worker, Runnable runnable, std::chrono::steady_clock::time_point start);
    Outcome run_thread(Worker& worker, Thread& thread, ExitStatus& status, std::chrono::steady_clock::time_point start);
    // Under the process's schedule lock: a Blocked thread becomes Ready and is queued, in the
    // calling worker's hand-off slot if `to` says so and the slot is free.
    void make_ready_locked(Process& process, Thread& thread, WakeTo to);
    // Under the process's schedule lock: decides how it ends, unless decided already. True when
    // the caller must now end it: none of its threads is on a worker and nobody claimed it yet.
    bool decide_ending_locked(Process& process, const ExitStatus& status);
    // Runs Process::exit with the status decided, once the caller has claimed it.
    void end(Process& process);
    void push_locked(Runnable runnable);

    SchedulerConfig m_config;
    // A spin lock (kernel/spin_lock.h): every hand-off takes it twice (wake, pick); idle workers
    // sleep on the condition variable, which releases it.
    SpinLock m_lock;
    std::condition_variable_any m_wakeup;
    std::deque<Runnable> m_queue;
    std::vector<std::unique_ptr<Worker>> m_workers;
    size_t m_sleeping = 0;
    std::atomic<bool> m_stopping { false };
    std::atomic<size_t> m_queued { 0 }; // m_queue.size() plus taken next slots, for spinning without the lock
};

} // namespace hashos::kernel
