// The guests' header (sdk/include/hashos/syscalls.h) and the kernel's copy of the ABI numbers
// (kernel/abi.h) must agree; docs/abi.md is the authority on both.
#include "hashos/syscalls.h"
#include "kernel/abi.h"

#include <gtest/gtest.h>

#include <cstddef>

using namespace hashos::kernel::abi;

static_assert(HASHOS_E_BAD_POINTER == int32_t(SyscallError::BadPointer));
static_assert(HASHOS_E_INVALID == int32_t(SyscallError::Invalid));
static_assert(HASHOS_E_NO_HANDLER == int32_t(SyscallError::NoHandler));
static_assert(HASHOS_E_DENIED == int32_t(SyscallError::Denied));
static_assert(HASHOS_E_QUEUE_FULL == int32_t(SyscallError::QueueFull));
static_assert(HASHOS_E_UNKNOWN_MESSAGE == int32_t(SyscallError::UnknownMessage));
static_assert(HASHOS_E_LIMIT == int32_t(SyscallError::Limit));
static_assert(HASHOS_E_WOULD_BLOCK == int32_t(SyscallError::WouldBlock));
static_assert(HASHOS_E_TOO_LARGE == int32_t(SyscallError::TooLarge));
static_assert(HASHOS_E_BUFFER_TOO_SMALL == int32_t(SyscallError::BufferTooSmall));
static_assert(HASHOS_EMIT_ANSWER_WANTED == k_emit_answer_wanted);
static_assert(HASHOS_EMIT_WAIT_FOR_HANDLER == k_emit_wait_for_handler);
static_assert(HASHOS_NEXT_BLOCK == k_next_block);
static_assert(HASHOS_ANSWER_ERROR == k_answer_error);
static_assert(HASHOS_EVENT_MESSAGE == int(EventKind::Message));
static_assert(HASHOS_EVENT_ANSWER == int(EventKind::Answer));
static_assert(HASHOS_EVENT_ERROR_ANSWER == int(EventKind::ErrorAnswer));
static_assert(HASHOS_EVENT_SENDER_EXITED == int(EventKind::SenderExited));
static_assert(HASHOS_EVENT_ANSWER_WANTED == k_event_answer_wanted);
static_assert(HASHOS_EVENT_HEADER_SIZE == k_event_header_size);
static_assert(HASHOS_MAX_BODY_SIZE == k_max_body_size);
static_assert(HASHOS_MAX_FILTER == k_max_filter);
static_assert(offsetof(hashos_event, kind) == event_offset::kind);
static_assert(offsetof(hashos_event, flags) == event_offset::flags);
static_assert(offsetof(hashos_event, body_len) == event_offset::body_len);
static_assert(offsetof(hashos_event, message_id) == event_offset::message_id);
static_assert(offsetof(hashos_event, sender) == event_offset::sender);
static_assert(offsetof(hashos_event, interface_hash) == event_offset::interface);

TEST(Abi, GuestHeaderAndKernelAgree) { SUCCEED() << "checked at compile time"; }
