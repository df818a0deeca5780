#include "handlers/tcp.h"

#include "handlers/host_error.h"
#include "handlers/wire.h"
#include "kernel/abi.h"
#include "tcp.interface.h"

#include <asio/connect.hpp>
#include <asio/post.hpp>

#include <cerrno>
#include <cstring>

namespace hashos::handlers {

namespace {

using asio::ip::tcp;
constexpr std::string_view k_name = "tcp";

kernel::Answer cancelled(std::string_view why)
{
    return kernel::Answer::error(kernel::ErrorCode::Cancelled, std::string("tcp: ") + std::string(why));
}

kernel::Answer socket_error(const std::error_code& error, std::string_view what)
{
    // Asio reports system errors in the system category, whose values are errno values.
    int number = error.category() == asio::system_category() ? error.value() : 0;
    std::string message = "tcp: " + std::string(what) + ": " + error.message();
    return host_error(number ? error_code_for_errno(number) : kernel::ErrorCode::Internal, number, message);
}

kernel::Answer bad_handle(uint64_t handle, std::string_view kind)
{
    return host_error(kernel::ErrorCode::NotFound, EBADF, "tcp: no " + std::string(kind) + " " + std::to_string(handle));
}

hashos_tcp_Address address_of(const tcp::endpoint& endpoint)
{
    hashos_tcp_Address address = hashos_tcp_Address_init_zero;
    auto text = endpoint.address().to_string();
    std::strncpy(address.host, text.c_str(), sizeof(address.host) - 1);
    address.port = endpoint.port();
    return address;
}

template<typename Request>
bool decode_or_answer(const kernel::Message& message, const pb_msgdesc_t* fields, Request& request, std::vector<std::pair<kernel::Message, kernel::Answer>>& outbox)
{
    auto split = split_request(message.body);
    auto decoded = decode(split->payload, fields, &request);
    if (decoded.is_error()) {
        outbox.emplace_back(message, malformed_request(k_name, decoded.error().message()));
        return false;
    }
    return true;
}

} // namespace

TcpHandler::TcpHandler(EventLoop& loop)
    : m_io(loop.io())
{
}

TcpHandler::~TcpHandler()
{
    // Sockets close with their objects; nothing waits on them once the io thread has stopped.
}

template<typename Work>
void TcpHandler::locked(Work&& work)
{
    Outbox outbox;
    {
        std::lock_guard lock(m_lock);
        work(outbox);
    }
    for (auto& [message, answer] : outbox)
        answer_message(message, std::move(answer));
}

kernel::Delivery TcpHandler::deliver(kernel::Message&& message)
{
    locked([&](Outbox& outbox) { handle(std::move(message), outbox); });
    return kernel::Delivery::Accepted;
}

void TcpHandler::handle(kernel::Message message, Outbox& outbox)
{
    auto request = split_request(message.body);
    if (!request) {
        outbox.emplace_back(std::move(message), malformed_request(k_name, "no method number"));
        return;
    }
    switch (request->method) {
    case hashos_tcp_Tcp_METHOD_Listen:
        return listen(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Accept:
        return accept(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Connect:
        return connect(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Read:
        return read(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Write:
        return write(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Shutdown:
        return shutdown(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Close:
        return close(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_Addresses:
        return addresses(std::move(message), outbox);
    case hashos_tcp_Tcp_METHOD_SetNoDelay:
        return set_no_delay(std::move(message), outbox);
    default:
        outbox.emplace_back(std::move(message), unknown_method(k_name, request->method));
    }
}

TcpHandler::Object* TcpHandler::owned(kernel::SenderId sender, uint64_t handle)
{
    auto it = m_objects.find(handle);
    return it == m_objects.end() || it->second.owner != sender ? nullptr : &it->second;
}

uint64_t TcpHandler::add(kernel::SenderId owner, Object object)
{
    auto& handles = m_by_sender[owner];
    if (handles.size() >= k_max_handles)
        return 0;
    uint64_t handle = m_next_handle++;
    object.owner = owner;
    m_objects.emplace(handle, std::move(object));
    handles.insert(handle);
    return handle;
}

void TcpHandler::listen(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_ListenRequest request = hashos_tcp_ListenRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_ListenRequest_fields, request, outbox))
        return;
    std::error_code error;
    auto address = asio::ip::make_address(request.address.host, error);
    if (error || request.address.port > 65535) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::InvalidArgument, EINVAL,
            "tcp: listen: '" + std::string(request.address.host) + "' port " + std::to_string(request.address.port) + " is not an IP address and port"));
        return;
    }
    tcp::endpoint endpoint(address, uint16_t(request.address.port));
    tcp::acceptor acceptor(m_io);
    int backlog = request.backlog ? int(request.backlog) : int(tcp::acceptor::max_listen_connections);
    if (acceptor.open(endpoint.protocol(), error) || acceptor.set_option(tcp::acceptor::reuse_address(true), error)
        || acceptor.bind(endpoint, error) || acceptor.listen(backlog, error) || acceptor.non_blocking(true, error)) {
        outbox.emplace_back(std::move(message), socket_error(error, "listen on " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port())));
        return;
    }
    auto local = acceptor.local_endpoint(error);
    uint64_t handle = add(message.sender, Object { {}, nullptr, std::make_shared<Listener>(std::move(acceptor)) });
    if (handle == 0) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::ResourceExhausted, EMFILE, "tcp: the limit of handles is reached"));
        return;
    }
    hashos_tcp_ListenResponse response = hashos_tcp_ListenResponse_init_zero;
    response.listener = handle;
    response.has_local = true;
    response.local = address_of(local);
    outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_tcp_ListenResponse_fields, &response)));
}

void TcpHandler::accept(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_AcceptRequest request = hashos_tcp_AcceptRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_AcceptRequest_fields, request, outbox))
        return;
    auto* object = owned(message.sender, request.listener);
    if (!object || !object->listener) {
        outbox.emplace_back(std::move(message), bad_handle(request.listener, "listener"));
        return;
    }
    auto listener = object->listener;
    m_waiting[message.id] = request.listener;
    listener->accepts.push_back(std::move(message));
    pump_accepts(request.listener, object->owner, listener, outbox);
}

void TcpHandler::pump_accepts(uint64_t handle, kernel::SenderId owner, const std::shared_ptr<Listener>& listener, Outbox& outbox)
{
    while (!listener->accepts.empty()) {
        std::error_code error;
        tcp::endpoint peer;
        tcp::socket socket(m_io);
        listener->acceptor.accept(socket, peer, error);
        if (error == asio::error::would_block || error == asio::error::try_again) {
            if (listener->waiting)
                return;
            listener->waiting = true;
            listener->acceptor.async_wait(tcp::acceptor::wait_read,
                [self = weak_from_this(), handle, owner, listener](const std::error_code& waited) {
                    auto handler = self.lock();
                    if (!handler)
                        return;
                    handler->locked([&](Outbox& outbox) {
                        listener->waiting = false;
                        if (!waited && handler->m_objects.contains(handle))
                            handler->pump_accepts(handle, owner, listener, outbox);
                    });
                });
            return;
        }
        kernel::Message message = std::move(listener->accepts.front());
        listener->accepts.pop_front();
        m_waiting.erase(message.id);
        if (error) {
            outbox.emplace_back(std::move(message), socket_error(error, "accept"));
            continue;
        }
        socket.non_blocking(true, error);
        uint64_t stream = add(owner, Object { {}, std::make_shared<Stream>(std::move(socket)), nullptr });
        if (stream == 0) {
            outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::ResourceExhausted, EMFILE, "tcp: the limit of handles is reached"));
            continue;
        }
        hashos_tcp_AcceptResponse response = hashos_tcp_AcceptResponse_init_zero;
        response.socket = stream;
        response.has_peer = true;
        response.peer = address_of(peer);
        outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_tcp_AcceptResponse_fields, &response)));
    }
}

void TcpHandler::connect(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_ConnectRequest request = hashos_tcp_ConnectRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_ConnectRequest_fields, request, outbox))
        return;
    if (request.address.port == 0 || request.address.port > 65535 || request.address.host[0] == '\0') {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::InvalidArgument, EINVAL, "tcp: connect: a host and a port from 1 to 65535 are needed"));
        return;
    }
    uint64_t attempt = m_next_attempt++;
    std::string host = request.address.host;
    std::string port = std::to_string(request.address.port);
    m_waiting[message.id] = 0; // cancel() looks among the attempts
    auto& connecting = m_connecting[attempt];
    connecting.message = std::move(message);
    connecting.resolver = std::make_unique<tcp::resolver>(m_io);
    connecting.socket = std::make_unique<tcp::socket>(m_io);
    // The resolver runs getaddrinfo on Asio's own thread, so a slow DNS server delays only this
    // answer.
    connecting.resolver->async_resolve(host, port,
        [self = weak_from_this(), attempt, host](const std::error_code& error, tcp::resolver::results_type results) {
            auto handler = self.lock();
            if (!handler)
                return;
            handler->locked([&](Outbox& outbox) {
                auto it = handler->m_connecting.find(attempt);
                if (it == handler->m_connecting.end())
                    return;
                if (it->second.cancelled || error) {
                    handler->m_waiting.erase(it->second.message.id);
                    if (!it->second.cancelled)
                        outbox.emplace_back(std::move(it->second.message),
                            host_error(kernel::ErrorCode::NotFound, 0, "tcp: connect: cannot resolve '" + host + "': " + error.message()));
                    handler->m_connecting.erase(it);
                    return;
                }
                asio::async_connect(*it->second.socket, results,
                    [self = handler->weak_from_this(), attempt](const std::error_code& error, const tcp::endpoint&) {
                        if (auto handler = self.lock())
                            handler->locked([&](Outbox& outbox) { handler->connected(attempt, error, outbox); });
                    });
            });
        });
}

void TcpHandler::connected(uint64_t attempt, const std::error_code& error, Outbox& outbox)
{
    auto it = m_connecting.find(attempt);
    if (it == m_connecting.end())
        return;
    Connecting connecting = std::move(it->second);
    m_connecting.erase(it);
    m_waiting.erase(connecting.message.id);
    if (connecting.cancelled)
        return;
    if (error) {
        outbox.emplace_back(std::move(connecting.message), socket_error(error, "connect"));
        return;
    }
    std::error_code ignored;
    connecting.socket->non_blocking(true, ignored);
    auto local = connecting.socket->local_endpoint(ignored);
    auto peer = connecting.socket->remote_endpoint(ignored);
    uint64_t handle = add(connecting.message.sender, Object { {}, std::make_shared<Stream>(std::move(*connecting.socket)), nullptr });
    if (handle == 0) {
        outbox.emplace_back(std::move(connecting.message), host_error(kernel::ErrorCode::ResourceExhausted, EMFILE, "tcp: the limit of handles is reached"));
        return;
    }
    hashos_tcp_ConnectResponse response = hashos_tcp_ConnectResponse_init_zero;
    response.socket = handle;
    response.has_local = true;
    response.local = address_of(local);
    response.has_peer = true;
    response.peer = address_of(peer);
    outbox.emplace_back(std::move(connecting.message), kernel::Answer::ok(encode(hashos_tcp_ConnectResponse_fields, &response)));
}

void TcpHandler::read(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_ReadRequest request = hashos_tcp_ReadRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_ReadRequest_fields, request, outbox))
        return;
    auto* object = owned(message.sender, request.socket);
    if (!object || !object->stream) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket, "socket"));
        return;
    }
    if (request.size > k_max_read) {
        outbox.emplace_back(std::move(message), host_error(kernel::ErrorCode::InvalidArgument, EINVAL, "tcp: read: at most 1 MiB per read"));
        return;
    }
    auto stream = object->stream;
    m_waiting[message.id] = request.socket;
    stream->reads.push_back({ std::move(message), request.size ? request.size : k_default_read });
    pump_reads(request.socket, stream, outbox);
}

void TcpHandler::pump_reads(uint64_t handle, const std::shared_ptr<Stream>& stream, Outbox& outbox)
{
    std::vector<uint8_t> buffer;
    while (!stream->reads.empty()) {
        auto& front = stream->reads.front();
        std::error_code error;
        size_t count = 0;
        if (!stream->ended) {
            buffer.resize(front.size);
            count = stream->socket.read_some(asio::buffer(buffer), error);
        }
        if (error == asio::error::would_block || error == asio::error::try_again) {
            if (stream->waiting_readable)
                return;
            stream->waiting_readable = true;
            stream->socket.async_wait(tcp::socket::wait_read, [self = weak_from_this(), handle, stream](const std::error_code& waited) {
                auto handler = self.lock();
                if (!handler)
                    return;
                handler->locked([&](Outbox& outbox) {
                    stream->waiting_readable = false;
                    if (!waited && handler->m_objects.contains(handle))
                        handler->pump_reads(handle, stream, outbox);
                });
            });
            return;
        }
        kernel::Message message = std::move(front.message);
        stream->reads.pop_front();
        m_waiting.erase(message.id);
        hashos_tcp_ReadResponse response = hashos_tcp_ReadResponse_init_zero;
        std::span<const uint8_t> data(buffer.data(), count);
        if (stream->ended || error == asio::error::eof) {
            stream->ended = true;
            response.end = true;
        } else if (error) {
            outbox.emplace_back(std::move(message), socket_error(error, "read"));
            continue;
        } else {
            attach_bytes(response.data, data);
        }
        outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_tcp_ReadResponse_fields, &response)));
    }
}

void TcpHandler::write(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_WriteRequest request = hashos_tcp_WriteRequest_init_zero;
    StringField data(kernel::abi::k_max_body_size);
    data.attach(request.data);
    if (!decode_or_answer(message, hashos_tcp_WriteRequest_fields, request, outbox))
        return;
    auto* object = owned(message.sender, request.socket);
    if (!object || !object->stream) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket, "socket"));
        return;
    }
    auto stream = object->stream;
    m_waiting[message.id] = request.socket;
    stream->writes.push_back({ std::move(message), std::move(data.value()), 0 });
    pump_writes(request.socket, stream, outbox);
}

void TcpHandler::pump_writes(uint64_t handle, const std::shared_ptr<Stream>& stream, Outbox& outbox)
{
    while (!stream->writes.empty()) {
        if (stream->waiting_writable)
            return;
        auto& front = stream->writes.front();
        std::error_code error;
        while (front.written < front.data.size() && !error)
            front.written += stream->socket.write_some(asio::buffer(front.data.data() + front.written, front.data.size() - front.written), error);
        if (error == asio::error::would_block || error == asio::error::try_again) {
            stream->waiting_writable = true;
            stream->socket.async_wait(tcp::socket::wait_write, [self = weak_from_this(), handle, stream](const std::error_code& waited) {
                auto handler = self.lock();
                if (!handler)
                    return;
                handler->locked([&](Outbox& outbox) {
                    stream->waiting_writable = false;
                    if (!waited && handler->m_objects.contains(handle))
                        handler->pump_writes(handle, stream, outbox);
                });
            });
            return;
        }
        kernel::Message message = std::move(front.message);
        size_t written = front.written;
        stream->writes.pop_front();
        m_waiting.erase(message.id);
        if (error) {
            outbox.emplace_back(std::move(message), socket_error(error, "write"));
            continue;
        }
        hashos_tcp_WriteResponse response = hashos_tcp_WriteResponse_init_zero;
        response.written = written;
        outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_tcp_WriteResponse_fields, &response)));
    }
}

void TcpHandler::shutdown(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_ShutdownRequest request = hashos_tcp_ShutdownRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_ShutdownRequest_fields, request, outbox))
        return;
    auto* object = owned(message.sender, request.socket);
    if (!object || !object->stream) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket, "socket"));
        return;
    }
    auto how = request.direction == hashos_tcp_Direction_DIRECTION_READ ? tcp::socket::shutdown_receive
        : request.direction == hashos_tcp_Direction_DIRECTION_WRITE      ? tcp::socket::shutdown_send
                                                                         : tcp::socket::shutdown_both;
    std::error_code error;
    object->stream->socket.shutdown(how, error);
    outbox.emplace_back(std::move(message), error ? socket_error(error, "shutdown") : kernel::Answer::ok());
}

void TcpHandler::close_object(uint64_t handle, Outbox& outbox)
{
    auto it = m_objects.find(handle);
    if (it == m_objects.end())
        return;
    Object object = std::move(it->second);
    m_objects.erase(it);
    if (auto owner = m_by_sender.find(object.owner); owner != m_by_sender.end()) {
        owner->second.erase(handle);
        if (owner->second.empty())
            m_by_sender.erase(owner);
    }
    std::error_code ignored;
    auto answer_cancelled = [&](kernel::Message& message) {
        m_waiting.erase(message.id);
        outbox.emplace_back(std::move(message), cancelled("the handle was closed"));
    };
    if (object.stream) {
        for (auto& read : object.stream->reads)
            answer_cancelled(read.message);
        for (auto& write : object.stream->writes)
            answer_cancelled(write.message);
        object.stream->reads.clear();
        object.stream->writes.clear();
        // Closing cancels the readiness waits; their handlers see the handle gone.
        object.stream->socket.close(ignored);
    }
    if (object.listener) {
        for (auto& message : object.listener->accepts)
            answer_cancelled(message);
        object.listener->accepts.clear();
        object.listener->acceptor.close(ignored);
    }
}

void TcpHandler::close(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_CloseRequest request = hashos_tcp_CloseRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_CloseRequest_fields, request, outbox))
        return;
    if (!owned(message.sender, request.handle)) {
        outbox.emplace_back(std::move(message), bad_handle(request.handle, "socket or listener"));
        return;
    }
    close_object(request.handle, outbox);
    outbox.emplace_back(std::move(message), kernel::Answer::ok());
}

void TcpHandler::addresses(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_AddressesRequest request = hashos_tcp_AddressesRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_AddressesRequest_fields, request, outbox))
        return;
    auto* object = owned(message.sender, request.handle);
    if (!object) {
        outbox.emplace_back(std::move(message), bad_handle(request.handle, "socket or listener"));
        return;
    }
    hashos_tcp_AddressesResponse response = hashos_tcp_AddressesResponse_init_zero;
    std::error_code error;
    if (object->listener) {
        response.local = address_of(object->listener->acceptor.local_endpoint(error));
        response.has_local = !error;
    } else {
        response.local = address_of(object->stream->socket.local_endpoint(error));
        response.has_local = !error;
        auto peer = object->stream->socket.remote_endpoint(error);
        if (error) {
            outbox.emplace_back(std::move(message), socket_error(error, "peer address"));
            return;
        }
        response.has_peer = true;
        response.peer = address_of(peer);
    }
    outbox.emplace_back(std::move(message), kernel::Answer::ok(encode(hashos_tcp_AddressesResponse_fields, &response)));
}

void TcpHandler::set_no_delay(kernel::Message message, Outbox& outbox)
{
    hashos_tcp_SetNoDelayRequest request = hashos_tcp_SetNoDelayRequest_init_zero;
    if (!decode_or_answer(message, hashos_tcp_SetNoDelayRequest_fields, request, outbox))
        return;
    auto* object = owned(message.sender, request.socket);
    if (!object || !object->stream) {
        outbox.emplace_back(std::move(message), bad_handle(request.socket, "socket"));
        return;
    }
    std::error_code error;
    object->stream->socket.set_option(tcp::no_delay(request.enabled), error);
    outbox.emplace_back(std::move(message), error ? socket_error(error, "no delay") : kernel::Answer::ok());
}

void TcpHandler::cancel(kernel::MessageId id)
{
    locked([&](Outbox&) {
        auto it = m_waiting.find(id);
        if (it == m_waiting.end())
            return;
        uint64_t handle = it->second;
        m_waiting.erase(it);
        if (handle == 0) {
            for (auto& [attempt, connecting] : m_connecting) {
                if (connecting.message.id == id) {
                    // The resolver or the connect completes with operation_aborted.
                    connecting.cancelled = true;
                    std::error_code ignored;
                    connecting.resolver->cancel();
                    connecting.socket->close(ignored);
                }
            }
            return;
        }
        auto object = m_objects.find(handle);
        if (object == m_objects.end())
            return;
        // A withdrawn Read or Accept leaves the queue; its readiness wait consumed nothing. A
        // Write already partly on the wire cannot be taken back and goes on.
        if (auto& stream = object->second.stream) {
            std::erase_if(stream->reads, [&](const PendingRead& read) { return read.message.id == id; });
            if (!stream->writes.empty() && stream->writes.front().message.id != id)
                std::erase_if(stream->writes, [&](const PendingWrite& write) { return write.message.id == id; });
        }
        if (auto& listener = object->second.listener)
            std::erase_if(listener->accepts, [&](const kernel::Message& message) { return message.id == id; });
    });
}

void TcpHandler::sender_exited(kernel::SenderId sender)
{
    locked([&](Outbox& outbox) {
        if (auto it = m_by_sender.find(sender); it != m_by_sender.end()) {
            auto handles = it->second;
            for (uint64_t handle : handles)
                close_object(handle, outbox);
        }
        for (auto& [attempt, connecting] : m_connecting) {
            if (connecting.message.sender == sender && !connecting.cancelled) {
                connecting.cancelled = true;
                std::error_code ignored;
                connecting.resolver->cancel();
                connecting.socket->close(ignored);
            }
        }
    });
}

} // namespace hashos::handlers
