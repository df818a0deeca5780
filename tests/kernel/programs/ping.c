/* ping: sends ROUND_TRIPS messages to the ping interface (waiting for a handler) and checks that
 * each answer echoes its body. Exit code 0 when all did. */
#include "common.h"

#ifndef ROUND_TRIPS
#define ROUND_TRIPS 1000
#endif

__attribute__((export_name("_start"))) int start(void)
{
    for (uint32_t i = 0; i < ROUND_TRIPS; ++i) {
        int32_t size = call(k_ping_interface, &i, sizeof(i), HASHOS_EMIT_WAIT_FOR_HANDLER);
        if (size < 0)
            return 10;
        if (EVENT->kind != HASHOS_EVENT_ANSWER)
            return 11;
        uint32_t echoed;
        __builtin_memcpy(&echoed, hashos_event_body(EVENT), sizeof(echoed));
        if (EVENT->body_len != sizeof(i) || echoed != i)
            return 12;
    }
    return 0;
}
