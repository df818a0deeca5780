#include "handlers/wire.h"

#include "error.pb.h"

#include <pb_decode.h>
#include <pb_encode.h>

namespace hashos::handlers {

std::optional<Request> split_request(std::span<const uint8_t> body)
{
    pb_istream_t stream = pb_istream_from_buffer(body.data(), body.size());
    uint64_t method = 0;
    if (!pb_decode_varint(&stream, &method))
        return std::nullopt;
    return Request { method, body.subspan(body.size() - stream.bytes_left) };
}

Result<void> decode(std::span<const uint8_t> payload, const pb_msgdesc_t* fields, void* message)
{
    pb_istream_t stream = pb_istream_from_buffer(payload.data(), payload.size());
    if (!pb_decode(&stream, fields, message))
        return Error(PB_GET_ERROR(&stream));
    return {};
}

std::vector<uint8_t> encode(const pb_msgdesc_t* fields, const void* message)
{
    size_t size = 0;
    // Sizing runs the same encoder over a counting stream: it fails only if encoding would.
    if (!pb_get_encoded_size(&size, fields, message))
        return {};
    std::vector<uint8_t> bytes(size);
    pb_ostream_t stream = pb_ostream_from_buffer(bytes.data(), bytes.size());
    pb_encode(&stream, fields, message);
    return bytes;
}

std::vector<uint8_t> encode_request(uint64_t method, const pb_msgdesc_t* fields, const void* message)
{
    std::vector<uint8_t> body;
    for (; method >= 0x80; method >>= 7)
        body.push_back(uint8_t(method) | 0x80);
    body.push_back(uint8_t(method));
    auto request = encode(fields, message);
    body.insert(body.end(), request.begin(), request.end());
    return body;
}

void StringField::attach(pb_callback_t& callback)
{
    callback.funcs.decode = &StringField::read;
    callback.arg = this;
}

bool StringField::read(pb_istream_t* stream, const pb_field_t*, void** argument)
{
    auto& self = *static_cast<StringField*>(*argument);
    if (stream->bytes_left > self.m_max_size) {
        self.m_too_long = true;
        return false;
    }
    // A repeated occurrence of a singular field replaces the earlier one, as protobuf says.
    self.m_value.resize(stream->bytes_left);
    return pb_read(stream, reinterpret_cast<pb_byte_t*>(self.m_value.data()), self.m_value.size());
}

void attach_bytes(pb_callback_t& callback, const std::span<const uint8_t>& bytes)
{
    callback.funcs.encode = [](pb_ostream_t* stream, const pb_field_t* field, void* const* argument) {
        auto& bytes = *static_cast<const std::span<const uint8_t>*>(*argument);
        return pb_encode_tag_for_field(stream, field) && pb_encode_string(stream, bytes.data(), bytes.size());
    };
    callback.arg = const_cast<std::span<const uint8_t>*>(&bytes);
}

void attach_strings(pb_callback_t& callback, const std::vector<std::string>& strings)
{
    callback.funcs.encode = [](pb_ostream_t* stream, const pb_field_t* field, void* const* argument) {
        for (const auto& text : *static_cast<const std::vector<std::string>*>(*argument)) {
            if (!pb_encode_tag_for_field(stream, field)
                || !pb_encode_string(stream, reinterpret_cast<const pb_byte_t*>(text.data()), text.size()))
                return false;
        }
        return true;
    };
    callback.arg = const_cast<std::vector<std::string>*>(&strings);
}

kernel::Answer unknown_method(std::string_view interface, uint64_t method)
{
    return kernel::Answer::error(kernel::ErrorCode::Unimplemented,
        std::string(interface) + ": no method number " + std::to_string(method));
}

kernel::Answer malformed_request(std::string_view interface, std::string_view why)
{
    return kernel::Answer::error(kernel::ErrorCode::InvalidArgument,
        std::string(interface) + ": the request does not decode: " + std::string(why));
}

ErrorReply decode_error(std::span<const uint8_t> body)
{
    hashos_Error error = hashos_Error_init_zero;
    if (decode(body, hashos_Error_fields, &error).is_error())
        return { uint32_t(kernel::ErrorCode::Internal), "the error answer does not decode" };
    return { uint32_t(error.code), error.message };
}

} // namespace hashos::handlers
