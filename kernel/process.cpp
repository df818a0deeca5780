#include "kernel/process.h"

#include "engine/module.h"
#include "engine/validator.h"
#include "kernel/scheduler.h"
#include "kernel/services.h"
#include "kernel/syscalls.h"

#include <algorithm>

namespace hashos::kernel {

namespace {

bool is_entry_type(const wasm::FuncType& type)
{
    return type.params.empty()
        && (type.results.empty() || (type.results.size() == 1 && type.results[0] == wasm::ValType::I32));
}

} // namespace

Process::Process(Services& services, ProcessIdentity identity, const Limits& limits)
    : m_services(services)
    , m_identity(std::move(identity))
    , m_limits(limits)
    , m_store(std::make_unique<wasm::Store>())
{
    // The mailbox wakes threads through the scheduler; it outlives none of them (exit() closes
    // it before the threads go), so the raw capture of `services` is safe.
    Services* shared_services = &services;
    m_mailbox = std::make_shared<Mailbox>(limits.pending_messages, limits.queued_messages,
        [shared_services](Thread& thread) { shared_services->scheduler->wake(thread); });
    m_handler = std::make_shared<ProcessHandler>(m_mailbox, description());
}

Process::~Process() = default;

std::string Process::description() const
{
    return "process " + std::to_string(m_identity.id.value()) + " (" + m_identity.name + ")";
}

Result<std::shared_ptr<Process>> Process::create(Services& services, ProcessIdentity identity,
    std::span<const uint8_t> wasm, const Limits& limits)
{
    std::shared_ptr<Process> process(new Process(services, std::move(identity), limits));
    if (auto instantiated = process->instantiate(wasm); instantiated.is_error())
        return Error(process->m_identity.name + ": " + instantiated.error().message());
    return process;
}

Result<void> Process::instantiate(std::span<const uint8_t> wasm)
{
    auto module = TRY(wasm::decode(wasm));
    auto valid = TRY(wasm::validate(std::move(module)));
    m_store->set_memory_page_limit(m_limits.memory_pages);

    std::vector<wasm::Extern> imports;
    // Each import provider binds once, at its module's first import (kernel/import_provider.h).
    std::vector<std::pair<ImportProvider*, std::unique_ptr<ProcessImports>>> bound;
    for (size_t i = 0; i < valid.module().imports.size(); ++i) {
        const wasm::Import& import = valid.module().imports[i];
        // docs/threads.md: a program made for threads imports its memory (env.memory, from
        // wasm-ld --import-memory) so that each thread's instance can share it.
        if (import.kind == wasm::ExternKind::Memory && import.module == "env" && import.name == "memory") {
            imports.push_back(wasm::Extern::from(TRY(import_memory(import.memory))));
            continue;
        }
        if (import.kind != wasm::ExternKind::Function)
            return Error("unknown import " + import.module + "." + import.name);
        const wasm::FuncType& type = valid.module().types[import.type_index];
        if (import.module == "hashos") {
            imports.push_back(wasm::Extern::from(TRY(syscalls::make_import(*this, import.name, type))));
            continue;
        }
        auto provider = std::find_if(m_services.import_providers.begin(), m_services.import_providers.end(),
            [&](const auto& candidate) { return candidate->module_name() == import.module; });
        if (provider == m_services.import_providers.end())
            return Error("unknown import " + import.module + "." + import.name);
        auto binding = std::find_if(bound.begin(), bound.end(), [&](const auto& entry) { return entry.first == provider->get(); });
        if (binding == bound.end()) {
            bound.emplace_back(provider->get(), TRY((*provider)->bind(*this)));
            binding = bound.end() - 1;
            m_uses_import_providers = true;
        }
        imports.push_back(wasm::Extern::from(TRY(binding->second->make_import(import.name, type))));
    }
    m_instance = TRY(m_store->instantiate(valid, imports));
    m_imports = std::move(imports);
    record_memory_size();

    for (const char* name : { "_start", "main" }) {
        auto found = m_instance->find_export(name);
        if (found && found->kind == wasm::ExternKind::Function) {
            if (!is_entry_type(found->function->type()))
                return Error(std::string("export ") + name + " must have type [] -> [] or [] -> [i32]");
            m_entry = found->function;
            break;
        }
    }
    if (!m_entry)
        return Error("no _start or main export to run");

    wasm::Function* first = m_instance->start_function();
    // Nothing runs yet: no other thread can see the table.
    Thread* main = TRY(add_thread_locked(first ? first : m_entry, {}));
    main->set_phase(first ? Phase::StartFunction : Phase::Entry);
    return {};
}

Result<wasm::Memory*> Process::import_memory(const wasm::MemoryType& type)
{
    wasm::Memory* memory = TRY(m_store->create_memory(type));
    if (type.shared) {
        // The memory was reserved at its maximum (engine/memory.cpp), so its base never moves
        // when one thread grows it while another runs.
        m_shared_memory = memory;
        Services* services = &m_services;
        // A notifier goes on running: the woken thread goes to an idle worker, not after it.
        m_waiters = std::make_shared<ProcessWaiters>(services->timers,
            [services](Thread& thread) { services->scheduler->wake(thread, Scheduler::WakeTo::Queue); });
        memory->set_waiters(m_waiters.get());
    }
    return memory;
}

Result<uint32_t> Process::spawn_thread(int32_t argument, SpawnRefusal* why)
{
    auto refuse = [&](std::string reason) {
        if (why)
            *why = SpawnRefusal::NotThreaded;
        return Error(description() + ": cannot start a thread: " + reason);
    };
    if (!m_shared_memory)
        return refuse("the program imports no shared memory (link with -Wl,--shared-memory -Wl,--import-memory)");
    auto entry = m_instance->find_export("hashos_thread_start");
    if (!entry || entry->kind != wasm::ExternKind::Function)
        return refuse("the program exports no function hashos_thread_start");
    const wasm::FuncType& type = entry->function->type();
    if (type.params != std::vector { wasm::ValType::I32, wasm::ValType::I32 } || !type.results.empty())
        return refuse("hashos_thread_start must have type [i32 i32] -> []");
    // A new instance re-applies active data segments: they would overwrite the live memory.
    // wasm-ld --shared-memory makes them passive and initialises them once (__wasm_init_memory).
    for (const wasm::DataSegment& segment : m_instance->module().module().datas) {
        if (segment.mode == wasm::DataSegment::Mode::Active)
            return refuse("the program has active data segments (link with -Wl,--shared-memory)");
    }
    // Not from the spec: an import provider's per-process state (WASI's descriptor table) is
    // made for one thread at a time, and the threads of a process run at once.
    if (m_uses_import_providers)
        return refuse("the program imports host functions besides hashos (WASI), which serve one thread only");

    Thread* thread = nullptr;
    uint32_t id = 0;
    {
        // Two threads may spawn at once: the limit, the Store and the table are checked and
        // changed together.
        std::lock_guard lock(m_threads_lock);
        if (m_threads.size() >= m_limits.threads) {
            if (why)
                *why = SpawnRefusal::AtLimit;
            return Error(description() + ": thread limit of " + std::to_string(m_limits.threads) + " reached");
        }
        // Each thread has its own instance: its own globals (clang's __stack_pointer among them)
        // and tables, the same host functions and the same shared memory.
        wasm::Instance* instance = TRY(m_store->instantiate(m_instance->module(), m_imports));
        wasm::Function* thread_start = instance->find_export("hashos_thread_start")->function;
        wasm::Function* first = instance->start_function();
        id = m_next_thread_id++;
        std::vector<wasm::Value> args { wasm::Value::from_i32(int32_t(id)), wasm::Value::from_i32(argument) };
        thread = TRY(add_thread_locked(first ? first : thread_start, first ? std::span<const wasm::Value>() : std::span<const wasm::Value>(args)));
        thread->set_id(id);
        if (first) {
            thread->set_phase(Phase::SecondaryStart);
            thread->then_call() = Thread::Call { thread_start, std::move(args) };
        }
    }
    // Ready at once, on any worker: it runs beside the thread that started it.
    m_services.scheduler->start_thread(*thread);
    return id;
}

ExitStatus Process::trap_status(Thread& thread)
{
    if (thread.id() == 1)
        return ExitStatus::trapped(thread.engine().trap_message());
    return ExitStatus::trapped("thread " + std::to_string(thread.id()) + ": " + thread.engine().trap_message());
}

Result<Thread*> Process::add_thread_locked(wasm::Function* function, std::span<const wasm::Value> args)
{
    if (m_threads.size() >= m_limits.threads)
        return Error(description() + ": thread limit of " + std::to_string(m_limits.threads) + " reached");
    wasm::ThreadLimits limits { m_limits.stack_slots, m_limits.call_depth };
    auto thread = std::make_unique<Thread>(*this, m_threads.empty() ? Phase::Entry : Phase::Secondary, limits);
    TRY(thread->engine().start(function, args));
    m_threads.push_back(std::move(thread));
    m_thread_count.store(uint32_t(m_threads.size()), std::memory_order_relaxed);
    return m_threads.back().get();
}

void Process::remove_thread(Thread& thread)
{
    // No wake can reach it after these: both wake under the locks these take.
    m_mailbox->remove_waiter(thread);
    if (m_waiters)
        m_waiters->remove(thread);
    std::unique_ptr<Thread> gone; // destroyed after the lock is released
    std::lock_guard lock(m_threads_lock);
    auto found = std::find_if(m_threads.begin(), m_threads.end(), [&](const auto& owned) { return owned.get() == &thread; });
    if (found != m_threads.end()) {
        gone = std::move(*found);
        m_threads.erase(found);
    }
    m_thread_count.store(uint32_t(m_threads.size()), std::memory_order_relaxed);
}

void Process::record_memory_size()
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < m_instance->memory_count(); ++i)
        bytes += m_instance->memory(uint32_t(i))->size_in_bytes();
    m_memory_bytes.store(bytes, std::memory_order_relaxed);
}

Process::AfterFinish Process::thread_finished(Thread& thread, ExitStatus& status)
{
    switch (thread.phase()) {
    case Phase::StartFunction:
        thread.set_phase(Phase::Entry);
        if (auto started = thread.engine().start(m_entry, {}); started.is_error()) {
            status = ExitStatus::trapped(started.error().message());
            return AfterFinish::ProcessExits;
        }
        return AfterFinish::Continue;
    case Phase::Entry: {
        auto results = thread.engine().results();
        status = ExitStatus::exited(results.empty() ? 0 : results[0].i32());
        return AfterFinish::ProcessExits;
    }
    case Phase::SecondaryStart: {
        thread.set_phase(Phase::Secondary);
        Thread::Call call = std::move(*thread.then_call());
        thread.then_call().reset();
        if (auto started = thread.engine().start(call.function, call.args); started.is_error()) {
            status = ExitStatus::trapped("thread " + std::to_string(thread.id()) + ": " + started.error().message());
            return AfterFinish::ProcessExits;
        }
        return AfterFinish::Continue;
    }
    case Phase::Secondary:
        return AfterFinish::ThreadDone;
    }
    return AfterFinish::ThreadDone;
}

void Process::exit(const ExitStatus& status)
{
    // No new messages: leave the registry first, then close the mailbox.
    m_services.registry.remove_all(*m_handler);
    Mailbox::Closed closed = m_mailbox->close();
    std::string reason = description() + " exited before answering";
    for (const Message& message : closed.unanswered)
        answer_message(message, Answer::error(ErrorCode::Unavailable, reason));
    for (auto& [id, handler] : closed.pending) {
        if (auto alive = handler.lock())
            alive->cancel(id);
    }
    for (auto& handler : closed.served_by) {
        if (auto alive = handler.lock())
            alive->sender_exited(sender_id());
    }
    m_services.registry.drop_parked_from(sender_id());
    // No timer or notify may wake a thread from now on.
    if (m_waiters)
        m_waiters->clear();
    // The engine threads go now (none is on a worker: the scheduler calls this only then); the
    // Store (and its memory) goes with the last reference.
    {
        std::lock_guard lock(m_threads_lock);
        m_threads.clear();
        m_thread_count.store(0, std::memory_order_relaxed);
    }
    if (m_services.on_exit)
        m_services.on_exit(*this, status);
}

} // namespace hashos::kernel
