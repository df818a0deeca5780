// The wire format of interface messages, for native handlers (docs/interfaces.md, "Messages on
// an interface"): a body is the method's number as a varint, then the request encoded as
// protobuf; an answer is the response encoded as protobuf. Requests and responses are the nanopb
// structs generated from interfaces/*.proto (hashos_interface_bindings); this file adds the
// method number, std:: containers for nanopb's string and bytes callbacks, and the error
// answers every handler gives for a body it cannot read.
// Plain functions and small value types: use them from any thread.
#pragma once

#include "base/result.h"
#include "kernel/messages.h"

#include <pb.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::handlers {

struct Request {
    uint64_t method = 0;
    std::span<const uint8_t> payload; // the encoded request message
};

// Splits a body into its method number and request; nullopt if it does not start with a varint.
std::optional<Request> split_request(std::span<const uint8_t> body);

// Decodes `payload` into `message`, a nanopb struct of type `fields` whose callbacks are set.
// Fails with nanopb's reason.
Result<void> decode(std::span<const uint8_t> payload, const pb_msgdesc_t* fields, void* message);
// Encodes a nanopb struct of type `fields`.
std::vector<uint8_t> encode(const pb_msgdesc_t* fields, const void* message);
// The body of a call: `method`, then `message` encoded.
std::vector<uint8_t> encode_request(uint64_t method, const pb_msgdesc_t* fields, const void* message);

// Receives a string or bytes field (a nanopb callback) into a std::string, refusing more than
// `max_size` bytes. Must outlive the decode it is set up for.
class StringField {
public:
    explicit StringField(size_t max_size) : m_max_size(max_size) {}
    // For a request struct's pb_callback_t member, before decoding.
    void attach(pb_callback_t& callback);
    std::string& value() { return m_value; }
    bool too_long() const { return m_too_long; }

private:
    static bool read(pb_istream_t* stream, const pb_field_t* field, void** argument);
    size_t m_max_size;
    std::string m_value;
    bool m_too_long = false;
};

// Sends `bytes` as a string or bytes field (a nanopb callback) while encoding. The bytes must
// outlive the encode.
void attach_bytes(pb_callback_t& callback, const std::span<const uint8_t>& bytes);
// Sends each string of `strings` as one occurrence of a repeated string or bytes field (a nanopb
// callback) while encoding. The vector must outlive the encode.
void attach_strings(pb_callback_t& callback, const std::vector<std::string>& strings);

// The answers every handler gives (docs/interfaces.md): UNIMPLEMENTED for a method number it
// does not know, INVALID_ARGUMENT for a body that does not decode. `interface` names it: "log".
kernel::Answer unknown_method(std::string_view interface, uint64_t method);
kernel::Answer malformed_request(std::string_view interface, std::string_view why);

// The code and message of an error answer's `hashos.Error` body; a body that does not decode
// reads as INTERNAL with a message saying so.
struct ErrorReply {
    uint32_t code = 0;
    std::string message;
};
ErrorReply decode_error(std::span<const uint8_t> body);

} // namespace hashos::handlers
