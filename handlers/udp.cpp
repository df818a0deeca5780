#include "handlers/udp.h"

#include "handlers/host_error.h"
#include "handlers/wire.h"
#include "udp.interface.h"

#include <cerrno>
#include <cstring>

namespace hashos::handlers {

namespace {

using asio::ip::udp;
constexpr std::string_view k_name = "udp";

kernel::Answer socket_error(const std::error_code& error, std::string_view what)
{
    int number = error.category() == asio::system_category() ? error.value() : 0;
    return host_error(number ? error_code_for_errno(number) : kernel::ErrorCode::Internal, number,
        "udp: " + std::string(what) + ": " + error.message());
}

kernel::Answer bad_handle(uint64_t handle)
{
    return host_error(kernel::ErrorCode::NotFound, EBADF, "udp: no socket " + std::to_string(handle));
}

hashos_udp_Address address_of(const udp::endpoint& endpoint)
{
    hashos_udp_Address address = hashos_udp_Address_init_zero;
    auto text = endpoint.address().to_string();
    std::strncpy(address.host, text.c_str(), sizeof(address.host) - 1);
    address.port = endpoint.port();
    return address;
}

} // namespace

UdpHandler::UdpHandler(EventLoop& loop)
    : m_io(loop.io())
{
}

template<typename Work>
void UdpHandler::locked(Work&& work)
{
    Outbox outbox;
    {
        std::lock_guard lock(m_lock);
        work(outbox);
    }
    for (auto& [message, answer] : outbox)
        answer_message(message, std::move(answer));
}

kernel::Delivery UdpHandler::deliver(kernel::Message&& message)
{
    locked([&](Outbox& outbox) { handle(std::move(message), outbox); });
    return kernel::Delivery::Accepted;
}

void UdpHandler::handle(kernel::Message message, Outbox& outbox)
{
    auto request = split_request(message.body);
    if (!request) {
        outbox.emplace_back(std::move(message), malformed_request(k_name, "no method number"));
        return;
    }
    switch (request->method) {
    case hashos_udp_Udp_METHOD_Bind:
        return bind(std::move(message), outbox);
    case hashos_udp_Udp_METHOD_SendTo:
        return send_to(std::move(message), outbox);
    case hashos_udp_Udp_METHOD_ReceiveFrom:
        return receive_from(std::move(message), outbox);
    case hashos_udp_Udp_METHOD_Close:
        return close(std::move(message), outbox);
    default:
        outbox.emplace_back(std::move(message), unknown_method(k_name, request->method));
    }
}

std::shared_ptr<UdpHandler::Socket> UdpHandler::owned(kernel::SenderId sender, uint64_t handle)
{
    auto it = m_sockets.find(handle);
    return it == m_sockets.end() || it->second->owner != sender ? nullptr : it->second;
}

void UdpHandler::bind(kernel::Message message, Outbox& outbox)
{
    hashos_udp_BindRequest request = hashos_udp_BindRequest_init_zero;
    if (auto decoded = decode(split_request(message.body)->payload, hashos_udp_BindRequest_fields, &request); decoded.is_error()) {
        outbox.emplace_back(std::move(message), malformed_request(k_name, decoded.error().message()));
        return;
    }
    std::error_code error;
    auto address = asio::ip::make_address(request.address.host, error);
    if (error || request.address.port > 65535) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::InvalidArgument, EINVAL,
            "udp: bind: '" + std::string(request.address.host) + "' is not an IP address and port"));
        return;
    }
    auto& handles = m_by_sender[message.sender];
    if (handles.size() >= k_max_handles) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::ResourceExhausted, EMFILE, "udp: the limit of handles is reached"));
        return;
    }
    udp::endpoint endpoint(address, uint16_t(request.address.port));
    udp::socket socket(m_io);
    if (socket.open(endpoint.protocol(), error) || socket.bind(endpoint, error) || socket.non_blocking(true, error)) {
        outbox.emplace_back(std::move(message), socket_error(error, "bind " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port())));
        return;
    }
    auto local = socket.local_endpoint(error);
    auto entry = std::make_shared<Socket>(std::move(socket));
    entry->owner = message.sender;
    uint64_t handle = m_next_handle++;
    m_sockets.emplace(handle, entry);
    handles.insert(handle);
    hashos_udp_BindResponse response = hashos_udp_BindResponse_init_zero;
    response.socket = handle;
    response.has_local = true;
    response.local = address_of(local);
    outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_udp_BindResponse_fields, &response)));
}

void UdpHandler::send_to(kernel::Message message, Outbox& outbox)
{
    hashos_udp_SendToRequest request = hashos_udp_SendToRequest_init_zero;
    StringField data(k_max_datagram + 1);
    data.attach(request.data);
    auto decoded = decode(split_request(message.body)->payload, hashos_udp_SendToRequest_fields, &request);
    if (data.too_long()) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::InvalidArgument, EMSGSIZE, "udp: send: a datagram is at most 65507 bytes"));
        return;
    }
    if (decoded.is_error()) {
        outbox.emplace_back(std::move(message), malformed_request(k_name, decoded.error().message()));
        return;
    }
    auto socket = owned(message.sender, request.socket);
    if (!socket) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket));
        return;
    }
    if (request.destination.port == 0 || request.destination.port > 65535) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::InvalidArgument, EINVAL, "udp: send: a port from 1 to 65535 is needed"));
        return;
    }
    std::error_code error;
    auto address = asio::ip::make_address(request.destination.host, error);
    if (!error) {
        send_resolved(std::move(message), socket, udp::endpoint(address, uint16_t(request.destination.port)), data.value(), outbox);
        return;
    }
    // A name: resolved by the host, off this thread; the datagram goes when it is.
    auto resolver = std::make_shared<udp::resolver>(m_io);
    std::string host = request.destination.host;
    resolver->async_resolve(host, std::to_string(request.destination.port),
        [self = weak_from_this(), resolver, socket, host, message = std::move(message), bytes = std::move(data.value())](
            const std::error_code& error, udp::resolver::results_type results) mutable {
            auto handler = self.lock();
            if (!handler)
                return;
            handler->locked([&](Outbox& outbox) {
                if (error || results.empty()) {
                    outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::NotFound, 0, "udp: send: cannot resolve '" + host + "'"));
                    return;
                }
                // "localhost" may resolve to ::1 first: an IPv4 socket can only send to an IPv4
                // address, and the other way round.
                std::error_code ignored;
                auto protocol = socket->socket.local_endpoint(ignored).protocol();
                for (auto const& entry : results) {
                    if (entry.endpoint().protocol() == protocol) {
                        handler->send_resolved(std::move(message), socket, entry.endpoint(), bytes, outbox);
                        return;
                    }
                }
                outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::NotFound, EAFNOSUPPORT,
                    "udp: send: '" + host + "' has no address of the socket's family"));
            });
        });
}

void UdpHandler::send_resolved(kernel::Message message, const std::shared_ptr<Socket>& socket, const udp::endpoint& to,
    const std::string& data, Outbox& outbox)
{
    std::error_code error;
    // A datagram goes whole or not at all; a full send buffer (EAGAIN) is reported, not queued,
    // as UDP may drop datagrams anyway.
    size_t sent = socket->socket.send_to(asio::buffer(data), to, 0, error);
    if (error) {
        outbox.emplace_back(std::move(message), socket_error(error, "send to " + to.address().to_string()));
        return;
    }
    hashos_udp_SendToResponse response = hashos_udp_SendToResponse_init_zero;
    response.sent = sent;
    outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_udp_SendToResponse_fields, &response)));
}

void UdpHandler::receive_from(kernel::Message message, Outbox& outbox)
{
    hashos_udp_ReceiveFromRequest request = hashos_udp_ReceiveFromRequest_init_zero;
    if (auto decoded = decode(split_request(message.body)->payload, hashos_udp_ReceiveFromRequest_fields, &request); decoded.is_error()) {
        outbox.emplace_back(std::move(message), malformed_request(k_name, decoded.error().message()));
        return;
    }
    auto socket = owned(message.sender, request.socket);
    if (!socket) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket));
        return;
    }
    m_waiting[message.id] = request.socket;
    uint32_t size = request.size == 0 || request.size > 65535 ? 65535 : request.size;
    socket->receives.push_back({ std::move(message), size });
    pump(request.socket, socket, outbox);
}

void UdpHandler::pump(uint64_t handle, const std::shared_ptr<Socket>& socket, Outbox& outbox)
{
    // One byte more than asked for tells a cut datagram from one that fits exactly.
    std::vector<uint8_t> buffer;
    while (!socket->receives.empty()) {
        auto& front = socket->receives.front();
        buffer.resize(size_t(front.size) + 1);
        udp::endpoint source;
        std::error_code error;
        size_t count = socket->socket.receive_from(asio::buffer(buffer), source, 0, error);
        if (error == asio::error::would_block || error == asio::error::try_again) {
            if (socket->waiting)
                return;
            socket->waiting = true;
            socket->socket.async_wait(udp::socket::wait_read, [self = weak_from_this(), handle, socket](const std::error_code& waited) {
                auto handler = self.lock();
                if (!handler)
                    return;
                handler->locked([&](Outbox& outbox) {
                    socket->waiting = false;
                    if (!waited && handler->m_sockets.contains(handle))
                        handler->pump(handle, socket, outbox);
                });
            });
            return;
        }
        kernel::Message message = std::move(front.message);
        uint32_t size = front.size;
        socket->receives.pop_front();
        m_waiting.erase(message.id);
        if (error) {
            outbox.emplace_back(std::move(message), socket_error(error, "receive"));
            continue;
        }
        hashos_udp_ReceiveFromResponse response = hashos_udp_ReceiveFromResponse_init_zero;
        response.truncated = count > size;
        std::span<const uint8_t> data(buffer.data(), std::min<size_t>(count, size));
        attach_bytes(response.data, data);
        response.has_source = true;
        response.source = address_of(source);
        outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_udp_ReceiveFromResponse_fields, &response)));
    }
}

void UdpHandler::close_socket(uint64_t handle, Outbox& outbox)
{
    auto it = m_sockets.find(handle);
    if (it == m_sockets.end())
        return;
    auto socket = it->second;
    m_sockets.erase(it);
    if (auto owner = m_by_sender.find(socket->owner); owner != m_by_sender.end()) {
        owner->second.erase(handle);
        if (owner->second.empty())
            m_by_sender.erase(owner);
    }
    for (auto& receive : socket->receives) {
        m_waiting.erase(receive.message.id);
        outbox.emplace_back(std::move(receive.message), kernel::Answer::error(kernel::ErrorCode::Cancelled, "udp: the socket was closed"));
    }
    socket->receives.clear();
    std::error_code ignored;
    socket->socket.close(ignored);
}

void UdpHandler::close(kernel::Message message, Outbox& outbox)
{
    hashos_udp_CloseRequest request = hashos_udp_CloseRequest_init_zero;
    if (auto decoded = decode(split_request(message.body)->payload, hashos_udp_CloseRequest_fields, &request); decoded.is_error()) {
        outbox.emplace_back(std::move(message), malformed_request(k_name, decoded.error().message()));
        return;
    }
    if (!owned(message.sender, request.socket)) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket));
        return;
    }
    close_socket(request.socket, outbox);
    outbox.emplace_back(std::move(message), kernel::Answer::ok());
}

void UdpHandler::cancel(kernel::MessageId id)
{
    locked([&](Outbox&) {
        auto it = m_waiting.find(id);
        if (it == m_waiting.end())
            return;
        auto socket = m_sockets.find(it->second);
        m_waiting.erase(it);
        if (socket != m_sockets.end())
            std::erase_if(socket->second->receives, [&](const PendingReceive& receive) { return receive.message.id == id; });
    });
}

void UdpHandler::sender_exited(kernel::SenderId sender)
{
    locked([&](Outbox& outbox) {
        auto it = m_by_sender.find(sender);
        if (it == m_by_sender.end())
            return;
        auto handles = it->second;
        for (uint64_t handle : handles)
            close_socket(handle, outbox);
    });
}

} // namespace hashos::handlers
