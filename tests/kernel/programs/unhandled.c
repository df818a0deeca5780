/* unhandled: without WAIT, a message to an interface nobody handles fails at once (an error
 * answer, or E_NO_HANDLER without an answer); then, with WAIT, it waits for a ping handler and
 * returns 0 when the answer comes. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    if (call(k_unhandled_interface, "x", 1, 0) < 0)
        return 1;
    if (error_code() != 14) /* UNAVAILABLE */
        return 2;
    if (hashos_emit_message(k_unhandled_interface, "x", 1, 0, 0) != HASHOS_E_NO_HANDLER)
        return 3;
    uint32_t value = 5;
    if (call(k_ping_interface, &value, sizeof(value), HASHOS_EMIT_WAIT_FOR_HANDLER) < 0)
        return 4;
    return EVENT->kind == HASHOS_EVENT_ANSWER ? 0 : 5;
}
