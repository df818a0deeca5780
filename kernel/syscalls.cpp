#include "kernel/syscalls.h"

#include "kernel/abi.h"
#include "kernel/event_writer.h"
#include "kernel/guest_memory.h"
#include "kernel/process.h"
#include "kernel/services.h"

#include <array>
#include <memory>

namespace hashos::kernel::syscalls {

namespace {

using abi::SyscallError;
using wasm::HostCall;
using wasm::HostOutcome;
using wasm::ValType;

constexpr int32_t k_ok = 0;

int32_t code(SyscallError error) { return int32_t(error); }

HostOutcome finish(HostCall& call, int32_t result)
{
    call.results[0] = wasm::Value::from_i32(result);
    return HostOutcome::Return;
}

// --- emit_message --------------------------------------------------------------------------------

// Hands `message` to its interface's handler, after the permission check. Used at once by
// emit_message and later, from any thread, when the user answers a permission question.
// Failures of a message that wants an answer become error answers (docs/abi.md).
// `borrowed`: the body, still in the sender's memory, when the message does not own it.
int32_t route(Services& services, const std::shared_ptr<Mailbox>& sender, Message&& message, WaitForHandler wait,
    const std::span<const uint8_t>* borrowed = nullptr)
{
    const MessageId id = message.id;
    const InterfaceHash interface = message.interface;
    const bool wants_answer = message.answer_wanted == AnswerWanted::Yes;
    RouteResult result = borrowed ? services.registry.route_borrowed(std::move(message), *borrowed, wait)
                                  : services.registry.route(std::move(message), wait);
    switch (result.routed) {
    case Routed::Delivered:
        if (sender)
            sender->delivered(wants_answer ? id : MessageId(), result.handler);
        return k_ok;
    case Routed::Parked:
        return k_ok;
    case Routed::NoHandler:
        if (!wants_answer)
            return code(SyscallError::NoHandler);
        if (sender)
            sender->receive_answer(id, interface,
                Answer::error(ErrorCode::Unavailable, "no handler for interface " + interface.short_hex()));
        return k_ok;
    case Routed::QueueFull:
        return code(SyscallError::QueueFull); // the caller decides: a syscall error or an error answer
    }
    return k_ok;
}

HostOutcome emit_message(Process& process, HostCall& call)
{
    uint32_t interface_pointer = call.args[0].u32();
    uint32_t body_pointer = call.args[1].u32();
    uint32_t body_length = call.args[2].u32();
    uint32_t flags = call.args[3].u32();
    uint32_t out_id_pointer = call.args[4].u32();

    // Decode and check.
    if (flags & ~abi::k_emit_known_flags)
        return finish(call, code(SyscallError::Invalid));
    if (body_length > abi::k_max_body_size)
        return finish(call, code(SyscallError::TooLarge));
    const bool wants_answer = flags & abi::k_emit_answer_wanted;
    const auto wait = (flags & abi::k_emit_wait_for_handler) ? WaitForHandler::Yes : WaitForHandler::No;
    GuestMemory memory(call.caller);
    auto interface_span = memory.span(interface_pointer, InterfaceHash::size);
    auto body_span = memory.span(body_pointer, body_length);
    auto out_id_span = wants_answer ? memory.span(out_id_pointer, sizeof(uint64_t)) : memory.span(0, 0);
    if (!interface_span || !body_span || !out_id_span)
        return finish(call, code(SyscallError::BadPointer));

    MessageId id;
    int32_t result = send_borrowed(process, InterfaceHash::from(interface_span->data()), body_span->bytes(),
        wants_answer ? AnswerWanted::Yes : AnswerWanted::No, wait, id);
    if (wants_answer && !id.is_null())
        out_id_span->write<uint64_t>(0, id.value());
    return finish(call, result);
}

// --- emit_answer ---------------------------------------------------------------------------------

HostOutcome emit_answer(Process& process, HostCall& call)
{
    MessageId id(call.args[0].u64());
    uint32_t body_pointer = call.args[1].u32();
    uint32_t body_length = call.args[2].u32();
    uint32_t flags = call.args[3].u32();

    if (flags & ~abi::k_answer_known_flags)
        return finish(call, code(SyscallError::Invalid));
    if (body_length > abi::k_max_body_size)
        return finish(call, code(SyscallError::TooLarge));
    auto body_span = GuestMemory(call.caller).span(body_pointer, body_length);
    if (!body_span)
        return finish(call, code(SyscallError::BadPointer));
    auto route = process.mailbox().take_held(id);
    if (!route)
        return finish(call, code(SyscallError::UnknownMessage));
    AnswerKind kind = (flags & abi::k_answer_error) ? AnswerKind::Error : AnswerKind::Ok;
    // Borrowed: copied once, into the sender's buffer if it waits for it, else into its queue.
    answer_message(*route, kind, body_span->bytes());
    return finish(call, k_ok);
}

// --- next_message --------------------------------------------------------------------------------

// Writes an event's header (and its body, if `with_body`) at the start of `out`.
void write_event(const GuestSpan& out, const Event& event, uint32_t body_size, bool with_body)
{
    EventHeader header;
    header.kind = event.kind;
    header.answer_wanted = event.message.answer_wanted == AnswerWanted::Yes && event.kind == abi::EventKind::Message;
    header.body_size = body_size;
    header.id = event.kind == abi::EventKind::SenderExited ? MessageId() : event.message.id;
    header.sender = event.message.sender;
    header.interface = &event.message.interface;
    kernel::write_event(out, header, with_body ? std::span<const uint8_t>(event.message.body) : std::span<const uint8_t>());
}

// Takes an event for `thread` into `out`; returns the syscall's result, or nullopt when the
// thread should wait (it is then registered with the mailbox).
std::optional<int32_t> take_event(Thread& thread, std::span<const MessageId> filter, const GuestSpan& out, Wait wait)
{
    // Blocking, the thread leaves its buffer with the mailbox, for the fast path.
    TakeResult taken = thread.process().mailbox().take(filter, out.size(), wait, &thread, &out);
    switch (taken.status) {
    case Taken::Event:
        write_event(out, taken.event, taken.body_size, true);
        return int32_t(abi::k_event_header_size + taken.body_size);
    case Taken::TooSmall:
        if (out.size() >= abi::k_event_header_size)
            write_event(out, taken.event, taken.body_size, false);
        return code(SyscallError::BufferTooSmall);
    case Taken::UnknownMessage:
        return code(SyscallError::UnknownMessage);
    case Taken::Nothing:
        break;
    }
    if (wait == Wait::Yes)
        return std::nullopt;
    return code(SyscallError::WouldBlock);
}

HostOutcome next_message(Process& process, HostCall& call)
{
    uint32_t filter_pointer = call.args[0].u32();
    uint32_t filter_length = call.args[1].u32();
    uint32_t out_pointer = call.args[2].u32();
    uint32_t out_capacity = call.args[3].u32();
    uint32_t flags = call.args[4].u32();

    if ((flags & ~abi::k_next_known_flags) || filter_length > abi::k_max_filter)
        return finish(call, code(SyscallError::Invalid));
    GuestMemory memory(call.caller);
    auto filter_span = memory.span(filter_pointer, filter_length * uint32_t(sizeof(uint64_t)));
    auto out_span = memory.span(out_pointer, out_capacity);
    if (!filter_span || !out_span)
        return finish(call, code(SyscallError::BadPointer));
    // Left uninitialised but for the ids read: zeroing 64 ids costs more than a whole take().
    union FilterStorage {
        FilterStorage() { }
        MessageId ids[abi::k_max_filter];
    } filter_storage;
    for (uint32_t i = 0; i < filter_length; ++i)
        std::construct_at(&filter_storage.ids[i], filter_span->read<uint64_t>(i * sizeof(uint64_t)));
    std::span<const MessageId> filter(filter_storage.ids, filter_length);

    Thread* thread = Thread::current();
    if (!thread || &thread->process() != &process)
        return finish(call, code(SyscallError::Invalid)); // called from outside the scheduler
    Wait wait = (flags & abi::k_next_block) ? Wait::Yes : Wait::No;
    if (auto result = take_event(*thread, filter, *out_span, wait))
        return finish(call, *result);
    thread->suspend_for_next_message(filter, out_pointer, out_capacity);
    return HostOutcome::Suspend;
}

// --- cancel_message and exit ----------------------------------------------------------------------

HostOutcome cancel_message(Process& process, HostCall& call)
{
    return finish(call, cancel(process, MessageId(call.args[0].u64())));
}

HostOutcome exit_process(Process& process, HostCall& call)
{
    Thread* thread = Thread::current();
    if (!thread || &thread->process() != &process) {
        call.trap_message = "exit called from outside the scheduler";
        return HostOutcome::Trap;
    }
    thread->suspend_for_exit(call.args[0].i32());
    return HostOutcome::Suspend;
}

struct Syscall {
    std::string_view name;
    wasm::FuncType type;
    HostOutcome (*perform)(Process&, HostCall&);
};

const std::array<Syscall, 5>& table()
{
    static const std::array<Syscall, 5> syscalls {
        Syscall { "emit_message", { { ValType::I32, ValType::I32, ValType::I32, ValType::I32, ValType::I32 }, { ValType::I32 } }, emit_message },
        Syscall { "emit_answer", { { ValType::I64, ValType::I32, ValType::I32, ValType::I32 }, { ValType::I32 } }, emit_answer },
        Syscall { "next_message", { { ValType::I32, ValType::I32, ValType::I32, ValType::I32, ValType::I32 }, { ValType::I32 } }, next_message },
        Syscall { "cancel_message", { { ValType::I64 }, { ValType::I32 } }, cancel_message },
        Syscall { "exit", { { ValType::I32 }, {} }, exit_process },
    };
    return syscalls;
}

} // namespace

namespace {

// send() and send_borrowed(): `borrowed` is the body when it still lies in the sender's memory;
// otherwise `owned` is (moved from only once the message exists).
int32_t send_message(Process& process, const InterfaceHash& interface, std::vector<uint8_t>* owned,
    std::span<const uint8_t> borrowed, AnswerWanted answer_wanted, WaitForHandler wait, MessageId& out_id)
{
    const bool wants_answer = answer_wanted == AnswerWanted::Yes;
    Services& services = process.services();
    Message message;
    message.id = services.new_message_id();
    message.interface = interface;
    message.sender = process.sender_id();
    message.answer_wanted = answer_wanted;
    message.reply_to = process.shared_mailbox();
    if (wants_answer && !process.mailbox().add_pending(message.id, message.interface))
        return code(SyscallError::Limit);

    // Perform. From here the message exists: its id is the program's to wait for or cancel.
    if (owned)
        message.body = std::move(*owned);
    if (wants_answer)
        out_id = message.id;
    Decision decision = process.permission_cache().check(services.permissions, process.program(), message.interface);
    if (decision != Decision::Allow && !owned)
        message.body.assign(borrowed.begin(), borrowed.end());
    switch (decision) {
    case Decision::Allow: {
        const MessageId id = message.id;
        int32_t result = route(services, process.shared_mailbox(), std::move(message), wait, owned ? nullptr : &borrowed);
        // A full queue is a syscall error: the message never existed, nor does its id.
        if (result == code(SyscallError::QueueFull) && wants_answer)
            process.mailbox().cancel(id);
        return result;
    }
    case Decision::Deny:
        if (!wants_answer)
            return code(SyscallError::Denied);
        process.mailbox().receive_answer(message.id, message.interface,
            Answer::error(ErrorCode::PermissionDenied, Permissions::denial_reason(process.program(), message.interface)));
        return k_ok;
    case Decision::Ask:
        break;
    }
    // The user is asked; the message goes on (or is refused) when they answer. emit_message
    // never blocks, so the program learns the outcome from the answer.
    ProgramId program = process.program();
    std::weak_ptr<Mailbox> sender = process.shared_mailbox();
    services.permissions.ask(program, interface,
        [&services, program, wait, sender, message = std::move(message)](Decision decision) mutable {
            if (decision == Decision::Allow) {
                // A full queue now has no caller to return to: it becomes an error answer.
                Message copy_for_error { message.id, message.interface, message.sender, message.answer_wanted, {}, message.reply_to };
                if (route(services, sender.lock(), std::move(message), wait) == code(SyscallError::QueueFull))
                    answer_message(copy_for_error, Answer::error(ErrorCode::ResourceExhausted, "handler queue full"));
            } else {
                answer_message(message, Answer::error(ErrorCode::PermissionDenied, Permissions::denial_reason(program, message.interface)));
            }
        });
    return k_ok;
}

} // namespace

int32_t send(Process& process, const InterfaceHash& interface, std::vector<uint8_t> body, AnswerWanted answer_wanted,
    WaitForHandler wait, MessageId& out_id)
{
    return send_message(process, interface, &body, {}, answer_wanted, wait, out_id);
}

int32_t send_borrowed(Process& process, const InterfaceHash& interface, std::span<const uint8_t> body,
    AnswerWanted answer_wanted, WaitForHandler wait, MessageId& out_id)
{
    return send_message(process, interface, nullptr, body, answer_wanted, wait, out_id);
}

int32_t cancel(Process& process, MessageId id)
{
    auto handler = process.mailbox().cancel(id);
    if (!handler)
        return code(SyscallError::UnknownMessage);
    if (auto alive = handler->lock())
        alive->cancel(id);
    return k_ok;
}

Result<wasm::Function*> make_import(Process& process, std::string_view name, const wasm::FuncType& type)
{
    for (const Syscall& syscall : table()) {
        if (syscall.name != name)
            continue;
        if (syscall.type != type)
            return Error("import hashos." + std::string(name) + " has the wrong type (docs/abi.md)");
        auto perform = syscall.perform;
        Process* owner = &process;
        return process.store().create_host_function(type, [owner, perform](HostCall& call) { return perform(*owner, call); });
    }
    return Error("unknown import hashos." + std::string(name));
}

bool retry_next_message(Thread& thread)
{
    // The fast path wrote the event already (kernel/mailbox.h).
    if (auto delivered = thread.take_delivered()) {
        thread.resume(*delivered);
        return true;
    }
    const Thread::NextMessageWait& wait = thread.wait();
    // Checked when the call was made; a memory never shrinks, so it still holds.
    auto out = GuestMemory(&thread.process().instance()).span(wait.out_pointer, wait.out_capacity);
    std::optional<int32_t> result = out ? take_event(thread, wait.filter, *out, Wait::Yes) : code(SyscallError::BadPointer);
    if (!result)
        return false;
    thread.resume(*result);
    return true;
}

} // namespace hashos::kernel::syscalls
