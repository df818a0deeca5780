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
        worker->next.reset();
}

void Scheduler::push_locked(std::shared_ptr<Process> process)
{
    m_queue.push_back(std::move(process));
    m_queued.fetch_add(1, std::memory_order_release);
    if (m_sleeping > 0)
        m_wakeup.notify_one();
}

void Scheduler::enqueue(std::shared_ptr<Process> process)
{
    {
        std::lock_guard lock(process->m_schedule_lock);
        if (process->m_exited || process->m_run_state != Process::RunState::Idle)
            return;
        process->m_run_state = Process::RunState::Queued;
    }
    std::lock_guard lock(m_lock);
    push_locked(std::move(process));
}

void Scheduler::wake(Thread& thread)
{
    Process& process = thread.process();
    {
        std::lock_guard lock(process.m_schedule_lock);
        if (process.m_exited)
            return;
        process.m_ready.push_back(&thread);
        // Running: its worker requeues it after the slice. Queued: it is in line already.
        if (process.m_run_state != Process::RunState::Idle)
            return;
        process.m_run_state = Process::RunState::Queued;
    }
    auto shared = process.shared_from_this();
    std::lock_guard lock(m_lock);
    auto* worker = static_cast<Worker*>(t_worker);
    if (worker && !worker->next) {
        worker->next = std::move(shared);
        ++worker->next_generation;
        m_queued.fetch_add(1, std::memory_order_release);
        return;
    }
    push_locked(std::move(shared));
}

void Scheduler::kill(Process& process, std::string reason)
{
    {
        std::lock_guard lock(process.m_schedule_lock);
        if (process.m_exited)
            return;
        process.m_kill_reason = std::move(reason);
        if (process.m_run_state != Process::RunState::Idle)
            return;
        process.m_run_state = Process::RunState::Queued;
    }
    std::lock_guard lock(m_lock);
    push_locked(process.shared_from_this());
}

void Scheduler::work(size_t index)
{
    Worker& worker = *m_workers[index];
    t_worker = &worker;
    Clock::time_point slice_start = Clock::now();
    for (;;) {
        Picked picked = pick(index, slice_start);
        if (!picked.process)
            break;
        // A process handed over from the one that just ran shares what is left of its slice;
        // anything else starts a fresh one.
        if (picked.source == Source::Queue)
            slice_start = picked.now;
        run_process(worker, std::move(picked.process), picked.now);
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
            auto next = std::move(worker.next);
            worker.next.reset();
            m_queued.fetch_sub(1, std::memory_order_relaxed);
            // Hand-offs may not keep a pair of processes on this worker forever: once the
            // slice is used up, the handed-over process waits its turn like any other.
            if (now - slice_start < m_config.slice_time || m_queue.empty())
                return { std::move(next), Source::HandOff, now };
            push_locked(std::move(next));
        }
        if (!m_queue.empty()) {
            auto process = std::move(m_queue.front());
            m_queue.pop_front();
            m_queued.fetch_sub(1, std::memory_order_relaxed);
            return { std::move(process), Source::Queue, now };
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
                auto stolen = std::move(other.next);
                other.next.reset();
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

void Scheduler::run_process(Worker& worker, std::shared_ptr<Process> process, Clock::time_point start)
{
    Thread* thread = nullptr;
    std::optional<std::string> kill_reason;
    {
        std::lock_guard lock(process->m_schedule_lock);
        if (process->m_exited)
            return;
        if (process->m_kill_reason) {
            kill_reason = process->m_kill_reason;
        } else if (process->m_ready.empty()) {
            process->m_run_state = Process::RunState::Idle;
            return;
        } else {
            thread = process->m_ready.front();
            process->m_ready.pop_front();
        }
        process->m_run_state = Process::RunState::Running;
    }
    if (kill_reason) {
        process->exit(ExitStatus::killed(*kill_reason));
        return;
    }

    ExitStatus status;
    Outcome outcome = run_thread(worker, *thread, status, start);
    process->record_memory_size();
    if (outcome == Outcome::ProcessExits) {
        process->exit(status);
        return;
    }
    if (outcome == Outcome::ThreadDone)
        process->remove_thread(*thread);

    bool requeue = false;
    {
        std::lock_guard lock(process->m_schedule_lock);
        if (outcome == Outcome::Ready)
            process->m_ready.push_back(thread);
        requeue = process->m_kill_reason || !process->m_ready.empty();
        process->m_run_state = requeue ? Process::RunState::Queued : Process::RunState::Idle;
    }
    if (requeue) {
        std::lock_guard lock(m_lock);
        push_locked(std::move(process));
    }
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
