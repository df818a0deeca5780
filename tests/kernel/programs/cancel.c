/* cancel: cancels a message pong may be holding, checks its id is gone and that its answer never
 * arrives; then registers and unregisters an interface of its own. Exit code 0 when all held,
 * otherwise the number of the failed check. */
#include "common.h"

#define CHECK(n, expression, expected) \
    if ((expression) != (expected))    \
        return n;

__attribute__((export_name("_start"))) int start(void)
{
    uint64_t id = 0;
    uint32_t value = 1;
    CHECK(1, hashos_emit_message(k_ping_interface, &value, sizeof(value), HASHOS_EMIT_ANSWER_WANTED | HASHOS_EMIT_WAIT_FOR_HANDLER, &id), 0);
    CHECK(2, hashos_cancel_message(id), 0);
    CHECK(3, hashos_next_message(&id, 1, EVENT, EVENT_CAPACITY, HASHOS_NEXT_BLOCK), HASHOS_E_UNKNOWN_MESSAGE);
    /* pong takes messages in order: once this answer is here, the cancelled one was dropped. It
     * waits for the handler as the first did: pong may not have registered yet (the cancelled
     * message never reached it), and without the flag the answer would be UNAVAILABLE. */
    value = 2;
    CHECK(4, call(k_ping_interface, &value, sizeof(value), HASHOS_EMIT_WAIT_FOR_HANDLER) > 0, 1);
    CHECK(5, EVENT->kind, HASHOS_EVENT_ANSWER);
    CHECK(6, hashos_next_message(0, 0, EVENT, EVENT_CAPACITY, 0), HASHOS_E_WOULD_BLOCK);

    CHECK(10, register_interface(k_unhandled_interface), 0);
    CHECK(11, register_interface(k_unhandled_interface), -100 - 6); /* ALREADY_EXISTS */
    CHECK(12, unregister_interface(k_unhandled_interface), 0);
    CHECK(13, unregister_interface(k_unhandled_interface), -100 - 5); /* NOT_FOUND */
    CHECK(14, register_interface(k_ping_interface), -100 - 6);
    return 0;
}
