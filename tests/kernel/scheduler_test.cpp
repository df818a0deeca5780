// Scheduling: a program stuck in an endless loop on every worker does not stop a handler from
// answering within 50 ms (the bound), and blocking does not hold a worker.
#include "kernel_fixture.h"

#include <gtest/gtest.h>

#include <future>

using namespace hashos;
using namespace hashos::kernel;
using namespace hashos::kernel::testing;
using namespace std::chrono_literals;

TEST(Scheduler, PongAnswersWithin50msNextToSpinningPrograms)
{
    Kernel kernel(test_config(2));
    ProcessId pong = kernel.spawn(program("pong"), ProgramId("pong"), "pong").value();
    // One more spinner than workers: every worker always has a runaway loop to run.
    std::vector<ProcessId> spinners;
    for (size_t i = 0; i < kernel.worker_count() + 1; ++i)
        spinners.push_back(kernel.spawn(program("spin"), ProgramId("spin"), "spin").value());

    auto slowest = std::chrono::steady_clock::duration::zero();
    for (int i = 0; i < 20; ++i) {
        std::promise<Answer> promise;
        auto answered = promise.get_future();
        auto start = std::chrono::steady_clock::now();
        kernel.emit(k_ping_interface, { 1, 2, 3 }, WaitForHandler::Yes, [&](Answer answer) { promise.set_value(std::move(answer)); });
        ASSERT_EQ(answered.wait_for(5s), std::future_status::ready);
        auto elapsed = std::chrono::steady_clock::now() - start;
        EXPECT_EQ(answered.get().kind, AnswerKind::Ok);
        slowest = std::max(slowest, elapsed);
    }
    EXPECT_LT(slowest, 50ms) << "slowest round trip: " << std::chrono::duration_cast<std::chrono::microseconds>(slowest).count() << " µs";
    for (ProcessId spinner : spinners)
        kernel.kill(spinner, "test over");
    kernel.kill(pong, "test over");
}

TEST(Scheduler, ManyBlockedProgramsHoldNoWorker)
{
    // More blocked handlers than workers: if blocking held an OS thread, ping could not run.
    Kernel kernel(test_config(1));
    kernel.permissions().set_fallback(Decision::Allow);
    std::vector<ProcessId> waiting;
    for (int i = 0; i < 8; ++i)
        waiting.push_back(kernel.spawn(program("unhandled"), ProgramId("unhandled"), "unhandled").value());
    ProcessId pong = kernel.spawn(program("pong"), ProgramId("pong"), "pong").value();
    for (ProcessId client : waiting) {
        auto status = kernel.wait_for(client, 20s);
        ASSERT_TRUE(status.has_value());
        EXPECT_EQ(status->code, 0);
    }
    kernel.kill(pong, "test over");
}
