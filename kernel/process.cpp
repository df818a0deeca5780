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
        }
        imports.push_back(wasm::Extern::from(TRY(binding->second->make_import(import.name, type))));
    }
    m_instance = TRY(m_store->instantiate(valid, imports));
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
    Thread* main = TRY(add_thread(first ? first : m_entry, {}));
    main->set_phase(first ? Phase::StartFunction : Phase::Entry);
    return {};
}

Result<Thread*> Process::add_thread(wasm::Function* function, std::span<const wasm::Value> args)
{
    if (m_threads.size() >= m_limits.threads)
        return Error(description() + ": thread limit of " + std::to_string(m_limits.threads) + " reached");
    wasm::ThreadLimits limits { m_limits.stack_slots, m_limits.call_depth };
    auto thread = std::make_unique<Thread>(*this, m_threads.empty() ? Phase::Entry : Phase::Secondary, limits);
    TRY(thread->engine().start(function, args));
    m_threads.push_back(std::move(thread));
    m_thread_count.store(uint32_t(m_threads.size()), std::memory_order_relaxed);
    Thread* added = m_threads.back().get();
    std::lock_guard lock(m_schedule_lock);
    m_ready.push_back(added);
    return added;
}

void Process::remove_thread(Thread& thread)
{
    m_mailbox->remove_waiter(thread);
    std::erase_if(m_threads, [&](const auto& owned) { return owned.get() == &thread; });
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
    case Phase::Secondary:
        return AfterFinish::ThreadDone;
    }
    return AfterFinish::ThreadDone;
}

void Process::exit(const ExitStatus& status)
{
    {
        std::lock_guard lock(m_schedule_lock);
        m_exited = true;
        m_ready.clear();
    }
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
    // The engine threads go now; the Store (and its memory) goes with the last reference.
    m_threads.clear();
    if (m_services.on_exit)
        m_services.on_exit(*this, status);
}

} // namespace hashos::kernel
