#include "handlers/time.h"

#include "handlers/wire.h"
#include "time.interface.h"

#include <asio/post.hpp>

#include <ctime>

namespace hashos::handlers {

namespace {

uint64_t resolution(clockid_t clock)
{
    timespec resolution {};
    if (clock_getres(clock, &resolution) != 0)
        return 1;
    return uint64_t(resolution.tv_sec) * 1'000'000'000 + uint64_t(resolution.tv_nsec);
}

} // namespace

TimeHandler::TimeHandler(EventLoop& loop)
    : m_io(loop.io())
    , m_start(std::chrono::steady_clock::now())
{
}

uint64_t TimeHandler::monotonic_now() const
{
    return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - m_start).count());
}

kernel::Delivery TimeHandler::deliver(kernel::Message&& message)
{
    kernel::Message taken = std::move(message);
    auto request = split_request(taken.body);
    if (!request) {
        answer_message(taken, malformed_request("time", "no method number"));
        return kernel::Delivery::Accepted;
    }
    switch (request->method) {
    case hashos_time_Time_METHOD_MonotonicNow:
    case hashos_time_Time_METHOD_WallNow:
        // Their requests have no fields: whatever follows the method number is ignored, as
        // protobuf ignores unknown fields.
        answer_message(taken, now_answer(request->method));
        break;
    case hashos_time_Time_METHOD_SleepFor: {
        hashos_time_SleepForRequest sleep = hashos_time_SleepForRequest_init_zero;
        if (auto decoded = decode(request->payload, hashos_time_SleepForRequest_fields, &sleep); decoded.is_error()) {
            answer_message(taken, malformed_request("time", decoded.error().message()));
            break;
        }
        uint64_t now = monotonic_now();
        // A sleep past the clock's end (about 584 years) never wakes.
        uint64_t deadline = sleep.nanoseconds > UINT64_MAX - now ? UINT64_MAX : now + sleep.nanoseconds;
        sleep_until(std::move(taken), deadline);
        break;
    }
    case hashos_time_Time_METHOD_SleepUntil: {
        hashos_time_SleepUntilRequest sleep = hashos_time_SleepUntilRequest_init_zero;
        if (auto decoded = decode(request->payload, hashos_time_SleepUntilRequest_fields, &sleep); decoded.is_error()) {
            answer_message(taken, malformed_request("time", decoded.error().message()));
            break;
        }
        sleep_until(std::move(taken), sleep.monotonic_nanoseconds);
        break;
    }
    default:
        answer_message(taken, unknown_method("time", request->method));
    }
    return kernel::Delivery::Accepted;
}

kernel::Answer TimeHandler::now_answer(uint64_t method) const
{
    if (method == hashos_time_Time_METHOD_MonotonicNow) {
        hashos_time_MonotonicNowResponse response = hashos_time_MonotonicNowResponse_init_zero;
        response.nanoseconds = monotonic_now();
        response.resolution_nanoseconds = resolution(CLOCK_MONOTONIC);
        return kernel::Answer::ok(encode(hashos_time_MonotonicNowResponse_fields, &response));
    }
    hashos_time_WallNowResponse response = hashos_time_WallNowResponse_init_zero;
    timespec now {};
    clock_gettime(CLOCK_REALTIME, &now);
    response.unix_nanoseconds = int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    response.resolution_nanoseconds = resolution(CLOCK_REALTIME);
    return kernel::Answer::ok(encode(hashos_time_WallNowResponse_fields, &response));
}

kernel::Answer TimeHandler::sleep_response() const
{
    hashos_time_SleepResponse response = hashos_time_SleepResponse_init_zero;
    response.monotonic_nanoseconds = monotonic_now();
    return kernel::Answer::ok(encode(hashos_time_SleepResponse_fields, &response));
}

void TimeHandler::sleep_until(kernel::Message message, uint64_t deadline)
{
    if (deadline <= monotonic_now()) {
        answer_message(message, sleep_response());
        return;
    }
    asio::post(m_io, [self = weak_from_this(), message = std::move(message), deadline]() mutable {
        if (auto handler = self.lock())
            handler->start_timer(std::move(message), deadline);
    });
}

void TimeHandler::start_timer(kernel::Message message, uint64_t deadline)
{
    using namespace std::chrono;
    auto timer = std::make_unique<asio::steady_timer>(m_io);
    // steady_clock counts in signed nanoseconds: a deadline beyond its range waits forever.
    auto until_end = steady_clock::time_point::max() - m_start;
    if (deadline >= uint64_t(duration_cast<nanoseconds>(until_end).count()))
        timer->expires_at(steady_clock::time_point::max());
    else
        timer->expires_at(m_start + nanoseconds(deadline));
    kernel::MessageId id = message.id;
    timer->async_wait([self = weak_from_this(), id](const std::error_code& error) {
        auto handler = self.lock();
        if (!error && handler)
            handler->wake(id);
    });
    m_sleepers.emplace(id, Sleeper { std::move(timer), std::move(message) });
}

void TimeHandler::wake(kernel::MessageId id)
{
    auto it = m_sleepers.find(id);
    if (it == m_sleepers.end())
        return;
    kernel::Message message = std::move(it->second.message);
    m_sleepers.erase(it);
    answer_message(message, sleep_response());
}

void TimeHandler::cancel(kernel::MessageId id)
{
    // Destroying the timer cancels its wait; its handler then sees operation_aborted.
    asio::post(m_io, [self = weak_from_this(), id] {
        if (auto handler = self.lock())
            handler->m_sleepers.erase(id);
    });
}

void TimeHandler::sender_exited(kernel::SenderId sender)
{
    asio::post(m_io, [self = weak_from_this(), sender] {
        auto handler = self.lock();
        if (!handler)
            return;
        std::erase_if(handler->m_sleepers, [&](auto const& entry) { return entry.second.message.sender == sender; });
    });
}

} // namespace hashos::handlers
