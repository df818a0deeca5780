// Thread: one wasm thread of a process: the engine's resumable Thread plus what the kernel needs
// to schedule it — why it is suspended, and for a blocked next_message, where the event goes.
//
// Threads: a Thread is used only by the worker that runs its process at the moment (one at a
// time per process, kernel/scheduler.h); Thread::current() is that worker's thread.
#pragma once

#include "engine/thread.h"
#include "kernel/ids.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
};

// What the thread is running.
enum class Phase : uint8_t {
    StartFunction, // the module's start function; the entry follows
    Entry,         // _start or main: its return ends the process
    Secondary,     // a thread started later: its return ends only itself
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
    void suspend_for_next_message(NextMessageWait wait)
    {
        m_suspension = Suspension::NextMessage;
        m_wait = std::move(wait);
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

    // The thread the calling worker is running, for host functions; null elsewhere.
    static Thread* current();
    static void set_current(Thread* thread);

private:
    Process& m_process;
    wasm::Thread m_engine;
    Phase m_phase;
    Suspension m_suspension = Suspension::None;
    NextMessageWait m_wait;
    AnswerWait m_answer_wait;
    int32_t m_exit_code = 0;
};

} // namespace hashos::kernel
