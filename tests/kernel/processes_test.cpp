// Processes: how a program exits, what makes a spawn fail, limits, and that processes come and
// go without leaking.
#include "kernel_fixture.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace hashos;
using namespace hashos::kernel;
using namespace hashos::kernel::testing;

namespace {

ExitStatus run(Kernel& kernel, const std::string& name, std::optional<Limits> limits = {})
{
    auto bytes = program(name);
    auto spawned = limits ? kernel.spawn(bytes, ProgramId(name), name, *limits) : kernel.spawn(bytes, ProgramId(name), name);
    EXPECT_FALSE(spawned.is_error()) << spawned.error().message();
    if (spawned.is_error())
        return ExitStatus::killed("spawn failed");
    auto status = kernel.wait(spawned.value());
    EXPECT_FALSE(status.is_error());
    return status.release_value();
}

size_t resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * size_t(sysconf(_SC_PAGESIZE));
}

} // namespace

TEST(Processes, ExitCodeIsTheEntryResult)
{
    Kernel kernel(test_config());
    ExitStatus status = run(kernel, "exit_code");
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited);
    EXPECT_EQ(status.code, 42);
}

TEST(Processes, ExitSyscallEndsTheProcessWithItsCode)
{
    Kernel kernel(test_config());
    ExitStatus status = run(kernel, "exit_explicit");
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited);
    EXPECT_EQ(status.code, 7);
}

// The embedder's exit notification: called once with the status, for a running process as for
// one that has ended already; the status is then the callback's, not wait()'s.
TEST(Processes, ExitNotificationCallsBackOnceWithTheStatus)
{
    Kernel kernel(test_config());
    std::mutex lock;
    std::condition_variable called;
    std::vector<ExitStatus> statuses;
    auto on_exit = [&](const ExitStatus& status) {
        std::lock_guard guard(lock);
        statuses.push_back(status);
        called.notify_all();
    };
    auto spin = kernel.spawn(program("spin"), ProgramId("spin"), "spin");
    ASSERT_FALSE(spin.is_error());
    ASSERT_FALSE(kernel.notify_exit(spin.value(), on_exit).is_error());
    EXPECT_TRUE(kernel.notify_exit(spin.value(), on_exit).is_error()) << "one watcher per process";
    EXPECT_TRUE(kernel.wait(spin.value()).is_error()) << "a watched process is not waited for";
    kernel.kill(spin.value(), "test over");
    {
        std::unique_lock guard(lock);
        ASSERT_TRUE(called.wait_for(guard, std::chrono::seconds(30), [&] { return statuses.size() == 1; }));
        EXPECT_EQ(statuses[0].kind, ExitStatus::Kind::Killed);
    }

    auto ended = kernel.spawn(program("exit_code"), ProgramId("exit_code"), "exit_code");
    ASSERT_FALSE(ended.is_error());
    while (kernel.process_count() > 0)
        std::this_thread::yield();
    ASSERT_FALSE(kernel.notify_exit(ended.value(), on_exit).is_error());
    std::lock_guard guard(lock);
    ASSERT_EQ(statuses.size(), 2u) << "an ended process is reported at once";
    EXPECT_EQ(statuses[1].code, 42);
    EXPECT_TRUE(kernel.notify_exit(ProcessId(9999), on_exit).is_error());
}

TEST(Processes, UsageTellsThreadsAndMemoryOfARunningProcess)
{
    Kernel kernel(test_config());
    auto spin = kernel.spawn(program("spin"), ProgramId("spin"), "spin");
    ASSERT_FALSE(spin.is_error());
    auto usage = kernel.usage(spin.value());
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->threads, 1u);
    EXPECT_GT(usage->memory_bytes, 0u) << "a C program has a linear memory";
    EXPECT_EQ(usage->memory_bytes % 65536, 0u);
    kernel.kill(spin.value(), "test over");
    ASSERT_FALSE(kernel.wait(spin.value()).is_error());
    EXPECT_FALSE(kernel.usage(spin.value()));
}

TEST(Processes, SpawnErrorsSayWhy)
{
    Kernel kernel(test_config());
    std::vector<uint8_t> garbage { 1, 2, 3, 4 };
    auto spawned = kernel.spawn(garbage, ProgramId("garbage"), "garbage");
    ASSERT_TRUE(spawned.is_error());
    EXPECT_NE(spawned.error().message().find("garbage: magic header not detected"), std::string::npos) << spawned.error().message();

    // (module (import "wasi" "f" (func)) (func (export "_start")))
    std::vector<uint8_t> foreign_import { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
        0x00, 0x02, 0x0a, 0x01, 0x04, 'w', 'a', 's', 'i', 0x01, 'f', 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x0a,
        0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x01, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b };
    spawned = kernel.spawn(foreign_import, ProgramId("foreign"), "foreign");
    ASSERT_TRUE(spawned.is_error());
    EXPECT_NE(spawned.error().message().find("unknown import wasi.f"), std::string::npos) << spawned.error().message();

    // (module (func (export "run")))
    std::vector<uint8_t> no_entry { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b };
    spawned = kernel.spawn(no_entry, ProgramId("no_entry"), "no_entry");
    ASSERT_TRUE(spawned.is_error());
    EXPECT_NE(spawned.error().message().find("no _start or main"), std::string::npos) << spawned.error().message();
}

TEST(Processes, HogStopsAtItsMemoryLimitAndOthersGoOn)
{
    Kernel kernel(test_config());
    Limits limits;
    limits.memory_pages = 64;
    ExitStatus status = run(kernel, "hog", limits);
    ASSERT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 64) << "memory.grow is refused exactly at the limit";

    // A program whose declared minimum is over its limit does not start, and says why.
    limits.memory_pages = 1;
    auto spawned = kernel.spawn(program("hog"), ProgramId("hog"), "hog", limits);
    ASSERT_TRUE(spawned.is_error());
    EXPECT_NE(spawned.error().message().find("exceeds the limit of 1 pages"), std::string::npos) << spawned.error().message();

    EXPECT_EQ(run(kernel, "exit_code").code, 42);
}

TEST(Processes, TenThousandSpawnedAndExitedWithoutLeaking)
{
    Kernel kernel(test_config());
    auto bytes = program("exit_code");
    constexpr int warm_up = 500;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr int count = 3'000; // about 2 ms each under the sanitizers; the plain build does all
#else
    constexpr int count = 10'000;
#endif
    [[maybe_unused]] size_t resident_after_warm_up = 0;
    for (int i = 0; i < count; ++i) {
        auto spawned = kernel.spawn(bytes, ProgramId("exit_code"), "exit_code");
        ASSERT_FALSE(spawned.is_error()) << spawned.error().message();
        auto status = kernel.wait(spawned.value());
        ASSERT_FALSE(status.is_error());
        ASSERT_EQ(status.value().code, 42);
        if (i == warm_up)
            resident_after_warm_up = resident_bytes();
    }
    EXPECT_EQ(kernel.process_count(), 0u);
#if !defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer keeps freed memory in quarantine, so only plain builds can measure this;
    // LeakSanitizer checks the sanitized ones.
    EXPECT_LT(resident_bytes(), resident_after_warm_up + 16 * 1024 * 1024);
#endif
}
