/* trap_handler: handles the trap interface; answers "ok" messages, and traps on "trap" while it
 * holds that message and whatever else is queued. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    if (register_interface(k_trap_interface) != 0)
        return 1;
    for (;;) {
        if (hashos_next_message(0, 0, EVENT, EVENT_CAPACITY, HASHOS_NEXT_BLOCK) < 0)
            return 2;
        if (EVENT->kind != HASHOS_EVENT_MESSAGE)
            continue;
        const uint8_t* body = hashos_event_body(EVENT);
        if (EVENT->body_len == 4 && body[0] == 't' && body[1] == 'r' && body[2] == 'a' && body[3] == 'p')
            __builtin_trap();
        hashos_emit_answer(EVENT->message_id, "ok", 2, 0);
    }
}
