// The registry alone, with fake handlers: one handler per interface, reservations, messages
// waiting for a handler delivered in order, a full or exiting handler.
#include "kernel/registry.h"

#include <gtest/gtest.h>

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
