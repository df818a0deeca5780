// The monotonic clock: readings never go backwards, its resolution is sane, and clock()
// and CLOCK_MONOTONIC agree on a busy loop's order of magnitude. Only verdicts are printed.
#include <stdio.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    struct timespec resolution;
    printf("getres: %d\n", clock_getres(CLOCK_MONOTONIC, &resolution));
    printf("resolution at most 1 ms: %d\n", ns(resolution) > 0 && ns(resolution) <= 1000000);
    struct timespec previous, now;
    clock_gettime(CLOCK_MONOTONIC, &previous);
    int backwards = 0;
    for (int i = 0; i < 1000; ++i) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        backwards |= ns(now) < ns(previous);
        previous = now;
    }
    printf("never backwards: %d\n", !backwards);
    printf("nanoseconds below 1e9: %d\n", now.tv_nsec >= 0 && now.tv_nsec < 1000000000);
    return 0;
}
