#include "kernel/interface_handler.h"

#include "kernel/wire_reader.h"

#include <span>

namespace hashos::kernel {

namespace {

enum class Method : uint64_t { Register = 1, Unregister = 2 };

// The `hash` field of RegisterRequest / UnregisterRequest.
std::optional<InterfaceHash> read_hash(WireReader& reader)
{
    std::optional<InterfaceHash> hash;
    while (!reader.at_end()) {
        auto key = reader.varint();
        if (!key)
            return std::nullopt;
        if (*key == ((1 << 3) | 2)) {
            auto length = reader.varint();
            if (!length)
                return std::nullopt;
            auto bytes = reader.bytes(*length);
            if (!bytes || bytes->size() != InterfaceHash::size)
                return std::nullopt;
            hash = InterfaceHash::from(bytes->data());
        } else if (!reader.skip(*key & 7)) {
            return std::nullopt;
        }
    }
    return hash;
}

} // namespace

InterfaceHandler::InterfaceHandler(Registry& registry, Lookup lookup)
    : m_registry(registry)
    , m_lookup(std::move(lookup))
{
}

Delivery InterfaceHandler::deliver(Message&& message)
{
    Message taken = std::move(message);
    answer_message(taken, handle(taken));
    return Delivery::Accepted;
}

Answer InterfaceHandler::handle(const Message& message)
{
    WireReader reader(message.body);
    auto method = reader.varint();
    if (!method || (*method != uint64_t(Method::Register) && *method != uint64_t(Method::Unregister)))
        return Answer::error(ErrorCode::Unimplemented, "interface: unknown method");
    auto hash = read_hash(reader);
    if (!hash)
        return Answer::error(ErrorCode::InvalidArgument, "interface: the request needs a 32-byte hash");
    auto registrant = m_lookup(message.sender);
    if (!registrant)
        return Answer::error(ErrorCode::InvalidArgument, "interface: only a process can handle an interface");

    if (*method == uint64_t(Method::Unregister)) {
        if (!m_registry.remove(*hash, *registrant->handler))
            return Answer::error(ErrorCode::NotFound, "interface " + hash->short_hex() + ": not handled by " + registrant->handler->description());
        // interface.proto: what the process took but did not answer is answered UNAVAILABLE;
        // what it had not taken yet waits for the next handler, first in line.
        auto withdrawn = registrant->handler->withdraw(*hash);
        for (const Message& held : withdrawn.held)
            answer_message(held, Answer::error(ErrorCode::Unavailable, "interface " + hash->short_hex() + ": " + registrant->handler->description() + " unregistered before answering"));
        m_registry.requeue(*hash, std::move(withdrawn.queued));
        return Answer::ok();
    }
    if (m_registry.count_of(*registrant->handler) >= registrant->interface_limit)
        return Answer::error(ErrorCode::ResourceExhausted,
            registrant->handler->description() + ": limit of " + std::to_string(registrant->interface_limit) + " interfaces reached");
    switch (m_registry.add(*hash, registrant->handler, registrant->program)) {
    case Registration::Registered:
        return Answer::ok();
    case Registration::AlreadyHandled:
        return Answer::error(ErrorCode::AlreadyExists, "interface " + hash->short_hex() + ": another process handles it");
    case Registration::Reserved:
        return Answer::error(ErrorCode::PermissionDenied, "interface " + hash->short_hex() + ": the user gave it to another program");
    }
    return Answer::error(ErrorCode::Internal, "interface: unexpected registration result");
}

} // namespace hashos::kernel
