#include "kernel/timer_queue.h"

namespace hashos::kernel {

TimerQueue::~TimerQueue()
{
    {
        std::lock_guard lock(m_lock);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

TimerQueue::TimerId TimerQueue::schedule(Clock::time_point deadline, std::function<void()> callback)
{
    std::lock_guard lock(m_lock);
    TimerId id = m_next_id++;
    bool earliest = m_timers.empty() || deadline < m_timers.begin()->first.first;
    m_timers.emplace(std::make_pair(deadline, id), std::move(callback));
    m_deadlines.emplace(id, deadline);
    // Started lazily: a kernel whose programs never wait with a timeout has no timer thread.
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
    else if (earliest)
        m_changed.notify_one();
    return id;
}

void TimerQueue::cancel(TimerId id)
{
    std::lock_guard lock(m_lock);
    auto found = m_deadlines.find(id);
    if (found == m_deadlines.end())
        return;
    m_timers.erase({ found->second, id });
    m_deadlines.erase(found);
}

void TimerQueue::run()
{
    std::unique_lock lock(m_lock);
    while (!m_stopping) {
        if (m_timers.empty()) {
            m_changed.wait(lock);
            continue;
        }
        auto first = m_timers.begin();
        if (Clock::now() < first->first.first) {
            m_changed.wait_until(lock, first->first.first);
            continue;
        }
        auto callback = std::move(first->second);
        m_deadlines.erase(first->first.second);
        m_timers.erase(first);
        lock.unlock();
        callback();
        lock.lock();
    }
}

} // namespace hashos::kernel
