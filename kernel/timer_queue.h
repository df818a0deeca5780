// TimerQueue: the kernel's own timers, for deadlines that no message carries (the timeout of a
// memory.atomic.wait, kernel/atomic_waiters.h). One OS thread, started at the first timer, sleeps
// until the earliest deadline and runs its callback; a waiting wasm thread holds no worker.
//
// Threads: schedule() and cancel() from any thread. Callbacks run on the timer thread, one at a
// time, with no TimerQueue lock held (so they may schedule or cancel); cancel() of a callback
// that is already running does not wait for it. The destructor drops the timers left, unrun.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace hashos::kernel {

class TimerQueue {
public:
    using Clock = std::chrono::steady_clock;
    using TimerId = uint64_t;

    TimerQueue() = default;
    ~TimerQueue();
    TimerQueue(const TimerQueue&) = delete;
    TimerQueue& operator=(const TimerQueue&) = delete;

    // Runs `callback` once at `deadline` (at once if it has passed) unless cancelled first.
    TimerId schedule(Clock::time_point deadline, std::function<void()> callback);
    // Forgets a timer that has not fired; harmless for one that has.
    void cancel(TimerId id);

private:
    void run();

    std::mutex m_lock;
    std::condition_variable m_changed;
    // Ordered by deadline, then by id so that equal deadlines fire in the order scheduled.
    std::map<std::pair<Clock::time_point, TimerId>, std::function<void()>> m_timers;
    std::map<TimerId, Clock::time_point> m_deadlines;
    TimerId m_next_id = 1;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace hashos::kernel
