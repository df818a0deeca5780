/* Client of the `time` interface (include/hashos/time.h). */
#include "hashos/time.h"

int32_t hashos_time_now_monotonic(uint64_t* nanoseconds)
{
    hashos_time_MonotonicNowRequest request = hashos_time_MonotonicNowRequest_init_zero;
    hashos_time_MonotonicNowResponse response = hashos_time_MonotonicNowResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_time_Time, MonotonicNow, &request, &response, 0);
    *nanoseconds = response.nanoseconds;
    return status;
}

int32_t hashos_time_now_wall(int64_t* unix_nanoseconds)
{
    hashos_time_WallNowRequest request = hashos_time_WallNowRequest_init_zero;
    hashos_time_WallNowResponse response = hashos_time_WallNowResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_time_Time, WallNow, &request, &response, 0);
    *unix_nanoseconds = response.unix_nanoseconds;
    return status;
}

int32_t hashos_time_sleep(uint64_t nanoseconds)
{
    hashos_time_SleepForRequest request = hashos_time_SleepForRequest_init_zero;
    request.nanoseconds = nanoseconds;
    return HASHOS_CALL(hashos_time_Time, SleepFor, &request, NULL, 0);
}

int32_t hashos_time_sleep_until(uint64_t monotonic_nanoseconds)
{
    hashos_time_SleepUntilRequest request = hashos_time_SleepUntilRequest_init_zero;
    request.monotonic_nanoseconds = monotonic_nanoseconds;
    return HASHOS_CALL(hashos_time_Time, SleepUntil, &request, NULL, 0);
}
