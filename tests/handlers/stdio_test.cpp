#include "handlers/environment.h"
#include "handlers/stdio.h"

#include "environment.interface.h"
#include "handler_fixture.h"
#include "stdio.interface.h"

#include <gtest/gtest.h>

#include <pb_decode.h>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <thread>
#include <unistd.h>

namespace hashos::handlers {

using namespace testing;

namespace {

struct Pipe {
    Pipe() { EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0); }
    ~Pipe()
    {
        for (int fd : fds)
            if (fd >= 0)
                close(fd);
    }
    void close_end(int which)
    {
        close(fds[which]);
        fds[which] = -1;
    }
    int read_end() const { return fds[0]; }
    int write_end() const { return fds[1]; }
    // Reads exactly `size` bytes.
    std::string read_exactly(size_t size) const
    {
        std::string text(size, '\0');
        size_t done = 0;
        while (done < size) {
            ssize_t got = ::read(fds[0], text.data() + done, size - done);
            if (got <= 0)
                break;
            done += size_t(got);
        }
        text.resize(done);
        return text;
    }
    int fds[2] = { -1, -1 };
};

std::vector<uint8_t> write_request(hashos_stdio_Stream stream, const std::string& data)
{
    hashos_stdio_WriteRequest request = hashos_stdio_WriteRequest_init_zero;
    request.stream = stream;
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    attach_bytes(request.data, bytes);
    return encode_request(hashos_stdio_Stdio_METHOD_Write, hashos_stdio_WriteRequest_fields, &request);
}

std::vector<uint8_t> read_request(uint32_t max_size)
{
    hashos_stdio_ReadRequest request = hashos_stdio_ReadRequest_init_zero;
    request.max_size = max_size;
    return encode_request(hashos_stdio_Stdio_METHOD_Read, hashos_stdio_ReadRequest_fields, &request);
}

struct ReadResult {
    std::string data;
    bool end = false;
};

ReadResult read_result(const kernel::Answer& answer)
{
    hashos_stdio_ReadResponse response = hashos_stdio_ReadResponse_init_zero;
    StringField data(StdioHandler::k_max_size);
    data.attach(response.data);
    EXPECT_FALSE(decode(answer.body, hashos_stdio_ReadResponse_fields, &response).is_error());
    return { data.value(), response.end_of_input };
}

hashos_stdio_Kind describe(StdioHandler& handler, hashos_stdio_Stream stream)
{
    hashos_stdio_DescribeRequest request = { stream };
    auto answer = call(handler, encode_request(hashos_stdio_Stdio_METHOD_Describe, hashos_stdio_DescribeRequest_fields, &request));
    hashos_stdio_DescribeResponse response = hashos_stdio_DescribeResponse_init_zero;
    EXPECT_FALSE(decode(answer->body, hashos_stdio_DescribeResponse_fields, &response).is_error());
    return response.kind;
}

} // namespace

TEST(Stdio, WritesBytesUnchangedAndInOrder)
{
    Pipe out, err;
    StdioHandler handler({ -1, out.write_end(), err.write_end() });
    std::string binary("a\0b\x1b[31m\n\xff", 9);
    ASSERT_TRUE(call(handler, write_request(hashos_stdio_Stream_STREAM_OUTPUT, binary)));
    ASSERT_TRUE(call(handler, write_request(hashos_stdio_Stream_STREAM_ERROR, "to stderr")));
    EXPECT_EQ(out.read_exactly(binary.size()), binary);
    EXPECT_EQ(err.read_exactly(9), "to stderr");

    // A write larger than the pipe holds goes through the writer thread while this one reads;
    // the small writes after it wait their turn.
    std::string big(300000, 'x');
    for (size_t i = 0; i < big.size(); i += 1000)
        big[i] = char('a' + i / 1000 % 26);
    std::vector<std::shared_ptr<AnswerCatcher>> catchers;
    for (auto const& piece : { big, std::string("after 1"), std::string("after 2") }) {
        catchers.push_back(std::make_shared<AnswerCatcher>());
        EXPECT_EQ(handler.deliver(message_to(catchers.back(), write_request(hashos_stdio_Stream_STREAM_OUTPUT, piece))),
            kernel::Delivery::Accepted);
    }
    EXPECT_EQ(out.read_exactly(big.size() + 14), big + "after 1after 2");
    for (auto& catcher : catchers) {
        auto answer = catcher->get();
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->kind, kernel::AnswerKind::Ok);
    }
}

TEST(Stdio, ReadsWhenInputComesAndTellsTheEnd)
{
    Pipe in;
    StdioHandler handler({ in.read_end(), -1, -1 });
    auto catcher = std::make_shared<AnswerCatcher>();
    handler.deliver(message_to(catcher, read_request(100)));
    // Nothing to read yet: no answer.
    EXPECT_FALSE(catcher->get(std::chrono::milliseconds(50)));
    ASSERT_EQ(::write(in.write_end(), "hello", 5), 5);
    auto answer = catcher->get();
    ASSERT_TRUE(answer);
    EXPECT_EQ(read_result(*answer).data, "hello");

    // WaitReadable answers without taking the input.
    ASSERT_EQ(::write(in.write_end(), "more", 4), 4);
    hashos_stdio_WaitReadableRequest wait = hashos_stdio_WaitReadableRequest_init_zero;
    auto readable = call(handler, encode_request(hashos_stdio_Stdio_METHOD_WaitReadable, hashos_stdio_WaitReadableRequest_fields, &wait));
    ASSERT_TRUE(readable);
    hashos_stdio_WaitReadableResponse response = hashos_stdio_WaitReadableResponse_init_zero;
    ASSERT_FALSE(decode(readable->body, hashos_stdio_WaitReadableResponse_fields, &response).is_error());
    EXPECT_EQ(response.available, 4u);
    EXPECT_EQ(read_result(*call(handler, read_request(2))).data, "mo");
    EXPECT_EQ(read_result(*call(handler, read_request(100))).data, "re");

    in.close_end(1);
    auto end = read_result(*call(handler, read_request(100)));
    EXPECT_EQ(end.data, "");
    EXPECT_TRUE(end.end);
}

TEST(Stdio, ACancelledReadTakesNoInput)
{
    Pipe in;
    StdioHandler handler({ in.read_end(), -1, -1 });
    auto cancelled = std::make_shared<AnswerCatcher>();
    auto message = message_to(cancelled, read_request(100));
    kernel::MessageId id = message.id;
    handler.deliver(std::move(message));
    handler.cancel(id);
    ASSERT_EQ(::write(in.write_end(), "kept", 4), 4);
    EXPECT_EQ(read_result(*call(handler, read_request(100))).data, "kept");
    EXPECT_FALSE(cancelled->get(std::chrono::milliseconds(10)));
}

TEST(Stdio, DescribesWhatTheStreamsAre)
{
    Pipe pipe;
    auto path = std::filesystem::temp_directory_path() / ("hashos-stdio-" + std::to_string(getpid()));
    int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(file, 0);
    StdioHandler handler({ pipe.read_end(), file, 987654 });
    EXPECT_EQ(describe(handler, hashos_stdio_Stream_STREAM_INPUT), hashos_stdio_Kind_KIND_PIPE);
    EXPECT_EQ(describe(handler, hashos_stdio_Stream_STREAM_OUTPUT), hashos_stdio_Kind_KIND_FILE);
    EXPECT_EQ(describe(handler, hashos_stdio_Stream_STREAM_ERROR), hashos_stdio_Kind_KIND_CLOSED);
    close(file);
    std::filesystem::remove(path);
}

TEST(Stdio, RefusesBadRequestsAndReportsABrokenPipe)
{
    std::signal(SIGPIPE, SIG_IGN); // as cli/run.cpp does
    Pipe out;
    StdioHandler handler({ -1, out.write_end(), -1 });
    EXPECT_EQ(error_code(*call(handler, write_request(hashos_stdio_Stream_STREAM_INPUT, "x"))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(handler, read_request(0))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(handler, read_request(StdioHandler::k_max_size + 1))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(handler, { 9 })), uint32_t(kernel::ErrorCode::Unimplemented));
    out.close_end(0);
    EXPECT_EQ(error_code(*call(handler, write_request(hashos_stdio_Stream_STREAM_OUTPUT, "nobody reads"))),
        uint32_t(kernel::ErrorCode::Unavailable));
}

TEST(Environment, AnswersTheSendersOwnContext)
{
    EventLoop loop;
    auto handler = std::make_shared<EnvironmentHandler>(loop, [](kernel::SenderId sender, NameWait) -> std::optional<ProcessManager::StartupContext> {
        if (sender != kernel::SenderId(7))
            return std::nullopt;
        return ProcessManager::StartupContext { "tool", { "one", std::string("t\0o", 3) }, { "A=1", "B=" } };
    });
    hashos_environment_GetRequest get = hashos_environment_GetRequest_init_zero;
    auto body = encode_request(hashos_environment_Environment_METHOD_Get, hashos_environment_GetRequest_fields, &get);
    auto answer = call(*handler, body);
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->kind, kernel::AnswerKind::Ok);
    struct Collected {
        std::vector<std::string> strings;
    } name, arguments, variables;
    auto collect = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
        std::string text(stream->bytes_left, '\0');
        static_cast<Collected*>(*argument)->strings.push_back(text);
        return pb_read(stream, reinterpret_cast<pb_byte_t*>(static_cast<Collected*>(*argument)->strings.back().data()), text.size());
    };
    hashos_environment_GetResponse response = hashos_environment_GetResponse_init_zero;
    for (auto [field, collected] : { std::pair { &response.program_name, &name }, std::pair { &response.arguments, &arguments },
             std::pair { &response.variables, &variables } }) {
        field->funcs.decode = collect;
        field->arg = collected;
    }
    ASSERT_FALSE(decode(answer->body, hashos_environment_GetResponse_fields, &response).is_error());
    EXPECT_EQ(name.strings, std::vector<std::string>({ "tool" }));
    EXPECT_EQ(arguments.strings, std::vector<std::string>({ "one", std::string("t\0o", 3) }));
    EXPECT_EQ(variables.strings, std::vector<std::string>({ "A=1", "B=" }));

    auto unknown = call(*handler, body, kernel::SenderId(99));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(error_code(*unknown), uint32_t(kernel::ErrorCode::NotFound));
    loop.stop();
}

} // namespace hashos::handlers
