/* The raw hashos syscalls for C programs compiled to wasm32 (clang-14, no libc needed).
 * docs/abi.md is the authority on every parameter, flag, error code and the event layout;
 * this header only declares them. kernel/abi.h is the kernel's copy of the constants, and
 * tests/kernel/abi_test.cpp checks that the two agree. */
#ifndef HASHOS_SYSCALLS_H
#define HASHOS_SYSCALLS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__wasm__)
#define HASHOS_IMPORT(name) __attribute__((import_module("hashos"), import_name(#name)))
#else
/* Declared on the host too, so that host code (the kernel's tests) can check the constants. */
#define HASHOS_IMPORT(name)
#endif

/* Error codes: every syscall returns 0 (or a size) on success, one of these on failure. */
#define HASHOS_OK 0
#define HASHOS_E_BAD_POINTER (-1)
#define HASHOS_E_INVALID (-2)
#define HASHOS_E_NO_HANDLER (-3)
#define HASHOS_E_DENIED (-4)
#define HASHOS_E_QUEUE_FULL (-5)
#define HASHOS_E_UNKNOWN_MESSAGE (-6)
#define HASHOS_E_LIMIT (-7)
#define HASHOS_E_WOULD_BLOCK (-8)
#define HASHOS_E_TOO_LARGE (-9)
#define HASHOS_E_BUFFER_TOO_SMALL (-10)

/* emit_message flags */
#define HASHOS_EMIT_ANSWER_WANTED 1
#define HASHOS_EMIT_WAIT_FOR_HANDLER 2
/* next_message flags */
#define HASHOS_NEXT_BLOCK 1
/* emit_answer flags */
#define HASHOS_ANSWER_ERROR 1

/* Event kinds written by next_message */
#define HASHOS_EVENT_MESSAGE 1
#define HASHOS_EVENT_ANSWER 2
#define HASHOS_EVENT_ERROR_ANSWER 3
#define HASHOS_EVENT_SENDER_EXITED 4
/* Event flags (MESSAGE) */
#define HASHOS_EVENT_ANSWER_WANTED 1

#define HASHOS_INTERFACE_HASH_SIZE 32
#define HASHOS_EVENT_HEADER_SIZE 56
#define HASHOS_MAX_BODY_SIZE (4u * 1024 * 1024)
#define HASHOS_MAX_FILTER 64

/* The event header as next_message writes it; the body follows at offset 56. */
typedef struct {
    uint8_t kind;
    uint8_t flags;
    uint16_t reserved;
    uint32_t body_len;
    uint64_t message_id;
    uint64_t sender;
    uint8_t interface_hash[HASHOS_INTERFACE_HASH_SIZE];
} hashos_event;

#ifdef __cplusplus
static_assert(sizeof(hashos_event) == HASHOS_EVENT_HEADER_SIZE, "the event header is 56 bytes");
#else
_Static_assert(sizeof(hashos_event) == HASHOS_EVENT_HEADER_SIZE, "the event header is 56 bytes");
#endif

HASHOS_IMPORT(emit_message)
int32_t hashos_emit_message(const void* interface_hash, const void* body, uint32_t body_len, uint32_t flags,
    uint64_t* out_id);
HASHOS_IMPORT(emit_answer)
int32_t hashos_emit_answer(uint64_t message_id, const void* body, uint32_t body_len, uint32_t flags);
HASHOS_IMPORT(next_message)
int32_t hashos_next_message(const uint64_t* filter, uint32_t filter_len, void* out, uint32_t out_cap, uint32_t flags);
HASHOS_IMPORT(cancel_message)
int32_t hashos_cancel_message(uint64_t message_id);
HASHOS_IMPORT(exit)
__attribute__((noreturn)) void hashos_exit(int32_t code);

/* The body of an event written by next_message. */
static inline const uint8_t* hashos_event_body(const hashos_event* event)
{
    return (const uint8_t*)event + HASHOS_EVENT_HEADER_SIZE;
}

/* Waits for the answer to `message_id` (blocking); returns next_message's result. */
static inline int32_t hashos_wait_answer(uint64_t message_id, void* out, uint32_t out_cap)
{
    return hashos_next_message(&message_id, 1, out, out_cap, HASHOS_NEXT_BLOCK);
}

#ifdef __cplusplus
}
#endif

#endif
