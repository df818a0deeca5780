// Shared by the handler tests: a sink that catches the answer to one message, and building the
// messages the kernel would deliver.
#pragma once

#include "handlers/wire.h"
#include "kernel/handler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>

namespace hashos::handlers::testing {

class AnswerCatcher final : public kernel::AnswerSink {
public:
    void receive_answer(kernel::MessageId, const kernel::InterfaceHash&, kernel::Answer answer) override
    {
        m_promise.set_value(std::move(answer));
    }
    // The answer, or nullopt if none came within `timeout`.
    std::optional<kernel::Answer> get(std::chrono::milliseconds timeout = std::chrono::seconds(10))
    {
        if (m_future.wait_for(timeout) != std::future_status::ready)
            return std::nullopt;
        return m_future.get();
    }

private:
    std::promise<kernel::Answer> m_promise;
    std::future<kernel::Answer> m_future = m_promise.get_future();
};

inline kernel::Message message_to(const std::shared_ptr<AnswerCatcher>& catcher, std::vector<uint8_t> body,
    kernel::SenderId sender = kernel::SenderId(7))
{
    static uint64_t next_id = 1;
    return { kernel::MessageId(next_id++), {}, sender, kernel::AnswerWanted::Yes, std::move(body), catcher };
}

// Delivers `body` to `handler` and returns its answer (nullopt: none in time).
inline std::optional<kernel::Answer> call(kernel::Handler& handler, std::vector<uint8_t> body,
    kernel::SenderId sender = kernel::SenderId(7))
{
    auto catcher = std::make_shared<AnswerCatcher>();
    EXPECT_EQ(handler.deliver(message_to(catcher, std::move(body), sender)), kernel::Delivery::Accepted);
    return catcher->get();
}

inline uint32_t error_code(const kernel::Answer& answer)
{
    return answer.kind == kernel::AnswerKind::Error ? decode_error(answer.body).code : 0;
}

} // namespace hashos::handlers::testing
