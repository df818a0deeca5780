#include "kernel/scheduler.h"

#include "kernel/host_wait.h"
#include "kernel/syscalls.h"

#include <algorithm>

namespace hashos::kernel {

namespace {

using Clock = std::chrono::steady_clock;

// The worker the calling OS thread is, for the hand-off fast path; null off the pool.
thread_local void* t_worker = nullptr;

constexpr uint64_t k_min_fuel_per_slice = 1'000;
constexpr uint64_t k_max_fuel_per_slice = 1'000'000'000;
// A sleeping worker looks again this often, for next slots left behind by a busy worker.
constexpr auto k_sleep_recheck = std::chrono::milliseconds(5);

} // namespace

Scheduler::Scheduler(SchedulerConfig config)
    : m_config(config)
{
    if (m_config.workers == 0)
        m_config.workers = std::max(1u, std::thread::hardware_concurrency());
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start()
{
    for (size_t i = 0; i < m_config.workers; ++i) {
        m_workers.push_back(std::make_unique<Worker>());
        m_workers.back()->seen_next.resize(m_config.workers);
    }
    for (size_t i = 0; i < m_workers.size(); ++i)
        m_workers[i]->thread = std::thread([this, i] { work(i); });
}

void Scheduler::stop()
{
    {
        std::lock_guard lock(m_lock);
        m_stopping = true;
    }
    m_wakeup.notify_all();
    for (auto& worker : m_workers) {
        if (worker->thread.joinable())
            worker->thread.join();
    }
    std::lock_guard lock(m_lock);
    m_queue.clear();
    for (auto& worker : m_workers)
        worker->next = {};
}

void Scheduler::push_locked(Runnable runnable)
{
    m_queue.push_back(std::move(runnable));
    m_queued.fetch_add(1, std::memory_order_release);
    if (m_sleeping > 0)
        m_wakeup.notify_one();
}

void Scheduler::make_ready_locked(Process& process, Thread& thread, WakeTo to)
{
    thread.m_schedule_state = Thread::ScheduleState::Ready;
    Runnable runnable { process.shared_from_this(), &thread };
    std::lock_guard lock(m_lock);
    auto* worker = static_cast<Worker*>(t_worker);
    if (to == WakeTo::HandOff && worker && !worker->next) {
        worker->next = std::move(runnable);
        ++worker->next_generation;
        m_queued.fetch_add(1, std::memory_order_release);
        return;
    }
    push_locked(std::move(runnable));
}

bool Scheduler::decide_ending_locked(Process& process, const ExitStatus& status)
{
    if (!process.m_ending)
        process.m_ending = status;
    if (process.m_running > 0 || process.m_exited)
        return false; // the last thread off its worker ends it, or it is ended already
    process.m_exited = true;
    return true;
}

void Scheduler::enqueue(std::shared_ptr<Process> process)
{
    std::lock_guard lock(process->m_schedule_lock);
    Thread& main = process->main_thread();
    if (process->m_ending || main.m_schedule_state != Thread::ScheduleState::Blocked)
        return;
    make_ready_locked(*process, main, WakeTo::Queue);
}

void Scheduler::start_thread(Thread& thread)
{
    Process& process = thread.process();
    std::lock_guard lock(process.m_schedule_lock);
    if (process.m_ending || thread.m_schedule_state != Thread::ScheduleState::Blocked)
        return;
    make_ready_locked(process, thread, WakeTo::Queue);
}

void Scheduler::wake(Thread& thread, WakeTo to)
{
    Process& process = thread.process();
    std::lock_guard lock(process.m_schedule_lock);
    if (process.m_ending)
        return;
    switch (thread.m_schedule_state) {
    case Thread::ScheduleState::Ready:
        return; // in line already
    case Thread::ScheduleState::Running:
        // Its worker runs it again after this slice instead of letting it wait.
        thread.m_woken_while_running = true;
        return;
    case Thread::ScheduleState::Blocked:
        make_ready_locked(process, thread, to);
        return;
    }
}

void Scheduler::kill(Process& process, std::string reason)
{
    std::lock_guard lock(process.m_schedule_lock);
    if (!decide_ending_locked(process, ExitStatus::killed(std::move(reason))))
        return;
    // Ended on a worker, as every exit is: not on the caller's thread, which may hold locks.
    std::lock_guard queue_lock(m_lock);
    push_locked({ process.shared_from_this(), nullptr });
}

void Scheduler::work(size_t index)
{
    Worker& worker = *m_workers[index];
    t_worker = &worker;
    Clock::time_point slice_start = Clock::now();
    for (;;) {
        Picked picked = pick(index, slice_start);
        if (!picked.runnable)
            break;
        // A thread handed over from the one that just ran shares what is left of its slice;
        // anything else starts a fresh one.
        if (picked.source == Source::Queue)
            slice_start = picked.now;
        run(worker, std::move(picked.runnable), picked.now);
    }
    t_worker = nullptr;
}

Scheduler::Picked Scheduler::pick(size_t index, Clock::time_point slice_start)
{
    Worker& worker = *m_workers[index];
    std::unique_lock lock(m_lock);
    for (;;) {
        if (m_stopping)
            return {};
        auto now = Clock::now();
        if (worker.next) {
            Runnable next = std::move(worker.next);
            worker.next = {};
            m_queued.fetch_sub(1, std::memory_order_relaxed);
            // Hand-offs may not keep a pair of threads on this worker forever: once the slice
            // is used up, the handed-over thread waits its turn like any other.
            if (now - slice_start < m_config.slice_time || m_queue.empty())
                return { std::move(next), Source::HandOff, now };
            push_locked(std::move(next));
        }
        if (!m_queue.empty()) {
            Runnable runnable = std::move(m_queue.front());
            m_queue.pop_front();
            m_queued.fetch_sub(1, std::memory_order_relaxed);
            return { std::move(runnable), Source::Queue, now };
        }
        for (size_t i = 0; i < m_workers.size(); ++i) {
            Worker& other = *m_workers[i];
            if (!other.next)
                continue;
            auto& [generation, since] = worker.seen_next[i];
            if (generation != other.next_generation) {
                generation = other.next_generation; // a new one: start counting
                since = now;
            } else if (now - since >= m_config.handoff_steal_after) {
                Runnable stolen = std::move(other.next);
                other.next = {};
                m_queued.fetch_sub(1, std::memory_order_relaxed);
                return { std::move(stolen), Source::Queue, now };
            }
        }
        // Nothing to run: spin a little (unlocked), then sleep.
        lock.unlock();
        auto spin_until = Clock::now() + m_config.idle_spin;
        // Counted only while nothing is queued: a next slot keeps m_queued above 0, and its
        // age is checked on the next round.
        while (m_queued.load(std::memory_order_acquire) == 0 && !m_stopping && Clock::now() < spin_until) {
#if defined(__x86_64__)
            __builtin_ia32_pause();
#endif
        }
        lock.lock();
        bool others_next = std::any_of(m_workers.begin(), m_workers.end(), [](const auto& other) { return bool(other->next); });
        if (m_queue.empty() && !m_stopping && !worker.next) {
            ++m_sleeping;
            // With a next slot waiting elsewhere, look again once it may be stealable.
            auto recheck = others_next ? std::chrono::duration_cast<std::chrono::milliseconds>(m_config.handoff_steal_after) + std::chrono::milliseconds(1)
                                       : k_sleep_recheck;
            m_wakeup.wait_for(lock, std::min<std::chrono::milliseconds>(recheck, k_sleep_recheck));
            --m_sleeping;
        }
    }
}

void Scheduler::run(Worker& worker, Runnable runnable, Clock::time_point start)
{
    Process& process = *runnable.process;
    Thread* thread = runnable.thread;
    if (!thread) {
        end(process); // claimed by whoever queued this (decide_ending_locked)
        return;
    }
    {
        std::lock_guard lock(process.m_schedule_lock);
        // Ending: the thread stays where it is until the process goes (its entry is stale).
        if (process.m_ending)
            return;
        thread->m_schedule_state = Thread::ScheduleState::Running;
        thread->m_woken_while_running = false;
        ++process.m_running;
    }

    ExitStatus status;
    Outcome outcome = run_thread(worker, *thread, status, start);
    process.record_memory_size();
    // A thread whose call returned goes before its process may: it still counts as running.
    if (outcome == Outcome::ThreadDone)
        process.remove_thread(*thread);

    bool end_now = false;
    {
        std::lock_guard lock(process.m_schedule_lock);
        --process.m_running;
        if (outcome == Outcome::ProcessExits || process.m_ending) {
            end_now = decide_ending_locked(process, status);
            if (outcome != Outcome::ThreadDone)
                thread->m_schedule_state = Thread::ScheduleState::Blocked;
        } else if (outcome == Outcome::Ready || (outcome == Outcome::Waiting && thread->m_woken_while_running)) {
            make_ready_locked(process, *thread, WakeTo::Queue);
        } else if (outcome == Outcome::Waiting) {
            thread->m_schedule_state = Thread::ScheduleState::Blocked;
        }
    }
    if (end_now)
        end(process);
}

void Scheduler::end(Process& process)
{
    ExitStatus status;
    {
        std::lock_guard lock(process.m_schedule_lock);
        status = *process.m_ending;
    }
    process.exit(status);
}

Scheduler::Outcome Scheduler::run_thread(Worker& worker, Thread& thread, ExitStatus& status, Clock::time_point start)
{
    Thread::set_current(&thread);
    struct ClearCurrent {
        ~ClearCurrent() { Thread::set_current(nullptr); }
    } clear_current;

    if (thread.suspension() == Suspension::NextMessage && !syscalls::retry_next_message(thread))
        return Outcome::Waiting;
    if (thread.suspension() == Suspension::Answers && !retry_host_wait(thread))
        return Outcome::Waiting;
    if (thread.suspension() == Suspension::AtomicWait) {
        auto result = thread.take_wait_result();
        if (!result)
            return Outcome::Waiting;
        thread.resume(*result);
    }

    wasm::RunState state = thread.engine().run(worker.fuel_per_slice);
    switch (state) {
    case wasm::RunState::OutOfFuel: {
        // Calibrate the slice: aim at slice_time, moving halfway each time to damp noise.
        auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
        uint64_t target = std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.slice_time).count();
        if (elapsed > 0) {
            double ideal = double(worker.fuel_per_slice) * double(target) / double(elapsed);
            uint64_t next = uint64_t((double(worker.fuel_per_slice) + ideal) / 2);
            worker.fuel_per_slice = std::clamp(next, k_min_fuel_per_slice, k_max_fuel_per_slice);
        }
        return Outcome::Ready;
    }
    case wasm::RunState::Suspended:
        switch (thread.suspension()) {
        case Suspension::NextMessage:
        case Suspension::Answers:
        case Suspension::AtomicWait:
            return Outcome::Waiting;
        case Suspension::Exit:
            status = ExitStatus::exited(thread.exit_code());
            return Outcome::ProcessExits;
        case Suspension::None:
            if (auto wait = thread.engine().suspended_wait()) {
                // memory.atomic.wait must block (kernel/atomic_waiters.h).
                ProcessWaiters* waiters = thread.process().waiters();
                auto at_once = waiters ? waiters->begin_wait(thread, *wait) : std::optional<int32_t>(1);
                if (!at_once)
                    return Outcome::Waiting;
                thread.resume(*at_once);
                return Outcome::Ready;
            }
            break;
        }
        status = ExitStatus::trapped("internal error: a host call suspended without a reason");
        return Outcome::ProcessExits;
    case wasm::RunState::Finished:
        switch (thread.process().thread_finished(thread, status)) {
        case Process::AfterFinish::Continue:
            return Outcome::Ready;
        case Process::AfterFinish::ThreadDone:
            return Outcome::ThreadDone;
        case Process::AfterFinish::ProcessExits:
            return Outcome::ProcessExits;
        }
        return Outcome::ThreadDone;
    case wasm::RunState::Trapped:
        status = thread.process().trap_status(thread);
        return Outcome::ProcessExits;
    case wasm::RunState::Idle:
        break;
    }
    return Outcome::ThreadDone;
}

} // namespace hashos::kernel
