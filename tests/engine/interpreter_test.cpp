// The runtime: compiler, interpreter, store, instances, memory, threads. The fixtures are
// tests/engine/wat/runtime_*.wat; the spec suite (tests/spec) covers the instruction semantics in
// depth, these tests cover what it does not: the compiler's peepholes, host functions, fuel,
// suspension, deep recursion, cross-instance calls and instantiation errors.
#include "engine/instance.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;

namespace {

Result<ValidModule> load_fixture(const std::string& name)
{
    std::string path = std::string(HASHOS_TEST_WASM_DIR) + "/" + name + ".wasm";
    std::ifstream stream(path, std::ios::binary);
    if (!stream)
        return Error("cannot open " + path);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto module = TRY(decode(bytes));
    return validate(std::move(module));
}

Instance* instantiate(Store& store, const std::string& name, std::span<const Extern> imports = {})
{
    auto valid = load_fixture(name);
    EXPECT_FALSE(valid.is_error()) << valid.error().message();
    if (valid.is_error())
        return nullptr;
    auto instance = store.instantiate(valid.value(), imports);
    EXPECT_FALSE(instance.is_error()) << instance.error().message();
    return instance.is_error() ? nullptr : instance.value();
}

Function* function(Instance& instance, std::string_view name)
{
    auto found = instance.find_export(name);
    return found && found->kind == ExternKind::Function ? found->function : nullptr;
}

// Calls an export and returns its results; a trap fails the test.
std::vector<Value> call(Thread& thread, Instance& instance, std::string_view name, std::vector<Value> args = {})
{
    Function* target = function(instance, name);
    EXPECT_NE(target, nullptr) << name;
    if (!target)
        return {};
    RunState state = thread.call(target, args);
    EXPECT_EQ(state, RunState::Finished) << name << ": " << thread.trap_message();
    return { thread.results().begin(), thread.results().end() };
}

std::string trap(Thread& thread, Instance& instance, std::string_view name, std::vector<Value> args = {})
{
    Function* target = function(instance, name);
    EXPECT_NE(target, nullptr) << name;
    if (!target)
        return {};
    EXPECT_EQ(thread.call(target, args), RunState::Trapped) << name;
    return thread.trap_message();
}

Value i32(int32_t v) { return Value::from_i32(v); }
Value i64(int64_t v) { return Value::from_i64(v); }
Value f32(float v) { return Value::from_f32(v); }
Value f64(double v) { return Value::from_f64(v); }

class RuntimeBasics : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_instance = instantiate(m_store, "runtime_basics");
        ASSERT_NE(m_instance, nullptr);
    }
    Store m_store;
    Instance* m_instance = nullptr;
    Thread m_thread { m_store };
};

TEST_F(RuntimeBasics, Arithmetic)
{
    EXPECT_EQ(call(m_thread, *m_instance, "add", { i32(2), i32(40) })[0].i32(), 42);
    EXPECT_EQ(call(m_thread, *m_instance, "add", { i32(INT32_MAX), i32(1) })[0].i32(), INT32_MIN);
    EXPECT_EQ(call(m_thread, *m_instance, "div_s", { i32(-7), i32(2) })[0].i32(), -3);
    EXPECT_EQ(call(m_thread, *m_instance, "rem_s", { i32(INT32_MIN), i32(-1) })[0].i32(), 0);
    EXPECT_EQ(call(m_thread, *m_instance, "div_u64", { i64(-1), i64(2) })[0].u64(), UINT64_MAX / 2);
    EXPECT_EQ(call(m_thread, *m_instance, "trunc", { f64(-2147483648.9) })[0].i32(), INT32_MIN);
    EXPECT_EQ(call(m_thread, *m_instance, "trunc_sat", { f64(-5.0) })[0].u32(), 0u);
    EXPECT_EQ(call(m_thread, *m_instance, "trunc_sat", { f64(1e20) })[0].u32(), UINT32_MAX);
    auto min = call(m_thread, *m_instance, "min", { f32(0.0f), f32(-0.0f) })[0];
    EXPECT_EQ(min.f32_bits(), 0x8000'0000u);
}

TEST_F(RuntimeBasics, TrapMessages)
{
    EXPECT_EQ(trap(m_thread, *m_instance, "div_s", { i32(1), i32(0) }), "integer divide by zero");
    EXPECT_EQ(trap(m_thread, *m_instance, "div_s", { i32(INT32_MIN), i32(-1) }), "integer overflow");
    EXPECT_EQ(trap(m_thread, *m_instance, "trunc", { f64(2147483648.0) }), "integer overflow");
    EXPECT_EQ(trap(m_thread, *m_instance, "trunc", { f64(NAN) }), "invalid conversion to integer");
    EXPECT_EQ(trap(m_thread, *m_instance, "unreachable"), "unreachable");
    // The thread is usable after a trap.
    EXPECT_EQ(call(m_thread, *m_instance, "add", { i32(1), i32(2) })[0].i32(), 3);
}

TEST_F(RuntimeBasics, MultiValueAndLocalsAliasing)
{
    auto swapped = call(m_thread, *m_instance, "swap", { i32(1), i32(2) });
    ASSERT_EQ(swapped.size(), 2u);
    EXPECT_EQ(swapped[0].i32(), 2);
    EXPECT_EQ(swapped[1].i32(), 1);

    auto old_and_new = call(m_thread, *m_instance, "old_and_new", { i32(5) });
    ASSERT_EQ(old_and_new.size(), 2u);
    EXPECT_EQ(old_and_new[0].i32(), 5);
    EXPECT_EQ(old_and_new[1].i32(), 15);

    EXPECT_EQ(call(m_thread, *m_instance, "tee_twice", { i32(3) })[0].i32(), 18);
    EXPECT_EQ(call(m_thread, *m_instance, "three_sum", { i32(5) })[0].i64(), 15);
    EXPECT_EQ(call(m_thread, *m_instance, "select", { i32(1), i32(2), i32(0) })[0].i32(), 2);
    EXPECT_EQ(call(m_thread, *m_instance, "select", { i32(1), i32(2), i32(9) })[0].i32(), 1);
}

TEST_F(RuntimeBasics, BranchesCarryValues)
{
    auto taken = call(m_thread, *m_instance, "block_params", { i32(3), i32(0) });
    ASSERT_EQ(taken.size(), 2u);
    EXPECT_EQ(taken[0].i32(), 3);
    EXPECT_EQ(taken[1].i32(), 0);
    auto fallen = call(m_thread, *m_instance, "block_params", { i32(3), i32(4) });
    ASSERT_EQ(fallen.size(), 2u);
    EXPECT_EQ(fallen[0].i32(), 4);
    EXPECT_EQ(fallen[1].i32(), 3);

    EXPECT_EQ(call(m_thread, *m_instance, "table", { i32(0) })[0].i32(), 3);
    EXPECT_EQ(call(m_thread, *m_instance, "table", { i32(1) })[0].i32(), 3);
    EXPECT_EQ(call(m_thread, *m_instance, "table", { i32(2) })[0].i32(), 2);
    EXPECT_EQ(call(m_thread, *m_instance, "table", { i32(5) })[0].i32(), 5);
    EXPECT_EQ(call(m_thread, *m_instance, "table", { i32(-1) })[0].i32(), -1);

    EXPECT_EQ(call(m_thread, *m_instance, "loop_param", { i32(10) })[0].i32(), 55);
    EXPECT_EQ(call(m_thread, *m_instance, "max", { i32(-3), i32(2) })[0].i32(), 2);
    EXPECT_EQ(call(m_thread, *m_instance, "max", { i32(7), i32(2) })[0].i32(), 7);
    EXPECT_EQ(call(m_thread, *m_instance, "br_if_value", { i32(0) })[0].i32(), 0);
    EXPECT_EQ(call(m_thread, *m_instance, "br_if_value", { i32(3) })[0].i32(), 8);
    EXPECT_EQ(call(m_thread, *m_instance, "block_set", { i32(1) })[0].i32(), 42);
    EXPECT_EQ(call(m_thread, *m_instance, "block_set", { i32(0) })[0].i32(), 3);
}

TEST_F(RuntimeBasics, Calls)
{
    EXPECT_EQ(call(m_thread, *m_instance, "fib", { i32(20) })[0].i32(), 6765);
    EXPECT_EQ(call(m_thread, *m_instance, "down", { i32(10'000) })[0].i32(), 10'000);
    EXPECT_EQ(call(m_thread, *m_instance, "sum_loop", { i32(100'000) })[0].i64(), 5'000'050'000);
}

TEST_F(RuntimeBasics, SameResultsForEveryFuelSliceSize)
{
    Function* fib = function(*m_instance, "fib");
    Value args[] = { i32(18) };
    ASSERT_EQ(m_thread.call(fib, args), RunState::Finished);
    uint64_t whole = m_thread.fuel_consumed();
    for (uint64_t slice : { 1, 2, 3, 4, 5, 8, 11, 64, 1000 }) {
        SCOPED_TRACE("slice " + std::to_string(slice));
        Thread thread(m_store);
        ASSERT_FALSE(thread.start(fib, args).is_error());
        RunState state;
        uint64_t slices = 0;
        while ((state = thread.run(slice)) == RunState::OutOfFuel)
            ++slices;
        ASSERT_EQ(state, RunState::Finished) << thread.trap_message();
        EXPECT_EQ(thread.results()[0].i32(), 2584);
        EXPECT_EQ(thread.fuel_consumed(), whole);
        EXPECT_GE(slices, whole / slice - 1);
    }
}

TEST_F(RuntimeBasics, FuelLimitsALoop)
{
    Function* sum_loop = function(*m_instance, "sum_loop");
    Value args[] = { i32(1'000'000) };
    ASSERT_FALSE(m_thread.start(sum_loop, args).is_error());
    EXPECT_EQ(m_thread.run(10'000), RunState::OutOfFuel);
    EXPECT_LE(m_thread.fuel_consumed(), 10'000u);
    EXPECT_GT(m_thread.fuel_consumed(), 9'000u);
    // Calls on a thread in the middle of a call are refused; the call goes on.
    EXPECT_TRUE(m_thread.start(sum_loop, args).is_error());
    EXPECT_EQ(m_thread.run(UINT64_MAX), RunState::Finished);
    EXPECT_EQ(m_thread.results()[0].u64(), 500'000'500'000u);
}

TEST_F(RuntimeBasics, MillionDeepRecursionTrapsCleanly)
{
    EXPECT_EQ(trap(m_thread, *m_instance, "down", { i32(1'000'000) }), "call stack exhausted");
    EXPECT_EQ(call(m_thread, *m_instance, "down", { i32(1'000) })[0].i32(), 1'000);

    // A small value stack is exhausted before the call depth limit.
    Thread small(m_store, ThreadLimits { .max_value_stack_slots = 1'000, .max_call_depth = 100'000 });
    EXPECT_EQ(trap(small, *m_instance, "down", { i32(1'000) }), "call stack exhausted");
    EXPECT_EQ(call(small, *m_instance, "down", { i32(100) })[0].i32(), 100);
}

TEST(Runtime, DeepOperandStackOfLocals)
{
    Store store;
    Instance* instance = instantiate(store, "runtime_deep_stack");
    ASSERT_NE(instance, nullptr);
    Thread thread(store);
    EXPECT_EQ(call(thread, *instance, "deep", { i32(7) })[0].i32(), 701);
}

TEST(Runtime, MemoryGrowAndBounds)
{
    Store store;
    Instance* instance = instantiate(store, "runtime_memory");
    ASSERT_NE(instance, nullptr);
    Thread thread(store);
    Memory* memory = instance->find_export("memory")->memory;
    uint8_t* base = memory->data();
    EXPECT_EQ(std::memcmp(base + 16, "hello", 5), 0);

    EXPECT_EQ(call(thread, *instance, "size")[0].i32(), 1);
    EXPECT_EQ(call(thread, *instance, "load_offset", { i32(0) })[0].i32(), 0);
    std::string message = trap(thread, *instance, "load_offset", { i32(1) });
    EXPECT_EQ(message.rfind("out of bounds memory access", 0), 0u) << message;
    EXPECT_NE(message.find("65536+1 > 65536"), std::string::npos) << message;
    EXPECT_EQ(trap(thread, *instance, "load", { i32(65533) }).rfind("out of bounds memory access", 0), 0u);
    EXPECT_EQ(trap(thread, *instance, "load", { i32(-1) }).rfind("out of bounds memory access", 0), 0u);

    EXPECT_EQ(call(thread, *instance, "grow", { i32(1) })[0].i32(), 1);
    EXPECT_EQ(memory->data(), base) << "memory moved";
    call(thread, *instance, "store", { i32(65536), i32(0x12345678) });
    EXPECT_EQ(call(thread, *instance, "load", { i32(65536) })[0].i32(), 0x12345678);
    EXPECT_EQ(call(thread, *instance, "grow", { i32(2) })[0].i32(), -1); // the maximum is 3
    EXPECT_EQ(call(thread, *instance, "grow", { i32(1) })[0].i32(), 2);
    EXPECT_EQ(call(thread, *instance, "size")[0].i32(), 3);
    EXPECT_EQ(call(thread, *instance, "grow", { i32(0) })[0].i32(), 3);

    call(thread, *instance, "fill", { i32(100), i32(0xAB), i32(10) });
    call(thread, *instance, "copy", { i32(105), i32(100), i32(10) });
    EXPECT_EQ(base[114], 0xAB);
    EXPECT_EQ(base[115], 0);
    EXPECT_EQ(trap(thread, *instance, "fill", { i32(3 * 65536 - 5), i32(1), i32(6) }).rfind("out of bounds memory access", 0), 0u);
    EXPECT_EQ(trap(thread, *instance, "copy", { i32(0), i32(3 * 65536), i32(1) }).rfind("out of bounds memory access", 0), 0u);
}

TEST(Runtime, MemoryPageLimitCapsTheReservation)
{
    Store store;
    store.set_memory_page_limit(2);
    Instance* instance = instantiate(store, "runtime_memory");
    ASSERT_NE(instance, nullptr);
    Thread thread(store);
    EXPECT_EQ(call(thread, *instance, "grow", { i32(1) })[0].i32(), 1);
    EXPECT_EQ(call(thread, *instance, "grow", { i32(1) })[0].i32(), -1);
}

TEST(Runtime, CallIndirect)
{
    Store store;
    Instance* instance = instantiate(store, "runtime_tables");
    ASSERT_NE(instance, nullptr);
    Thread thread(store);
    EXPECT_EQ(call(thread, *instance, "call", { i32(0), i32(21) })[0].i32(), 42);
    EXPECT_EQ(call(thread, *instance, "call", { i32(2), i32(5) })[0].i32(), 10);
    EXPECT_EQ(trap(thread, *instance, "call", { i32(1), i32(5) }), "indirect call type mismatch");
    EXPECT_EQ(trap(thread, *instance, "call", { i32(4), i32(5) }).rfind("undefined element", 0), 0u);
    instance->find_export("table")->table->elements()[2] = Value::null_ref();
    EXPECT_EQ(trap(thread, *instance, "call", { i32(2), i32(5) }).rfind("uninitialized element", 0), 0u);
    EXPECT_EQ(call(thread, *instance, "self", { i32(1'000) })[0].i32(), 0);
    EXPECT_EQ(trap(thread, *instance, "self", { i32(1'000'000) }), "call stack exhausted");
}

TEST(Runtime, HostFunctionsSeeTheCallersMemory)
{
    Store store;
    std::string written;
    Instance* seen_caller = nullptr;
    Function* write = store.create_host_function(FuncType { { ValType::I32, ValType::I32 }, { ValType::I32 } }, [&](HostCall& call) {
        seen_caller = call.caller;
        if (!call.caller) {
            call.trap_message = "no caller";
            return HostOutcome::Trap;
        }
        Memory* memory = call.caller->memory(0);
        uint64_t pointer = call.args[0].u32();
        uint64_t length = call.args[1].u32();
        if (pointer + length > memory->size_in_bytes()) {
            call.trap_message = "bad pointer";
            return HostOutcome::Trap;
        }
        written.assign(reinterpret_cast<const char*>(memory->data() + pointer), length);
        call.results[0] = Value::from_u32(uint32_t(length));
        return HostOutcome::Return;
    });
    Function* wait = store.create_host_function(FuncType { { ValType::I32 }, { ValType::I32, ValType::I32 } }, [](HostCall&) {
        return HostOutcome::Suspend;
    });
    Extern imports[] = { Extern::from(write), Extern::from(wait) };
    Instance* instance = instantiate(store, "runtime_host", imports);
    ASSERT_NE(instance, nullptr);
    Thread thread(store);
    EXPECT_EQ(call(thread, *instance, "write")[0].i32(), 9);
    EXPECT_EQ(written, "from wasm");
    EXPECT_EQ(seen_caller, instance);

    // A suspending host function: results arrive through resume_host_call.
    Value args[] = { i32(50) };
    ASSERT_FALSE(thread.start(function(*instance, "waits"), args).is_error());
    RunState state = thread.run(UINT64_MAX);
    int32_t expected = 0;
    for (int32_t i = 0; state == RunState::Suspended; ++i) {
        ASSERT_EQ(thread.suspended_function(), wait);
        ASSERT_EQ(thread.suspended_args()[0].i32(), i);
        Value results[] = { i32(i * 3), i32(1) };
        expected += i * 3 + 1;
        thread.resume_host_call(results);
        state = thread.run(i % 2 ? 1 : UINT64_MAX); // interleaved with fuel exhaustion
        while (state == RunState::OutOfFuel)
            state = thread.run(1);
    }
    ASSERT_EQ(state, RunState::Finished) << thread.trap_message();
    EXPECT_EQ(thread.results()[0].i32(), expected);

    // A host function called directly by the embedder gets no caller, and may trap.
    Value direct[] = { i32(0), i32(1) };
    EXPECT_EQ(thread.call(write, direct), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "no caller");
    EXPECT_EQ(seen_caller, nullptr);
}

TEST(Runtime, CrossInstanceCallsSwitchMemory)
{
    Store store;
    Instance* a = instantiate(store, "runtime_linking_a");
    ASSERT_NE(a, nullptr);
    Extern imports[] = { *a->find_export("poke"), *a->find_export("peek"), *a->find_export("count") };
    Instance* b = instantiate(store, "runtime_linking_b", imports);
    ASSERT_NE(b, nullptr);
    Thread thread(store);
    EXPECT_EQ(call(thread, *b, "run")[0].i32(), 111 * 1000 + 222);
    EXPECT_EQ(call(thread, *b, "count")[0].i32(), 1);
    EXPECT_EQ(call(thread, *a, "peek", { i32(8) })[0].i32(), 222);
}

TEST(Runtime, InstantiationErrors)
{
    Store store;
    // Data segments: the first write stays when the second is out of bounds.
    auto memory = store.create_memory(MemoryType { Limits { 1, std::nullopt } });
    ASSERT_FALSE(memory.is_error());
    auto segments = load_fixture("runtime_segments");
    ASSERT_FALSE(segments.is_error()) << segments.error().message();
    Extern memory_import[] = { Extern::from(memory.value()) };
    auto failed = store.instantiate(segments.value(), memory_import);
    ASSERT_TRUE(failed.is_error());
    EXPECT_EQ(failed.error().message().rfind("out of bounds memory access", 0), 0u) << failed.error().message();
    EXPECT_EQ(std::memcmp(memory.value()->data(), "first", 5), 0);

    // Import types.
    auto typed = load_fixture("runtime_import_types");
    ASSERT_FALSE(typed.is_error()) << typed.error().message();
    Function* good_function = store.create_host_function(FuncType { { ValType::I32 }, { ValType::I32 } }, [](HostCall&) { return HostOutcome::Return; });
    Function* bad_function = store.create_host_function(FuncType { { ValType::I64 }, { ValType::I32 } }, [](HostCall&) { return HostOutcome::Return; });
    Memory* good_memory = store.create_memory(MemoryType { Limits { 2, 4 } }).value();
    Memory* unbounded_memory = store.create_memory(MemoryType { Limits { 2, std::nullopt } }).value();
    GlobalInstance* good_global = store.create_global(GlobalType { ValType::I64, Mutability::Var }, Value::from_i64(1));
    GlobalInstance* const_global = store.create_global(GlobalType { ValType::I64, Mutability::Const }, Value::from_i64(1));

    Extern good[] = { Extern::from(good_function), Extern::from(good_memory), Extern::from(good_global) };
    EXPECT_FALSE(store.instantiate(typed.value(), good).is_error());
    for (auto imports : std::vector<std::vector<Extern>> {
             { Extern::from(bad_function), Extern::from(good_memory), Extern::from(good_global) },
             { Extern::from(good_function), Extern::from(unbounded_memory), Extern::from(good_global) },
             { Extern::from(good_function), Extern::from(good_memory), Extern::from(const_global) },
             { Extern::from(good_memory), Extern::from(good_memory), Extern::from(good_global) },
             { Extern::from(good_function), Extern::from(good_memory) },
         }) {
        auto result = store.instantiate(typed.value(), imports);
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().message().rfind("incompatible import type", 0), 0u) << result.error().message();
    }
}

} // namespace
