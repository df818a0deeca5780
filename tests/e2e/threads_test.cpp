// Threads end to end (docs/threads.md): `hashos run` on SDK programs built with THREADS —
// atomic-sum with 1, 2, 4 and 8 threads, a producer-consumer on the SDK's mutex and condition
// variables, a trap in a child thread, and the thread limit's error.
#include "hashos_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace {

using namespace hashos::e2e;

class Threads : public ::testing::Test {
protected:
    Threads()
    {
        std::random_device random;
        m_directory = std::filesystem::temp_directory_path() / ("hashos-e2e-threads-" + std::to_string(random()));
        std::filesystem::create_directories(m_directory);
    }
    ~Threads() override { std::filesystem::remove_all(m_directory); }

    // `hashos --data-dir DIR run PROGRAM -- ARGS...`, killed after two minutes.
    Outcome run(const std::string& program, std::vector<std::string> args = {})
    {
        std::vector<std::string> all { "run", program, "--" };
        all.insert(all.end(), args.begin(), args.end());
        return run_hashos(m_directory, std::move(all), std::chrono::minutes(2));
    }

    std::filesystem::path m_directory;
};

// The sum of i % 1000 + 1 for i < elements, as atomic-sum fills its array.
uint64_t expected_sum(uint64_t elements) { return elements / 1000 * 500500 + (elements % 1000) * (elements % 1000 + 1) / 2; }

} // namespace

TEST_F(Threads, AtomicSumIsExactWithOneToEightThreads)
{
    // Not a multiple of the program's 4096-element blocks, so the last block is a short one.
    const uint64_t elements = 100'003;
    for (int threads : { 1, 2, 4, 8 }) {
        auto outcome = run(program("atomic-sum"), { std::to_string(threads), std::to_string(elements), "2" });
        EXPECT_EQ(outcome.exit_code, 0) << threads << " threads: " << outcome.err << outcome.out;
        std::string line = "atomic-sum: info: sum " + std::to_string(2 * expected_sum(elements)) + " threads " + std::to_string(threads)
            + " elements " + std::to_string(elements) + " rounds 2 time ";
        EXPECT_NE(outcome.out.find(line), std::string::npos) << outcome.out;
    }
}

TEST_F(Threads, ProducersAndConsumersOnAMutexAndConditionVariables)
{
    auto outcome = run(test_program("threads_queue"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err << outcome.out;
    EXPECT_NE(outcome.out.find("main thread 1: 6000 items, total 6003000 (expected 6003000)"), std::string::npos) << outcome.out;
    // Every consumer logged from its own thread (ids 2 to 4: the consumers start first).
    for (int thread : { 2, 3, 4 })
        EXPECT_NE(outcome.out.find("consumer thread " + std::to_string(thread) + " took "), std::string::npos) << outcome.out;
}

TEST_F(Threads, ATrapInAChildThreadEndsTheWholeProcess)
{
    auto outcome = run(test_program("threads_trap"));
    EXPECT_EQ(outcome.exit_code, 134);
    EXPECT_TRUE(outcome.err.starts_with("hashos run: e2e_threads_trap trapped: thread 2: unreachable")) << outcome.err;
}

TEST_F(Threads, TheThreadLimitIsAClearError)
{
    auto outcome = run(test_program("threads_limit"));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err << outcome.out;
    EXPECT_NE(outcome.out.find("63 threads started, then: "), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("thread limit of 64 reached"), std::string::npos) << outcome.out;
}
