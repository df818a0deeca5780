// Threads of one process running at the same time on several workers (docs/threads.md,
// "Scheduling"): proof that they do, memory.grow seen by a thread that is running, the process
// ending from any thread while the others run (exit, trap, main returning, kill), and syscalls
// made by several threads at once. Programs: tests/kernel/programs/threads_*.wat. No timing
// asserts: the waits are only there to fail instead of hanging.
#include "kernel/import_provider.h"
#include "kernel/process.h"
#include "kernel_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace hashos;
using namespace hashos::kernel;
using namespace hashos::kernel::testing;

namespace {

ProcessId start(Kernel& kernel, const std::string& name)
{
    auto spawned = kernel.spawn(program(name), ProgramId(name), name);
    EXPECT_FALSE(spawned.is_error()) << spawned.error().message();
    return spawned.is_error() ? ProcessId() : spawned.value();
}

ExitStatus finish(Kernel& kernel, ProcessId process)
{
    if (process == ProcessId())
        return ExitStatus::killed("did not start");
    // Generous: these take milliseconds, but the machine may be loaded and sanitized.
    auto status = kernel.wait_for(process, std::chrono::seconds(120));
    EXPECT_TRUE(status.has_value()) << "the process did not end";
    return status.value_or(ExitStatus::killed("did not end"));
}

// Answers every message with its body inside deliver(), on the sender's worker: several threads
// of one process are in its deliver() at once.
class InlineEchoHandler final : public Handler {
public:
    Delivery deliver(Message&& message) override
    {
        Message taken = std::move(message);
        answer_message(taken, Answer::ok(taken.body));
        return Delivery::Accepted;
    }
    std::string description() const override { return "inline echo"; }
};

// An import provider with one host function, `provider.nothing`, that does nothing: its state is
// one thread's, as WASI's descriptor table is.
class NothingProvider final : public ImportProvider {
public:
    std::string_view module_name() const override { return "provider"; }
    Result<std::unique_ptr<ProcessImports>> bind(Process& process) override
    {
        return std::unique_ptr<ProcessImports>(std::make_unique<Imports>(process.store()));
    }

private:
    class Imports final : public ProcessImports {
    public:
        explicit Imports(wasm::Store& store) : m_store(store) {}
        Result<wasm::Function*> make_import(std::string_view name, const wasm::FuncType& type) override
        {
            if (name != "nothing")
                return Error("unknown import provider." + std::string(name));
            return m_store.create_host_function(type, [](wasm::HostCall&) { return wasm::HostOutcome::Return; });
        }

    private:
        wasm::Store& m_store;
    };
};

} // namespace

// Two threads pass a turn back and forth, each answering within a thousand spins of the other's
// wait, a hundred times in a row: only threads on two workers at once can (threads taking turns
// answer only at slice boundaries). The program explains the game.
TEST(ParallelThreads, TwoThreadsOfOneProcessRunAtTheSameTime)
{
    Kernel kernel(test_config(2));
    ExitStatus status = finish(kernel, start(kernel, "threads_parallel"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 1) << "1: a hundred quick passes in a row; 2: never";
}

// Two threads grow the memory while the main thread reads each new page as soon as it is
// announced: its cached size is stale then, and the bounds check's slow path reloads it.
TEST(ParallelThreads, PagesGrownByOneThreadAreReadableAtOnceByAnother)
{
    Kernel kernel(test_config(2));
    for (int round = 0; round < 3; ++round) {
        ExitStatus status = finish(kernel, start(kernel, "threads_grow"));
        EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
        EXPECT_EQ(status.code, 0) << "check " << status.code << " failed (tests/kernel/programs/threads_grow.wat)";
    }
}

// The process ends while another of its threads runs on the other worker; repeated, so that
// the ending meets the running thread at many points of its slice.
TEST(ParallelThreads, MainReturningEndsTheProcessWhileAnotherThreadRuns)
{
    Kernel kernel(test_config(2));
    for (int round = 0; round < 20; ++round) {
        ExitStatus status = finish(kernel, start(kernel, "threads_exit_running"));
        EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
        EXPECT_EQ(status.code, 7);
    }
    EXPECT_EQ(kernel.process_count(), 0u);
}

TEST(ParallelThreads, ExitFromOneThreadEndsTheOthersWhileTheyRun)
{
    Kernel kernel(test_config(2));
    for (int round = 0; round < 10; ++round) {
        ExitStatus status = finish(kernel, start(kernel, "threads_exit_from_thread"));
        EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
        EXPECT_EQ(status.code, 5);
    }
    EXPECT_EQ(kernel.process_count(), 0u);
}

TEST(ParallelThreads, ATrapInOneThreadEndsTheOthersWhileTheyRun)
{
    Kernel kernel(test_config(2));
    for (int round = 0; round < 10; ++round) {
        ExitStatus status = finish(kernel, start(kernel, "threads_trap_running"));
        EXPECT_EQ(status.kind, ExitStatus::Kind::Trapped);
        EXPECT_NE(status.message.find("thread 3: unreachable"), std::string::npos) << status.message;
    }
    // The kernel goes on.
    EXPECT_EQ(finish(kernel, start(kernel, "exit_code")).code, 42);
}

TEST(ParallelThreads, KillEndsAProcessWhoseThreadsAllRun)
{
    Kernel kernel(test_config(2));
    for (int round = 0; round < 5; ++round) {
        ProcessId spinning = start(kernel, "threads_spin");
        // Both threads exist (and, on a quiet machine, both are running) before the kill.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (kernel.usage(spinning).value_or(Process::Usage {}).threads < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        kernel.kill(spinning, "test over");
        ExitStatus status = finish(kernel, spinning);
        EXPECT_EQ(status.kind, ExitStatus::Kind::Killed) << status.message;
    }
    EXPECT_EQ(kernel.process_count(), 0u);
}

// Three threads of one process make round trips at once, through a wasm handler and through a
// native one that answers on the sender's worker.
TEST(ParallelThreads, ConcurrentRoundTripsThroughAWasmHandlerAllComeBackRight)
{
    Kernel kernel(test_config(2));
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    ProcessId pong = start(kernel, "pong");
    ExitStatus status = finish(kernel, start(kernel, "threads_ping"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0) << "check " << status.code << " failed (tests/kernel/programs/threads_ping.wat)";
    kernel.kill(pong, "test over");
    finish(kernel, pong);
}

TEST(ParallelThreads, ConcurrentRoundTripsThroughANativeHandlerAllComeBackRight)
{
    Kernel kernel(test_config(2));
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    ASSERT_EQ(kernel.register_handler(k_ping_interface, std::make_shared<InlineEchoHandler>()), Registration::Registered);
    ExitStatus status = finish(kernel, start(kernel, "threads_ping"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0) << "check " << status.code << " failed (tests/kernel/programs/threads_ping.wat)";
}

// A provider's host functions keep per-process state for one thread (WASI's descriptor table):
// a program that imports any cannot start threads, rather than share that state unlocked.
TEST(ParallelThreads, AProgramWithImportsFromAProviderCannotStartThreads)
{
    KernelConfig config = test_config(2);
    config.import_providers.push_back(std::make_shared<NothingProvider>());
    Kernel kernel(config);
    ExitStatus status = finish(kernel, start(kernel, "threads_provider"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 3); // an error answer
}
