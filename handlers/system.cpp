#include "handlers/system.h"

#include "handlers/environment.h"
#include "handlers/known_interfaces.h"
#include "handlers/random.h"
#include "handlers/tcp.h"
#include "handlers/udp.h"
#include "handlers/time.h"
#include "handlers/wire.h"
#include "process.interface.h"

#include <future>

namespace hashos::handlers {

namespace {

// Blocks until `operation` hands its answer to the callback it is given.
kernel::Answer await(const std::function<void(ProcessManager::AnswerCallback)>& operation)
{
    auto promise = std::make_shared<std::promise<kernel::Answer>>();
    auto future = promise->get_future();
    operation([promise](kernel::Answer answer) { promise->set_value(std::move(answer)); });
    return future.get();
}

Error error_of(const kernel::Answer& answer)
{
    return Error(decode_error(answer.body).message);
}

} // namespace

System::System(SystemConfig config)
{
    kernel::KernelConfig kernel_config;
    kernel_config.interface_interface = shipped(Shipped::Interface).hash;
    kernel_config.thread_interface = shipped(Shipped::Thread).hash;
    kernel_config.limits = config.limits;
    kernel_config.scheduler = config.scheduler;
    kernel_config.import_providers = config.import_providers;
    m_kernel = std::make_unique<kernel::Kernel>(kernel_config);

    auto& permissions = m_kernel->permissions();
    // DESIGN.md: log, time and random are harmless enough to allow every program by default; so
    // are a program's own start-up context (environment) and the streams the user gave it
    // (stdio), which a plain command-line program cannot do without.
    for (auto id : { Shipped::Log, Shipped::Time, Shipped::Random, Shipped::Environment, Shipped::Stdio })
        permissions.set_default(shipped(id).hash, kernel::Decision::Allow);
    permissions.set_asker(config.asker);
    for (auto const& assignment : config.assignments)
        m_kernel->registry().reserve(assignment.interface, assignment.program);

    m_processes = std::make_shared<ProcessManager>(*m_kernel, m_loop,
        ProcessManager::Config { shipped(Shipped::Loader).hash, config.max_processes });
    auto names = [processes = std::weak_ptr<ProcessManager>(m_processes)](kernel::SenderId sender, NameWait wait) {
        auto manager = processes.lock();
        return manager ? manager->name_of(sender, wait) : std::nullopt;
    };
    // Registering fails only for an interface the user gave to a program: that program will
    // handle it instead.
    m_kernel->register_handler(shipped(Shipped::Log).hash, std::make_shared<LogHandler>(m_loop, names, config.log_output));
    m_kernel->register_handler(shipped(Shipped::Time).hash, std::make_shared<TimeHandler>(m_loop));
    m_kernel->register_handler(shipped(Shipped::Random).hash, std::make_shared<RandomHandler>());
    m_kernel->register_handler(shipped(Shipped::Process).hash, m_processes);
    auto startup = [processes = std::weak_ptr<ProcessManager>(m_processes)](kernel::SenderId sender, NameWait wait) {
        auto manager = processes.lock();
        return manager ? manager->startup_context(sender, wait) : std::nullopt;
    };
    m_kernel->register_handler(shipped(Shipped::Environment).hash, std::make_shared<EnvironmentHandler>(m_loop, std::move(startup)));
    m_kernel->register_handler(shipped(Shipped::Stdio).hash, std::make_shared<StdioHandler>(config.stdio));
    auto program_of = [processes = std::weak_ptr<ProcessManager>(m_processes)](kernel::SenderId sender) {
        auto manager = processes.lock();
        return manager ? manager->program_of(sender, NameWait::Yes) : std::nullopt;
    };
    m_files = std::make_shared<FilesHandler>(m_loop, std::move(program_of));
    m_kernel->register_handler(shipped(Shipped::Files).hash, m_files);
    m_kernel->register_handler(shipped(Shipped::Tcp).hash, std::make_shared<TcpHandler>(m_loop));
    m_kernel->register_handler(shipped(Shipped::Udp).hash, std::make_shared<UdpHandler>(m_loop));
    if (config.store)
        m_kernel->register_handler(shipped(Shipped::Loader).hash,
            std::make_shared<LoaderHandler>(std::move(*config.store), m_loop, std::move(config.fetch)));
}

System::~System() { shutdown(); }

void System::shutdown()
{
    m_kernel->shutdown();
    m_loop.stop();
}

Result<kernel::ProcessId> System::start(SpawnSpec spec)
{
    auto answer = await([&](ProcessManager::AnswerCallback done) { m_processes->spawn(std::move(spec), std::move(done)); });
    if (answer.kind == kernel::AnswerKind::Error)
        return error_of(answer);
    hashos_process_SpawnResponse response = hashos_process_SpawnResponse_init_zero;
    TRY(decode(answer.body, hashos_process_SpawnResponse_fields, &response));
    return kernel::ProcessId(response.process_id);
}

Result<kernel::ExitStatus> System::wait(kernel::ProcessId process)
{
    auto answer = await([&](ProcessManager::AnswerCallback done) { m_processes->wait(kernel::SenderId(), process, std::move(done)); });
    if (answer.kind == kernel::AnswerKind::Error)
        return error_of(answer);
    hashos_process_WaitResponse response = hashos_process_WaitResponse_init_zero;
    TRY(decode(answer.body, hashos_process_WaitResponse_fields, &response));
    switch (response.termination) {
    case hashos_process_Termination_TERMINATION_EXITED:
        return kernel::ExitStatus::exited(response.exit_code);
    case hashos_process_Termination_TERMINATION_TRAPPED:
        return kernel::ExitStatus::trapped(response.reason);
    default:
        return kernel::ExitStatus::killed(response.reason);
    }
}

} // namespace hashos::handlers
