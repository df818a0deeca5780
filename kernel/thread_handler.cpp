#include "kernel/thread_handler.h"

#include "kernel/process.h"
#include "kernel/thread.h"
#include "kernel/wire_reader.h"

namespace hashos::kernel {

namespace {

enum class Method : uint64_t { Spawn = 1 };

// SpawnRequest { int32 argument = 1; }: a negative int32 is a 10-byte varint, cut to 32 bits.
std::optional<int32_t> read_argument(WireReader& reader)
{
    int32_t argument = 0;
    while (!reader.at_end()) {
        auto key = reader.varint();
        if (!key)
            return std::nullopt;
        if (*key == ((1 << 3) | 0)) {
            auto value = reader.varint();
            if (!value)
                return std::nullopt;
            argument = int32_t(uint32_t(*value));
        } else if (!reader.skip(*key & 7)) {
            return std::nullopt;
        }
    }
    return argument;
}

// SpawnResponse { uint32 thread = 1; }
std::vector<uint8_t> encode_response(uint32_t thread)
{
    std::vector<uint8_t> body { (1 << 3) | 0 };
    do {
        uint8_t byte = thread & 0x7f;
        thread >>= 7;
        body.push_back(thread ? byte | 0x80 : byte);
    } while (thread);
    return body;
}

} // namespace

Delivery ThreadHandler::deliver(Message&& message)
{
    Message taken = std::move(message);
    answer_message(taken, handle(taken));
    return Delivery::Accepted;
}

Answer ThreadHandler::handle(const Message& message)
{
    WireReader reader(message.body);
    auto method = reader.varint();
    if (!method || *method != uint64_t(Method::Spawn))
        return Answer::error(ErrorCode::Unimplemented, "thread: unknown method");
    auto argument = read_argument(reader);
    if (!argument)
        return Answer::error(ErrorCode::InvalidArgument, "thread: the request does not decode");
    Thread* sender = Thread::current();
    if (!sender || sender->process().sender_id() != message.sender)
        return Answer::error(ErrorCode::InvalidArgument, "thread: only a running program can start its own threads");
    Process::SpawnRefusal refusal = Process::SpawnRefusal::NotThreaded;
    auto spawned = sender->process().spawn_thread(*argument, &refusal);
    if (spawned.is_error()) {
        ErrorCode code = refusal == Process::SpawnRefusal::AtLimit ? ErrorCode::ResourceExhausted : ErrorCode::InvalidArgument;
        return Answer::error(code, spawned.error().message());
    }
    return Answer::ok(encode_response(spawned.value()));
}

} // namespace hashos::kernel
