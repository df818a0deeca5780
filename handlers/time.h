// TimeHandler: the kernel-native handler of `time` (interfaces/time.proto): the monotonic clock
// (nanoseconds since this handler was made, when the kernel started), the wall clock, and
// sleeping. A sleep is an Asio timer on the event loop's io thread that answers when it fires, so
// a sleeping program holds no kernel worker; cancelling the message stops its timer.
//
// Threads: deliver(), cancel() and sender_exited() from any thread. The clocks are read on the
// caller's thread; every timer is made, waited on and cancelled on the io thread only, which
// owns m_sleepers, so timers need no lock.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/handler.h"

#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <unordered_map>

namespace hashos::handlers {

class TimeHandler final : public kernel::Handler, public std::enable_shared_from_this<TimeHandler> {
public:
    explicit TimeHandler(EventLoop& loop);

    kernel::Delivery deliver(kernel::Message&& message) override;
    void cancel(kernel::MessageId id) override;
    void sender_exited(kernel::SenderId sender) override;
    std::string description() const override { return "the kernel's time handler"; }

    // The monotonic clock as programs read it.
    uint64_t monotonic_now() const;

private:
    kernel::Answer now_answer(uint64_t method) const;
    // Answers `message` at `deadline` (a monotonic reading) with a SleepResponse.
    void sleep_until(kernel::Message message, uint64_t deadline);
    void start_timer(kernel::Message message, uint64_t deadline);
    void wake(kernel::MessageId id);
    kernel::Answer sleep_response() const;

    struct Sleeper {
        std::unique_ptr<asio::steady_timer> timer;
        kernel::Message message;
    };

    asio::io_context& m_io;
    std::chrono::steady_clock::time_point m_start;
    std::unordered_map<kernel::MessageId, Sleeper> m_sleepers; // io thread only
};

} // namespace hashos::handlers
