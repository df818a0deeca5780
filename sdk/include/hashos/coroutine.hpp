// The compiler's interface to C++20 coroutines, for wasm32 programs built without a C++ standard
// library: clang-14 needs std::coroutine_traits and std::coroutine_handle to compile co_await, and
// finds them in <coroutine>, which only libstdc++/libc++ ship. When a <coroutine> is available
// it is used; otherwise this header declares the minimum over clang's coroutine builtins.
#pragma once

#if __has_include(<coroutine>)
#include <coroutine>
#else

namespace std {

template <class Result, class... Arguments>
struct coroutine_traits {
    using promise_type = typename Result::promise_type;
};

template <class Promise = void>
struct coroutine_handle;

template <>
struct coroutine_handle<void> {
    constexpr coroutine_handle() noexcept = default;
    constexpr coroutine_handle(decltype(nullptr)) noexcept { }
    static coroutine_handle from_address(void* address) noexcept
    {
        coroutine_handle handle;
        handle.m_frame = address;
        return handle;
    }
    void* address() const noexcept { return m_frame; }
    explicit operator bool() const noexcept { return m_frame != nullptr; }
    bool done() const { return __builtin_coro_done(m_frame); }
    void resume() const { __builtin_coro_resume(m_frame); }
    void operator()() const { resume(); }
    void destroy() const { __builtin_coro_destroy(m_frame); }

protected:
    void* m_frame = nullptr;
};

template <class Promise>
struct coroutine_handle : coroutine_handle<void> {
    static coroutine_handle from_address(void* address) noexcept
    {
        coroutine_handle handle;
        handle.m_frame = address;
        return handle;
    }
    static coroutine_handle from_promise(Promise& promise) noexcept
    {
        return from_address(__builtin_coro_promise(&promise, alignof(Promise), true));
    }
    Promise& promise() const
    {
        return *static_cast<Promise*>(__builtin_coro_promise(m_frame, alignof(Promise), false));
    }
};

inline coroutine_handle<> noop_coroutine() noexcept
{
    return coroutine_handle<>::from_address(__builtin_coro_noop());
}

struct suspend_always {
    constexpr bool await_ready() const noexcept { return false; }
    constexpr void await_suspend(coroutine_handle<>) const noexcept { }
    constexpr void await_resume() const noexcept { }
};

struct suspend_never {
    constexpr bool await_ready() const noexcept { return true; }
    constexpr void await_suspend(coroutine_handle<>) const noexcept { }
    constexpr void await_resume() const noexcept { }
};

} // namespace std

#endif
