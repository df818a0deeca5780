// What travels between processes: a Message (to a handler) and the Answer that comes back, plus
// AnswerSink, the one place an answer can go (a process's mailbox, or a native caller).
// Plain values; AnswerSink implementations say their own thread rules (Mailbox: any thread).
#pragma once

#include "kernel/ids.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::kernel {

class Handler;

enum class AnswerWanted : uint8_t { No, Yes };
enum class AnswerKind : uint8_t { Ok, Error };

// The body of an error answer is a `hashos.Error` (interfaces/error.proto). The codes are that
// file's ErrorCode numbers (gRPC's); only those the kernel itself answers are listed.
enum class ErrorCode : uint32_t {
    Cancelled = 1,
    InvalidArgument = 3,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
};

struct Answer {
    AnswerKind kind = AnswerKind::Ok;
    std::vector<uint8_t> body;

    static Answer ok(std::vector<uint8_t> body = {}) { return { AnswerKind::Ok, std::move(body) }; }
    // An error answer whose body is `hashos.Error { code, message }`; the message is cut at 255
    // bytes as error.proto demands.
    static Answer error(ErrorCode code, std::string_view message);
};

// Where an answer goes. Implemented by a process's Mailbox and by native callers.
class AnswerSink {
public:
    virtual ~AnswerSink() = default;
    // The answer to message `id`. Called from any thread, with no kernel lock held, at most once
    // per id; a sink that no longer waits for `id` (cancelled, exited) drops it.
    virtual void receive_answer(MessageId id, const InterfaceHash& interface, Answer answer) = 0;
    // The same, with a body the sink copies (emit_answer's: still in the handler's memory), so
    // that a sink able to put it straight where it goes copies it once. The default makes an
    // Answer of it.
    virtual void receive_answer_borrowed(MessageId id, const InterfaceHash& interface, AnswerKind kind, std::span<const uint8_t> body)
    {
        receive_answer(id, interface, Answer { kind, { body.begin(), body.end() } });
    }
    // `handler` accepted a message from this sink's owner; it is told when the owner exits.
    virtual void delivered_to(std::weak_ptr<Handler> handler) {}
};

struct Message {
    MessageId id;
    InterfaceHash interface;
    SenderId sender;
    AnswerWanted answer_wanted = AnswerWanted::No;
    std::vector<uint8_t> body;
    // The sender's sink, set for every process sender (the answer goes there when one is wanted).
    std::weak_ptr<AnswerSink> reply_to;
};

// Sends `answer` to the sender of `message` if it wants one and still exists. Any thread.
void answer_message(const Message& message, Answer answer);
// The same with a borrowed body (AnswerSink::receive_answer_borrowed).
void answer_message(const Message& message, AnswerKind kind, std::span<const uint8_t> body);

} // namespace hashos::kernel
