// The `udp` handler on its own, over real sockets on 127.0.0.1: bind, send_to (to an address
// and to a name), receive_from (waiting, cut to size), cancelling a waiting receive without
// losing a datagram, Close and a sender's exit answering what waited, and refusals.
#include "handlers/udp.h"

#include "handler_fixture.h"
#include "udp.interface.h"

#include <gtest/gtest.h>

#include <cstring>

namespace hashos::handlers {

using namespace testing;

namespace {

const kernel::SenderId k_sender(7);

struct Datagram {
    std::string data;
    uint32_t source_port = 0;
    bool truncated = false;
};

class UdpTest : public ::testing::Test {
protected:
    void TearDown() override { m_loop.stop(); }

    template<typename Request>
    kernel::Answer send(uint64_t method, const pb_msgdesc_t* fields, const Request& request, kernel::SenderId sender = k_sender)
    {
        auto answer = call(*m_handler, encode_request(method, fields, &request), sender);
        EXPECT_TRUE(answer.has_value());
        return answer ? std::move(*answer) : kernel::Answer::error(kernel::ErrorCode::Internal, "no answer");
    }

    std::shared_ptr<AnswerCatcher> start(uint64_t method, const pb_msgdesc_t* fields, const void* request)
    {
        auto catcher = std::make_shared<AnswerCatcher>();
        EXPECT_EQ(m_handler->deliver(message_to(catcher, encode_request(method, fields, request), k_sender)), kernel::Delivery::Accepted);
        return catcher;
    }

    // A socket bound to 127.0.0.1 and its port.
    std::pair<uint64_t, uint32_t> bind(const char* host = "127.0.0.1", uint32_t port = 0)
    {
        hashos_udp_BindRequest request = hashos_udp_BindRequest_init_zero;
        request.has_address = true;
        std::strcpy(request.address.host, host);
        request.address.port = port;
        auto answer = send(hashos_udp_Udp_METHOD_Bind, hashos_udp_BindRequest_fields, request);
        EXPECT_EQ(answer.kind, kernel::AnswerKind::Ok) << decode_error(answer.body).message;
        hashos_udp_BindResponse response = hashos_udp_BindResponse_init_zero;
        EXPECT_FALSE(decode(answer.body, hashos_udp_BindResponse_fields, &response).is_error());
        EXPECT_GT(response.local.port, 0u);
        return { response.socket, response.local.port };
    }

    kernel::Answer send_to(uint64_t socket, const char* host, uint32_t port, const std::string& text)
    {
        hashos_udp_SendToRequest request = hashos_udp_SendToRequest_init_zero;
        request.socket = socket;
        request.has_destination = true;
        std::strcpy(request.destination.host, host);
        request.destination.port = port;
        std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        attach_bytes(request.data, bytes);
        return send(hashos_udp_Udp_METHOD_SendTo, hashos_udp_SendToRequest_fields, request);
    }

    void sent(uint64_t socket, const char* host, uint32_t port, const std::string& text)
    {
        auto answer = send_to(socket, host, port, text);
        ASSERT_EQ(answer.kind, kernel::AnswerKind::Ok) << decode_error(answer.body).message;
        hashos_udp_SendToResponse response = hashos_udp_SendToResponse_init_zero;
        ASSERT_FALSE(decode(answer.body, hashos_udp_SendToResponse_fields, &response).is_error());
        EXPECT_EQ(response.sent, text.size());
    }

    Datagram datagram(const kernel::Answer& answer)
    {
        StringField data(1 << 17);
        hashos_udp_ReceiveFromResponse response = hashos_udp_ReceiveFromResponse_init_zero;
        data.attach(response.data);
        EXPECT_EQ(answer.kind, kernel::AnswerKind::Ok) << decode_error(answer.body).message;
        EXPECT_FALSE(decode(answer.body, hashos_udp_ReceiveFromResponse_fields, &response).is_error());
        return { data.value(), response.source.port, response.truncated };
    }

    Datagram receive(uint64_t socket, uint32_t size = 0)
    {
        hashos_udp_ReceiveFromRequest request = { socket, size };
        return datagram(send(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, request));
    }

    EventLoop m_loop;
    std::shared_ptr<UdpHandler> m_handler = std::make_shared<UdpHandler>(m_loop);
};

} // namespace

TEST_F(UdpTest, DatagramsTravelBetweenBoundSockets)
{
    auto [a, a_port] = bind();
    auto [b, b_port] = bind();
    sent(a, "127.0.0.1", b_port, "hello over udp");
    auto got = receive(b);
    EXPECT_EQ(got.data, "hello over udp");
    EXPECT_EQ(got.source_port, a_port);
    EXPECT_FALSE(got.truncated);

    // A name is resolved by the host; the answer goes back to the source.
    sent(b, "localhost", a_port, "and back");
    got = receive(a);
    EXPECT_EQ(got.data, "and back");
    EXPECT_EQ(got.source_port, b_port);

    // An empty datagram is a datagram.
    sent(a, "127.0.0.1", b_port, "");
    got = receive(b);
    EXPECT_EQ(got.data, "");
    EXPECT_EQ(got.source_port, a_port);
}

TEST_F(UdpTest, AReceiveWaitsForTheNextDatagramAndCutsItToSize)
{
    auto [a, a_port] = bind();
    auto [b, b_port] = bind();
    hashos_udp_ReceiveFromRequest request = { b, 5 };
    auto waiting = start(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, &request);
    EXPECT_FALSE(waiting->get(std::chrono::milliseconds(50)).has_value()); // nothing sent yet
    sent(a, "127.0.0.1", b_port, "truncated datagram");
    auto answer = waiting->get();
    ASSERT_TRUE(answer.has_value());
    auto got = datagram(*answer);
    EXPECT_EQ(got.data, "trunc");
    EXPECT_TRUE(got.truncated);
    EXPECT_EQ(got.source_port, a_port);

    // Several waiting receives are answered in the order sent, one datagram each.
    hashos_udp_ReceiveFromRequest whole = { b, 0 };
    auto first = start(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, &whole);
    auto second = start(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, &whole);
    sent(a, "127.0.0.1", b_port, "one");
    sent(a, "127.0.0.1", b_port, "two");
    auto one = first->get();
    auto two = second->get();
    ASSERT_TRUE(one.has_value() && two.has_value());
    EXPECT_EQ(datagram(*one).data, "one");
    EXPECT_EQ(datagram(*two).data, "two");
}

TEST_F(UdpTest, ACancelledReceiveLosesNoDatagram)
{
    auto [a, a_port] = bind();
    auto [b, b_port] = bind();
    hashos_udp_ReceiveFromRequest request = { b, 0 };
    auto catcher = std::make_shared<AnswerCatcher>();
    auto message = message_to(catcher, encode_request(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, &request), k_sender);
    auto id = message.id;
    ASSERT_EQ(m_handler->deliver(std::move(message)), kernel::Delivery::Accepted);
    m_handler->cancel(id);
    sent(a, "127.0.0.1", b_port, "kept");
    EXPECT_EQ(receive(b).data, "kept");
    EXPECT_FALSE(catcher->get(std::chrono::milliseconds(50)).has_value());
}

TEST_F(UdpTest, CloseAndExitAnswerWaitingReceives)
{
    auto [a, a_port] = bind();
    auto [b, b_port] = bind();
    hashos_udp_ReceiveFromRequest on_a = { a, 0 };
    auto waiting = start(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, &on_a);
    hashos_udp_CloseRequest close = { a };
    EXPECT_EQ(send(hashos_udp_Udp_METHOD_Close, hashos_udp_CloseRequest_fields, close).kind, kernel::AnswerKind::Ok);
    auto answer = waiting->get();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(error_code(*answer), uint32_t(kernel::ErrorCode::Cancelled));
    EXPECT_EQ(error_code(send(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, on_a)),
        uint32_t(kernel::ErrorCode::NotFound));

    // The sender exits: its sockets close and what waited on them is answered.
    hashos_udp_ReceiveFromRequest on_b = { b, 0 };
    waiting = start(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, &on_b);
    m_handler->sender_exited(k_sender);
    answer = waiting->get();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(error_code(*answer), uint32_t(kernel::ErrorCode::Cancelled));
    EXPECT_EQ(error_code(send(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, on_b)),
        uint32_t(kernel::ErrorCode::NotFound));
    // Its port is free again.
    auto [again, again_port] = bind("127.0.0.1", b_port);
    EXPECT_EQ(again_port, b_port);
}

TEST_F(UdpTest, SocketsBelongToTheirSender)
{
    auto [a, a_port] = bind();
    hashos_udp_ReceiveFromRequest request = { a, 0 };
    EXPECT_EQ(error_code(send(hashos_udp_Udp_METHOD_ReceiveFrom, hashos_udp_ReceiveFromRequest_fields, request, kernel::SenderId(8))),
        uint32_t(kernel::ErrorCode::NotFound));
}

TEST_F(UdpTest, RefusesWhatItCannotDo)
{
    hashos_udp_BindRequest bad = hashos_udp_BindRequest_init_zero;
    bad.has_address = true;
    std::strcpy(bad.address.host, "not an address");
    EXPECT_EQ(error_code(send(hashos_udp_Udp_METHOD_Bind, hashos_udp_BindRequest_fields, bad)), uint32_t(kernel::ErrorCode::InvalidArgument));
    auto [a, a_port] = bind();
    hashos_udp_BindRequest taken = hashos_udp_BindRequest_init_zero;
    taken.has_address = true;
    std::strcpy(taken.address.host, "127.0.0.1");
    taken.address.port = a_port;
    EXPECT_EQ(error_code(send(hashos_udp_Udp_METHOD_Bind, hashos_udp_BindRequest_fields, taken)), uint32_t(kernel::ErrorCode::AlreadyExists));
    EXPECT_EQ(error_code(send_to(a, "127.0.0.1", 9, std::string(70'000, 'x'))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(send_to(99, "127.0.0.1", 9, "x")), uint32_t(kernel::ErrorCode::NotFound));
    EXPECT_EQ(error_code(*call(*m_handler, { 99 }, k_sender)), uint32_t(kernel::ErrorCode::Unimplemented));
}

} // namespace hashos::handlers
