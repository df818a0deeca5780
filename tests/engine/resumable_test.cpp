// Proofs of resumable execution (DESIGN.md, "Engine"): a call interrupted at any fuel boundary, on
// any OS thread, or suspended in a host call deep in a call chain, ends exactly like an
// uninterrupted one; and deep recursion traps cleanly without harming the Thread that ran it.
#include "engine/instance.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;

namespace {

// Decodes, validates and instantiates HASHOS_TEST_WASM_DIR/NAME.wasm in `store`.
Result<Instance*> instantiate_fixture(Store& store, const std::string& name, std::span<const Extern> imports = {})
{
    std::string path = std::string(HASHOS_TEST_WASM_DIR) + "/" + name + ".wasm";
    std::ifstream stream(path, std::ios::binary);
    if (!stream)
        return Error("cannot open " + path);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto module = TRY(decode(bytes));
    auto valid = TRY(validate(std::move(module)));
    return store.instantiate(valid, imports);
}

Function* exported_function(Instance& instance, std::string_view name)
{
    auto found = instance.find_export(name);
    if (!found || found->kind != ExternKind::Function)
        return nullptr;
    return found->function;
}

// --- (a) interrupted every N units of fuel -------------------------------------------------------

// The checksum of resumable_checksum.wat, computed in C++.
uint64_t reference_checksum(uint32_t n)
{
    std::vector<uint64_t> memory(1024, 0);
    uint64_t x = 0x12345678;
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; ++i) {
        x = (x * 6364136223846793005ull) ^ (uint64_t(i) + 1442695040888963407ull);
        memory[i & 1023] = x;
        if ((i & 7) == 0)
            sum += memory[(i >> 3) & 1023];
    }
    return x ^ sum;
}

struct SlicedRun {
    RunState state = RunState::Idle;
    uint64_t result = 0;
    uint64_t slices = 0; // how many times run() returned OutOfFuel
};

enum class OsThread : uint8_t { Same, NewForEachSlice };

// Runs checksum(n) in slices of `fuel` units until it ends.
SlicedRun run_in_slices(Thread& thread, Function* checksum, uint32_t n, uint64_t fuel, OsThread os_thread)
{
    SlicedRun run;
    Value args[] = { Value::from_u32(n) };
    if (thread.start(checksum, args).is_error())
        return run;
    for (;;) {
        if (os_thread == OsThread::NewForEachSlice) {
            std::thread worker([&] { run.state = thread.run(fuel); });
            worker.join();
        } else {
            run.state = thread.run(fuel);
        }
        if (run.state != RunState::OutOfFuel)
            break;
        ++run.slices;
    }
    if (run.state == RunState::Finished && thread.results().size() == 1)
        run.result = thread.results()[0].u64();
    return run;
}

TEST(Resumable, InterruptedEveryNUnitsOfFuelGivesTheUninterruptedResult)
{
    Store store;
    auto instance = instantiate_fixture(store, "resumable_checksum");
    ASSERT_FALSE(instance.is_error()) << instance.error().message();
    auto* checksum = exported_function(*instance.value(), "checksum");
    ASSERT_NE(checksum, nullptr);

    constexpr uint32_t n = 20'000;
    Thread thread(store);
    auto whole = run_in_slices(thread, checksum, n, UINT64_MAX, OsThread::Same);
    ASSERT_EQ(whole.state, RunState::Finished) << thread.trap_message();
    EXPECT_EQ(whole.slices, 0u);
    EXPECT_EQ(whole.result, reference_checksum(n));
    uint64_t whole_fuel = thread.fuel_consumed();

    for (uint64_t fuel : { 1, 2, 3, 5, 7, 13, 100, 999, 1000, 4096, 65'537 }) {
        SCOPED_TRACE("fuel per slice " + std::to_string(fuel));
        Thread sliced_thread(store);
        auto sliced = run_in_slices(sliced_thread, checksum, n, fuel, OsThread::Same);
        ASSERT_EQ(sliced.state, RunState::Finished) << sliced_thread.trap_message();
        EXPECT_EQ(sliced.result, whole.result);
        // The same work costs the same fuel however it is cut up, so scheduling stays fair.
        EXPECT_EQ(sliced_thread.fuel_consumed(), whole_fuel);
        // Fuel is charged in bulk, so how many slices a budget gives depends on the charges; but
        // every loop iteration is charged, so one unit at a time stops at least once per iteration.
        if (fuel == 1) {
            EXPECT_GE(sliced.slices, n - 1);
        }
        if (fuel * 2 < whole_fuel) {
            EXPECT_GT(sliced.slices, 0u);
        }
    }

    // The same Thread object again, after all of that, still computes the same.
    auto again = run_in_slices(thread, checksum, n, 3, OsThread::Same);
    EXPECT_EQ(again.state, RunState::Finished);
    EXPECT_EQ(again.result, whole.result);
}

TEST(Resumable, ResumingOnADifferentOsThreadEachTime)
{
    Store store;
    auto instance = instantiate_fixture(store, "resumable_checksum");
    ASSERT_FALSE(instance.is_error()) << instance.error().message();
    auto* checksum = exported_function(*instance.value(), "checksum");
    ASSERT_NE(checksum, nullptr);

    // About three hundred slices each, so about three hundred OS threads per case: the budget per
    // slice follows from what the whole call costs.
    for (uint32_t n : { 10, 2'000, 20'000 }) {
        Thread thread(store);
        auto whole = run_in_slices(thread, checksum, n, UINT64_MAX, OsThread::Same);
        ASSERT_EQ(whole.state, RunState::Finished) << thread.trap_message();
        uint64_t fuel = std::max<uint64_t>(1, thread.fuel_consumed() / 300);
        SCOPED_TRACE("n " + std::to_string(n) + ", fuel per slice " + std::to_string(fuel));
        Thread sliced_thread(store);
        auto run = run_in_slices(sliced_thread, checksum, n, fuel, OsThread::NewForEachSlice);
        ASSERT_EQ(run.state, RunState::Finished) << sliced_thread.trap_message();
        EXPECT_GT(run.slices, 100u);
        EXPECT_EQ(run.result, reference_checksum(n));
    }
}

// --- (b) a host function suspending deep in a call chain -----------------------------------------

uint32_t host_answer(uint32_t i) { return (i * 2654435761u) ^ 0x5bd1e995u; }

uint64_t reference_chain(uint32_t depth, uint32_t count)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < count; ++i)
        sum = sum * 31 + host_answer(i);
    for (uint64_t d = 1; d <= depth; ++d)
        sum += d * 1000003;
    return sum;
}

struct SuspendingHost {
    Store store;
    Function* next = nullptr;
    uint64_t host_calls = 0;
    Function* chain = nullptr;

    Result<void> create()
    {
        // Every call suspends; the answer comes from the embedder through resume_host_call.
        next = store.create_host_function(FuncType { { ValType::I32 }, { ValType::I32 } }, [this](HostCall&) {
            ++host_calls;
            return HostOutcome::Suspend;
        });
        Extern imports[] = { Extern::from(next) };
        auto* instance = TRY(instantiate_fixture(store, "resumable_host_chain", imports));
        chain = exported_function(*instance, "chain");
        if (!chain)
            return Error("no export chain");
        return {};
    }
};

TEST(Resumable, HostFunctionSuspendsTenThousandTimesInADeepCallChain)
{
    SuspendingHost host;
    auto created = host.create();
    ASSERT_FALSE(created.is_error()) << created.error().message();

    constexpr uint32_t depth = 1'000;
    constexpr uint32_t count = 10'000;
    Thread thread(host.store);
    Value args[] = { Value::from_u32(depth), Value::from_u32(count) };
    ASSERT_FALSE(thread.start(host.chain, args).is_error());

    uint32_t suspensions = 0;
    RunState state = thread.run(UINT64_MAX);
    while (state == RunState::Suspended) {
        ASSERT_EQ(thread.suspended_function(), host.next);
        ASSERT_EQ(thread.suspended_args().size(), 1u);
        uint32_t i = thread.suspended_args()[0].u32();
        ASSERT_EQ(i, suspensions) << "the host calls came out of order";
        Value answer[] = { Value::from_u32(host_answer(i)) };
        thread.resume_host_call(answer);
        ++suspensions;
        // Every hundredth resumption continues on another OS thread.
        if (suspensions % 100 == 0) {
            std::thread worker([&] { state = thread.run(UINT64_MAX); });
            worker.join();
        } else {
            state = thread.run(UINT64_MAX);
        }
    }
    ASSERT_EQ(state, RunState::Finished) << thread.trap_message();
    EXPECT_EQ(suspensions, count);
    EXPECT_EQ(host.host_calls, count);
    ASSERT_EQ(thread.results().size(), 1u);
    EXPECT_EQ(thread.results()[0].u64(), reference_chain(depth, count));
}

TEST(Resumable, SuspensionsInterleavedWithFuelExhaustion)
{
    SuspendingHost host;
    auto created = host.create();
    ASSERT_FALSE(created.is_error()) << created.error().message();

    constexpr uint32_t depth = 300;
    constexpr uint32_t count = 2'000;
    Thread thread(host.store);
    Value args[] = { Value::from_u32(depth), Value::from_u32(count) };
    ASSERT_FALSE(thread.start(host.chain, args).is_error());

    uint32_t suspensions = 0;
    uint32_t out_of_fuel = 0;
    for (;;) {
        // One unit at a time: every resumption after a host call runs out of fuel again
        // before the next host call.
        RunState state = thread.run(1);
        if (state == RunState::OutOfFuel) {
            ++out_of_fuel;
            continue;
        }
        if (state != RunState::Suspended) {
            ASSERT_EQ(state, RunState::Finished) << thread.trap_message();
            break;
        }
        ASSERT_EQ(thread.suspended_args()[0].u32(), suspensions);
        Value answer[] = { Value::from_u32(host_answer(suspensions)) };
        thread.resume_host_call(answer);
        ++suspensions;
    }
    EXPECT_EQ(suspensions, count);
    EXPECT_GE(out_of_fuel, count + depth);
    EXPECT_EQ(thread.results()[0].u64(), reference_chain(depth, count));
}

TEST(Resumable, ResumeWithTrapEndsTheCall)
{
    SuspendingHost host;
    auto created = host.create();
    ASSERT_FALSE(created.is_error()) << created.error().message();

    Thread thread(host.store);
    Value args[] = { Value::from_u32(50), Value::from_u32(10) };
    ASSERT_FALSE(thread.start(host.chain, args).is_error());
    ASSERT_EQ(thread.run(UINT64_MAX), RunState::Suspended);
    thread.resume_host_call_with_trap("host said no");
    ASSERT_EQ(thread.run(UINT64_MAX), RunState::Trapped);
    EXPECT_NE(thread.trap_message().find("host said no"), std::string::npos) << thread.trap_message();

    // The thread is usable again for a whole new call.
    ASSERT_FALSE(thread.start(host.chain, args).is_error());
    RunState state = thread.run(UINT64_MAX);
    for (uint32_t i = 0; state == RunState::Suspended; ++i) {
        Value answer[] = { Value::from_u32(host_answer(i)) };
        thread.resume_host_call(answer);
        state = thread.run(UINT64_MAX);
    }
    ASSERT_EQ(state, RunState::Finished) << thread.trap_message();
    EXPECT_EQ(thread.results()[0].u64(), reference_chain(50, 10));
}

// --- (c) deep recursion ---------------------------------------------------------------------------

TEST(Resumable, MillionDeepRecursionTrapsAndTheThreadRunsOn)
{
    Store store;
    auto instance = instantiate_fixture(store, "resumable_recursion");
    ASSERT_FALSE(instance.is_error()) << instance.error().message();
    auto* down = exported_function(*instance.value(), "down");
    ASSERT_NE(down, nullptr);

    Thread thread(store);
    Value deep[] = { Value::from_u32(1'000'000) };
    ASSERT_EQ(thread.call(down, deep), RunState::Trapped);
    EXPECT_NE(thread.trap_message().find("call stack exhausted"), std::string::npos) << thread.trap_message();

    // The same Store and Thread: a normal call, then one as deep as the limits allow comfortably.
    Value shallow[] = { Value::from_u32(1'000) };
    ASSERT_EQ(thread.call(down, shallow), RunState::Finished) << thread.trap_message();
    ASSERT_EQ(thread.results().size(), 1u);
    EXPECT_EQ(thread.results()[0].u32(), 1'000u);

    Value fifty_thousand[] = { Value::from_u32(50'000) };
    ASSERT_EQ(thread.call(down, fifty_thousand), RunState::Finished) << thread.trap_message();
    EXPECT_EQ(thread.results()[0].u32(), 50'000u);

    // And again the trap, this time reached in fuel slices.
    ASSERT_FALSE(thread.start(down, deep).is_error());
    RunState state = thread.run(1'000);
    while (state == RunState::OutOfFuel)
        state = thread.run(1'000);
    ASSERT_EQ(state, RunState::Trapped);
    EXPECT_NE(thread.trap_message().find("call stack exhausted"), std::string::npos) << thread.trap_message();
    ASSERT_EQ(thread.call(down, shallow), RunState::Finished) << thread.trap_message();
    EXPECT_EQ(thread.results()[0].u32(), 1'000u);
}

} // namespace
