#include "handlers/environment.h"

#include "environment.interface.h"
#include "handlers/wire.h"

#include <pb_encode.h>

namespace hashos::handlers {

namespace {

// Encodes each string of a std::vector<std::string> as one occurrence of a repeated bytes field.
bool encode_strings(pb_ostream_t* stream, const pb_field_t* field, void* const* argument)
{
    for (auto const& text : *static_cast<const std::vector<std::string>*>(*argument)) {
        if (!pb_encode_tag_for_field(stream, field)
            || !pb_encode_string(stream, reinterpret_cast<const pb_byte_t*>(text.data()), text.size()))
            return false;
    }
    return true;
}

} // namespace

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
    response.arguments.funcs.encode = &encode_strings;
    response.arguments.arg = const_cast<std::vector<std::string>*>(&context.arguments);
    response.variables.funcs.encode = &encode_strings;
    response.variables.arg = const_cast<std::vector<std::string>*>(&context.environment);
    return encode(hashos_environment_GetResponse_fields, &response);
}

} // namespace hashos::handlers
