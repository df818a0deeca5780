// The runtime objects of the engine and the Store that owns them.
// https://webassembly.github.io/spec/core/exec/runtime.html
//
// A Store owns every Function, Table, Memory, GlobalInstance and Instance created in it; they live as
// long as the Store, so plain pointers between them are always valid (a funcref in a table is a
// Function*). One Store per process in the kernel; one per .wast script in the spec runner.
// The owner serialises instantiate() and the create_*() calls. Threads of one Store may run on
// different OS threads, one after another or, each on an instance of its own, at the same time:
// what they then share — a shared Memory, host functions, Function objects — is safe for that
// (docs/engine-threads.md, "Threads running at once").
#pragma once

#include "base/result.h"
#include "engine/types.h"
#include "engine/validator.h"
#include "engine/value.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hashos::wasm {

class Instance;
class Thread;
struct CompiledFunction; // internal form, engine/compiler.h

// What a host function tells the interpreter when it returns.
enum class HostOutcome : uint8_t {
    Return,  // results are filled in; execution continues
    Trap,    // trap with HostCall::trap_message
    Suspend, // run() returns Suspended; the embedder later calls Thread::resume_host_call
};

struct HostCall {
    Thread& thread;
    Instance* caller; // instance of the wasm function that called (null when called from the embedder)
    std::span<const Value> args;
    std::span<Value> results; // sized to the function type's results
    std::string trap_message;
};

using HostCallback = std::function<HostOutcome(HostCall&)>;

// Whether compiled code charges fuel (see Thread::run).
enum class FuelMetering : uint8_t {
    On,  // the default: loop iterations and calls are charged, so run(fuel) can preempt any loop
    Off, // no accounting in the code at all, so it never stops OutOfFuel: for trusted code and
         // for measuring what metering costs (bench/engine)
};

// A function: either wasm code in an instance, or a host callback.
class Function {
public:
    const FuncType& type() const { return m_type; }
    bool is_host() const { return m_instance == nullptr; }
    Instance* instance() const { return m_instance; }

private:
    friend class Store;
    friend class Instance;
    friend class Thread;
    friend struct Interpreter;
    FuncType m_type;
    uint32_t m_type_id = 0;                    // Store-wide id of m_type: call_indirect compares ids
    Instance* m_instance = nullptr;            // wasm function: its instance
    uint32_t m_index_in_module = 0;            // wasm function: index in its module's index space
    const CompiledFunction* m_code = nullptr;  // wasm function: its compiled form
    HostCallback m_host;                       // host function
};

class Memory;

// Threads proposal: the embedder's side of memory.atomic.notify on a shared memory. The engine
// never blocks: memory.atomic.wait suspends the Thread (Thread::suspended_wait()), and whoever
// resolves those waits (the kernel) also wakes them here. Called from the interpreter, on the OS
// thread running the notifying Thread, so an implementation must be thread-safe.
// https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#wait-and-notify-operators
class AtomicWaiters {
public:
    virtual ~AtomicWaiters() = default;
    // Wakes at most `count` threads suspended in a wait at effective `address` of `memory`
    // (in the order they started waiting) and returns how many it woke.
    virtual uint32_t notify(Memory& memory, uint64_t address, uint32_t count) = 0;
};

// A linear memory, reserved once at its maximum (mmap, PROT_NONE) and committed on grow, so its
// base address never moves.
// Threads: a shared memory is used by several OS threads at once (docs/engine-threads.md). grow()
// takes a lock, commits the pages, then publishes the new size (release); the size getters read
// it (acquire), so whoever sees the new size can use the new pages. The size only ever grows.
class Memory {
public:
    ~Memory();
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;

    const MemoryType& type() const { return m_type; }
    uint8_t* data() const { return m_base; }
    uint64_t size_in_bytes() const { return uint64_t(size_in_pages()) * k_page_size; }
    uint32_t size_in_pages() const { return m_pages.load(std::memory_order_acquire); }
    // Returns the old size in pages, or nullopt when the maximum or the reservation is exceeded.
    std::optional<uint32_t> grow(uint32_t delta_pages);

    // Who memory.atomic.notify asks to wake waiters (shared memories only). Without one, no
    // thread can be waiting, so notify wakes none and returns 0. Set before any thread runs.
    AtomicWaiters* waiters() const { return m_waiters; }
    void set_waiters(AtomicWaiters* waiters) { m_waiters = waiters; }

private:
    friend class Store;
    Memory() = default;
    // Reserves `reserved_pages` of address space and commits the type's minimum.
    Result<void> initialize(MemoryType type, uint32_t reserved_pages);
    size_t m_reserved_bytes = 0;
    MemoryType m_type;
    uint8_t* m_base = nullptr;
    std::mutex m_grow_lock; // one grow at a time: each commits the pages after the last one's
    std::atomic<uint32_t> m_pages { 0 };
    uint32_t m_reserved_pages = 0;
    AtomicWaiters* m_waiters = nullptr;
};

class Table {
public:
    const TableType& type() const { return m_type; }
    uint32_t size() const { return uint32_t(m_elements.size()); }
    std::vector<Value>& elements() { return m_elements; }
    // Returns the old size, or nullopt when the maximum is exceeded.
    std::optional<uint32_t> grow(uint32_t delta, Value init);

private:
    friend class Store;
    TableType m_type;
    std::vector<Value> m_elements;
};

// A global variable at run time. Not `Global`: engine/module.h already names the module's global
// definition so, in the same namespace.
class GlobalInstance {
public:
    const GlobalType& type() const { return m_type; }
    Value value() const { return m_value; }
    void set_value(Value value) { m_value = value; }
    Value* slot() { return &m_value; }

private:
    friend class Store;
    GlobalType m_type;
    Value m_value;
};

// An external value: what an import receives and an export gives.
struct Extern {
    ExternKind kind = ExternKind::Function;
    union {
        Function* function;
        Table* table;
        Memory* memory;
        GlobalInstance* global;
    };
    Extern() : function(nullptr) {}
    static Extern from(Function* f) { Extern e; e.kind = ExternKind::Function; e.function = f; return e; }
    static Extern from(Table* t) { Extern e; e.kind = ExternKind::Table; e.table = t; return e; }
    static Extern from(Memory* m) { Extern e; e.kind = ExternKind::Memory; e.memory = m; return e; }
    static Extern from(GlobalInstance* g) { Extern e; e.kind = ExternKind::Global; e.global = g; return e; }
};

class Instance;

class Store {
public:
    Store();
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Function* create_host_function(FuncType type, HostCallback callback);
    Result<Memory*> create_memory(MemoryType type);
    Result<Table*> create_table(TableType type, Value init = Value::null_ref());
    GlobalInstance* create_global(GlobalType type, Value value);

    // Upper bound on pages any memory in this store may reserve or grow to (the process limit).
    void set_memory_page_limit(uint32_t pages) { m_memory_page_limit = pages; }
    uint32_t memory_page_limit() const { return m_memory_page_limit; }

    // Fuel metering of the code of the instances created from now on (compiled on first call).
    void set_fuel_metering(FuelMetering metering) { m_fuel_metering = metering; }
    FuelMetering fuel_metering() const { return m_fuel_metering; }

    // Instantiates a module: checks imports (in module import order) against their declared
    // types ("unknown import" is the caller's to report; here: "incompatible import type"),
    // allocates tables/memories/globals, applies element and data segments
    // ("out of bounds table access" / "out of bounds memory access" on failure).
    // Does NOT run the start function: the caller runs instance->start_function() on a Thread,
    // so a long or trapping start is resumable like any other call.
    Result<Instance*> instantiate(const ValidModule& module, std::span<const Extern> imports);

private:
    // Function types are interned to small ids so that call_indirect compares one integer.
    uint32_t intern_type(const FuncType& type);
    Result<void> check_import(const Module& module, const Import& import, const Extern& value) const;

    std::unordered_map<std::string, uint32_t> m_type_ids; // key: encoded params and results
    std::deque<std::unique_ptr<Function>> m_functions;
    std::deque<std::unique_ptr<Memory>> m_memories;
    std::deque<std::unique_ptr<Table>> m_tables;
    std::deque<std::unique_ptr<GlobalInstance>> m_globals;
    std::deque<std::unique_ptr<Instance>> m_instances;
    uint32_t m_memory_page_limit = k_max_pages;
    FuelMetering m_fuel_metering = FuelMetering::On;
};

} // namespace hashos::wasm
