// Messages between real wasm programs: ping/pong through a wasm handler, a native handler, a
// handler that traps mid-request, denied and unhandled interfaces, bad pointers.
#include "kernel_fixture.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <thread>

using namespace hashos;
using namespace hashos::kernel;
using namespace hashos::kernel::testing;
using namespace std::chrono_literals;

namespace {

ProcessId spawn(Kernel& kernel, const std::string& name)
{
    auto spawned = kernel.spawn(program(name), ProgramId(name), name);
    EXPECT_FALSE(spawned.is_error()) << spawned.error().message();
    return spawned.is_error() ? ProcessId() : spawned.value();
}

ExitStatus wait(Kernel& kernel, ProcessId process)
{
    auto status = kernel.wait_for(process, 20s);
    EXPECT_TRUE(status.has_value()) << "process " << process.value() << " did not exit in time";
    return status.value_or(ExitStatus::killed("timeout"));
}

// Sends from the embedder and waits for the answer.
Answer call(Kernel& kernel, const InterfaceHash& interface, std::string body, WaitForHandler wait = WaitForHandler::Yes)
{
    std::promise<Answer> promise;
    auto answered = promise.get_future();
    kernel.emit(interface, { body.begin(), body.end() }, wait, [&](Answer answer) { promise.set_value(std::move(answer)); });
    if (answered.wait_for(20s) != std::future_status::ready)
        return Answer::error(ErrorCode::Internal, "test: no answer in time");
    return answered.get();
}

// The code of a `hashos.Error` body written by Answer::error.
uint32_t error_code(const Answer& answer) { return answer.body.size() >= 2 ? answer.body[1] : 0; }

// Answers every message with its body, later and from its own thread, like an I/O handler.
class AsyncEchoHandler final : public Handler {
public:
    AsyncEchoHandler()
        : m_thread([this] { serve(); })
    {
    }
    ~AsyncEchoHandler() override
    {
        {
            std::lock_guard lock(m_lock);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    Delivery deliver(Message&& message) override
    {
        {
            std::lock_guard lock(m_lock);
            m_messages.push_back(std::move(message));
        }
        m_changed.notify_all();
        return Delivery::Accepted;
    }
    std::string description() const override { return "async echo"; }

private:
    void serve()
    {
        std::unique_lock lock(m_lock);
        for (;;) {
            m_changed.wait(lock, [&] { return m_stopping || !m_messages.empty(); });
            if (m_stopping)
                return;
            Message message = std::move(m_messages.front());
            m_messages.pop_front();
            lock.unlock();
            answer_message(message, Answer::ok(message.body));
            lock.lock();
        }
    }

    std::mutex m_lock;
    std::condition_variable m_changed;
    std::deque<Message> m_messages;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace

TEST(Messages, PingPongThroughAWasmHandler)
{
    Kernel kernel(test_config());
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    ProcessId pong = spawn(kernel, "pong");
    ProcessId ping = spawn(kernel, "ping");
    ExitStatus status = wait(kernel, ping);
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0);

    // The embedder reaches the same handler.
    Answer answer = call(kernel, k_ping_interface, "hello");
    EXPECT_EQ(answer.kind, AnswerKind::Ok);
    EXPECT_EQ(std::string(answer.body.begin(), answer.body.end()), "hello");
    kernel.kill(pong, "test over");
    EXPECT_EQ(wait(kernel, pong).kind, ExitStatus::Kind::Killed);
}

TEST(Messages, WasmClientOfANativeHandler)
{
    Kernel kernel(test_config());
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    ASSERT_EQ(kernel.register_handler(k_ping_interface, std::make_shared<AsyncEchoHandler>()), Registration::Registered);
    ExitStatus status = wait(kernel, spawn(kernel, "ping"));
    EXPECT_EQ(status.code, 0) << status.message;
    kernel.shutdown(); // before the handler's threads go
}

TEST(Messages, OneHandlerPerInterface)
{
    Kernel kernel(test_config());
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    ProcessId first = spawn(kernel, "pong");
    ASSERT_EQ(call(kernel, k_ping_interface, "x").kind, AnswerKind::Ok); // registered
    // A second pong cannot register: it exits with 1.
    EXPECT_EQ(wait(kernel, spawn(kernel, "pong")).code, 1);
    // When the first exits, the interface is free again.
    kernel.kill(first, "test");
    wait(kernel, first);
    ProcessId second = spawn(kernel, "pong");
    EXPECT_EQ(call(kernel, k_ping_interface, "y").kind, AnswerKind::Ok);
    kernel.kill(second, "test");
}

TEST(Messages, AHandlerThatTrapsAnswersWhatItHeldWithErrors)
{
    Kernel kernel(test_config());
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    ProcessId handler = spawn(kernel, "trap_handler");
    ASSERT_EQ(call(kernel, k_trap_interface, "ok").kind, AnswerKind::Ok);

    std::vector<std::future<Answer>> answers;
    std::vector<std::shared_ptr<std::promise<Answer>>> promises;
    for (const char* body : { "trap", "ok", "ok" }) {
        auto promise = std::make_shared<std::promise<Answer>>();
        answers.push_back(promise->get_future());
        kernel.emit(k_trap_interface, { body, body + std::strlen(body) }, WaitForHandler::No,
            [promise](Answer answer) { promise->set_value(std::move(answer)); });
        promises.push_back(promise);
    }
    ExitStatus status = wait(kernel, handler);
    EXPECT_EQ(status.kind, ExitStatus::Kind::Trapped);
    EXPECT_NE(status.message.find("unreachable"), std::string::npos) << status.message;
    for (auto& answer : answers) {
        ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
        Answer got = answer.get();
        EXPECT_EQ(got.kind, AnswerKind::Error);
        EXPECT_EQ(error_code(got), uint32_t(ErrorCode::Unavailable));
    }
    // The interface is free and the kernel goes on.
    EXPECT_EQ(error_code(call(kernel, k_trap_interface, "ok", WaitForHandler::No)), uint32_t(ErrorCode::Unavailable));
    ProcessId pong = spawn(kernel, "pong");
    EXPECT_EQ(wait(kernel, spawn(kernel, "ping")).code, 0);
    kernel.kill(pong, "test over");
}

TEST(Messages, ADeniedInterfaceGivesAnErrorAndTheProgramGoesOn)
{
    Kernel kernel(test_config());
    kernel.permissions().set_default(k_ping_interface, Decision::Allow);
    kernel.permissions().set(ProgramId("denied"), k_denied_interface, Decision::Deny);
    ExitStatus status = wait(kernel, spawn(kernel, "denied"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited);
    EXPECT_EQ(status.code, 0) << "check " << status.code << " of denied.c failed";
}

TEST(Messages, AskingTheUserWhoDenies)
{
    struct Denier final : PermissionAsker {
        std::atomic<int> asked { 0 };
        void ask(const ProgramId& program, const InterfaceHash&, std::function<void(Decision, Remember)> answer) override
        {
            ++asked;
            // Answers later, from another thread, like a terminal prompt.
            std::thread([answer] { answer(Decision::Deny, Remember::Yes); }).detach();
        }
    };
    auto asker = std::make_shared<Denier>();
    Kernel kernel(test_config());
    kernel.permissions().set_asker(asker);
    ExitStatus status = wait(kernel, spawn(kernel, "denied"));
    EXPECT_EQ(status.code, 0) << "check " << status.code << " of denied.c failed";
    EXPECT_EQ(asker->asked, 1) << "asked once, then remembered";
}

TEST(Messages, UnhandledInterfaceWithAndWithoutWaiting)
{
    Kernel kernel(test_config());
    kernel.permissions().set_fallback(Decision::Allow);
    ProcessId client = spawn(kernel, "unhandled");
    // It now waits for a ping handler.
    EXPECT_FALSE(kernel.wait_for(client, 100ms).has_value());
    ProcessId pong = spawn(kernel, "pong");
    ExitStatus status = wait(kernel, client);
    EXPECT_EQ(status.code, 0) << "check " << status.code << " of unhandled.c failed";
    kernel.kill(pong, "test over");
}

TEST(Messages, BadPointersInEverySyscallAreErrorsNotFaults)
{
    Kernel kernel(test_config());
    kernel.permissions().set_fallback(Decision::Allow);
    ExitStatus status = wait(kernel, spawn(kernel, "bad_pointers"));
    EXPECT_EQ(status.kind, ExitStatus::Kind::Exited) << status.message;
    EXPECT_EQ(status.code, 0) << "check " << status.code << " of bad_pointers.c failed";
}

TEST(Messages, AHandlerLearnsThatASenderItServedExited)
{
    // Records the sender ids the tracker reports.
    struct Observer final : Handler {
        std::mutex lock;
        std::vector<uint64_t> exited;
        std::condition_variable changed;
        Delivery deliver(Message&& message) override
        {
            uint64_t sender = 0;
            if (message.body.size() == sizeof(sender))
                std::memcpy(&sender, message.body.data(), sizeof(sender));
            std::lock_guard guard(lock);
            exited.push_back(sender);
            changed.notify_all();
            return Delivery::Accepted;
        }
        std::string description() const override { return "observer"; }
    };
    auto observer = std::make_shared<Observer>();
    Kernel kernel(test_config());
    kernel.permissions().set_fallback(Decision::Allow);
    kernel.register_handler(k_observer_interface, observer);
    ProcessId tracker = spawn(kernel, "tracker");
    ProcessId ping = spawn(kernel, "ping");
    EXPECT_EQ(wait(kernel, ping).code, 0);
    std::unique_lock guard(observer->lock);
    ASSERT_TRUE(observer->changed.wait_for(guard, 10s, [&] { return !observer->exited.empty(); }));
    EXPECT_EQ(observer->exited, std::vector<uint64_t> { ping.value() }) << "one notification, with ping's sender id";
    guard.unlock();
    kernel.kill(tracker, "test over");
}

TEST(Messages, FullQueuesAndThePendingLimitStopOnlyTheSender)
{
    Kernel kernel(test_config());
    kernel.permissions().set_fallback(Decision::Allow);
    Limits sink_limits;
    sink_limits.queued_messages = 5;
    ProcessId sink = kernel.spawn(program("sink"), ProgramId("sink"), "sink", sink_limits).value();
    for (int i = 0; i < 2000 && !kernel.registry().find(k_ping_interface); ++i)
        std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(kernel.registry().find(k_ping_interface)) << "sink registered";
    Limits flood_limits;
    flood_limits.pending_messages = 7;
    ProcessId flood = kernel.spawn(program("flood"), ProgramId("flood"), "flood", flood_limits).value();
    ExitStatus status = wait(kernel, flood);
    EXPECT_EQ(status.code, 5 * 1000 + 7) << status.message;
    EXPECT_EQ(wait(kernel, spawn(kernel, "exit_code")).code, 42) << "others go on";
    kernel.kill(sink, "test over");
}

TEST(Messages, CancelledMessagesAndUnregisteredInterfacesAreGone)
{
    Kernel kernel(test_config());
    kernel.permissions().set_fallback(Decision::Allow);
    ProcessId pong = spawn(kernel, "pong");
    ExitStatus status = wait(kernel, spawn(kernel, "cancel"));
    EXPECT_EQ(status.code, 0) << "check " << status.code << " of cancel.c failed " << status.message;
    EXPECT_EQ(error_code(call(kernel, k_unhandled_interface, "x", WaitForHandler::No)), uint32_t(ErrorCode::Unavailable));
    kernel.kill(pong, "test over");
}
