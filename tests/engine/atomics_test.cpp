// The threads proposal in the engine: decoding of the 0xFE instructions and shared memory limits,
// their validation (types, exact natural alignment, a memory), and their execution: every atomic
// op's result and the memory it leaves, the bounds and alignment traps, notify, and wait's three
// outcomes including the suspension the embedder resolves. Fixtures: tests/engine/wat/atomics*.wat.
// https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md
#include "engine/instance.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

Result<ValidModule> load_fixture(const std::string& name)
{
    std::string path = std::string(HASHOS_TEST_WASM_DIR) + "/" + name + ".wasm";
    std::ifstream stream(path, std::ios::binary);
    if (!stream)
        return Error("cannot open " + path);
    Bytes bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto module = TRY(decode(bytes));
    return validate(std::move(module));
}

// A module of one function `() -> ()` whose body is `code` (without the final end), with a memory
// section holding `memory` (a limits encoding) unless it is empty.
Bytes module_with(const Bytes& memory, const Bytes& code)
{
    Bytes bytes = { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
    auto section = [&](uint8_t id, const Bytes& content) {
        bytes.push_back(id);
        bytes.push_back(uint8_t(content.size()));
        bytes.insert(bytes.end(), content.begin(), content.end());
    };
    section(0x01, { 0x01, 0x60, 0x00, 0x00 });
    section(0x03, { 0x01, 0x00 });
    if (!memory.empty()) {
        Bytes entry = { 0x01 };
        entry.insert(entry.end(), memory.begin(), memory.end());
        section(0x05, entry);
    }
    Bytes body = { 0x00 };
    body.insert(body.end(), code.begin(), code.end());
    body.push_back(0x0B);
    Bytes code_section = { 0x01, uint8_t(body.size()) };
    code_section.insert(code_section.end(), body.begin(), body.end());
    section(0x0A, code_section);
    return bytes;
}

const Bytes k_shared_memory = { 0x03, 0x01, 0x01 }; // (memory 1 1 shared)

// The error decode + validate gives, or "" when the module is valid.
std::string load_error(const Bytes& bytes)
{
    auto module = decode(bytes);
    if (module.is_error())
        return module.error().message();
    auto valid = validate(std::move(module.value()));
    return valid.is_error() ? valid.error().message() : "";
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Value i32(int32_t v) { return Value::from_i32(v); }
Value i64(int64_t v) { return Value::from_i64(v); }

// Records notify calls and wakes as many as it is told to.
class FakeWaiters : public AtomicWaiters {
public:
    uint32_t notify(Memory& memory, uint64_t address, uint32_t count) override
    {
        last_memory = &memory;
        last_address = address;
        last_count = count;
        ++calls;
        return std::min(count, waiting);
    }
    uint32_t waiting = 0;
    Memory* last_memory = nullptr;
    uint64_t last_address = 0;
    uint32_t last_count = 0;
    int calls = 0;
};

class Atomics : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto valid = load_fixture("atomics");
        ASSERT_FALSE(valid.is_error()) << valid.error().message();
        auto created = store.instantiate(valid.value(), {});
        ASSERT_FALSE(created.is_error()) << created.error().message();
        instance = created.value();
    }

    Function* function(std::string_view name)
    {
        auto found = instance->find_export(name);
        EXPECT_TRUE(found && found->kind == ExternKind::Function) << name;
        return found ? found->function : nullptr;
    }
    Value call(std::string_view name, std::vector<Value> args)
    {
        RunState state = thread.call(function(name), args);
        EXPECT_EQ(state, RunState::Finished) << name << ": " << thread.trap_message();
        return thread.results().empty() ? Value {} : thread.results()[0];
    }
    std::string trap(std::string_view name, std::vector<Value> args)
    {
        EXPECT_EQ(thread.call(function(name), args), RunState::Trapped) << name;
        return thread.trap_message();
    }
    uint64_t peek(uint32_t address) { return call("peek", { i32(int32_t(address)) }).u64(); }
    void poke(uint32_t address, uint64_t value) { call("poke", { i32(int32_t(address)), i64(int64_t(value)) }); }
    Memory& memory() { return *instance->find_export("memory")->memory; }

    Store store;
    Thread thread { store };
    Instance* instance = nullptr;
};

// Little-endian, so a narrow access at address 8 touches the low bytes of the i64 at 8.
constexpr uint64_t k_initial = 0x1111'1111'1111'1111;

struct Width {
    const char* prefix; // the op's name up to its family: "i32.atomic.rmw8."
    const char* suffix; // "_u" for the narrow forms
    unsigned bytes;
    bool is_i64;
};
const Width k_widths[] = {
    { "i32.atomic.rmw.", "", 4, false },
    { "i64.atomic.rmw.", "", 8, true },
    { "i32.atomic.rmw8.", "_u", 1, false },
    { "i32.atomic.rmw16.", "_u", 2, false },
    { "i64.atomic.rmw8.", "_u", 1, true },
    { "i64.atomic.rmw16.", "_u", 2, true },
    { "i64.atomic.rmw32.", "_u", 4, true },
};

uint64_t mask(unsigned bytes) { return bytes == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * bytes)) - 1; }

} // namespace

TEST_F(Atomics, MemoryIsShared)
{
    EXPECT_TRUE(memory().type().shared);
    EXPECT_EQ(memory().type().limits.max, 1u);
}

TEST_F(Atomics, LoadsReadAndZeroExtend)
{
    poke(8, 0x8182'8384'8586'8788);
    EXPECT_EQ(call("i32.atomic.load", { i32(8) }).u64(), 0x8586'8788u);
    EXPECT_EQ(call("i64.atomic.load", { i32(8) }).u64(), 0x8182'8384'8586'8788u);
    EXPECT_EQ(call("i32.atomic.load8_u", { i32(9) }).u64(), 0x87u);
    EXPECT_EQ(call("i32.atomic.load16_u", { i32(10) }).u64(), 0x8586u);
    EXPECT_EQ(call("i64.atomic.load8_u", { i32(15) }).u64(), 0x81u);
    EXPECT_EQ(call("i64.atomic.load16_u", { i32(14) }).u64(), 0x8182u);
    EXPECT_EQ(call("i64.atomic.load32_u", { i32(12) }).u64(), 0x8182'8384u);
}

TEST_F(Atomics, StoresWriteOnlyTheirWidth)
{
    struct Case {
        const char* name;
        unsigned bytes;
        bool is_i64;
    };
    const Case cases[] = { { "i32.atomic.store", 4, false }, { "i64.atomic.store", 8, true },
        { "i32.atomic.store8", 1, false }, { "i32.atomic.store16", 2, false }, { "i64.atomic.store8", 1, true },
        { "i64.atomic.store16", 2, true }, { "i64.atomic.store32", 4, true } };
    for (const Case& c : cases) {
        poke(16, k_initial);
        Value value = c.is_i64 ? i64(int64_t(0xCDCD'CDCD'CDCD'CDCD)) : i32(int32_t(0xCDCD'CDCD));
        call(c.name, { i32(16), value });
        EXPECT_EQ(peek(16), (k_initial & ~mask(c.bytes)) | (0xCDCD'CDCD'CDCD'CDCD & mask(c.bytes))) << c.name;
    }
}

TEST_F(Atomics, ReadModifyWritesReturnTheOldValueAndStoreTheNew)
{
    struct Family {
        const char* name;
        std::function<uint64_t(uint64_t, uint64_t)> apply;
    };
    const Family families[] = {
        { "add", [](uint64_t a, uint64_t b) { return a + b; } },
        { "sub", [](uint64_t a, uint64_t b) { return a - b; } },
        { "and", [](uint64_t a, uint64_t b) { return a & b; } },
        { "or", [](uint64_t a, uint64_t b) { return a | b; } },
        { "xor", [](uint64_t a, uint64_t b) { return a ^ b; } },
        { "xchg", [](uint64_t, uint64_t b) { return b; } },
    };
    // An operand wider than the access: only its low bytes take part.
    const uint64_t operand = 0xF0E1'D2C3'B4A5'9687;
    const uint64_t initial = 0x0102'0304'FFFF'FFF0; // carries out of every narrow width under add
    int checked = 0;
    for (const Family& family : families) {
        for (const Width& width : k_widths) {
            std::string name = std::string(width.prefix) + family.name + width.suffix;
            poke(24, initial);
            Value value = width.is_i64 ? i64(int64_t(operand)) : i32(int32_t(uint32_t(operand)));
            uint64_t old = call(name, { i32(24), value }).u64();
            uint64_t m = mask(width.bytes);
            EXPECT_EQ(old, initial & m) << name;
            uint64_t stored = family.apply(initial & m, operand & m) & m;
            EXPECT_EQ(peek(24), (initial & ~m) | stored) << name;
            ++checked;
        }
    }
    EXPECT_EQ(checked, 42);
}

TEST_F(Atomics, CompareExchangeWrapsTheExpectedValue)
{
    for (const Width& width : k_widths) {
        std::string name = std::string(width.prefix) + "cmpxchg" + width.suffix;
        uint64_t m = mask(width.bytes);
        auto value = [&](uint64_t v) { return width.is_i64 ? i64(int64_t(v)) : i32(int32_t(uint32_t(v))); };
        // Expected differs: nothing is stored, the old value comes back.
        poke(32, k_initial);
        EXPECT_EQ(call(name, { i32(32), value(0x2222'2222'2222'2222), value(0xCDCD'CDCD'CDCD'CDCD) }).u64(), k_initial & m) << name;
        EXPECT_EQ(peek(32), k_initial) << name;
        // Expected equals once wrapped to the width (its high bytes differ): stored.
        uint64_t expected = (k_initial & m) | (width.bytes < 4 ? 0xAB00'0000u : 0);
        EXPECT_EQ(call(name, { i32(32), value(expected), value(0xCDCD'CDCD'CDCD'CDCD) }).u64(), k_initial & m) << name;
        EXPECT_EQ(peek(32), (k_initial & ~m) | (0xCDCD'CDCD'CDCD'CDCD & m)) << name;
    }
}

TEST_F(Atomics, UnalignedAddressesTrap)
{
    EXPECT_TRUE(starts_with(trap("i32.atomic.load", { i32(2) }), "unaligned atomic")) << thread.trap_message();
    EXPECT_EQ(thread.trap_message(), "unaligned atomic: address 2 is not a multiple of 4");
    EXPECT_TRUE(starts_with(trap("i64.atomic.load", { i32(4) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("i32.atomic.load16_u", { i32(1) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("i64.atomic.store32", { i32(6), i64(1) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("i32.atomic.rmw16.add_u", { i32(3), i32(1) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("i64.atomic.rmw.cmpxchg", { i32(12), i64(0), i64(1) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("memory.atomic.notify", { i32(1), i32(1) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("memory.atomic.wait32", { i32(2), i32(0), i64(0) }), "unaligned atomic"));
    EXPECT_TRUE(starts_with(trap("memory.atomic.wait64", { i32(4), i64(0), i64(0) }), "unaligned atomic"));
    // A byte access is always aligned; nothing above changed the memory.
    EXPECT_EQ(call("i32.atomic.rmw8.add_u", { i32(3), i32(1) }).u32(), 0u);
    EXPECT_EQ(peek(0), 0x0100'0000u);
}

TEST_F(Atomics, OutOfBoundsAddressesTrap)
{
    EXPECT_EQ(trap("i32.atomic.load", { i32(65536) }), "out of bounds memory access: 65536+4 > 65536");
    EXPECT_EQ(trap("i64.atomic.rmw.add", { i32(65536 - 4), i64(1) }), "out of bounds memory access: 65532+8 > 65536");
    EXPECT_EQ(trap("i32.atomic.load offset", { i32(4) }), "out of bounds memory access: 65536+4 > 65536");
    EXPECT_EQ(call("i32.atomic.load offset", { i32(0) }).u32(), 0u);
    EXPECT_TRUE(starts_with(trap("memory.atomic.notify", { i32(-4), i32(1) }), "out of bounds memory access"));
    EXPECT_TRUE(starts_with(trap("memory.atomic.wait64", { i32(65536), i64(0), i64(-1) }), "out of bounds memory access"));
    // Bounds come first: an address both unaligned and out of bounds is reported out of bounds.
    EXPECT_TRUE(starts_with(trap("i32.atomic.store", { i32(65535), i32(1) }), "out of bounds memory access"));
}

TEST_F(Atomics, FenceRuns) { call("atomic.fence", {}); }

TEST_F(Atomics, NotifyWithoutWaitersWakesNone)
{
    EXPECT_EQ(call("memory.atomic.notify", { i32(0), i32(5) }).u32(), 0u);
}

TEST_F(Atomics, NotifyAsksTheEmbeddersWaiters)
{
    FakeWaiters waiters;
    waiters.waiting = 3;
    memory().set_waiters(&waiters);
    EXPECT_EQ(call("memory.atomic.notify", { i32(64), i32(2) }).u32(), 2u);
    EXPECT_EQ(waiters.last_memory, &memory());
    EXPECT_EQ(waiters.last_address, 64u);
    EXPECT_EQ(waiters.last_count, 2u);
    EXPECT_EQ(call("memory.atomic.notify", { i32(64), i32(-1) }).u32(), 3u);
    EXPECT_EQ(waiters.last_count, 0xFFFF'FFFFu);
    EXPECT_EQ(waiters.calls, 2);
    memory().set_waiters(nullptr);
}

TEST_F(Atomics, WaitReturnsAtOnceWhenTheValueDiffersOrTheTimeoutIsZero)
{
    poke(40, 0x0000'0007'0000'0005);
    EXPECT_EQ(call("memory.atomic.wait32", { i32(40), i32(6), i64(-1) }).u32(), 1u); // not-equal
    EXPECT_EQ(call("memory.atomic.wait32", { i32(40), i32(5), i64(0) }).u32(), 2u);  // timed-out
    EXPECT_EQ(call("memory.atomic.wait64", { i32(40), i64(5), i64(-1) }).u32(), 1u);
    EXPECT_EQ(call("memory.atomic.wait64", { i32(40), i64(0x0000'0007'0000'0005), i64(0) }).u32(), 2u);
}

TEST_F(Atomics, WaitSuspendsWithARecordTheEmbedderResolves)
{
    poke(48, 0x0000'0009'0000'0005);
    ASSERT_EQ(thread.call(function("memory.atomic.wait32"), std::vector<Value> { i32(48), i32(5), i64(1'000'000) }),
        RunState::Suspended);
    EXPECT_EQ(thread.suspended_function(), nullptr);
    EXPECT_TRUE(thread.suspended_args().empty());
    auto wait = thread.suspended_wait();
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(wait->memory, &memory());
    EXPECT_EQ(wait->address, 48u);
    EXPECT_EQ(wait->expected, 5u);
    EXPECT_EQ(wait->width, 4u);
    EXPECT_EQ(wait->timeout_ns, 1'000'000);
    EXPECT_TRUE(wait->still_expected());
    // The embedder woke it ("ok").
    Value ok = i32(0);
    thread.resume_host_call(std::span<const Value>(&ok, 1));
    EXPECT_FALSE(thread.suspended_wait().has_value());
    ASSERT_EQ(thread.run(UINT64_MAX), RunState::Finished);
    EXPECT_EQ(thread.results()[0].u32(), 0u);

    // Forever this time; the result is kept in a local and added to.
    ASSERT_EQ(thread.call(function("wait32 plus"), std::vector<Value> { i32(48), i32(5), i64(-1), i32(40) }),
        RunState::Suspended);
    wait = thread.suspended_wait();
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(wait->timeout_ns, -1);
    Value timed_out = i32(2);
    thread.resume_host_call(std::span<const Value>(&timed_out, 1));
    ASSERT_EQ(thread.run(UINT64_MAX), RunState::Finished);
    EXPECT_EQ(thread.results()[0].u32(), 42u);

    ASSERT_EQ(thread.call(function("memory.atomic.wait64"), std::vector<Value> { i32(48), i64(0x0000'0009'0000'0005), i64(-1) }),
        RunState::Suspended);
    wait = thread.suspended_wait();
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(wait->width, 8u);
    EXPECT_EQ(wait->expected, 0x0000'0009'0000'0005u);
    // Another thread changed the value before the embedder queued the wait: its re-check sees it.
    __atomic_store_n(memory().data() + 48, uint8_t(0), __ATOMIC_SEQ_CST);
    EXPECT_FALSE(wait->still_expected());
    thread.resume_host_call_with_trap("the process exited");
    EXPECT_EQ(thread.state(), RunState::Trapped);
    EXPECT_FALSE(thread.suspended_wait().has_value());
}

TEST(AtomicsUnshared, AtomicsWorkNotifyWakesNoneWaitTraps)
{
    auto valid = load_fixture("atomics_unshared");
    ASSERT_FALSE(valid.is_error()) << valid.error().message();
    Store store;
    auto instance = store.instantiate(valid.value(), {});
    ASSERT_FALSE(instance.is_error()) << instance.error().message();
    Thread thread(store);
    auto function = [&](std::string_view name) { return instance.value()->find_export(name)->function; };
    ASSERT_EQ(thread.call(function("i32.atomic.rmw.add"), std::vector<Value> { i32(0), i32(7) }), RunState::Finished);
    ASSERT_EQ(thread.call(function("i32.atomic.rmw.add"), std::vector<Value> { i32(0), i32(7) }), RunState::Finished);
    EXPECT_EQ(thread.results()[0].u32(), 7u);
    // Even with waiters installed: nobody can wait on an unshared memory.
    FakeWaiters waiters;
    waiters.waiting = 1;
    instance.value()->find_export("memory")->memory->set_waiters(&waiters);
    ASSERT_EQ(thread.call(function("memory.atomic.notify"), std::vector<Value> { i32(0), i32(1) }), RunState::Finished);
    EXPECT_EQ(thread.results()[0].u32(), 0u);
    EXPECT_EQ(waiters.calls, 0);
    ASSERT_EQ(thread.call(function("memory.atomic.wait32"), std::vector<Value> { i32(0), i32(1), i64(0) }), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "expected shared memory");
    ASSERT_EQ(thread.call(function("memory.atomic.wait64"), std::vector<Value> { i32(0), i64(14), i64(-1) }), RunState::Trapped);
    EXPECT_EQ(thread.trap_message(), "expected shared memory");
}

TEST(AtomicsImport, SharedAndUnsharedMemoriesDoNotMatch)
{
    auto valid = load_fixture("atomics_import");
    ASSERT_FALSE(valid.is_error()) << valid.error().message();
    Store store;
    Memory* unshared = store.create_memory(MemoryType { Limits { 1, 2 }, false }).value();
    Extern unshared_import = Extern::from(unshared);
    auto refused = store.instantiate(valid.value(), std::span<const Extern>(&unshared_import, 1));
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().message(), "incompatible import type: env.memory: expected a shared memory");

    Memory* shared = store.create_memory(MemoryType { Limits { 1, 2 }, true }).value();
    Extern shared_import = Extern::from(shared);
    auto instance = store.instantiate(valid.value(), std::span<const Extern>(&shared_import, 1));
    ASSERT_FALSE(instance.is_error()) << instance.error().message();
    Thread thread(store);
    std::vector<Value> args = { i32(8), i32(99) };
    ASSERT_EQ(thread.call(instance.value()->find_export("i32.atomic.rmw.xchg")->function, args), RunState::Finished);
    EXPECT_EQ(shared->data()[8], 99);
}

TEST(AtomicsDecoding, SharedMemoryLimits)
{
    auto decoded = decode(module_with({ 0x03, 0x02, 0x05 }, {}));
    ASSERT_FALSE(decoded.is_error()) << decoded.error().message();
    EXPECT_TRUE(decoded.value().memories[0].shared);
    EXPECT_EQ(decoded.value().memories[0].limits.min, 2u);
    EXPECT_EQ(decoded.value().memories[0].limits.max, 5u);
    EXPECT_FALSE(decode(module_with({ 0x01, 0x02, 0x05 }, {})).value().memories[0].shared);
    // Shared needs a maximum: flag 2 is no encoding. Nor are the flags above 3.
    EXPECT_TRUE(starts_with(load_error(module_with({ 0x02, 0x02 }, {})), "integer too large"));
    EXPECT_TRUE(starts_with(load_error(module_with({ 0x04, 0x02 }, {})), "integer too large"));
    EXPECT_TRUE(starts_with(load_error(module_with({ 0x83, 0x00, 0x02, 0x05 }, {})), "integer representation too long"));
    // Limits are still checked by the validator.
    EXPECT_PRED2(contains, load_error(module_with({ 0x03, 0x03, 0x02 }, {})), "size minimum must not be greater than maximum");
}

TEST(AtomicsDecoding, Instructions)
{
    // i32.const 0; i32.atomic.load align=4 offset=0; drop
    EXPECT_EQ(load_error(module_with(k_shared_memory, { 0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, 0x1A })), "");
    // atomic.fence with its reserved byte, and with a non-zero one.
    EXPECT_EQ(load_error(module_with({}, { 0xFE, 0x03, 0x00 })), "");
    EXPECT_TRUE(starts_with(load_error(module_with({}, { 0xFE, 0x03, 0x01 })), "zero byte expected"));
    // Codes the proposal leaves free, and past its last.
    EXPECT_TRUE(starts_with(load_error(module_with(k_shared_memory, { 0xFE, 0x04 })), "illegal opcode fe 04"));
    EXPECT_TRUE(starts_with(load_error(module_with(k_shared_memory, { 0xFE, 0x4F })), "illegal opcode fe 4f"));
    // The sub-opcode is a LEB128 u32: a long encoding of 0x10 is still i32.atomic.load.
    EXPECT_EQ(load_error(module_with(k_shared_memory, { 0x41, 0x00, 0xFE, 0x90, 0x00, 0x02, 0x00, 0x1A })), "");
    // Truncated: the memarg is missing.
    EXPECT_FALSE(load_error(module_with(k_shared_memory, { 0x41, 0x00, 0xFE, 0x10 })).empty());
}

TEST(AtomicsValidation, AlignmentMustBeExactlyNatural)
{
    // i32.const 0; i64.atomic.load align=2^a; drop
    auto load64 = [](uint8_t align) { return Bytes { 0x41, 0x00, 0xFE, 0x11, align, 0x00, 0x1A }; };
    EXPECT_EQ(load_error(module_with(k_shared_memory, load64(3))), "");
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, load64(2))), "atomic alignment must be natural");
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, load64(0))), "atomic alignment must be natural");
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, load64(4))), "alignment must not be larger than natural");
    // i32.const 0; i32.const 0; i32.atomic.rmw8.add_u align=1 (2^0 is natural); drop
    EXPECT_EQ(load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0xFE, 0x20, 0x00, 0x00, 0x1A })), "");
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0xFE, 0x20, 0x01, 0x00, 0x1A })),
        "alignment must not be larger than natural");
    // memory.atomic.notify's alignment is 4's.
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0xFE, 0x00, 0x01, 0x00, 0x1A })),
        "atomic alignment must be natural");
}

TEST(AtomicsValidation, TypesAndMemory)
{
    // An atomic access needs a memory; atomic.fence does not.
    EXPECT_PRED2(contains, load_error(module_with({}, { 0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, 0x1A })), "unknown memory 0");
    EXPECT_EQ(load_error(module_with({}, { 0xFE, 0x03, 0x00 })), "");
    // Any memory will do for validation; wait traps on an unshared one at run time.
    EXPECT_EQ(load_error(module_with({ 0x00, 0x01 }, { 0x41, 0x00, 0x41, 0x00, 0x42, 0x00, 0xFE, 0x01, 0x02, 0x00, 0x1A })), "");
    // i64.atomic.rmw.add wants an i64 operand, not an i32.
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0xFE, 0x1F, 0x03, 0x00, 0x1A })),
        "type mismatch");
    // memory.atomic.wait32's timeout is an i64.
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFE, 0x01, 0x02, 0x00, 0x1A })),
        "type mismatch");
    // i32.atomic.rmw.cmpxchg takes three operands.
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0xFE, 0x48, 0x02, 0x00, 0x1A })),
        "type mismatch");
    // i32.atomic.store leaves nothing: dropping after it underflows.
    EXPECT_PRED2(contains, load_error(module_with(k_shared_memory, { 0x41, 0x00, 0x41, 0x00, 0xFE, 0x17, 0x02, 0x00, 0x1A })),
        "type mismatch");
}
