// The C++ layer of the SDK: an event loop that serves interfaces and resumes coroutines when their
// answers arrive, so that a handler is a few lines and may itself wait for other calls while the
// loop goes on serving. Freestanding C++20 (-fno-exceptions -fno-rtti, no standard library).
//
//     constexpr auto ping = HASHOS_METHOD(example_ping_Ping, Ping);
//     int main()
//     {
//         hashos::EventLoop loop;
//         loop.handle(ping, [](const example_ping_PingRequest& request, example_ping_PingResponse& response) {
//             response.sequence = request.sequence;
//             return hashos::ok;
//         });
//         return loop.run();
//     }
//
// One thread, one EventLoop per program; the loop must outlive every Task it runs. Statuses are
// those of hashos/message.h (0 ok, < 0 local failure, > 0 the error answer's code).
#pragma once

#include "hashos/hashos.h"
#include "hashos/task.hpp"

namespace hashos {

inline constexpr int32_t ok = HASHOS_OK;

// One method of an interface: its hash, number and the codecs of its messages (hashos-idl's:
// direct code for messages of scalars, nanopb for the others).
template <class RequestType, class ResponseType>
struct Method {
    using Request = RequestType;
    using Response = ResponseType;
    const uint8_t* interface_hash;
    uint32_t number;
    const hashos_codec* request_codec;
    const hashos_codec* response_codec;
};

// The Method by hashos-idl's names: HASHOS_METHOD(hashos_time_Time, SleepFor).
#define HASHOS_METHOD(service, method)                                                               \
    (::hashos::Method<service##_##method##_Request, service##_##method##_Response> {                 \
        service##_hash, service##_METHOD_##method, service##_##method##_Request_codec,                \
        service##_##method##_Response_codec })

// What a call gives back: a status and, when it is ok, the response.
template <class Response>
struct Result {
    int32_t status = HASHOS_OK;
    Response value {};
    bool ok() const { return status == HASHOS_OK; }
    const Response* operator->() const { return &value; }
};

class EventLoop;

namespace detail {

// An answer a coroutine waits for; lives in the awaiting coroutine's frame, linked into the loop.
struct PendingCall {
    uint64_t id = 0;
    std::coroutine_handle<> waiter;
    const hashos_codec* response_codec = nullptr;
    void* response = nullptr;
    int32_t status = HASHOS_OK;
    PendingCall* next = nullptr;
};

// A served method, type-erased.
struct HandlerBase {
    const uint8_t* interface_hash = nullptr;
    uint32_t method = 0;
    HandlerBase* next = nullptr;
    virtual ~HandlerBase() = default;
    virtual void dispatch(const hashos_request& request) = 0;
};

} // namespace detail

class EventLoop {
public:
    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // The loop of this program (the one constructed last).
    static EventLoop& current();

    // Serves `method` with `handler`, either
    //   int32_t handler(const Request& request, Response& response): answers with `response` when
    //     it returns ok, with an error answer of that code otherwise; or
    //   Task<> handler(hashos::Request<M> request): a coroutine that answers through `request`.
    template <class M, class F>
    void handle(const M& method, F handler);

    // Starts `task`; it runs until its first wait, then whenever what it waits for arrives.
    void spawn(Task<> task) { hashos::move(task).start_detached(); }

    // Registers the served interfaces, then handles events until stop(), or until nothing is
    // served and no call is pending. Returns the exit code given to stop() (0 by default), or the
    // status of a failed registration or receive.
    int32_t run();
    void stop(int32_t exit_code = 0);

    // For Call: waits for the answer to `call->id`.
    void wait_for(detail::PendingCall* call);

private:
    void add(detail::HandlerBase* handler);
    void dispatch(const hashos_event& event);
    void answered(const hashos_event& event);

    detail::HandlerBase* m_handlers = nullptr;
    detail::PendingCall* m_pending = nullptr;
    hashos_inbox m_inbox {};
    int32_t m_exit_code = 0;
    bool m_stopped = false;
};

// A request received for method M, decoded, and the means to answer it once. Move-only; if it is
// dropped unanswered, it answers INTERNAL so that its sender never waits forever.
template <class M>
class Request {
public:
    Request(const hashos_request& raw, const typename M::Request& value, const M& method)
        : m_raw(raw), m_value(value), m_method(method)
    {
        // The body lies in the loop's inbox, which the next event overwrites; it was decoded.
        m_raw.body = nullptr;
        m_raw.body_len = 0;
    }
    Request(Request&& other) : m_raw(other.m_raw), m_value(other.m_value), m_method(other.m_method)
    {
        other.m_raw.answer_wanted = false;
    }
    Request(const Request&) = delete;
    ~Request()
    {
        if (m_raw.answer_wanted)
            hashos_answer_error(&m_raw, hashos_ErrorCode_ERROR_CODE_INTERNAL, "the handler did not answer");
    }

    const typename M::Request& operator*() const { return m_value; }
    const typename M::Request* operator->() const { return &m_value; }
    uint64_t sender() const { return m_raw.sender; }

    int32_t answer(const typename M::Response& response)
    {
        int32_t status = hashos_answer_codec(&m_raw, m_method.response_codec, &response);
        m_raw.answer_wanted = false;
        return status;
    }
    int32_t fail(hashos_ErrorCode code, const char* text)
    {
        int32_t status = hashos_answer_error(&m_raw, code, "%s", text);
        m_raw.answer_wanted = false;
        return status;
    }

private:
    hashos_request m_raw;
    typename M::Request m_value;
    M m_method;
};

// `co_await call(method, request)`: sends at once, resumes with a Result when the answer comes.
template <class M>
class Call {
public:
    Call(const M& method, const typename M::Request& request, uint32_t flags)
        : m_method(method)
    {
        m_pending.status = hashos_send_codec(method.interface_hash, method.number, method.request_codec, &request,
            flags | HASHOS_EMIT_ANSWER_WANTED, &m_pending.id);
    }
    // With `prepared`: the response starts as it, so that its nanopb callbacks (bytes, strings,
    // repeated fields) decode into memory the caller owns.
    Call(const M& method, const typename M::Request& request, const typename M::Response& prepared, uint32_t flags)
        : Call(method, request, flags)
    {
        m_result.value = prepared;
    }
    bool await_ready() const noexcept { return m_pending.status != HASHOS_OK; }
    void await_suspend(std::coroutine_handle<> waiter)
    {
        m_pending.waiter = waiter;
        m_pending.response_codec = m_method.response_codec;
        m_pending.response = &m_result.value;
        EventLoop::current().wait_for(&m_pending);
    }
    Result<typename M::Response> await_resume()
    {
        m_result.status = m_pending.status;
        return m_result;
    }

private:
    M m_method;
    detail::PendingCall m_pending;
    Result<typename M::Response> m_result;
};

template <class M>
Call<M> call(const M& method, const typename M::Request& request, uint32_t flags = 0)
{
    return Call<M>(method, request, flags);
}

// `co_await call_into(method, request, prepared)`: as call(), the answer decoded into a copy of
// `prepared`, whose callbacks say where its bytes and strings go (hashos/pb_callbacks.h).
template <class M>
Call<M> call_into(const M& method, const typename M::Request& request, const typename M::Response& prepared, uint32_t flags = 0)
{
    return Call<M>(method, request, prepared, flags);
}

// Sleeps without blocking the loop: other handlers and tasks run meanwhile.
inline auto sleep_for(uint64_t nanoseconds)
{
    hashos_time_SleepForRequest request = hashos_time_SleepForRequest_init_zero;
    request.nanoseconds = nanoseconds;
    return call(HASHOS_METHOD(hashos_time_Time, SleepFor), request);
}

namespace detail {

template <class M, class F>
struct Handler final : HandlerBase {
    M served;
    F function;

    Handler(const M& method_served, F&& handler) : served(method_served), function(hashos::move(handler))
    {
        interface_hash = served.interface_hash;
        method = served.number;
    }

    void dispatch(const hashos_request& raw) override
    {
        typename M::Request request {};
        if (hashos_decode_request_inline(&raw, served.request_codec, &request) != HASHOS_OK) {
            hashos_answer_error(&raw, hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, "the request does not decode");
            return;
        }
        if constexpr (requires(typename M::Response response) { function(request, response); }) {
            typename M::Response response {};
            int32_t status = function(request, response);
            if (status == HASHOS_OK)
                hashos_answer_inline(&raw, served.response_codec, &response);
            else
                hashos_answer_error(&raw, status > 0 ? (hashos_ErrorCode)status : hashos_ErrorCode_ERROR_CODE_INTERNAL,
                    "%s", hashos_status_name(status));
        } else {
            EventLoop::current().spawn(function(hashos::Request<M>(raw, request, served)));
        }
    }
};

} // namespace detail

template <class M, class F>
void EventLoop::handle(const M& method, F handler)
{
    add(new detail::Handler<M, F>(method, hashos::move(handler)));
}

} // namespace hashos
