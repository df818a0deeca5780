// Spawn-time machinery: functions compile on their first call (engine/compiler.h), with fuel
// charged exactly as for code compiled ahead; thread stacks and memory reservations are recycled
// (engine/thread_stacks.h, engine/memory_reservations.h) without one program ever seeing what an
// earlier one left. The fixture is tests/engine/wat/runtime_lazy.wat.
#include "engine/instance.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;

namespace {

constexpr uint32_t k_start = 0, k_entry = 1, k_helper = 2, k_never = 3, k_indirect_target = 4, k_call_indirect = 5;
constexpr uint32_t k_function_count = 12;

ValidModule load_fixture()
{
    std::string path = std::string(HASHOS_TEST_WASM_DIR) + "/runtime_lazy.wasm";
    std::ifstream stream(path, std::ios::binary);
    EXPECT_TRUE(stream) << path;
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto module = decode(bytes);
    EXPECT_FALSE(module.is_error()) << module.error().message();
    auto valid = validate(module.release_value());
    EXPECT_FALSE(valid.is_error()) << valid.error().message();
    return valid.release_value();
}

class Lazy : public ::testing::Test {
protected:
    Instance& instantiate(Store& store)
    {
        auto instance = store.instantiate(m_module, {});
        EXPECT_FALSE(instance.is_error()) << instance.error().message();
        return *instance.value();
    }
    static Function* function(Instance& instance, std::string_view name)
    {
        auto found = instance.find_export(name);
        EXPECT_TRUE(found && found->kind == ExternKind::Function) << name;
        return found->function;
    }
    // Runs the start function (the first time: until then it is not compiled), then `name`, and
    // returns its one result.
    static Value call(Thread& thread, Instance& instance, std::string_view name, std::vector<Value> args = {})
    {
        if (Function* start = instance.start_function(); start && !instance.is_compiled(k_start)) {
            EXPECT_EQ(thread.call(start, {}), RunState::Finished) << thread.trap_message();
        }
        EXPECT_EQ(thread.call(function(instance, name), args), RunState::Finished) << name << ": " << thread.trap_message();
        return thread.results().empty() ? Value {} : thread.results()[0];
    }

    ValidModule m_module = load_fixture();
};

TEST_F(Lazy, OnlyWhatRunsIsCompiled)
{
    Store store;
    Instance& instance = instantiate(store);
    for (uint32_t i = 0; i < k_function_count; ++i)
        EXPECT_FALSE(instance.is_compiled(i)) << "function " << i << " compiled by instantiate";

    Thread thread(store);
    EXPECT_EQ(call(thread, instance, "entry", { Value::from_i32(5) }).i32(), 16); // 5 * 3 + the start's 1
    EXPECT_TRUE(instance.is_compiled(k_start));
    EXPECT_TRUE(instance.is_compiled(k_entry));
    EXPECT_TRUE(instance.is_compiled(k_helper)) << "a direct call compiles its callee";
    EXPECT_FALSE(instance.is_compiled(k_indirect_target));

    EXPECT_EQ(call(thread, instance, "call_indirect").i32(), 42);
    EXPECT_TRUE(instance.is_compiled(k_call_indirect));
    EXPECT_TRUE(instance.is_compiled(k_indirect_target)) << "call_indirect compiles its callee";
    EXPECT_FALSE(instance.is_compiled(k_never));

    ASSERT_FALSE(instance.compile_all().is_error());
    for (uint32_t i = 0; i < k_function_count; ++i)
        EXPECT_TRUE(instance.is_compiled(i)) << "function " << i;
}

TEST_F(Lazy, FuelIsChargedAsForCodeCompiledAhead)
{
    // The same call three ways: compiling on its first call, on code compiled by compile_all(),
    // and compiling on a first call that runs one unit of fuel at a time.
    Store lazy_store;
    Instance& lazy = instantiate(lazy_store);
    Thread lazy_thread(lazy_store);
    call(lazy_thread, lazy, "entry", { Value::from_i32(1) }); // runs the start function too
    uint64_t before = lazy_thread.fuel_consumed();
    EXPECT_EQ(call(lazy_thread, lazy, "loop_sum", { Value::from_i32(10) }).i32(), 165);
    uint64_t first_call = lazy_thread.fuel_consumed() - before;
    before = lazy_thread.fuel_consumed();
    call(lazy_thread, lazy, "loop_sum", { Value::from_i32(10) });
    EXPECT_EQ(lazy_thread.fuel_consumed() - before, first_call) << "a compiled call costs what the compiling one did";

    Store ahead_store;
    Instance& ahead = instantiate(ahead_store);
    ASSERT_FALSE(ahead.compile_all().is_error());
    Thread ahead_thread(ahead_store);
    call(ahead_thread, ahead, "entry", { Value::from_i32(1) });
    before = ahead_thread.fuel_consumed();
    call(ahead_thread, ahead, "loop_sum", { Value::from_i32(10) });
    EXPECT_EQ(ahead_thread.fuel_consumed() - before, first_call);

    Store sliced_store;
    Instance& sliced = instantiate(sliced_store);
    Thread sliced_thread(sliced_store);
    call(sliced_thread, sliced, "entry", { Value::from_i32(1) });
    before = sliced_thread.fuel_consumed();
    ASSERT_FALSE(sliced_thread.start(function(sliced, "loop_sum"), std::vector { Value::from_i32(10) }).is_error());
    RunState state = sliced_thread.run(1);
    uint64_t slices = 1;
    for (; state == RunState::OutOfFuel && slices < 100'000; ++slices)
        state = sliced_thread.run(1);
    ASSERT_EQ(state, RunState::Finished) << sliced_thread.trap_message();
    EXPECT_EQ(sliced_thread.results()[0].i32(), 165);
    EXPECT_EQ(sliced_thread.fuel_consumed() - before, first_call);
    EXPECT_GT(slices, first_call / 2) << "one unit per run: the call was really sliced";
}

TEST_F(Lazy, RecycledStacksStartClean)
{
    Store store;
    Instance& instance = instantiate(store);
    {
        // Leaves -1 in every slot of a thousand frames, on stacks that go back to the pool.
        Thread dirty(store);
        call(dirty, instance, "dirty", { Value::from_i32(1000) });
    }
    for (int i = 0; i < 3; ++i) {
        Thread fresh(store);
        EXPECT_EQ(call(fresh, instance, "fresh_local").i64(), 0) << "locals start at zero on a recycled stack";
        call(fresh, instance, "dirty", { Value::from_i32(1000) });
        EXPECT_EQ(call(fresh, instance, "fresh_local").i64(), 0) << "and on a stack this thread dirtied";
    }
}

TEST_F(Lazy, RecycledMemoriesAreZero)
{
    const uint8_t* first_base = nullptr;
    {
        Store store;
        Instance& instance = instantiate(store);
        Thread thread(store);
        EXPECT_EQ(call(thread, instance, "grow", { Value::from_i32(3) }).i32(), 1);
        call(thread, instance, "fill");
        EXPECT_EQ(call(thread, instance, "count_nonzero").i32(), 4 * 65536);
        first_base = instance.memory(0)->data();
    }
    // The next memory of the same reservation size takes that reservation back (the pool is
    // last in, first out), with nothing of the bytes the first program wrote, grown pages included.
    Store store;
    Instance& instance = instantiate(store);
    EXPECT_EQ(instance.memory(0)->data(), first_base) << "the reservation was not recycled: this test proves less";
    Thread thread(store);
    EXPECT_EQ(call(thread, instance, "count_nonzero").i32(), 0);
    EXPECT_EQ(call(thread, instance, "grow", { Value::from_i32(7) }).i32(), 1);
    EXPECT_EQ(call(thread, instance, "count_nonzero").i32(), 0);
    EXPECT_EQ(call(thread, instance, "grow", { Value::from_i32(1) }).i32(), -1) << "the maximum still holds";
}

} // namespace
