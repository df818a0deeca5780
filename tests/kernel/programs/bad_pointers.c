/* bad_pointers: every syscall with every pointer out of bounds, bad flags, unknown ids.
 * Exit code 0 when each failed with the right code and the program kept running; otherwise the
 * number of the first check that did not. */
#include "common.h"

#define BAD ((void*)0xfffffff0u)
#define CHECK(n, expression, expected) \
    if ((expression) != (expected))    \
        return n;

__attribute__((export_name("_start"))) int start(void)
{
    uint64_t id = 0;
    uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    void* last_byte = (void*)(end - 1);

    CHECK(1, hashos_emit_message(BAD, "x", 1, 0, 0), HASHOS_E_BAD_POINTER);
    CHECK(2, hashos_emit_message(k_ping_interface, BAD, 100, 0, 0), HASHOS_E_BAD_POINTER);
    CHECK(3, hashos_emit_message(k_ping_interface, last_byte, 2, 0, 0), HASHOS_E_BAD_POINTER);
    CHECK(4, hashos_emit_message(k_ping_interface, "x", 1, HASHOS_EMIT_ANSWER_WANTED, BAD), HASHOS_E_BAD_POINTER);
    CHECK(5, hashos_emit_message(k_ping_interface, "x", 1, 0x80, &id), HASHOS_E_INVALID);
    CHECK(6, hashos_emit_message(k_ping_interface, "x", HASHOS_MAX_BODY_SIZE + 1, 0, 0), HASHOS_E_TOO_LARGE);
    CHECK(7, hashos_emit_message(last_byte, "x", 1, 0, 0), HASHOS_E_BAD_POINTER);

    CHECK(10, hashos_next_message(BAD, 1, EVENT, EVENT_CAPACITY, 0), HASHOS_E_BAD_POINTER);
    CHECK(11, hashos_next_message(0, 0, BAD, 64, 0), HASHOS_E_BAD_POINTER);
    CHECK(12, hashos_next_message(0, 0, last_byte, 2, HASHOS_NEXT_BLOCK), HASHOS_E_BAD_POINTER);
    CHECK(13, hashos_next_message(0, 0, EVENT, EVENT_CAPACITY, 0x10), HASHOS_E_INVALID);
    CHECK(14, hashos_next_message(g_event_storage, HASHOS_MAX_FILTER + 1, EVENT, EVENT_CAPACITY, 0), HASHOS_E_INVALID);
    CHECK(15, hashos_next_message(0, 0, EVENT, EVENT_CAPACITY, 0), HASHOS_E_WOULD_BLOCK);
    id = 12345;
    CHECK(16, hashos_next_message(&id, 1, EVENT, EVENT_CAPACITY, HASHOS_NEXT_BLOCK), HASHOS_E_UNKNOWN_MESSAGE);

    CHECK(20, hashos_emit_answer(1, BAD, 8, 0), HASHOS_E_BAD_POINTER);
    CHECK(21, hashos_emit_answer(1, "x", 1, 0x2), HASHOS_E_INVALID);
    CHECK(22, hashos_emit_answer(12345, "x", 1, 0), HASHOS_E_UNKNOWN_MESSAGE);

    CHECK(30, hashos_cancel_message(12345), HASHOS_E_UNKNOWN_MESSAGE);

    /* A message that cannot be delivered yet, cancelled: its id is gone afterwards. */
    CHECK(40, hashos_emit_message(k_unhandled_interface, "x", 1, HASHOS_EMIT_ANSWER_WANTED | HASHOS_EMIT_WAIT_FOR_HANDLER, &id), 0);
    CHECK(41, hashos_cancel_message(id), 0);
    CHECK(42, hashos_cancel_message(id), HASHOS_E_UNKNOWN_MESSAGE);
    CHECK(43, hashos_next_message(&id, 1, EVENT, EVENT_CAPACITY, 0), HASHOS_E_UNKNOWN_MESSAGE);

    /* A too-small buffer: the header is written, nothing is consumed. */
    CHECK(50, hashos_emit_message(k_unhandled_interface, "abcdef", 6, HASHOS_EMIT_ANSWER_WANTED, &id), 0);
    CHECK(51, hashos_next_message(&id, 1, EVENT, HASHOS_EVENT_HEADER_SIZE, 0), HASHOS_E_BUFFER_TOO_SMALL);
    CHECK(52, EVENT->kind, HASHOS_EVENT_ERROR_ANSWER);
    uint32_t needed = HASHOS_EVENT_HEADER_SIZE + EVENT->body_len;
    CHECK(53, hashos_next_message(&id, 1, EVENT, 10, 0), HASHOS_E_BUFFER_TOO_SMALL);
    CHECK(54, hashos_next_message(&id, 1, EVENT, EVENT_CAPACITY, 0), (int32_t)needed);
    return 0;
}
