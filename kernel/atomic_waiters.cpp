#include "kernel/atomic_waiters.h"

#include "kernel/thread.h"

#include <algorithm>

namespace hashos::kernel {

ProcessWaiters::ProcessWaiters(TimerQueue& timers, WakeCallback wake)
    : m_timers(timers)
    , m_wake(std::move(wake))
{
}

ProcessWaiters::~ProcessWaiters() { clear(); }

std::optional<int32_t> ProcessWaiters::begin_wait(Thread& thread, const wasm::AtomicWait& wait)
{
    std::lock_guard lock(m_lock);
    // https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#wait:
    // the load and the queueing are one step with respect to notify, as for a futex.
    if (!wait.still_expected())
        return 1;
    Key key { wait.memory, wait.address };
    Waiter waiter { &thread, std::nullopt };
    if (wait.timeout_ns >= 0) {
        auto deadline = TimerQueue::Clock::now() + std::chrono::nanoseconds(wait.timeout_ns);
        std::weak_ptr<ProcessWaiters> self = weak_from_this();
        Thread* waiting = &thread;
        waiter.timer = m_timers.schedule(deadline, [self, waiting] {
            if (auto alive = self.lock())
                alive->time_out(waiting);
        });
    }
    thread.suspend_for_atomic_wait();
    m_queues[key].push_back(waiter);
    m_waiting.emplace(&thread, key);
    return std::nullopt;
}

uint32_t ProcessWaiters::notify(wasm::Memory& memory, uint64_t address, uint32_t count)
{
    std::lock_guard lock(m_lock);
    auto found = m_queues.find({ &memory, address });
    if (found == m_queues.end())
        return 0;
    auto& queue = found->second;
    uint32_t woken = 0;
    while (woken < count && !queue.empty()) {
        Waiter waiter = queue.front();
        queue.pop_front();
        m_waiting.erase(waiter.thread);
        if (waiter.timer)
            m_timers.cancel(*waiter.timer);
        waiter.thread->set_wait_result(0);
        m_wake(*waiter.thread);
        ++woken;
    }
    if (queue.empty())
        m_queues.erase(found);
    return woken;
}

void ProcessWaiters::time_out(Thread* thread)
{
    std::lock_guard lock(m_lock);
    Waiter waiter;
    if (!unlink_locked(thread, &waiter))
        return; // notified first, or the process is gone
    thread->set_wait_result(2);
    m_wake(*thread);
}

bool ProcessWaiters::unlink_locked(Thread* thread, Waiter* removed)
{
    auto where = m_waiting.find(thread);
    if (where == m_waiting.end())
        return false;
    auto queue = m_queues.find(where->second);
    if (queue != m_queues.end()) {
        auto& waiters = queue->second;
        auto it = std::find_if(waiters.begin(), waiters.end(), [&](const Waiter& waiter) { return waiter.thread == thread; });
        if (it != waiters.end()) {
            *removed = *it;
            waiters.erase(it);
        }
        if (waiters.empty())
            m_queues.erase(queue);
    }
    m_waiting.erase(where);
    return true;
}

void ProcessWaiters::remove(Thread& thread)
{
    std::lock_guard lock(m_lock);
    Waiter waiter {};
    if (unlink_locked(&thread, &waiter) && waiter.timer)
        m_timers.cancel(*waiter.timer);
}

void ProcessWaiters::clear()
{
    std::lock_guard lock(m_lock);
    for (auto& [key, waiters] : m_queues) {
        for (const Waiter& waiter : waiters) {
            if (waiter.timer)
                m_timers.cancel(*waiter.timer);
        }
    }
    m_queues.clear();
    m_waiting.clear();
}

size_t ProcessWaiters::waiting() const
{
    std::lock_guard lock(m_lock);
    return m_waiting.size();
}

} // namespace hashos::kernel
