// Result<T>: a value or an Error carrying a human-readable message.
// Errors are values in hashos: no exceptions cross the engine or the kernel.
// Use TRY(expr) to propagate an error out of a function returning Result<U>.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace hashos {

class Error {
public:
    explicit Error(std::string message) : m_message(std::move(message)) {}
    const std::string& message() const { return m_message; }

private:
    std::string m_message;
};

[[noreturn, gnu::cold]] inline void result_misuse(std::string_view what, std::string_view message)
{
    std::fprintf(stderr, "hashos: %.*s%.*s\n", int(what.size()), what.data(), int(message.size()), message.data());
    std::abort();
}

// A tagged union rather than std::variant: every decoder and validator step returns one, and
// with a plain flag the compiler sees through TRY (the check, the move out, the destructor) to a
// single test on the success path; std::variant's index checks and visit-style destructor do not
// fold away.
template<typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)), m_is_error(false) {}
    Result(Error error) : m_error(std::move(error)), m_is_error(true) {}

    Result(const Result& other)
        requires std::is_copy_constructible_v<T>
        : m_is_error(other.m_is_error)
    {
        if (m_is_error)
            std::construct_at(&m_error, other.m_error);
        else
            std::construct_at(&m_value, other.m_value);
    }
    Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
        requires std::is_move_constructible_v<T>
        : m_is_error(other.m_is_error)
    {
        if (m_is_error)
            std::construct_at(&m_error, std::move(other.m_error));
        else
            std::construct_at(&m_value, std::move(other.m_value));
    }
    Result& operator=(const Result& other)
        requires std::is_copy_constructible_v<T>
    {
        if (this != &other) {
            destroy();
            std::construct_at(this, other);
        }
        return *this;
    }
    Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
        requires std::is_move_constructible_v<T>
    {
        if (this != &other) {
            destroy();
            std::construct_at(this, std::move(other));
        }
        return *this;
    }
    ~Result() { destroy(); }

    bool is_error() const { return m_is_error; }
    explicit operator bool() const { return !is_error(); }

    T& value() &
    {
        check_value();
        return m_value;
    }
    const T& value() const&
    {
        check_value();
        return m_value;
    }
    T&& value() &&
    {
        check_value();
        return std::move(m_value);
    }
    T release_value()
    {
        check_value();
        return std::move(m_value);
    }

    const Error& error() const
    {
        check_error();
        return m_error;
    }
    Error release_error()
    {
        check_error();
        return std::move(m_error);
    }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    void destroy()
    {
        if (m_is_error)
            std::destroy_at(&m_error);
        else
            std::destroy_at(&m_value);
    }
    // Reading the wrong side is a programming error: stop loudly, as std::get did by throwing.
    void check_value() const
    {
        if (m_is_error) [[unlikely]]
            result_misuse("value() of an error Result: ", m_error.message());
    }
    void check_error() const
    {
        if (!m_is_error) [[unlikely]]
            result_misuse("error() of a successful Result", {});
    }

    union {
        T m_value;
        Error m_error;
    };
    bool m_is_error;
};

// Success holds no Error at all, so the success path (the common one: every decoder and
// validator step returns one) builds and destroys no string.
template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool is_error() const { return m_error.has_value(); }
    explicit operator bool() const { return !is_error(); }
    const Error& error() const { return *m_error; }
    Error release_error() { return std::move(*m_error); }
    void release_value() {}

private:
    std::optional<Error> m_error;
};

} // namespace hashos

// Evaluates a Result expression; on error returns the error from the enclosing function,
// otherwise yields the value (a GNU statement expression, supported by g++ and clang).
#define TRY(expression)                                  \
    ({                                                   \
        auto _try_result = (expression);                 \
        if (_try_result.is_error())                      \
            return _try_result.release_error();          \
        _try_result.release_value();                     \
    })
