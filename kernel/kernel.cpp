#include "kernel/kernel.h"

#include "kernel/interface_handler.h"
#include "kernel/process.h"
#include "kernel/thread_handler.h"

namespace hashos::kernel {

namespace {

const ProgramId k_kernel_program("kernel");

// Where the answer to an embedder's message goes: a callback, run once.
class CallbackSink final : public AnswerSink {
public:
    CallbackSink(std::function<void(Answer)> callback, std::function<void()> release)
        : m_callback(std::move(callback))
        , m_release(std::move(release))
    {
    }
    void receive_answer(MessageId, const InterfaceHash&, Answer answer) override
    {
        std::function<void(Answer)> callback;
        std::function<void()> release;
        {
            std::lock_guard lock(m_lock);
            callback = std::move(m_callback);
            release = std::move(m_release);
            m_callback = nullptr;
        }
        if (!callback)
            return;
        callback(std::move(answer));
        release(); // may destroy this sink: no member may be touched after
    }

private:
    std::mutex m_lock;
    std::function<void(Answer)> m_callback;
    std::function<void()> m_release;
};

} // namespace

Kernel::Kernel(KernelConfig config)
    : m_config(std::move(config))
    , m_scheduler(m_config.scheduler)
{
    m_services.scheduler = &m_scheduler;
    m_services.interface_interface = m_config.interface_interface;
    m_services.import_providers = m_config.import_providers;
    m_services.on_exit = [this](Process& process, const ExitStatus& status) { exited(process, status); };
    // Every program may ask to handle an interface; who gets which is the registry's decision.
    m_services.permissions.set_default(m_config.interface_interface, Decision::Allow);
    auto lookup = [this](SenderId sender) -> std::optional<InterfaceHandler::Registrant> {
        std::lock_guard lock(m_lock);
        auto it = m_processes.find(ProcessId(sender.value()));
        if (it == m_processes.end())
            return std::nullopt;
        const Process& process = *it->second;
        return InterfaceHandler::Registrant { process.handler(), process.program(), process.limits().interfaces };
    };
    m_services.registry.add(m_config.interface_interface,
        std::make_shared<InterfaceHandler>(m_services.registry, std::move(lookup)), k_kernel_program);
    if (m_config.thread_interface) {
        // A program may always start threads of its own; Limits::threads bounds them.
        m_services.permissions.set_default(*m_config.thread_interface, Decision::Allow);
        m_services.registry.add(*m_config.thread_interface, std::make_shared<ThreadHandler>(), k_kernel_program);
    }
    m_scheduler.start();
}

Kernel::~Kernel() { shutdown(); }

Result<ProcessId> Kernel::spawn(std::span<const uint8_t> wasm, ProgramId program, std::string name)
{
    return spawn(wasm, std::move(program), std::move(name), m_config.limits);
}

Result<ProcessId> Kernel::spawn(std::span<const uint8_t> wasm, ProgramId program, std::string name, const Limits& limits)
{
    ProcessId id;
    {
        std::lock_guard lock(m_lock);
        if (m_shut_down)
            return Error("the kernel is shut down");
        id = ProcessId(m_next_process_id++);
    }
    auto process = TRY(Process::create(m_services, { id, std::move(program), std::move(name) }, wasm, limits));
    {
        std::lock_guard lock(m_lock);
        m_processes.emplace(id, process);
    }
    m_scheduler.enqueue(std::move(process));
    return id;
}

Registration Kernel::register_handler(const InterfaceHash& interface, std::shared_ptr<Handler> handler)
{
    return m_services.registry.add(interface, std::move(handler), k_kernel_program);
}

void Kernel::emit(const InterfaceHash& interface, std::vector<uint8_t> body, WaitForHandler wait,
    std::function<void(Answer)> on_answer)
{
    MessageId id = m_services.new_message_id();
    auto sink = std::make_shared<CallbackSink>(std::move(on_answer), [this, id] {
        std::shared_ptr<AnswerSink> keep;
        std::lock_guard lock(m_lock);
        if (auto it = m_native_pending.find(id); it != m_native_pending.end()) {
            keep = std::move(it->second); // destroyed after the lock is released
            m_native_pending.erase(it);
        }
    });
    {
        std::lock_guard lock(m_lock);
        m_native_pending.emplace(id, sink);
    }
    Message message { id, interface, SenderId(), AnswerWanted::Yes, std::move(body), sink };
    Routed routed = m_services.registry.route(std::move(message), wait).routed;
    if (routed == Routed::NoHandler)
        sink->receive_answer(id, interface, Answer::error(ErrorCode::Unavailable, "no handler for interface " + interface.short_hex()));
    else if (routed == Routed::QueueFull)
        sink->receive_answer(id, interface, Answer::error(ErrorCode::ResourceExhausted, "handler queue full"));
}

void Kernel::exited(Process& process, const ExitStatus& status)
{
    OnExit on_exit;
    {
        std::lock_guard lock(m_lock);
        if (auto it = m_exit_callbacks.find(process.id()); it != m_exit_callbacks.end()) {
            on_exit = std::move(it->second);
            m_exit_callbacks.erase(it);
        } else {
            m_exit_statuses[process.id()] = status;
        }
        m_processes.erase(process.id());
        m_exit_signal.notify_all();
    }
    if (on_exit)
        on_exit(status);
}

Result<void> Kernel::notify_exit(ProcessId process, OnExit on_exit)
{
    std::unique_lock lock(m_lock);
    if (auto it = m_exit_statuses.find(process); it != m_exit_statuses.end()) {
        ExitStatus status = std::move(it->second);
        m_exit_statuses.erase(it);
        lock.unlock();
        on_exit(status);
        return {};
    }
    if (!m_processes.contains(process) || m_exit_callbacks.contains(process))
        return Error("no process " + std::to_string(process.value()) + " to watch");
    m_exit_callbacks.emplace(process, std::move(on_exit));
    return {};
}

Result<ExitStatus> Kernel::wait(ProcessId process)
{
    std::unique_lock lock(m_lock);
    if ((!m_processes.contains(process) && !m_exit_statuses.contains(process)) || m_exit_callbacks.contains(process))
        return Error("no process " + std::to_string(process.value()) + " to wait for");
    // Ends also when the status went to a notify_exit() callback made meanwhile.
    m_exit_signal.wait(lock, [&] { return m_exit_statuses.contains(process) || !m_processes.contains(process); });
    if (!m_exit_statuses.contains(process))
        return Error("process " + std::to_string(process.value()) + " was watched by another");
    ExitStatus status = std::move(m_exit_statuses[process]);
    m_exit_statuses.erase(process);
    return status;
}

std::optional<ExitStatus> Kernel::wait_for(ProcessId process, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_lock);
    if (!m_exit_signal.wait_for(lock, timeout, [&] { return m_exit_statuses.contains(process); }))
        return std::nullopt; // running, unknown, or its status goes to a notify_exit() callback
    ExitStatus status = std::move(m_exit_statuses[process]);
    m_exit_statuses.erase(process);
    return status;
}

void Kernel::kill(ProcessId id, std::string reason)
{
    std::shared_ptr<Process> process;
    {
        std::lock_guard lock(m_lock);
        auto it = m_processes.find(id);
        if (it == m_processes.end())
            return;
        process = it->second;
    }
    m_scheduler.kill(*process, std::move(reason));
}

void Kernel::shutdown()
{
    std::vector<std::shared_ptr<Process>> running;
    {
        std::lock_guard lock(m_lock);
        if (m_shut_down)
            return;
        m_shut_down = true;
        for (auto& [id, process] : m_processes)
            running.push_back(process);
    }
    for (auto& process : running)
        m_scheduler.kill(*process, "the kernel is shutting down");
    running.clear();
    {
        std::unique_lock lock(m_lock);
        m_exit_signal.wait(lock, [&] { return m_processes.empty(); });
    }
    m_scheduler.stop();
}

std::optional<Process::Usage> Kernel::usage(ProcessId process) const
{
    std::lock_guard lock(m_lock);
    auto it = m_processes.find(process);
    if (it == m_processes.end())
        return std::nullopt;
    return it->second->usage();
}

size_t Kernel::process_count() const
{
    std::lock_guard lock(m_lock);
    return m_processes.size();
}

} // namespace hashos::kernel
