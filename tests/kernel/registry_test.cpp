// The registry alone, with fake handlers: one handler per interface, reservations, messages
// waiting for a handler delivered in order, a full or exiting handler.
#include "kernel/registry.h"

#include "kernel/interface_handler.h"
#include "kernel/mailbox.h"
#include "kernel/process_handler.h"

#include <gtest/gtest.h>

#include <map>

using namespace hashos::kernel;

namespace {

InterfaceHash hash_of(uint8_t byte)
{
    InterfaceHash::Bytes bytes;
    bytes.fill(byte);
    return InterfaceHash(bytes);
}

// Accepts messages into a vector until `capacity`; then answers QueueFull, or Gone once closed.
struct FakeHandler final : Handler {
    std::vector<Message> received;
    size_t capacity = SIZE_MAX;
    bool gone = false;
    Delivery deliver(Message&& message) override
    {
        if (gone)
            return Delivery::Gone;
        if (received.size() >= capacity)
            return Delivery::QueueFull;
        received.push_back(std::move(message));
        return Delivery::Accepted;
    }
    std::string description() const override { return "fake"; }
};

Message message(uint64_t id, const InterfaceHash& interface)
{
    Message made;
    made.id = MessageId(id);
    made.interface = interface;
    return made;
}

} // namespace

TEST(Registry, OneHandlerPerInterfaceUntilItLeaves)
{
    Registry registry;
    auto first = std::make_shared<FakeHandler>();
    auto second = std::make_shared<FakeHandler>();
    EXPECT_EQ(registry.add(hash_of(1), first, ProgramId("a")), Registration::Registered);
    EXPECT_EQ(registry.add(hash_of(1), second, ProgramId("b")), Registration::AlreadyHandled);
    EXPECT_FALSE(registry.remove(hash_of(1), *second));
    EXPECT_EQ(registry.count_of(*first), 1u);
    registry.remove_all(*first);
    EXPECT_EQ(registry.find(hash_of(1)), nullptr);
    EXPECT_EQ(registry.add(hash_of(1), second, ProgramId("b")), Registration::Registered);
}

TEST(Registry, AReservedInterfaceGoesOnlyToItsProgram)
{
    Registry registry;
    registry.reserve(hash_of(2), ProgramId("chosen"));
    EXPECT_EQ(registry.add(hash_of(2), std::make_shared<FakeHandler>(), ProgramId("other")), Registration::Reserved);
    EXPECT_EQ(registry.add(hash_of(2), std::make_shared<FakeHandler>(), ProgramId("chosen")), Registration::Registered);
}

TEST(Registry, WaitingMessagesReachTheNextHandlerInOrder)
{
    Registry registry;
    EXPECT_EQ(registry.route(message(1, hash_of(3)), WaitForHandler::No).routed, Routed::NoHandler);
    EXPECT_EQ(registry.route(message(2, hash_of(3)), WaitForHandler::Yes).routed, Routed::Parked);
    EXPECT_EQ(registry.route(message(3, hash_of(3)), WaitForHandler::Yes).routed, Routed::Parked);
    auto handler = std::make_shared<FakeHandler>();
    registry.add(hash_of(3), handler, ProgramId("h"));
    EXPECT_EQ(registry.route(message(4, hash_of(3)), WaitForHandler::No).routed, Routed::Delivered);
    ASSERT_EQ(handler->received.size(), 3u);
    EXPECT_EQ(handler->received[0].id.value(), 2u);
    EXPECT_EQ(handler->received[1].id.value(), 3u);
    EXPECT_EQ(handler->received[2].id.value(), 4u);
}

TEST(Registry, AFullHandlerRefusesAndAnExitingOneLetsMessagesWait)
{
    Registry registry;
    auto handler = std::make_shared<FakeHandler>();
    handler->capacity = 1;
    registry.add(hash_of(4), handler, ProgramId("h"));
    EXPECT_EQ(registry.route(message(1, hash_of(4)), WaitForHandler::No).routed, Routed::Delivered);
    EXPECT_EQ(registry.route(message(2, hash_of(4)), WaitForHandler::No).routed, Routed::QueueFull);

    handler->gone = true;
    EXPECT_EQ(registry.route(message(3, hash_of(4)), WaitForHandler::No).routed, Routed::NoHandler);
    EXPECT_EQ(registry.route(message(4, hash_of(4)), WaitForHandler::Yes).routed, Routed::Parked);
    registry.remove_all(*handler);
    auto next = std::make_shared<FakeHandler>();
    registry.add(hash_of(4), next, ProgramId("h"));
    ASSERT_EQ(next->received.size(), 1u);
    EXPECT_EQ(next->received[0].id.value(), 4u);
}

TEST(Registry, AnExitedSendersWaitingMessagesAreDropped)
{
    Registry registry;
    Message from_gone = message(1, hash_of(5));
    from_gone.sender = SenderId(7);
    registry.route(std::move(from_gone), WaitForHandler::Yes);
    registry.route(message(2, hash_of(5)), WaitForHandler::Yes);
    registry.drop_parked_from(SenderId(7));
    auto handler = std::make_shared<FakeHandler>();
    registry.add(hash_of(5), handler, ProgramId("h"));
    ASSERT_EQ(handler->received.size(), 1u);
    EXPECT_EQ(handler->received[0].id.value(), 2u);
}

namespace {

// Keeps the answers sent to it, by message id.
struct RecordingSink final : AnswerSink {
    std::map<uint64_t, Answer> answers;
    void receive_answer(MessageId id, const InterfaceHash&, Answer answer) override { answers[id.value()] = std::move(answer); }
};

// interface.Register (1) or Unregister (2) of `interface`: the method, then `bytes hash = 1`.
Message interface_call(uint64_t id, uint8_t method, const InterfaceHash& interface, SenderId sender,
    const std::shared_ptr<AnswerSink>& reply_to)
{
    Message call = message(id, hash_of(0xee));
    call.sender = sender;
    call.answer_wanted = AnswerWanted::Yes;
    call.reply_to = reply_to;
    call.body = { method, 0x0a, 32 };
    call.body.insert(call.body.end(), interface.bytes().begin(), interface.bytes().end());
    return call;
}

} // namespace

// interface.proto: on Unregister, what the process took but did not answer is answered
// UNAVAILABLE; what it had not taken yet waits for the next handler, ahead of later messages.
TEST(Registry, UnregisteringAnswersHeldMessagesAndHandsQueuedOnesToTheNextHandler)
{
    Registry registry;
    auto mailbox = std::make_shared<Mailbox>(16, 16, [](Thread&) {});
    auto process = std::make_shared<ProcessHandler>(mailbox, "process 9 (handler)");
    InterfaceHandler interfaces(registry, [&](SenderId sender) -> std::optional<InterfaceHandler::Registrant> {
        if (sender != SenderId(9))
            return std::nullopt;
        return InterfaceHandler::Registrant { process, ProgramId("handler"), 4 };
    });
    auto handler_sink = std::make_shared<RecordingSink>();
    auto client = std::make_shared<RecordingSink>();
    const InterfaceHash served = hash_of(6);

    interfaces.deliver(interface_call(100, 1, served, SenderId(9), handler_sink));
    ASSERT_EQ(handler_sink->answers.at(100).kind, AnswerKind::Ok);
    for (uint64_t id : { 1, 2, 3 }) {
        Message request = message(id, served);
        request.answer_wanted = AnswerWanted::Yes;
        request.reply_to = client;
        ASSERT_EQ(registry.route(std::move(request), WaitForHandler::No).routed, Routed::Delivered);
    }
    // The process takes message 1 (it now holds it) and leaves 2 and 3 queued.
    TakeResult taken = mailbox->take({}, 4096, Wait::No, nullptr);
    ASSERT_EQ(taken.status, Taken::Event);
    ASSERT_EQ(taken.event.message.id.value(), 1u);

    interfaces.deliver(interface_call(101, 2, served, SenderId(9), handler_sink));
    ASSERT_EQ(handler_sink->answers.at(101).kind, AnswerKind::Ok);
    ASSERT_EQ(client->answers.count(1), 1u);
    EXPECT_EQ(client->answers.at(1).kind, AnswerKind::Error);
    EXPECT_EQ(client->answers.at(1).body[1], uint8_t(ErrorCode::Unavailable));
    EXPECT_FALSE(mailbox->take_held(MessageId(1))) << "an unregistered process no longer holds its messages";
    EXPECT_EQ(mailbox->queued_events(), 0u);
    EXPECT_EQ(registry.find(served), nullptr);
    EXPECT_EQ(client->answers.size(), 1u) << "queued messages wait for the next handler";

    Message later = message(4, served);
    ASSERT_EQ(registry.route(std::move(later), WaitForHandler::Yes).routed, Routed::Parked);
    auto next = std::make_shared<FakeHandler>();
    registry.add(served, next, ProgramId("next"));
    ASSERT_EQ(next->received.size(), 3u);
    EXPECT_EQ(next->received[0].id.value(), 2u);
    EXPECT_EQ(next->received[1].id.value(), 3u);
    EXPECT_EQ(next->received[2].id.value(), 4u);
}

// Messages given back while another handler has already registered go to it at once.
TEST(Registry, RequeuedMessagesReachAHandlerThatIsAlreadyThere)
{
    Registry registry;
    auto handler = std::make_shared<FakeHandler>();
    registry.add(hash_of(7), handler, ProgramId("h"));
    std::vector<Message> given_back;
    given_back.push_back(message(1, hash_of(7)));
    given_back.push_back(message(2, hash_of(7)));
    registry.requeue(hash_of(7), std::move(given_back));
    ASSERT_EQ(handler->received.size(), 2u);
    EXPECT_EQ(handler->received[0].id.value(), 1u);
    EXPECT_EQ(handler->received[1].id.value(), 2u);
}
