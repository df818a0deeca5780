/* ping: sends PING_ROUND_TRIPS pings to whoever handles the example interface example.ping.Ping
 * (pong), waiting for a handler if none is there yet and for each answer in turn; checks that each
 * answer carries its sequence number; logs the round-trip count and time; exits 0.
 * Exit codes: 1 a ping failed, 2 an answer carried the wrong sequence number. */
#include "hashos/hashos.h"

#include "ping.interface.h"

#ifndef PING_ROUND_TRIPS
#define PING_ROUND_TRIPS 1000
#endif

int main(void)
{
    /* The time is for the log line only: without a clock the pings still count. */
    uint64_t start = 0;
    uint64_t end = 0;
    int32_t clock = hashos_time_now_monotonic(&start);
    for (uint64_t sequence = 1; sequence <= PING_ROUND_TRIPS; ++sequence) {
        example_ping_PingRequest request = { sequence };
        example_ping_PingResponse response = example_ping_PingResponse_init_zero;
        int32_t status = HASHOS_CALL(example_ping_Ping, Ping, &request, &response, HASHOS_EMIT_WAIT_FOR_HANDLER);
        if (status != HASHOS_OK) {
            hashos_log_format(hashos_log_Level_LEVEL_ERROR, "ping %llu failed: %s %s", (unsigned long long)sequence,
                hashos_status_name(status), status > 0 ? hashos_last_error()->message : "");
            return 1;
        }
        if (response.sequence != sequence) {
            hashos_log_format(hashos_log_Level_LEVEL_ERROR, "ping %llu answered with %llu", (unsigned long long)sequence,
                (unsigned long long)response.sequence);
            return 2;
        }
    }
    if (clock == HASHOS_OK && hashos_time_now_monotonic(&end) == HASHOS_OK) {
        uint64_t elapsed = end - start;
        hashos_log_format(hashos_log_Level_LEVEL_INFO, "ping: %u round trips in %llu us, %llu ns per round trip",
            (unsigned)PING_ROUND_TRIPS, (unsigned long long)(elapsed / 1000),
            (unsigned long long)(elapsed / PING_ROUND_TRIPS));
    } else {
        hashos_log_format(hashos_log_Level_LEVEL_INFO, "ping: %u round trips", (unsigned)PING_ROUND_TRIPS);
    }
    return 0;
}
