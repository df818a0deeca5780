// AtomicWaiters of a process: the futex-like table behind memory.atomic.wait and notify on its
// shared memory (threads proposal; docs/threads.md). A wasm thread whose wait must block is
// suspended here, keyed by (memory, address), never an OS thread: the worker runs other work.
// notify(count) wakes the oldest waiters of an address first and returns how many it woke; a
// wait with a timeout is resumed with 2 ("timed-out") by the kernel's TimerQueue.
//
// The value re-check and the queueing happen under the table's lock, which notify also takes,
// so a notify that follows the store a waiter is waiting for can never be missed (the engine's
// AtomicWait::still_expected()).
//
// Threads: begin_wait() and remove() on the worker running the waiting thread; notify() from
// the interpreter of any thread, at the same time on another worker (the lock orders a notify
// either before the re-check, which then sees the new value, or after the queueing, which it
// then wakes); timeouts on the timer thread; clear() at exit. Waking goes through the wake
// callback (the scheduler), called under the table's lock so that clear() cannot let a thread
// go while it is being woken. A thread may still be on its worker, just suspended, when it is
// woken: the scheduler remembers the wake (kernel/thread.h).
#pragma once

#include "engine/thread.h"
#include "kernel/timer_queue.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace hashos::kernel {

class Thread;

class ProcessWaiters final : public wasm::AtomicWaiters, public std::enable_shared_from_this<ProcessWaiters> {
public:
    using WakeCallback = std::function<void(Thread&)>;
    ProcessWaiters(TimerQueue& timers, WakeCallback wake);
    ~ProcessWaiters() override;

    // `thread`'s engine stopped in memory.atomic.wait (`wait`). Either the value changed since
    // the engine's check (returns 1, "not-equal": the caller resumes the thread with it), or the
    // thread is queued until a notify (result 0) or its timeout (result 2) wakes it, and nullopt
    // is returned. The wake result is then Thread::take_wait_result().
    std::optional<int32_t> begin_wait(Thread& thread, const wasm::AtomicWait& wait);

    // wasm::AtomicWaiters: memory.atomic.notify.
    uint32_t notify(wasm::Memory& memory, uint64_t address, uint32_t count) override;

    // Forgets `thread` if it waits (it is going away).
    void remove(Thread& thread);
    // The process exits: forgets every waiter, cancels their timers.
    void clear();

    size_t waiting() const;

private:
    using Key = std::pair<const wasm::Memory*, uint64_t>;
    struct Waiter {
        Thread* thread;
        std::optional<TimerQueue::TimerId> timer;
    };
    void time_out(Thread* thread);
    // Removes `thread` from its queue; false if it is not waiting. Under m_lock.
    bool unlink_locked(Thread* thread, Waiter* removed);

    TimerQueue& m_timers;
    WakeCallback m_wake;
    mutable std::mutex m_lock;
    std::map<Key, std::deque<Waiter>> m_queues;
    std::unordered_map<Thread*, Key> m_waiting;
};

} // namespace hashos::kernel
