#include "handlers/time.h"

#include "handler_fixture.h"
#include "time.interface.h"

#include <gtest/gtest.h>

namespace hashos::handlers {

using namespace testing;
using namespace std::chrono_literals;

namespace {

class TimeTest : public ::testing::Test {
protected:
    void TearDown() override { m_loop.stop(); }

    EventLoop m_loop;
    std::shared_ptr<TimeHandler> m_handler = std::make_shared<TimeHandler>(m_loop);
};

std::vector<uint8_t> sleep_for(uint64_t nanoseconds)
{
    hashos_time_SleepForRequest request = { nanoseconds };
    return encode_request(hashos_time_Time_METHOD_SleepFor, hashos_time_SleepForRequest_fields, &request);
}

uint64_t woke_at(const kernel::Answer& answer)
{
    hashos_time_SleepResponse response = hashos_time_SleepResponse_init_zero;
    EXPECT_FALSE(decode(answer.body, hashos_time_SleepResponse_fields, &response).is_error());
    return response.monotonic_nanoseconds;
}

} // namespace

TEST_F(TimeTest, ReadsTheClocks)
{
    auto first = call(*m_handler, { hashos_time_Time_METHOD_MonotonicNow });
    auto second = call(*m_handler, { hashos_time_Time_METHOD_MonotonicNow });
    ASSERT_TRUE(first && second);
    hashos_time_MonotonicNowResponse a = hashos_time_MonotonicNowResponse_init_zero, b = a;
    ASSERT_FALSE(decode(first->body, hashos_time_MonotonicNowResponse_fields, &a).is_error());
    ASSERT_FALSE(decode(second->body, hashos_time_MonotonicNowResponse_fields, &b).is_error());
    EXPECT_LE(a.nanoseconds, b.nanoseconds);
    EXPECT_GE(a.resolution_nanoseconds, 1u);

    auto wall = call(*m_handler, { hashos_time_Time_METHOD_WallNow });
    ASSERT_TRUE(wall);
    hashos_time_WallNowResponse now = hashos_time_WallNowResponse_init_zero;
    ASSERT_FALSE(decode(wall->body, hashos_time_WallNowResponse_fields, &now).is_error());
    auto host = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_LT(std::abs(host - now.unix_nanoseconds), int64_t(5'000'000'000));
}

TEST_F(TimeTest, SleepsOnTheEventLoop)
{
    auto start = m_handler->monotonic_now();
    auto catcher = std::make_shared<AnswerCatcher>();
    // deliver() returns at once: the sleeping happens on the io thread.
    auto before = std::chrono::steady_clock::now();
    m_handler->deliver(message_to(catcher, sleep_for(300'000'000)));
    EXPECT_LT(std::chrono::steady_clock::now() - before, 250ms);
    auto answer = catcher->get();
    ASSERT_TRUE(answer);
    EXPECT_GE(woke_at(*answer), start + 300'000'000);

    auto at_once = call(*m_handler, sleep_for(0));
    ASSERT_TRUE(at_once);
    hashos_time_SleepUntilRequest until = { 1 };
    auto past = call(*m_handler, encode_request(hashos_time_Time_METHOD_SleepUntil, hashos_time_SleepUntilRequest_fields, &until));
    ASSERT_TRUE(past);
    EXPECT_EQ(past->kind, kernel::AnswerKind::Ok);
}

TEST_F(TimeTest, ManyTimersWakeInDeadlineOrder)
{
    std::vector<std::shared_ptr<AnswerCatcher>> catchers;
    for (int i = 5; i >= 1; --i) {
        catchers.push_back(std::make_shared<AnswerCatcher>());
        m_handler->deliver(message_to(catchers.back(), sleep_for(uint64_t(i) * 5'000'000)));
    }
    uint64_t previous = UINT64_MAX;
    for (auto& catcher : catchers) {
        auto answer = catcher->get();
        ASSERT_TRUE(answer);
        uint64_t woke = woke_at(*answer);
        EXPECT_LE(woke, previous);
        previous = woke;
    }
}

TEST_F(TimeTest, CancellingStopsTheTimer)
{
    auto cancelled = std::make_shared<AnswerCatcher>();
    auto message = message_to(cancelled, sleep_for(50'000'000));
    auto id = message.id;
    m_handler->deliver(std::move(message));
    m_handler->cancel(id);
    auto exited = std::make_shared<AnswerCatcher>();
    m_handler->deliver(message_to(exited, sleep_for(50'000'000), kernel::SenderId(99)));
    m_handler->sender_exited(kernel::SenderId(99));
    // An endless sleep does not overflow the clock; it is simply never answered.
    auto forever = std::make_shared<AnswerCatcher>();
    m_handler->deliver(message_to(forever, sleep_for(UINT64_MAX)));
    EXPECT_FALSE(cancelled->get(150ms));
    EXPECT_FALSE(exited->get(10ms));
    EXPECT_FALSE(forever->get(10ms));
}

TEST_F(TimeTest, RefusesUnknownMethods)
{
    EXPECT_EQ(error_code(*call(*m_handler, { 5 })), uint32_t(kernel::ErrorCode::Unimplemented));
    EXPECT_EQ(error_code(*call(*m_handler, { 3, 0x08 })), uint32_t(kernel::ErrorCode::InvalidArgument));
}

} // namespace hashos::handlers
