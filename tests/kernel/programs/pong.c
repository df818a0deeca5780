/* pong: handles the ping interface, answering every message with its own body. Serves forever. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    if (register_interface(k_ping_interface) != 0)
        return 1;
    for (;;) {
        int32_t size = hashos_next_message(0, 0, EVENT, EVENT_CAPACITY, HASHOS_NEXT_BLOCK);
        if (size < 0)
            return 2;
        if (EVENT->kind == HASHOS_EVENT_MESSAGE && (EVENT->flags & HASHOS_EVENT_ANSWER_WANTED))
            hashos_emit_answer(EVENT->message_id, hashos_event_body(EVENT), EVENT->body_len, 0);
    }
}
