// Result<T>: a value or an Error carrying a human-readable message.
// Errors are values in hashos: no exceptions cross the engine or the kernel.
// Use TRY(expr) to propagate an error out of a function returning Result<U>.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace hashos {

class Error {
public:
    explicit Error(std::string message) : m_message(std::move(message)) {}
    const std::string& message() const { return m_message; }

private:
    std::string m_message;
};

template<typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_storage(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_storage(std::in_place_index<1>, std::move(error)) {}

    bool is_error() const { return m_storage.index() == 1; }
    explicit operator bool() const { return !is_error(); }

    T& value() & { return std::get<0>(m_storage); }
    const T& value() const& { return std::get<0>(m_storage); }
    T&& value() && { return std::get<0>(std::move(m_storage)); }
    T release_value() { return std::get<0>(std::move(m_storage)); }

    const Error& error() const { return std::get<1>(m_storage); }
    Error release_error() { return std::get<1>(std::move(m_storage)); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> m_storage;
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
