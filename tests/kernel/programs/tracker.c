/* tracker: handles the ping interface like pong, and reports each SENDER_EXITED it gets to the
 * observer interface (a native handler in the test) as the 8-byte sender id. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    if (register_interface(k_ping_interface) != 0)
        return 1;
    for (;;) {
        if (hashos_next_message(0, 0, EVENT, EVENT_CAPACITY, HASHOS_NEXT_BLOCK) < 0)
            return 2;
        if (EVENT->kind == HASHOS_EVENT_SENDER_EXITED) {
            uint64_t sender = EVENT->sender;
            hashos_emit_message(k_observer_interface, &sender, sizeof(sender), 0, 0);
        } else if (EVENT->kind == HASHOS_EVENT_MESSAGE && (EVENT->flags & HASHOS_EVENT_ANSWER_WANTED)) {
            hashos_emit_answer(EVENT->message_id, hashos_event_body(EVENT), EVENT->body_len, 0);
        }
    }
}
