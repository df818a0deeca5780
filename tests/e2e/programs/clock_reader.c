/* clock_reader: reads the monotonic and wall clocks from whoever handles `time` (waiting for a
 * handler to register) and logs them. Exit 0 when they read as fake_clock's (42 ns and
 * 1700000000 s), 1 when they read otherwise, 2 when the calls fail. */
#include "hashos/hashos.h"

int main(void)
{
    hashos_time_MonotonicNowRequest monotonic_request = hashos_time_MonotonicNowRequest_init_zero;
    hashos_time_MonotonicNowResponse monotonic = hashos_time_MonotonicNowResponse_init_zero;
    hashos_time_WallNowRequest wall_request = hashos_time_WallNowRequest_init_zero;
    hashos_time_WallNowResponse wall = hashos_time_WallNowResponse_init_zero;
    if (HASHOS_CALL(hashos_time_Time, MonotonicNow, &monotonic_request, &monotonic, HASHOS_EMIT_WAIT_FOR_HANDLER) != HASHOS_OK
        || HASHOS_CALL(hashos_time_Time, WallNow, &wall_request, &wall, HASHOS_EMIT_WAIT_FOR_HANDLER) != HASHOS_OK)
        return 2;
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "monotonic %llu ns, wall %lld ns", (unsigned long long)monotonic.nanoseconds,
        (long long)wall.unix_nanoseconds);
    return monotonic.nanoseconds == 42 && wall.unix_nanoseconds == 1700000000000000000LL ? 0 : 1;
}
