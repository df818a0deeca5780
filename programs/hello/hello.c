/* hello: logs a line, reads the monotonic clock, exits 0. The smallest client of `log` and `time`.
 * Exit codes: 1 when the log line could not be sent, 2 when the clock could not be read. */
#include "hashos/hashos.h"

int main(void)
{
    if (hashos_log_write(hashos_log_Level_LEVEL_INFO, "hello from hashos") != HASHOS_OK)
        return 1;
    uint64_t now = 0;
    int32_t status = hashos_time_now_monotonic(&now);
    if (status != HASHOS_OK) {
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "cannot read the clock: %s", hashos_status_name(status));
        return 2;
    }
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "monotonic clock: %llu ns", (unsigned long long)now);
    return 0;
}
