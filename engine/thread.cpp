// Thread: the embedder's side of a resumable wasm call; the loop is in engine/interpreter.cpp.
#include "engine/thread_impl.h"

#include "engine/instance.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace hashos::wasm {

namespace {

void write_pointer(runtime::CodeUnit* code, const void* pointer)
{
    uint64_t bits = reinterpret_cast<uintptr_t>(pointer);
    std::memcpy(code, &bits, sizeof(bits));
}

} // namespace

Thread::Impl::Impl(const ThreadLimits& limits)
    : stack_slots(std::max<size_t>(limits.max_value_stack_slots, 16))
    , frame_capacity(std::max<size_t>(limits.max_call_depth, 1))
{
}

Thread::Impl::~Impl()
{
    stacks.release();
}

Thread::Thread(Store& store, ThreadLimits limits)
    : m_store(store)
    , m_limits(limits)
    , m_impl(std::make_unique<Impl>(limits))
{
}

Thread::~Thread() = default;

Result<void> Thread::start(Function* function, std::span<const Value> args)
{
    Impl& impl = *m_impl;
    if (impl.running || impl.active)
        return Error("thread is busy with another call");
    if (!function)
        return Error("no function to call");
    const FuncType& type = function->type();
    if (args.size() != type.params.size())
        return Error("argument count mismatch: the function takes " + std::to_string(type.params.size()) + ", "
            + std::to_string(args.size()) + " given");
    if (!impl.stack) {
        // Both reservations are touched lazily by the OS: a thread that recurses 10 deep uses a
        // page or two of each.
        impl.stacks = ThreadStacks::acquire(impl.stack_slots * sizeof(Value), impl.frame_capacity * sizeof(Frame));
        if (!impl.stacks.values)
            return Error("cannot reserve the thread's stacks");
        impl.stack = static_cast<Value*>(impl.stacks.values);
        impl.frames = static_cast<Frame*>(impl.stacks.frames);
    }
    if (std::max(args.size(), type.results.size()) > impl.stack_slots)
        return Error("call stack exhausted");

    std::copy(args.begin(), args.end(), impl.stack);
    // The entry code: call the function with its arguments at slot 0, then Halt.
    const void* const* handlers = runtime::handler_table();
    if (function->m_code) {
        write_pointer(impl.entry, handlers[size_t(runtime::Op::Call)]);
        write_pointer(impl.entry + 2, function->m_code);
    } else {
        write_pointer(impl.entry, handlers[size_t(runtime::Op::CallHost)]);
        write_pointer(impl.entry + 2, function);
    }
    impl.entry[4] = 0;
    write_pointer(impl.entry + 5, handlers[size_t(runtime::Op::Halt)]);

    impl.pc = impl.entry;
    impl.fp = impl.stack;
    impl.frame_top = impl.frames;
    impl.instance = nullptr;
    impl.result_count = uint32_t(type.results.size());
    impl.awaiting_host = false;
    impl.suspended_function = nullptr;
    impl.suspended_wait.reset();
    impl.fuel_carry = 0;
    impl.active = true;
    m_state = RunState::Idle;
    m_results.clear();
    m_trap_message.clear();
    return {};
}

RunState Thread::run(uint64_t fuel)
{
    Impl& impl = *m_impl;
    if (!impl.active || impl.running || impl.awaiting_host)
        return m_state;
    impl.running = true;
    RunState state = Interpreter::run(*this, fuel);
    impl.running = false;
    return state;
}

RunState Thread::call(Function* function, std::span<const Value> args)
{
    if (auto started = start(function, args); started.is_error()) {
        if (m_impl->running || m_impl->active)
            return RunState::Trapped; // refused: the thread is busy; its own state is unchanged
        m_state = RunState::Trapped;
        m_trap_message = started.error().message();
        return m_state;
    }
    return run(std::numeric_limits<uint64_t>::max());
}

Function* Thread::suspended_function() const { return m_impl->awaiting_host ? m_impl->suspended_function : nullptr; }

std::optional<AtomicWait> Thread::suspended_wait() const
{
    if (!m_impl->awaiting_host)
        return std::nullopt;
    return m_impl->suspended_wait;
}

bool AtomicWait::still_expected() const
{
    const uint8_t* cell = memory->data() + address;
    if (width == 8)
        return __atomic_load_n(reinterpret_cast<const uint64_t*>(cell), __ATOMIC_SEQ_CST) == expected;
    return __atomic_load_n(reinterpret_cast<const uint32_t*>(cell), __ATOMIC_SEQ_CST) == uint32_t(expected);
}

std::span<const Value> Thread::suspended_args() const
{
    if (!m_impl->awaiting_host || !m_impl->suspended_function)
        return {};
    return { m_impl->suspended_slots, m_impl->suspended_function->type().params.size() };
}

void Thread::resume_host_call(std::span<const Value> results)
{
    Impl& impl = *m_impl;
    if (!impl.awaiting_host)
        return;
    size_t wanted = impl.suspended_function ? impl.suspended_function->type().results.size() : 1;
    size_t count = std::min(results.size(), wanted);
    std::copy_n(results.begin(), count, impl.suspended_slots);
    impl.awaiting_host = false;
    impl.suspended_wait.reset();
    // Runnable again: "run() again to continue", which is what OutOfFuel means.
    m_state = RunState::OutOfFuel;
}

void Thread::resume_host_call_with_trap(std::string message)
{
    Impl& impl = *m_impl;
    if (!impl.awaiting_host)
        return;
    impl.awaiting_host = false;
    impl.suspended_wait.reset();
    impl.active = false;
    m_state = RunState::Trapped;
    m_trap_message = std::move(message);
}

} // namespace hashos::wasm
