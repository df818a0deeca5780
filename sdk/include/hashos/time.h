/* Client of the `time` interface (interfaces/time.proto): clocks and sleeping, in nanoseconds. */
#ifndef HASHOS_TIME_H
#define HASHOS_TIME_H

#include "hashos/message.h"

#include "time.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The monotonic clock (for durations), the wall clock (since the Unix epoch). */
int32_t hashos_time_now_monotonic(uint64_t* nanoseconds);
int32_t hashos_time_now_wall(int64_t* unix_nanoseconds);
/* Returns once `nanoseconds` have passed (0: at once, a yield), or the monotonic clock reached
 * `monotonic_nanoseconds`. Only this program waits: the kernel runs the others meanwhile. */
int32_t hashos_time_sleep(uint64_t nanoseconds);
int32_t hashos_time_sleep_until(uint64_t monotonic_nanoseconds);

#ifdef __cplusplus
}
#endif

#endif
