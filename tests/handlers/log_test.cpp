#include "handlers/log.h"

#include "handler_fixture.h"
#include "log.interface.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

namespace hashos::handlers {

using namespace testing;

namespace {

std::vector<uint8_t> write_body(hashos_log_Level level, const std::string& text)
{
    hashos_log_WriteRequest request = hashos_log_WriteRequest_init_zero;
    request.level = level;
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    attach_bytes(request.text, bytes);
    return encode_request(hashos_log_Log_METHOD_Write, hashos_log_WriteRequest_fields, &request);
}

// Everything written so far to the read end of a non-blocking pipe.
std::string drain(int fd)
{
    std::string text;
    char buffer[4096];
    for (ssize_t got; (got = ::read(fd, buffer, sizeof(buffer))) > 0;)
        text.append(buffer, size_t(got));
    return text;
}

class LogTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(pipe2(m_ordinary, O_NONBLOCK), 0);
        ASSERT_EQ(pipe2(m_trouble, O_NONBLOCK), 0);
        auto names = [](kernel::SenderId sender, NameWait) -> std::optional<std::string> {
            if (sender.value() == 7)
                return "hello";
            return std::nullopt;
        };
        m_handler = std::make_shared<LogHandler>(m_loop, names, LogOutput { m_ordinary[1], m_trouble[1] });
    }
    void TearDown() override
    {
        m_loop.stop();
        for (int fd : { m_ordinary[0], m_ordinary[1], m_trouble[0], m_trouble[1] })
            ::close(fd);
    }

    EventLoop m_loop;
    int m_ordinary[2] {};
    int m_trouble[2] {};
    std::shared_ptr<LogHandler> m_handler;
};

} // namespace

TEST_F(LogTest, WritesLinesWithTheProgramsNameToTheirStream)
{
    auto info = call(*m_handler, write_body(hashos_log_Level_LEVEL_INFO, "hello, world"));
    ASSERT_TRUE(info);
    EXPECT_EQ(info->kind, kernel::AnswerKind::Ok);
    auto error = call(*m_handler, write_body(hashos_log_Level_LEVEL_ERROR, "it broke"), kernel::SenderId(9));
    ASSERT_TRUE(error);
    auto unspecified = call(*m_handler, write_body(hashos_log_Level_LEVEL_UNSPECIFIED, "plain"));
    ASSERT_TRUE(unspecified);
    // The answer follows the write.
    EXPECT_EQ(drain(m_ordinary[0]), "hello: info: hello, world\nhello: info: plain\n");
    EXPECT_EQ(drain(m_trouble[0]), "process 9: error: it broke\n");
}

TEST_F(LogTest, RefusesBadRequests)
{
    // Level 9, which log.proto does not have.
    EXPECT_EQ(error_code(*call(*m_handler, { 1, 0x08, 0x09 })), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(*m_handler, write_body(hashos_log_Level_LEVEL_INFO, std::string(LogHandler::k_max_text + 1, 'x')))),
        uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(*m_handler, { 2 })), uint32_t(kernel::ErrorCode::Unimplemented));
    EXPECT_EQ(error_code(*call(*m_handler, {})), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(*m_handler, { 1, 0x12, 0x05, 'a' })), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(drain(m_ordinary[0]), "");
}

TEST_F(LogTest, KeepsOneSendersOrder)
{
    std::vector<std::shared_ptr<AnswerCatcher>> catchers;
    std::string expected;
    for (int i = 0; i < 200; ++i) {
        catchers.push_back(std::make_shared<AnswerCatcher>());
        m_handler->deliver(message_to(catchers.back(), write_body(hashos_log_Level_LEVEL_INFO, std::to_string(i))));
        expected += "hello: info: " + std::to_string(i) + "\n";
    }
    for (auto& catcher : catchers)
        ASSERT_TRUE(catcher->get());
    EXPECT_EQ(drain(m_ordinary[0]), expected);
}

TEST(LogFormat, OneLinePerLineOfText)
{
    EXPECT_EQ(LogHandler::format("p", LogLevel::Warning, "a\nb"), "p: warning: a\np: warning: b\n");
    EXPECT_EQ(LogHandler::format("p", LogLevel::Debug, ""), "p: debug: \n");
}

TEST(LogFormat, NoProgramDrivesTheTerminalOrForgesAPrefix)
{
    EXPECT_EQ(LogHandler::format("p", LogLevel::Info, "\x1b[31mred\r\tx\x7f"), "p: info: \\x1b[31mred\\x0d\tx\\x7f\n");
    // A C1 control (the one-byte CSI) is escaped too.
    EXPECT_EQ(LogHandler::format("p", LogLevel::Info, "\xc2\x9b" "2J"), "p: info: \\u009b2J\n");
    // Invalid UTF-8: a lone continuation byte, an overlong form, a surrogate, a cut sequence.
    EXPECT_EQ(LogHandler::format("p", LogLevel::Info, "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82"),
        "p: info: a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd\n");
    // Valid UTF-8 passes: é, €, 😀.
    EXPECT_EQ(LogHandler::format("p", LogLevel::Info, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), "p: info: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n");
    EXPECT_EQ(LogHandler::format("evil\nname", LogLevel::Info, "x"), "evil\\x0aname: info: x\n");
}

} // namespace hashos::handlers
