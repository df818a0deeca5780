// The syscall ABI's numbers as the kernel uses them. docs/abi.md is the authority;
// sdk/include/hashos/syscalls.h is the guests' copy, and tests/kernel/abi_test.cpp checks that
// the two agree (kernel/ may not include sdk/).
#pragma once

#include <cstdint>

namespace hashos::kernel::abi {

// What a syscall returns on failure (docs/abi.md, "Error codes").
enum class SyscallError : int32_t {
    BadPointer = -1,
    Invalid = -2,
    NoHandler = -3,
    Denied = -4,
    QueueFull = -5,
    UnknownMessage = -6,
    Limit = -7,
    WouldBlock = -8,
    TooLarge = -9,
    BufferTooSmall = -10,
};

constexpr uint32_t k_emit_answer_wanted = 1;
constexpr uint32_t k_emit_wait_for_handler = 2;
constexpr uint32_t k_emit_known_flags = k_emit_answer_wanted | k_emit_wait_for_handler;

constexpr uint32_t k_next_block = 1;
constexpr uint32_t k_next_known_flags = k_next_block;

constexpr uint32_t k_answer_error = 1;
constexpr uint32_t k_answer_known_flags = k_answer_error;

enum class EventKind : uint8_t {
    Message = 1,
    Answer = 2,
    ErrorAnswer = 3,
    SenderExited = 4,
};
constexpr uint8_t k_event_answer_wanted = 1;

constexpr uint32_t k_event_header_size = 56;
constexpr uint32_t k_max_body_size = 4u * 1024 * 1024;
constexpr uint32_t k_max_filter = 64;

// Field offsets in the event header (docs/abi.md, "The event").
namespace event_offset {
constexpr uint32_t kind = 0;
constexpr uint32_t flags = 1;
constexpr uint32_t body_len = 4;
constexpr uint32_t message_id = 8;
constexpr uint32_t sender = 16;
constexpr uint32_t interface = 24;
constexpr uint32_t body = 56;
}

} // namespace hashos::kernel::abi
