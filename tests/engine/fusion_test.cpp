// The compiler's fused instructions (engine/interpreter_ops.h: add-then-jump, fused binary pairs,
// load-then-op, IndexedTee accesses, op-then-store, `*p OP= x`, br_table on a loaded index,
// moves fused with a back-edge, a local written in place while its old value is on the stack) on tests/engine/wat/runtime_fusion.wat: each result matches
// the unfused computation done here in C++, operands that alias the fused add's result read it
// after the add, a fused load traps like the load alone, and a fused loop back-edge stopped for
// fuel resumes without repeating its add: any slicing gives the same result for the same fuel.
#include "engine/instance.h"
#include "engine/interpreter_dump.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;

namespace {

class Fusion : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::ifstream stream(std::string(HASHOS_TEST_WASM_DIR) + "/runtime_fusion.wasm", std::ios::binary);
        ASSERT_TRUE(stream);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
        auto module = decode(bytes);
        ASSERT_FALSE(module.is_error()) << module.error().message();
        auto valid = validate(std::move(module.value()));
        ASSERT_FALSE(valid.is_error()) << valid.error().message();
        auto instance = m_store.instantiate(valid.value(), {});
        ASSERT_FALSE(instance.is_error()) << instance.error().message();
        m_instance = instance.value();
    }

    Function* function(std::string_view name)
    {
        auto found = m_instance->find_export(name);
        EXPECT_TRUE(found && found->kind == ExternKind::Function) << name;
        return found && found->kind == ExternKind::Function ? found->function : nullptr;
    }

    Value call(std::string_view name, std::vector<Value> args)
    {
        Thread thread(m_store);
        RunState state = thread.call(function(name), args);
        EXPECT_EQ(state, RunState::Finished) << name << ": " << thread.trap_message();
        return state == RunState::Finished && !thread.results().empty() ? thread.results()[0] : Value {};
    }

    // Runs `name` in slices of `fuel` and checks the result and the fuel against one whole run.
    void expect_same_when_sliced(std::string_view name, std::vector<Value> args)
    {
        Thread whole(m_store);
        ASSERT_EQ(whole.call(function(name), args), RunState::Finished) << whole.trap_message();
        uint64_t expected = whole.results()[0].bits;
        for (uint64_t fuel : { 1, 2, 3, 5, 8 }) {
            SCOPED_TRACE(std::string(name) + " in slices of " + std::to_string(fuel));
            Thread sliced(m_store);
            ASSERT_FALSE(sliced.start(function(name), args).is_error());
            RunState state = sliced.run(fuel);
            int slices = 1;
            while (state == RunState::OutOfFuel) {
                state = sliced.run(fuel);
                ++slices;
            }
            ASSERT_EQ(state, RunState::Finished) << sliced.trap_message();
            EXPECT_EQ(sliced.results()[0].bits, expected);
            EXPECT_EQ(sliced.fuel_consumed(), whole.fuel_consumed());
            EXPECT_GT(slices, 1);
        }
    }

    Store m_store;
    Instance* m_instance = nullptr;
};

uint64_t sum_below(uint64_t n)
{
    uint64_t acc = 0, i = 0;
    do {
        acc = (acc * 31) ^ i;
        ++i;
    } while (i < n);
    return acc;
}

uint32_t while_loop(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; ++i) {
        acc += i;
        if (acc != 0)
            acc = std::rotl(acc, 3);
    }
    return acc;
}

TEST_F(Fusion, AddThenJumpLoops)
{
    EXPECT_EQ(call("count_down", { Value::from_u32(1000) }).u32(), 500'500u);
    EXPECT_EQ(call("count_down", { Value::from_u32(1) }).u32(), 1u);
    EXPECT_EQ(call("sum_below", { Value::from_u64(5000) }).u64(), sum_below(5000));
    EXPECT_EQ(call("sum_below", { Value::from_u64(0) }).u64(), sum_below(0));
    EXPECT_EQ(call("while_loop", { Value::from_u32(777) }).u32(), while_loop(777));
    EXPECT_EQ(call("while_loop", { Value::from_u32(0) }).u32(), 0u);
}

TEST_F(Fusion, FusedBinaryPairs)
{
    uint32_t a = 0x9e3779b9, b = 12345, c = 0xdeadbeef;
    EXPECT_EQ(call("mix", { Value::from_u32(a), Value::from_u32(b), Value::from_u32(c) }).u32(),
        (c - (a + b)) ^ ((a << 3) - c));
    EXPECT_EQ(call("mix_sub", { Value::from_u32(a), Value::from_u32(b), Value::from_u32(c) }).u32(), a + b - c);
    EXPECT_EQ(call("mix_rotl", { Value::from_u32(a), Value::from_u32(b) }).u32(), std::rotl(b, int((a ^ b) & 31)));
    double x = 1.5, y = -2.25, z = 1e300;
    EXPECT_EQ(call("fms", { Value::from_f64(x), Value::from_f64(y), Value::from_f64(z) }).f64(), z - x * y);
}

TEST_F(Fusion, LoadsFusedWithTheirOp)
{
    // Memory 104, 108, ..., 140 hold their own addresses.
    EXPECT_EQ(call("fill_addresses", { Value::from_u32(100), Value::from_u32(10) }).u32(), 140u);
    EXPECT_EQ(call("load_sub", { Value::from_u32(100), Value::from_u32(1000) }).u32(), 1000u - 104u);
    EXPECT_EQ(call("load_sub_swapped", { Value::from_u32(100), Value::from_u32(1000) }).u32(), 104u - 1000u);
    uint64_t bits = 104 | (uint64_t(108) << 32);
    EXPECT_EQ(call("load_indexed_sub", { Value::from_u32(100), Value::from_u32(4), Value::from_f64(0.5) }).f64(),
        std::bit_cast<double>(bits) - 0.5);
    // *++p over the same addresses, then p itself.
    EXPECT_EQ(call("walk", { Value::from_u32(100), Value::from_u32(10) }).u32(), (104u + 140u) * 10 / 2 + 140'000u);

    Thread thread(m_store);
    Value args[] = { Value::from_u32(65532), Value::from_u32(0) };
    EXPECT_EQ(thread.call(function("load_sub"), args), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "out of bounds memory access: 65536+4 > 65536");
}

// The listing of engine/interpreter_dump.h names the fused ops the comments of
// runtime_fusion.wat promise, one instruction per line.
TEST_F(Fusion, ListingShowsTheFusedOps)
{
    std::string count_down = disassemble(*function("count_down"));
    EXPECT_NE(count_down.find(" I32AddThenJumpIfI32NeLoop "), std::string::npos) << count_down;
    EXPECT_NE(count_down.find(" Return1 "), std::string::npos) << count_down;
    std::string mix = disassemble(*function("mix"));
    EXPECT_NE(mix.find(" I32AddThenI32SubSwapped "), std::string::npos) << mix;
    EXPECT_EQ(std::string(op_name(runtime::Op::I32Add)), "I32Add");
    EXPECT_EQ(std::string(op_name(runtime::Op::Count)), "?");
}

TEST_F(Fusion, BinaryOpsFusedWithTheStoreOfTheirResult)
{
    EXPECT_EQ(call("store_sub", { Value::from_u32(300), Value::from_u32(5), Value::from_u32(7) }).u32(), uint32_t(5 - 7));
    EXPECT_EQ(call("store_mul", { Value::from_u32(320), Value::from_f64(1.5), Value::from_f64(-3.0) }).f64(), -4.5);
    std::string listing = disassemble(*function("store_sub"));
    EXPECT_NE(listing.find(" I32SubThenI32Store "), std::string::npos) << listing;

    // The fused store checks its bounds like the store alone, before writing anything.
    Thread thread(m_store);
    Value args[] = { Value::from_u32(65530), Value::from_u32(1), Value::from_u32(2) };
    EXPECT_EQ(thread.call(function("store_sub"), args), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "out of bounds memory access: 65538+4 > 65536");
}

TEST_F(Fusion, ReadModifyWriteOfOneAddress)
{
    uint8_t* memory = m_instance->find_export("memory")->memory->data();
    uint32_t word = 1000;
    std::memcpy(memory + 404, &word, 4);
    EXPECT_EQ(call("sub_from_memory", { Value::from_u32(400), Value::from_u32(1) }).u32(), 999u);
    EXPECT_EQ(call("sub_memory_from", { Value::from_u32(400), Value::from_u32(5000) }).u32(), 5000u - 999u);
    // A byte store keeps the low byte of the sum and leaves the next bytes alone.
    word = 0x11223344u;
    std::memcpy(memory + 420, &word, 4);
    EXPECT_EQ(call("add_to_byte", { Value::from_u32(420), Value::from_u32(0x1cd) }).u32(), 0x11223311u);
    EXPECT_NE(disassemble(*function("sub_from_memory")).find(" I32LoadThenI32SubSwappedThenI32Store "), std::string::npos);
    EXPECT_NE(disassemble(*function("sub_memory_from")).find(" I32LoadThenI32SubThenI32Store "), std::string::npos);
    EXPECT_NE(disassemble(*function("add_to_byte")).find(" I32Load8UThenI32AddSwappedThenI32Store8 "), std::string::npos);

    Thread thread(m_store);
    Value args[] = { Value::from_u32(65532), Value::from_u32(1) };
    EXPECT_EQ(thread.call(function("sub_from_memory"), args), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "out of bounds memory access: 65536+4 > 65536");
}

// The add writes the local itself once the old value is copied out: no temporary, no Copy after.
TEST_F(Fusion, LocalWrittenWhileItsOldValueIsOnTheStack)
{
    EXPECT_EQ(call("post_increment", { Value::from_u32(10) }).u32(), 140u);
    EXPECT_EQ(call("post_increment", { Value::from_u32(0xfffffffe) }).u32(), uint32_t(0xfffffffeu * 2u));
    std::string listing = disassemble(*function("post_increment"));
    EXPECT_EQ(listing.find(" Copy2"), std::string::npos) << listing;
}

TEST_F(Fusion, BrTableOnALoadedIndexAndMovesBeforeBackEdges)
{
    // increment, double, increment, double, double, then 7: out of range, the default (stop).
    uint32_t program[] = { 0, 1, 0, 1, 1, 7, 0 };
    std::memcpy(m_instance->find_export("memory")->memory->data() + 200, program, sizeof(program));
    EXPECT_EQ(call("interpret", { Value::from_u32(0) }).u32(), 12u);
    EXPECT_EQ(call("interpret", { Value::from_u32(4) }).u32(), 4u);
    std::string listing = disassemble(*function("interpret"));
    EXPECT_NE(listing.find(" I32AddThenBrTableI32Load "), std::string::npos) << listing;
    EXPECT_NE(listing.find(" CopyThenJumpLoop "), std::string::npos) << listing;
    expect_same_when_sliced("interpret", { Value::from_u32(0) });

    EXPECT_EQ(call("fib_loop", { Value::from_u32(0) }).u32(), 0u);
    EXPECT_EQ(call("fib_loop", { Value::from_u32(30) }).u32(), 832040u);
    listing = disassemble(*function("fib_loop"));
    EXPECT_NE(listing.find(" Copy2ThenJumpLoop "), std::string::npos) << listing;
    expect_same_when_sliced("fib_loop", { Value::from_u32(40) });

    // An index loaded from out of bounds traps as the load alone would.
    Thread thread(m_store);
    Value args[] = { Value::from_u32(65336) };
    EXPECT_EQ(thread.call(function("interpret"), args), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "out of bounds memory access: 65536+4 > 65536");
}

TEST_F(Fusion, AddingZeroCostsNothing)
{
    EXPECT_EQ(call("plus_zero", { Value::from_u32(10), Value::from_u64(0x100000003ull) }).u32(), 7u);
    std::string listing = disassemble(*function("plus_zero"));
    EXPECT_EQ(listing.find("Add"), std::string::npos) << listing;
    EXPECT_EQ(call("zero_plus_square", { Value::from_u32(9) }).u32(), 81u);
}

TEST_F(Fusion, FusedBackEdgesResumeAfterRunningOutOfFuel)
{
    expect_same_when_sliced("count_down", { Value::from_u32(300) });
    expect_same_when_sliced("sum_below", { Value::from_u64(300) });
    expect_same_when_sliced("while_loop", { Value::from_u32(300) });
    ASSERT_EQ(call("fill_addresses", { Value::from_u32(0), Value::from_u32(200) }).u32(), 800u);
    expect_same_when_sliced("walk", { Value::from_u32(0), Value::from_u32(150) });
}

} // namespace
