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

struct PromiseBase {
    std::coroutine_handle<> continuation;
    bool detached = false;

    std::suspend_always initial_suspend() noexcept { return {}; }

    struct FinalAwaiter {
        bool await_ready() noexcept { return false; }
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> finished) noexcept
        {
            PromiseBase& promise = finished.promise();
            if (promise.continuation)
                return promise.continuation;
            if (promise.detached)
                finished.destroy();
            return std::noop_coroutine();
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
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept
    {
        m_handle.promise().continuation = awaiting;
        return m_handle;
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
        handle.resume();
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
