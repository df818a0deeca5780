// Threads (docs/threads.md): Spawn through the kernel's thread interface, threads on one shared
// memory with atomics, memory.atomic.wait/notify across them and with a timeout, the thread
// limit, and a trap in a child thread ending its process but not the kernel. Programs:
// tests/kernel/programs/threads_*.wat.
#include "kernel_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

using namespace hashos;
using namespace hashos::kernel;
using namespace hashos::kernel::testing;

namespace {

ProcessId start(Kernel& kernel, const std::string& name, std::optional<Limits> limits = {})
{
    auto bytes = program(name);
    auto spawned = limits ? kernel.spawn(bytes, ProgramId(name), name, *limits) : kernel.spawn(bytes, ProgramId(name), name);
    EXPECT_FALSE(spawned.is_error()) << spawned.error().message();
    return spawned.is_error() ? ProcessId() : spawned.value();
}

ExitStatus finish(Kernel& kernel, ProcessId process)
{
    // Generous: these take milliseconds, but the machine may be loaded and sanitized.
    auto status = kernel.wait_for(process, std::chrono::seconds(60));
    EXPECT_TRUE(status.has_value()) << "the process did not end";
    return status.value_or(ExitStatus::killed("did not end"));
}

} // namespace

TEST(Threads, SpawnedThreadsShareTheMemoryAndWakeTheMainThread)
{
    Kernel kernel(test_config());
    ExitStatus status = finish(kernel, start(kernel, "threads_spawn"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 2 + 3 + 4); // the three threads' ids, added atomically
}

TEST(Threads, OneWorkerRunsThemAll)
{
    Kernel kernel(test_config(1));
    ExitStatus status = finish(kernel, start(kernel, "threads_spawn"));
    EXPECT_EQ(status.code, 9) << status.message;
}

TEST(Threads, ATrapInAChildThreadEndsTheProcessNamingTheThread)
{
    Kernel kernel(test_config());
    ProcessId trapping = start(kernel, "threads_trap");
    ExitStatus status = finish(kernel, trapping);
    EXPECT_EQ(status.kind, ExitStatus::Kind::Trapped);
    EXPECT_NE(status.message.find("thread 2: "), std::string::npos) << status.message;
    EXPECT_NE(status.message.find("unreachable"), std::string::npos) << status.message;
    // The kernel goes on: other programs, threaded or not, start and end as usual.
    EXPECT_EQ(finish(kernel, start(kernel, "exit_code")).code, 42);
    EXPECT_EQ(finish(kernel, start(kernel, "threads_spawn")).code, 9);
}

TEST(Threads, TheThreadLimitRefusesASpawnAndMainsReturnEndsTheRest)
{
    Kernel kernel(test_config());
    Limits limits;
    limits.threads = 4;
    ExitStatus status = finish(kernel, start(kernel, "threads_limit", limits));
    // Three threads besides the main one, all waiting forever when the process ends.
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 3);
    EXPECT_EQ(kernel.process_count(), 0u);
}

TEST(Threads, SpawnIsRefusedToTheEmbedderAndAtTheLimit)
{
    Kernel kernel(test_config());
    Limits limits;
    limits.threads = 1;
    // Seen from the embedder: Spawn is refused to anyone but a running program.
    std::promise<Answer> answered;
    kernel.emit(k_thread_interface, { 0x01, 0x08, 0x00 }, WaitForHandler::No, [&](Answer answer) { answered.set_value(std::move(answer)); });
    Answer answer = answered.get_future().get();
    EXPECT_EQ(answer.kind, AnswerKind::Error);
    std::string text(answer.body.begin(), answer.body.end());
    EXPECT_NE(text.find("only a running program"), std::string::npos) << text;
    // And by a program at its limit: no thread starts, the main thread goes on.
    EXPECT_EQ(finish(kernel, start(kernel, "threads_limit", limits)).code, 0);
}

TEST(Threads, AProgramWithoutASharedMemoryCannotStartThreads)
{
    Kernel kernel(test_config());
    ExitStatus status = finish(kernel, start(kernel, "threads_unshared"));
    EXPECT_EQ(status.code, 3); // an error answer
}

TEST(Threads, AWaitWithATimeoutReturnsTimedOutAfterTheTimeout)
{
    Kernel kernel(test_config());
    auto started = std::chrono::steady_clock::now();
    ExitStatus status = finish(kernel, start(kernel, "threads_timeout"));
    auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 2); // "timed-out"
    EXPECT_GE(elapsed, std::chrono::milliseconds(50)); // never early
}

// A waiting wasm thread holds no OS worker: with one worker, another program runs to its end
// while the first waits forever.
TEST(Threads, AWaitingThreadHoldsNoWorker)
{
    Kernel kernel(test_config(1));
    ProcessId waiting = start(kernel, "threads_wait_forever");
    EXPECT_EQ(finish(kernel, start(kernel, "exit_code")).code, 42);
    EXPECT_EQ(finish(kernel, start(kernel, "threads_timeout")).code, 2);
    kernel.kill(waiting, "test over");
    EXPECT_EQ(finish(kernel, waiting).kind, ExitStatus::Kind::Killed);
}

TEST(Threads, NotifyWakesTheOldestWaitersFirstAndCountsThem)
{
    for (size_t workers : { 1, 2 }) {
        Kernel kernel(test_config(workers));
        ExitStatus status = finish(kernel, start(kernel, "threads_notify"));
        EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
        EXPECT_EQ(status.code, 0) << "check " << status.code << " failed (tests/kernel/programs/threads_notify.wat)";
    }
}
