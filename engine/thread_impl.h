// Thread::Impl: the heap state of a wasm thread, shared by engine/thread.cpp (the API) and
// engine/interpreter.cpp (the loop). Internal to the engine.
#pragma once

#include "engine/compiler.h"
#include "engine/thread.h"
#include "engine/thread_stacks.h"

namespace hashos::wasm {

// One activation record of the call stack; the callee's slots live in the value stack.
struct Frame {
    const runtime::CodeUnit* return_pc;
    Value* fp;
    Instance* instance;
};

struct Thread::Impl {
    explicit Impl(const ThreadLimits& limits);
    ~Impl();

    // The value stack and the frame stack are reserved once (mmap, touched lazily, recycled:
    // engine/thread_stacks.h), so they never move and a deep recursion costs memory only as deep
    // as it goes.
    ThreadStacks stacks;
    Value* stack = nullptr;
    size_t stack_slots = 0;
    Frame* frames = nullptr;
    size_t frame_capacity = 0; // max_call_depth

    // Interpreter registers between two run() calls.
    const runtime::CodeUnit* pc = nullptr;
    Value* fp = nullptr;
    Frame* frame_top = nullptr;
    Instance* instance = nullptr;
    uint64_t fuel_carry = 0; // fuel left by a run that stopped at a larger charge

    // The code of a top-level call: a call of the function, then Halt.
    runtime::CodeUnit entry[12] = {};
    uint32_t result_count = 0;

    bool active = false;  // a call is in progress (started, out of fuel, or suspended)
    bool running = false; // inside run(): re-entrant use of the same Thread is refused

    // A host call that suspended: its function, arguments and where its results go.
    Function* suspended_function = nullptr;
    Value* suspended_slots = nullptr;
    bool awaiting_host = false;
    // Or a memory.atomic.wait that blocks (suspended_function null); its result goes to
    // suspended_slots[0].
    std::optional<AtomicWait> suspended_wait;

    std::vector<Value> host_results;
};

// The interpreter loop and its helpers, in engine/interpreter.cpp.
struct Interpreter {
    static RunState run(Thread& thread, uint64_t fuel);
    static const void* const* handlers();
    // engine/interpreter_dump.h: reads the compiled code that Function keeps private.
    static std::string disassemble(const Function& function);

private:
    // The loop itself; with table_out set it only hands out its handler addresses.
    static RunState execute(Thread* thread, uint64_t fuel, const void* const** table_out);
    // memory.atomic.wait blocks: records `wait` and where its result goes.
    [[gnu::noinline, gnu::cold]] static void suspend_in_wait(Thread::Impl& impl, Value* result, const AtomicWait& wait);
};

} // namespace hashos::wasm
