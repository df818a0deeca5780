#include "handlers/system.h"

#include "handlers/known_interfaces.h"
#include "handlers/random.h"
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
    kernel_config.limits = config.limits;
    kernel_config.scheduler = config.scheduler;
    m_kernel = std::make_unique<kernel::Kernel>(kernel_config);

    auto& permissions = m_kernel->permissions();
    // DESIGN.md: log, time and random are harmless enough to allow every program by default.
    for (auto id : { Shipped::Log, Shipped::Time, Shipped::Random })
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
