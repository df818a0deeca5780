#include "handlers/environment.h"

#include "environment.interface.h"
#include "handlers/wire.h"

namespace hashos::handlers {

EnvironmentHandler::EnvironmentHandler(EventLoop& loop, StartupLookup lookup)
    : m_loop(loop)
    , m_lookup(std::move(lookup))
{
}

kernel::Delivery EnvironmentHandler::deliver(kernel::Message&& message)
{
    kernel::Message taken = std::move(message);
    auto request = split_request(taken.body);
    if (!request) {
        answer_message(taken, malformed_request("environment", "no method number"));
        return kernel::Delivery::Accepted;
    }
    if (request->method != hashos_environment_Environment_METHOD_Get) {
        answer_message(taken, unknown_method("environment", request->method));
        return kernel::Delivery::Accepted;
    }
    // GetRequest has no fields: whatever follows the method number is ignored, as protobuf
    // ignores unknown fields.
    answer(taken, NameWait::No);
    return kernel::Delivery::Accepted;
}

void EnvironmentHandler::answer(const kernel::Message& message, NameWait wait)
{
    auto context = m_lookup(message.sender, wait);
    if (context) {
        answer_message(message, kernel::Answer::ok(encode_context(*context)));
        return;
    }
    if (wait == NameWait::No) {
        // Maybe not entered yet: ask again where waiting is allowed.
        m_loop.post_blocking([self = shared_from_this(), message] { self->answer(message, NameWait::Yes); });
        return;
    }
    answer_message(message, kernel::Answer::error(kernel::ErrorCode::NotFound,
        "environment: the sender was not started through the process interface and has no start-up context"));
}

std::vector<uint8_t> EnvironmentHandler::encode_context(const ProcessManager::StartupContext& context)
{
    hashos_environment_GetResponse response = hashos_environment_GetResponse_init_zero;
    std::span<const uint8_t> name(reinterpret_cast<const uint8_t*>(context.program_name.data()), context.program_name.size());
    attach_bytes(response.program_name, name);
    attach_strings(response.arguments, context.arguments);
    attach_strings(response.variables, context.environment);
    return encode(hashos_environment_GetResponse_fields, &response);
}

} // namespace hashos::handlers
