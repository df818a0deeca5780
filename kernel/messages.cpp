#include "kernel/messages.h"

#include <algorithm>

namespace hashos::kernel {

namespace {

// The protobuf wire format, just enough for `hashos.Error { ErrorCode code = 1; string message = 2; }`:
// kernel/ may not depend on interfaces/' generated encoders.
void append_varint(std::vector<uint8_t>& out, uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(uint8_t(value) | 0x80);
        value >>= 7;
    }
    out.push_back(uint8_t(value));
}

constexpr size_t k_max_error_message = 255;

} // namespace

Answer Answer::error(ErrorCode code, std::string_view message)
{
    message = message.substr(0, k_max_error_message);
    std::vector<uint8_t> body;
    body.reserve(message.size() + 8);
    body.push_back(0x08); // field 1, varint
    append_varint(body, uint32_t(code));
    body.push_back(0x12); // field 2, length-delimited
    append_varint(body, message.size());
    body.insert(body.end(), message.begin(), message.end());
    return { AnswerKind::Error, std::move(body) };
}

void answer_message(const Message& message, Answer answer)
{
    if (message.answer_wanted == AnswerWanted::No)
        return;
    if (auto sink = message.reply_to.lock())
        sink->receive_answer(message.id, message.interface, std::move(answer));
}

void answer_message(const Message& message, AnswerKind kind, std::span<const uint8_t> body)
{
    if (message.answer_wanted == AnswerWanted::No)
        return;
    if (auto sink = message.reply_to.lock())
        sink->receive_answer_borrowed(message.id, message.interface, kind, body);
}

} // namespace hashos::kernel
