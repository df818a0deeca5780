// The System as `hashos run` uses it, and the process handler through messages, with real wasm
// programs (tests/kernel/programs).
#include "handlers/system.h"

#include "handler_fixture.h"
#include "handlers/known_interfaces.h"
#include "interface.interface.h"
#include "process.interface.h"
#include "store_fixture.h"

#include <gtest/gtest.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include <cstring>

namespace hashos::handlers {

using namespace testing;

namespace {

class SystemTest : public ::testing::Test {
protected:
    SystemTest()
    {
        SystemConfig config;
        config.store = m_store.open();
        config.scheduler.workers = 2;
        config.max_processes = 3;
        m_system = std::make_unique<System>(std::move(config));
    }

    // A message from the embedder to the process handler, through the kernel.
    kernel::Answer process_call(std::vector<uint8_t> body)
    {
        auto catcher = std::make_shared<AnswerCatcher>();
        m_system->kernel().emit(shipped(Shipped::Process).hash, std::move(body), kernel::WaitForHandler::No,
            [catcher](kernel::Answer answer) { catcher->receive_answer({}, {}, std::move(answer)); });
        return catcher->get().value();
    }

    TemporaryStore m_store;
    std::unique_ptr<System> m_system;
};

std::vector<uint8_t> spawn_body(const std::string& cid)
{
    hashos_process_SpawnRequest request = hashos_process_SpawnRequest_init_zero;
    std::snprintf(request.cid, sizeof(request.cid), "%s", cid.c_str());
    return encode_request(hashos_process_Process_METHOD_Spawn, hashos_process_SpawnRequest_fields, &request);
}

std::vector<uint8_t> spawn_body(const std::string& cid, const std::vector<std::string>& arguments,
    const std::vector<std::string>& environment)
{
    hashos_process_SpawnRequest request = hashos_process_SpawnRequest_init_zero;
    std::snprintf(request.cid, sizeof(request.cid), "%s", cid.c_str());
    attach_strings(request.arguments, arguments);
    attach_strings(request.environment, environment);
    return encode_request(hashos_process_Process_METHOD_Spawn, hashos_process_SpawnRequest_fields, &request);
}

std::vector<uint8_t> wait_body(uint64_t process)
{
    hashos_process_WaitRequest request = { process };
    return encode_request(hashos_process_Process_METHOD_Wait, hashos_process_WaitRequest_fields, &request);
}

} // namespace

TEST_F(SystemTest, StartsAProgramByCidThroughTheLoaderAndWaits)
{
    auto cid = m_store.add(read_program("exit_code"));
    auto process = m_system->start({ cid.to_string(), "exit_code", {}, {}, std::nullopt, {} });
    ASSERT_FALSE(process.is_error()) << process.error().message();
    auto status = m_system->wait(process.value());
    ASSERT_FALSE(status.is_error()) << status.error().message();
    EXPECT_EQ(status->kind, kernel::ExitStatus::Kind::Exited);
    EXPECT_EQ(status->code, 42);
    // A status is collected once.
    EXPECT_TRUE(m_system->wait(process.value()).is_error());
}

TEST_F(SystemTest, SpawnErrorsCarryTheirCause)
{
    auto missing = m_system->start({ "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "", {}, {}, std::nullopt, {} });
    ASSERT_TRUE(missing.is_error());
    EXPECT_NE(missing.error().message().find("not in the store"), std::string::npos) << missing.error().message();

    std::vector<uint8_t> not_wasm = { 'n', 'o', 't', ' ', 'w', 'a', 's', 'm' };
    auto invalid = process_call(spawn_body(m_store.add(not_wasm).to_string()));
    EXPECT_EQ(error_code(invalid), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(process_call(spawn_body("nonsense"))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(process_call({ 4 })), uint32_t(kernel::ErrorCode::Unimplemented));
}

TEST_F(SystemTest, ProcessHandlerSpawnsWaitsAndLists)
{
    auto spin = m_store.add(read_program("spin"));
    auto spawned = process_call(spawn_body(spin.to_string()));
    ASSERT_EQ(spawned.kind, kernel::AnswerKind::Ok) << decode_error(spawned.body).message;
    hashos_process_SpawnResponse response = hashos_process_SpawnResponse_init_zero;
    ASSERT_FALSE(decode(spawned.body, hashos_process_SpawnResponse_fields, &response).is_error());
    EXPECT_NE(response.process_id, 0u);

    auto listed = process_call({ hashos_process_Process_METHOD_List });
    ASSERT_EQ(listed.kind, kernel::AnswerKind::Ok);
    std::vector<hashos_process_ProcessInfo> processes;
    hashos_process_ListResponse list = hashos_process_ListResponse_init_zero;
    list.processes.funcs.decode = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
        hashos_process_ProcessInfo info = hashos_process_ProcessInfo_init_zero;
        if (!pb_decode(stream, hashos_process_ProcessInfo_fields, &info))
            return false;
        static_cast<std::vector<hashos_process_ProcessInfo>*>(*argument)->push_back(info);
        return true;
    };
    list.processes.arg = &processes;
    ASSERT_FALSE(decode(listed.body, hashos_process_ListResponse_fields, &list).is_error());
    ASSERT_EQ(processes.size(), 1u);
    EXPECT_EQ(processes[0].process_id, response.process_id);
    EXPECT_EQ(processes[0].parent_process_id, 0u);
    EXPECT_EQ(std::string(processes[0].cid), spin.to_string());

    // Only the parent may wait; an unknown process is not found.
    auto& manager = m_system->processes();
    auto not_child = std::make_shared<AnswerCatcher>();
    manager.wait(kernel::SenderId(12345), kernel::ProcessId(response.process_id), [not_child](kernel::Answer answer) {
        not_child->receive_answer({}, {}, std::move(answer));
    });
    EXPECT_EQ(error_code(not_child->get().value()), uint32_t(kernel::ErrorCode::PermissionDenied));
    EXPECT_EQ(error_code(process_call(wait_body(999))), uint32_t(kernel::ErrorCode::NotFound));

    // The endless loop is killed; its waiter hears how it ended.
    auto waiter = std::make_shared<AnswerCatcher>();
    m_system->kernel().emit(shipped(Shipped::Process).hash, wait_body(response.process_id), kernel::WaitForHandler::No,
        [waiter](kernel::Answer answer) { waiter->receive_answer({}, {}, std::move(answer)); });
    m_system->kernel().kill(kernel::ProcessId(response.process_id), "stopped by the test");
    auto ended = waiter->get();
    ASSERT_TRUE(ended);
    hashos_process_WaitResponse wait = hashos_process_WaitResponse_init_zero;
    ASSERT_FALSE(decode(ended->body, hashos_process_WaitResponse_fields, &wait).is_error());
    EXPECT_EQ(wait.termination, hashos_process_Termination_TERMINATION_KILLED);
    EXPECT_EQ(std::string(wait.reason), "stopped by the test");
}

TEST_F(SystemTest, SpawnGivesTheChildItsArgumentsAndEnvironment)
{
    auto spin = m_store.add(read_program("spin"));
    auto spawned = process_call(spawn_body(spin.to_string(), { "-n", "3" }, { "HOME=/home/ada", "EMPTY=", "A=b=c" }));
    ASSERT_EQ(spawned.kind, kernel::AnswerKind::Ok) << decode_error(spawned.body).message;
    hashos_process_SpawnResponse response = hashos_process_SpawnResponse_init_zero;
    ASSERT_FALSE(decode(spawned.body, hashos_process_SpawnResponse_fields, &response).is_error());

    // What the `environment` handler answers the child.
    auto context = m_system->processes().startup_context(kernel::SenderId(response.process_id), NameWait::Yes);
    ASSERT_TRUE(context);
    EXPECT_EQ(context->program_name, spin.to_string());
    EXPECT_EQ(context->arguments, (std::vector<std::string> { "-n", "3" }));
    EXPECT_EQ(context->environment, (std::vector<std::string> { "HOME=/home/ada", "EMPTY=", "A=b=c" }));
    m_system->kernel().kill(kernel::ProcessId(response.process_id), "stopped by the test");

    // An entry without '=' or without a name is refused, and nothing starts.
    for (std::string bad : { "PATH", "=value" }) {
        auto refused = process_call(spawn_body(spin.to_string(), {}, { "OK=1", bad }));
        EXPECT_EQ(error_code(refused), uint32_t(kernel::ErrorCode::InvalidArgument)) << bad;
        EXPECT_NE(decode_error(refused.body).message.find("\"" + bad + "\" is not NAME=value"), std::string::npos)
            << decode_error(refused.body).message;
    }
}

TEST_F(SystemTest, LimitsTheNumberOfProcesses)
{
    auto spin = m_store.add(read_program("spin"));
    for (int i = 0; i < 3; ++i)
        ASSERT_FALSE(m_system->start({ spin.to_string(), "spin", {}, {}, std::nullopt, {} }).is_error());
    auto over = process_call(spawn_body(spin.to_string()));
    EXPECT_EQ(error_code(over), uint32_t(kernel::ErrorCode::ResourceExhausted));
}

TEST_F(SystemTest, NamesItsProcessesForTheLog)
{
    auto cid = m_store.add(read_program("exit_code"));
    auto process = m_system->start({ cid.to_string(), "", {}, {}, std::nullopt, {} });
    ASSERT_FALSE(process.is_error());
    EXPECT_EQ(m_system->processes().name_of(kernel::SenderId(process->value()), NameWait::No), cid.to_string().substr(0, 14) + "…");
    EXPECT_EQ(m_system->processes().name_of(kernel::SenderId(9999), NameWait::Yes), "process 9999");
}

// The kernel's own `interface` handler reads requests as the generated encoders write them.
TEST_F(SystemTest, TheKernelHandlesTheInterfaceInterface)
{
    auto catcher = std::make_shared<AnswerCatcher>();
    hashos_interface_RegisterRequest request = hashos_interface_RegisterRequest_init_zero;
    std::memset(request.hash, 0xab, sizeof(request.hash));
    auto body = encode_request(hashos_interface_Interface_METHOD_Register, hashos_interface_RegisterRequest_fields, &request);
    m_system->kernel().emit(shipped(Shipped::Interface).hash, body, kernel::WaitForHandler::No,
        [catcher](kernel::Answer answer) { catcher->receive_answer({}, {}, std::move(answer)); });
    auto answer = catcher->get().value();
    // The embedder is no process: the request was read, and refused for who sent it.
    EXPECT_EQ(decode_error(answer.body).message, "interface: only a process can handle an interface");
}

} // namespace hashos::handlers
