/* flood: sends to the ping interface (handled by sink) until HASHOS_E_QUEUE_FULL, then sends
 * messages that wait for a handler of an unhandled interface until HASHOS_E_LIMIT.
 * Exit code: 1000 * messages queued + messages pending, or 999999 on an unexpected error. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    int32_t queued = 0, pending = 0, result;
    uint64_t id;
    while ((result = hashos_emit_message(k_ping_interface, "x", 1, HASHOS_EMIT_WAIT_FOR_HANDLER, 0)) == 0)
        ++queued;
    if (result != HASHOS_E_QUEUE_FULL)
        return 999999;
    while ((result = hashos_emit_message(k_unhandled_interface, "x", 1,
                HASHOS_EMIT_ANSWER_WANTED | HASHOS_EMIT_WAIT_FOR_HANDLER, &id)) == 0)
        ++pending;
    if (result != HASHOS_E_LIMIT)
        return 999999;
    return queued * 1000 + pending;
}
