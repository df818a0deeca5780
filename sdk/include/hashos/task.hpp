// hashos::Task<T>: a coroutine that computes a T, started when awaited (or by EventLoop::spawn),
// resuming whoever awaited it when it finishes. Built for -fno-exceptions: an exception cannot
// escape a coroutine, so unhandled_exception() never runs.
//
// Owner: the Task object owns its coroutine frame until it is awaited to completion or handed to
// EventLoop::spawn, which lets the frame free itself when it ends.
#pragma once

#include "hashos/coroutine.hpp"
#include "hashos/utility.hpp"

namespace hashos {

template <class T = void>
class Task;

namespace detail {

// Not from the usual design: await_suspend returns void or bool, never the next coroutine
// (symmetric transfer), because clang lowers that to a tail call, which needs the wasm tail-call
// feature the engine does not have yet. So a task that finishes while its awaiter is still in
// await_suspend tells it through `finished`, and one that finishes later resumes it directly.
// For the same reason a coroutine body never resumes or destroys a frame through the builtins:
// LLVM 14 turns such a call just before a suspension into a tail call. It calls these functions,
// which it cannot see through.
[[gnu::noinline]] inline void resume(std::coroutine_handle<> handle) { handle.resume(); }
[[gnu::noinline]] inline void destroy(std::coroutine_handle<> handle) { handle.destroy(); }

struct PromiseBase {
    std::coroutine_handle<> continuation;
    bool detached = false;
    bool finished = false;
    bool awaiter_suspending = false;

    std::suspend_always initial_suspend() noexcept { return {}; }

    struct FinalAwaiter {
        bool await_ready() noexcept { return false; }
        template <class Promise>
        void await_suspend(std::coroutine_handle<Promise> done) noexcept
        {
            PromiseBase& promise = done.promise();
            promise.finished = true;
            if (promise.detached)
                destroy(done);
            else if (promise.continuation && !promise.awaiter_suspending)
                resume(promise.continuation);
        }
        void await_resume() noexcept { }
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { __builtin_trap(); }
};

template <class T>
struct Promise : PromiseBase {
    T value {};
    Task<T> get_return_object() noexcept;
    void return_value(T result) noexcept { value = hashos::move(result); }
};

template <>
struct Promise<void> : PromiseBase {
    Task<void> get_return_object() noexcept;
    void return_void() noexcept { }
};

} // namespace detail

template <class T>
class [[nodiscard]] Task {
public:
    using promise_type = detail::Promise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    explicit Task(Handle handle) : m_handle(handle) { }
    Task(Task&& other) noexcept : m_handle(other.m_handle) { other.m_handle = {}; }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task()
    {
        if (m_handle)
            m_handle.destroy();
    }

    // Awaiting a task starts it; the awaiter resumes when it finishes, with its value.
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting) noexcept
    {
        auto& promise = m_handle.promise();
        promise.continuation = awaiting;
        promise.awaiter_suspending = true;
        detail::resume(m_handle);
        promise.awaiter_suspending = false;
        return !promise.finished; // finished already: the awaiter goes on without suspending
    }
    T await_resume() noexcept
    {
        if constexpr (!is_void<T>)
            return hashos::move(m_handle.promise().value);
    }

    // Gives up the frame: it starts now and frees itself when it ends (EventLoop::spawn).
    void start_detached() &&
    {
        Handle handle = m_handle;
        m_handle = {};
        handle.promise().detached = true;
        detail::resume(handle);
    }

private:
    Handle m_handle;
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept
{
    return Task<T>(Task<T>::Handle::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept
{
    return Task<void>(Task<void>::Handle::from_promise(*this));
}
} // namespace detail

} // namespace hashos
