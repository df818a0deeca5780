// SpinLock: the lock of the kernel's short critical sections on every message's path (a
// mailbox, a process's scheduling state, the registry): a few dozen instructions, never a
// blocking call or an allocation-heavy operation inside. Free, it costs one atomic exchange to
// take and one store to release, where std::mutex costs two library calls (bench/ipc takes a
// dozen such locks per round trip). Contended, a waiter spins briefly, then yields its OS thread
// so that a holder preempted by the OS gets to run. Meets BasicLockable (std::lock_guard,
// std::unique_lock). Any thread; not recursive.
#pragma once

#include <atomic>
#include <sched.h>

namespace hashos::kernel {

class SpinLock {
public:
    void lock()
    {
        if (!m_locked.exchange(true, std::memory_order_acquire)) [[likely]]
            return;
        lock_contended();
    }
    bool try_lock() { return !m_locked.load(std::memory_order_relaxed) && !m_locked.exchange(true, std::memory_order_acquire); }
    void unlock() { m_locked.store(false, std::memory_order_release); }

private:
    [[gnu::noinline]] void lock_contended()
    {
        for (unsigned attempt = 0;; ++attempt) {
            // Read until it looks free (no cache-line ping-pong), then try to take it.
            while (m_locked.load(std::memory_order_relaxed)) {
                if (attempt >= k_spins_before_yield)
                    sched_yield();
#if defined(__x86_64__)
                __builtin_ia32_pause();
#endif
                ++attempt;
            }
            if (!m_locked.exchange(true, std::memory_order_acquire))
                return;
        }
    }

    static constexpr unsigned k_spins_before_yield = 100;
    std::atomic<bool> m_locked { false };
};

} // namespace hashos::kernel
