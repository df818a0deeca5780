/* What the kernel test programs share: the interface hashes the tests use (tests/kernel/
 * kernel_fixture.h has the same bytes) and small helpers over the raw syscalls. */
#ifndef HASHOS_TEST_COMMON_H
#define HASHOS_TEST_COMMON_H

#include "hashos/syscalls.h"

#define HASH32(b) { b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b }

static const uint8_t k_interface_interface[32] = HASH32(0x11);
static const uint8_t k_ping_interface[32] = HASH32(0x22);
static const uint8_t k_denied_interface[32] = HASH32(0x33);
static const uint8_t k_unhandled_interface[32] = HASH32(0x44);
static const uint8_t k_trap_interface[32] = HASH32(0x55);
static const uint8_t k_observer_interface[32] = HASH32(0x66);

static uint64_t g_event_storage[512]; /* 4 KiB, 8-byte aligned */
#define EVENT ((hashos_event*)g_event_storage)
#define EVENT_CAPACITY ((uint32_t)sizeof(g_event_storage))

/* Sends `body` to `interface` and waits for the answer into EVENT; returns next_message's
 * result (or emit_message's error). */
static int32_t call(const uint8_t* interface, const void* body, uint32_t length, uint32_t flags)
{
    uint64_t id = 0;
    int32_t sent = hashos_emit_message(interface, body, length, flags | HASHOS_EMIT_ANSWER_WANTED, &id);
    if (sent < 0)
        return sent;
    return hashos_wait_answer(id, EVENT, EVENT_CAPACITY);
}

/* interface.Register (method 1) or Unregister (method 2) of `hash` (field 1, bytes). Returns 0
 * on success, else -100 - the hashos.Error code, or a syscall error. */
static int32_t interface_call(uint8_t method, const uint8_t* hash)
{
    uint8_t body[35];
    body[0] = method;
    body[1] = 0x0a;
    body[2] = 32;
    __builtin_memcpy(body + 3, hash, 32);
    int32_t result = call(k_interface_interface, body, sizeof(body), 0);
    if (result < 0)
        return result;
    return EVENT->kind == HASHOS_EVENT_ANSWER ? 0 : -100 - (int32_t)hashos_event_body(EVENT)[1];
}

static int32_t register_interface(const uint8_t* hash) { return interface_call(1, hash); }
static int32_t unregister_interface(const uint8_t* hash) { return interface_call(2, hash); }

/* The code of a hashos.Error body in EVENT ({0x08, code, ...}), or -1. */
static int32_t error_code(void)
{
    if (EVENT->kind != HASHOS_EVENT_ERROR_ANSWER || EVENT->body_len < 2 || hashos_event_body(EVENT)[0] != 0x08)
        return -1;
    return hashos_event_body(EVENT)[1];
}

#endif
