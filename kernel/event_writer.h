// Writes a next_message event (docs/abi.md, "The event") into guest memory: the 56-byte header,
// then the body. Shared by next_message (an event taken from the queue) and the mailbox's fast
// path (an event written straight into the buffer of a thread blocked in next_message).
#pragma once

#include "kernel/abi.h"
#include "kernel/guest_memory.h"
#include "kernel/ids.h"

#include <array>
#include <cstring>
#include <span>

namespace hashos::kernel {

struct EventHeader {
    abi::EventKind kind = abi::EventKind::Message;
    bool answer_wanted = false; // MESSAGE only
    uint32_t body_size = 0;
    MessageId id;     // 0 for SENDER_EXITED
    SenderId sender;  // MESSAGE and SENDER_EXITED
    const InterfaceHash* interface = nullptr; // null: zeros (SENDER_EXITED)
};

// Writes `header` at the start of `out`, then `body` (its size is header.body_size) if given.
// The caller has checked that what it writes fits `out`.
inline void write_event(const GuestSpan& out, const EventHeader& header, std::span<const uint8_t> body)
{
    std::array<uint8_t, abi::k_event_header_size> bytes {};
    bytes[abi::event_offset::kind] = uint8_t(header.kind);
    bytes[abi::event_offset::flags] = header.answer_wanted ? abi::k_event_answer_wanted : 0;
    std::memcpy(&bytes[abi::event_offset::body_len], &header.body_size, sizeof(uint32_t));
    uint64_t id = header.id.value();
    std::memcpy(&bytes[abi::event_offset::message_id], &id, sizeof(uint64_t));
    uint64_t sender = header.sender.value();
    std::memcpy(&bytes[abi::event_offset::sender], &sender, sizeof(uint64_t));
    if (header.interface)
        std::memcpy(&bytes[abi::event_offset::interface], header.interface->bytes().data(), InterfaceHash::size);
    out.copy_out(0, bytes);
    out.copy_out(abi::event_offset::body, body);
}

} // namespace hashos::kernel
