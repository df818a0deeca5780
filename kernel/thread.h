// Thread: one wasm thread of a process: the engine's resumable Thread plus what the kernel needs
// to schedule it — why it is suspended, and for a blocked next_message, where the event goes.
//
// Threads: a Thread is used only by the worker that runs it at the moment (threads of one
// process run on several workers at once, each on its own instance: kernel/scheduler.h);
// Thread::current() is that worker's thread. Whoever wakes it (set_delivered, set_wait_result)
// writes before the scheduler's wake, which orders the write before the thread's next run.
#pragma once

#include "engine/thread.h"
#include "kernel/ids.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace hashos::kernel {

class Process;
struct Event;

// Why the engine thread is Suspended in a host call.
enum class Suspension : uint8_t {
    None,
    NextMessage, // blocked in next_message: `wait` says where the event goes
    Exit,        // called exit(code)
    Answers,     // in an import provider's host function, awaiting answers (kernel/host_wait.h)
    AtomicWait,  // in memory.atomic.wait on a shared memory (kernel/atomic_waiters.h)
};

// What the thread is running.
enum class Phase : uint8_t {
    StartFunction, // the module's start function; the entry follows
    Entry,         // _start or main: its return ends the process
    Secondary,     // a thread started later: its return ends only itself
    SecondaryStart, // a later thread's own instance's start function; `then_call` follows
};

class Thread {
public:
    Thread(Process& process, Phase phase, wasm::ThreadLimits limits);

    Process& process() const { return m_process; }
    wasm::Thread& engine() { return m_engine; }
    Phase phase() const { return m_phase; }
    void set_phase(Phase phase) { m_phase = phase; }

    struct NextMessageWait {
        std::vector<MessageId> filter;
        uint32_t out_pointer = 0;
        uint32_t out_capacity = 0;
    };
    Suspension suspension() const { return m_suspension; }
    const NextMessageWait& wait() const { return m_wait; }
    int32_t exit_code() const { return m_exit_code; }
    // Reuses the filter's storage: a call blocking for its answer allocates nothing.
    void suspend_for_next_message(std::span<const MessageId> filter, uint32_t out_pointer, uint32_t out_capacity)
    {
        m_suspension = Suspension::NextMessage;
        m_wait.filter.assign(filter.begin(), filter.end());
        m_wait.out_pointer = out_pointer;
        m_wait.out_capacity = out_capacity;
    }
    void suspend_for_exit(int32_t code)
    {
        m_suspension = Suspension::Exit;
        m_exit_code = code;
    }
    // kernel/host_wait.h: the answers a host function awaits, and what to do with the first.
    struct AnswerWait {
        std::vector<MessageId> filter;
        std::function<std::optional<int32_t>(Event&&)> then;
    };
    void suspend_for_answers(AnswerWait wait)
    {
        m_suspension = Suspension::Answers;
        m_answer_wait = std::move(wait);
    }
    AnswerWait& answer_wait() { return m_answer_wait; }
    // Completes the suspended host call with `result` (the syscall's return value).
    void resume(int32_t result);
    // next_message's fast path (kernel/mailbox.h): the event was written straight into this
    // thread's buffer while it was blocked, by the thread that delivered it, under the mailbox's
    // lock; this is the syscall's result. Read once, by the worker that then runs the thread
    // (the scheduler's wake orders the two).
    void set_delivered(int32_t result) { m_delivered = result; }
    std::optional<int32_t> take_delivered() { return std::exchange(m_delivered, std::nullopt); }

    // docs/threads.md: the thread's number in its process (1: the main thread), for messages
    // and the thread interface.
    uint32_t id() const { return m_id; }
    void set_id(uint32_t id) { m_id = id; }
    // A memory.atomic.wait blocked (kernel/atomic_waiters.h). The wake result (0 woken, 2 timed
    // out) is set by whoever wakes the thread, before it is made ready.
    void suspend_for_atomic_wait()
    {
        m_suspension = Suspension::AtomicWait;
        m_wait_result.reset();
    }
    void set_wait_result(int32_t result) { m_wait_result = result; }
    std::optional<int32_t> take_wait_result() { return std::exchange(m_wait_result, std::nullopt); }
    // Phase::SecondaryStart: what the thread calls once its instance's start function returns.
    struct Call {
        wasm::Function* function = nullptr;
        std::vector<wasm::Value> args;
    };
    std::optional<Call>& then_call() { return m_then_call; }

    // The thread the calling worker is running, for host functions; null elsewhere.
    static Thread* current();
    static void set_current(Thread* thread);

private:
    friend class Scheduler;
    // Where the scheduler has the thread (kernel/scheduler.cpp), under its process's schedule
    // lock: Blocked (not started, or waiting for a wake), Ready (in the run queue or a hand-off
    // slot, exactly once), Running (on a worker). A wake while Running is remembered, so that a
    // thread that suspends just after its waker has been quicker still runs again.
    enum class ScheduleState : uint8_t { Blocked, Ready, Running };
    ScheduleState m_schedule_state = ScheduleState::Blocked;
    bool m_woken_while_running = false;

    Process& m_process;
    wasm::Thread m_engine;
    Phase m_phase;
    Suspension m_suspension = Suspension::None;
    NextMessageWait m_wait;
    AnswerWait m_answer_wait;
    int32_t m_exit_code = 0;
    uint32_t m_id = 1;
    std::optional<int32_t> m_wait_result;
    std::optional<Call> m_then_call;
    std::optional<int32_t> m_delivered;
};

} // namespace hashos::kernel
