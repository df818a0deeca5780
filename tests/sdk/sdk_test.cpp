// The SDK's programs in the real kernel: hello runs and exits 0, ping and pong complete their
// round trips (with pong in C++, in C and with a coroutine client), the runtime's own checks pass
// inside a wasm32 program.
#include "tests/sdk/native_handlers.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace hashos;
using namespace hashos::kernel;
using hashos::sdk_testing::read_file;
using hashos::sdk_testing::TestKernel;

namespace {

std::vector<uint8_t> program(const std::string& name) { return read_file(std::string(HASHOS_PROGRAMS_DIR) + "/" + name + ".wasm"); }
std::vector<uint8_t> test_program(const std::string& name)
{
    return read_file(std::string(HASHOS_SDK_TEST_WASM_DIR) + "/" + name + ".wasm");
}

constexpr std::chrono::seconds k_timeout { 60 };

ExitStatus run_to_exit(Kernel& kernel, const std::vector<uint8_t>& wasm, const std::string& name)
{
    auto process = kernel.spawn(wasm, ProgramId(name), name);
    EXPECT_FALSE(process.is_error()) << (process.is_error() ? process.error().message() : "");
    if (process.is_error())
        return ExitStatus::killed("spawn failed");
    auto status = kernel.wait_for(process.value(), k_timeout);
    EXPECT_TRUE(status.has_value()) << name << " did not exit";
    return status.value_or(ExitStatus::killed("timed out"));
}

bool has_line_starting(const std::vector<std::string>& lines, const std::string& prefix)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.rfind(prefix, 0) == 0; });
}

// Runs the program `ping_program` against the handler `pong_program` and returns ping's status.
ExitStatus ping_against(TestKernel& test, const std::vector<uint8_t>& pong_program, const std::vector<uint8_t>& ping_program)
{
    auto pong = test.kernel.spawn(pong_program, ProgramId("pong"), "pong");
    EXPECT_FALSE(pong.is_error());
    ExitStatus status = run_to_exit(test.kernel, ping_program, "ping");
    if (!pong.is_error()) {
        test.kernel.kill(pong.value(), "test over");
        (void)test.kernel.wait(pong.value());
    }
    return status;
}

} // namespace

TEST(Sdk, HelloLogsTheTimeAndExitsZero)
{
    TestKernel test;
    ExitStatus status = run_to_exit(test.kernel, program("hello"), "hello");
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0);
    auto lines = test.log->lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "hello from hashos");
    EXPECT_TRUE(has_line_starting(lines, "monotonic clock: ")) << lines[1];
}

TEST(Sdk, PingCompletesItsRoundTripsWithPong)
{
    TestKernel test;
    ExitStatus status = ping_against(test, program("pong"), program("ping"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0);
    EXPECT_TRUE(has_line_starting(test.log->lines(), "ping: 1000 round trips in "));
}

TEST(Sdk, PingCompletesItsRoundTripsWithTheCHandler)
{
    TestKernel test;
    ExitStatus status = ping_against(test, test_program("sdk_c_pong"), program("ping"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0);
}

// HASHOS_CALL's inline path and its fallbacks: an error answer, an answer too big for its buffer.
TEST(Sdk, CallTakesErrorAnswersAndAnswersTooBigForItsBuffer)
{
    TestKernel test;
    ExitStatus status = ping_against(test, test_program("sdk_odd_pong"), test_program("sdk_call_paths"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0) << "the line of the check that failed in call_paths.c";
}

TEST(Sdk, CoroutineClientPingsConcurrently)
{
    TestKernel test;
    ExitStatus status = ping_against(test, program("pong"), test_program("sdk_async_ping"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0);
}

TEST(Sdk, CoroutineHandlerAnswersConcurrentPings)
{
    TestKernel test;
    ExitStatus status = ping_against(test, test_program("sdk_coro_pong"), test_program("sdk_async_ping"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0);
}

TEST(Sdk, RuntimeChecksPassInsideWasm)
{
    TestKernel test;
    ExitStatus status = run_to_exit(test.kernel, test_program("sdk_runtime_test"), "runtime_test");
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0) << "the check at line " << status.code << " of tests/sdk/programs/runtime_test.c failed";
}
