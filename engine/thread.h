// Thread: one wasm thread of execution, resumable.
// Its operand stack and call frames live on the heap, never on the C++ stack, so run(fuel) can
// stop at any back-edge, call or host call and be resumed later, on any OS thread, with exactly
// the result an uninterrupted run gives. A Thread belongs to one Store; only one OS thread may
// use a Thread at a time (Threads of one Store may run at once: engine/store.h).
#pragma once

#include "engine/store.h"

#include <optional>
#include <string>
#include <vector>

namespace hashos::wasm {

enum class RunState : uint8_t {
    Idle,      // nothing started, or the last call's results were taken
    Finished,  // results() holds the call's results
    Trapped,   // trap_message() says why; the thread is Idle-able again via start()
    OutOfFuel, // run() again to continue
    Suspended, // a host function returned HostOutcome::Suspend (suspended_function()), or
               // memory.atomic.wait must block (suspended_wait())
};

// Threads proposal: a memory.atomic.wait32/wait64 that has to block. The engine has checked the
// bounds, the alignment, that the memory is shared, and that the value at `address` equalled
// `expected` (so the result 1, "not-equal", and a zero timeout's 2, "timed-out", never suspend).
// The embedder resolves it with resume_host_call() and one i32: 0 ("ok": woken by a notify of
// that address, see AtomicWaiters) or 2 ("timed-out"), or 1 if its own re-check of the value
// under its wait-queue lock (still_expected()) fails: a notify can only be missed when the
// check and the queueing are not atomic with respect to it, which is the embedder's to ensure.
// https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#wait
struct AtomicWait {
    Memory* memory = nullptr;
    uint64_t address = 0;    // effective address, in bounds and aligned to `width`
    uint64_t expected = 0;   // zero-extended when width is 4
    uint8_t width = 4;       // 4 (wait32) or 8 (wait64)
    int64_t timeout_ns = -1; // relative, in nanoseconds; negative waits forever, never 0

    // Reads the value at `address` (sequentially consistent) and compares it with `expected`.
    bool still_expected() const;
};

struct ThreadLimits {
    uint32_t max_value_stack_slots = 1 << 20; // 8 MiB of operand stack and locals
    uint32_t max_call_depth = 100'000;        // "call stack exhausted" beyond
};

class Thread {
public:
    explicit Thread(Store& store, ThreadLimits limits = {});
    ~Thread();
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;

    // Prepares a call of `function` with `args` (checked against its type). The thread must not
    // be in the middle of another call (OutOfFuel or Suspended).
    Result<void> start(Function* function, std::span<const Value> args);

    // Runs until the call finishes, traps, suspends, or `fuel` units are spent. One unit is about
    // one wasm instruction, charged in bulk at calls and loop iterations, not per instruction; a
    // run never overdraws: fuel too small for the next charge is carried into the next run(). After a
    // resume_host_call() the state is OutOfFuel: run() again to continue.
    RunState run(uint64_t fuel);

    // Convenience for the embedder: start + run with unlimited fuel (no suspension allowed:
    // a suspending host function makes this return Suspended like run()).
    RunState call(Function* function, std::span<const Value> args);

    RunState state() const { return m_state; }
    std::span<const Value> results() const { return m_results; }
    const std::string& trap_message() const { return m_trap_message; }

    // While Suspended: the host function that suspended and its arguments.
    Function* suspended_function() const;
    std::span<const Value> suspended_args() const;
    // While Suspended in memory.atomic.wait: what it waits for (nullopt otherwise, and
    // suspended_function() is then null).
    std::optional<AtomicWait> suspended_wait() const;
    // Completes the suspended host call (or wait: one i32); the next run() continues after it.
    void resume_host_call(std::span<const Value> results);
    // Completes the suspended host call with a trap.
    void resume_host_call_with_trap(std::string message);

    Store& store() const { return m_store; }
    uint64_t fuel_consumed() const { return m_fuel_consumed; }

private:
    friend struct Interpreter;
    struct Impl;
    Store& m_store;
    ThreadLimits m_limits;
    RunState m_state = RunState::Idle;
    std::vector<Value> m_results;
    std::string m_trap_message;
    uint64_t m_fuel_consumed = 0;
    std::unique_ptr<Impl> m_impl; // stacks, frames, suspended call: engine/interpreter.cpp
};

} // namespace hashos::wasm
