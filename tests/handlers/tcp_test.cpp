// The `tcp` handler on its own, over real sockets on 127.0.0.1: listen, connect (by name),
// accept, a read that waits for data, write, end of stream, cancelling a waiting read without
// losing bytes, and a sender's exit closing its sockets and answering what waited.
#include "handlers/tcp.h"

#include "handler_fixture.h"
#include "tcp.interface.h"

#include <gtest/gtest.h>

#include <cstring>

namespace hashos::handlers {

using namespace testing;

namespace {

const kernel::SenderId k_sender(7);

class TcpTest : public ::testing::Test {
protected:
    void TearDown() override { m_loop.stop(); }

    template<typename Request>
    kernel::Answer send(uint64_t method, const pb_msgdesc_t* fields, const Request& request)
    {
        auto answer = call(*m_handler, encode_request(method, fields, &request), k_sender);
        EXPECT_TRUE(answer.has_value());
        return answer ? std::move(*answer) : kernel::Answer::error(kernel::ErrorCode::Internal, "no answer");
    }

    template<typename Response>
    Response decoded(const kernel::Answer& answer, const pb_msgdesc_t* fields)
    {
        Response response {};
        EXPECT_EQ(answer.kind, kernel::AnswerKind::Ok) << decode_error(answer.body).message;
        EXPECT_FALSE(decode(answer.body, fields, &response).is_error());
        return response;
    }

    // A listener on 127.0.0.1 and its port.
    std::pair<uint64_t, uint32_t> listen()
    {
        hashos_tcp_ListenRequest request = hashos_tcp_ListenRequest_init_zero;
        request.has_address = true;
        std::strcpy(request.address.host, "127.0.0.1");
        auto response = decoded<hashos_tcp_ListenResponse>(send(hashos_tcp_Tcp_METHOD_Listen, hashos_tcp_ListenRequest_fields, request),
            hashos_tcp_ListenResponse_fields);
        EXPECT_GT(response.local.port, 0u);
        return { response.listener, response.local.port };
    }

    std::shared_ptr<AnswerCatcher> start(uint64_t method, const pb_msgdesc_t* fields, const void* request)
    {
        auto catcher = std::make_shared<AnswerCatcher>();
        EXPECT_EQ(m_handler->deliver(message_to(catcher, encode_request(method, fields, request), k_sender)), kernel::Delivery::Accepted);
        return catcher;
    }

    void write(uint64_t socket, const std::string& text)
    {
        hashos_tcp_WriteRequest request = hashos_tcp_WriteRequest_init_zero;
        request.socket = socket;
        std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        attach_bytes(request.data, bytes);
        auto response = decoded<hashos_tcp_WriteResponse>(send(hashos_tcp_Tcp_METHOD_Write, hashos_tcp_WriteRequest_fields, request),
            hashos_tcp_WriteResponse_fields);
        EXPECT_EQ(response.written, text.size());
    }

    // The data of a ReadResponse, and whether it is the end.
    std::pair<std::string, bool> read_answer(const kernel::Answer& answer)
    {
        StringField data(1 << 20);
        hashos_tcp_ReadResponse response = hashos_tcp_ReadResponse_init_zero;
        data.attach(response.data);
        EXPECT_EQ(answer.kind, kernel::AnswerKind::Ok) << decode_error(answer.body).message;
        EXPECT_FALSE(decode(answer.body, hashos_tcp_ReadResponse_fields, &response).is_error());
        return { data.value(), response.end };
    }

    // Connects a client (by name) and accepts it: the client's socket and the server's.
    std::pair<uint64_t, uint64_t> connected_pair()
    {
        auto [listener, port] = listen();
        hashos_tcp_AcceptRequest accept = { listener };
        auto accepted = start(hashos_tcp_Tcp_METHOD_Accept, hashos_tcp_AcceptRequest_fields, &accept);
        hashos_tcp_ConnectRequest connect = hashos_tcp_ConnectRequest_init_zero;
        connect.has_address = true;
        std::strcpy(connect.address.host, "localhost");
        connect.address.port = port;
        auto client = decoded<hashos_tcp_ConnectResponse>(send(hashos_tcp_Tcp_METHOD_Connect, hashos_tcp_ConnectRequest_fields, connect),
            hashos_tcp_ConnectResponse_fields);
        auto answer = accepted->get();
        EXPECT_TRUE(answer.has_value());
        auto server = decoded<hashos_tcp_AcceptResponse>(*answer, hashos_tcp_AcceptResponse_fields);
        EXPECT_EQ(server.peer.port, client.local.port);
        return { client.socket, server.socket };
    }

    EventLoop m_loop;
    std::shared_ptr<TcpHandler> m_handler = std::make_shared<TcpHandler>(m_loop);
};

} // namespace

TEST_F(TcpTest, AReadIsAnsweredWhenDataArrives)
{
    auto [client, server] = connected_pair();
    hashos_tcp_ReadRequest read = { server, 100 };
    auto waiting = start(hashos_tcp_Tcp_METHOD_Read, hashos_tcp_ReadRequest_fields, &read);
    EXPECT_FALSE(waiting->get(std::chrono::milliseconds(50)).has_value()); // nothing sent yet
    write(client, "hello over tcp");
    auto answer = waiting->get();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(read_answer(*answer), std::make_pair(std::string("hello over tcp"), false));

    // The client shuts down its side: the server reads the end of the stream.
    hashos_tcp_ShutdownRequest shutdown = { client, hashos_tcp_Direction_DIRECTION_WRITE };
    EXPECT_EQ(send(hashos_tcp_Tcp_METHOD_Shutdown, hashos_tcp_ShutdownRequest_fields, shutdown).kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(read_answer(send(hashos_tcp_Tcp_METHOD_Read, hashos_tcp_ReadRequest_fields, read)), std::make_pair(std::string(), true));
}

TEST_F(TcpTest, ACancelledReadLosesNoBytes)
{
    auto [client, server] = connected_pair();
    hashos_tcp_ReadRequest read = { server, 100 };
    auto catcher = std::make_shared<AnswerCatcher>();
    auto message = message_to(catcher, encode_request(hashos_tcp_Tcp_METHOD_Read, hashos_tcp_ReadRequest_fields, &read), k_sender);
    auto id = message.id;
    ASSERT_EQ(m_handler->deliver(std::move(message)), kernel::Delivery::Accepted);
    m_handler->cancel(id);
    write(client, "kept");
    EXPECT_EQ(read_answer(send(hashos_tcp_Tcp_METHOD_Read, hashos_tcp_ReadRequest_fields, read)).first, "kept");
    EXPECT_FALSE(catcher->get(std::chrono::milliseconds(50)).has_value());
}

TEST_F(TcpTest, AnExitedSendersSocketsCloseAndItsWaitsAreAnswered)
{
    auto [client, server] = connected_pair();
    hashos_tcp_ReadRequest read = { server, 100 };
    auto waiting = start(hashos_tcp_Tcp_METHOD_Read, hashos_tcp_ReadRequest_fields, &read);
    m_handler->sender_exited(k_sender);
    auto answer = waiting->get();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(error_code(*answer), uint32_t(kernel::ErrorCode::Cancelled));
    auto gone = send(hashos_tcp_Tcp_METHOD_Read, hashos_tcp_ReadRequest_fields, read);
    EXPECT_EQ(error_code(gone), uint32_t(kernel::ErrorCode::NotFound));
}

TEST_F(TcpTest, RefusesWhatItCannotDo)
{
    hashos_tcp_ConnectRequest connect = hashos_tcp_ConnectRequest_init_zero;
    connect.has_address = true;
    std::strcpy(connect.address.host, "127.0.0.1");
    connect.address.port = 1; // nothing listens there
    EXPECT_EQ(error_code(send(hashos_tcp_Tcp_METHOD_Connect, hashos_tcp_ConnectRequest_fields, connect)),
        uint32_t(kernel::ErrorCode::Unavailable));
    hashos_tcp_ListenRequest listen = hashos_tcp_ListenRequest_init_zero;
    listen.has_address = true;
    std::strcpy(listen.address.host, "not an address");
    EXPECT_EQ(error_code(send(hashos_tcp_Tcp_METHOD_Listen, hashos_tcp_ListenRequest_fields, listen)),
        uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(*m_handler, { 99 }, k_sender)), uint32_t(kernel::ErrorCode::Unimplemented));
}

} // namespace hashos::handlers
