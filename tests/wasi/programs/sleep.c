// Sleeping (poll_oneoff on a clock): nanosleep, usleep and sleep last at least as asked, and not
// absurdly longer.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    long long start = now_ns();
    struct timespec request = { 0, 30 * 1000000 };
    int result = nanosleep(&request, NULL);
    long long slept = now_ns() - start;
    printf("nanosleep %d, at least 30 ms: %d, under 10 s: %d\n", result, slept >= 30000000, slept < 10000000000LL);
    start = now_ns();
    usleep(20000);
    slept = now_ns() - start;
    printf("usleep at least 20 ms: %d\n", slept >= 20000000);
    start = now_ns();
    printf("sleep(1) returns %u\n", sleep(1));
    slept = now_ns() - start;
    printf("sleep at least 1 s: %d\n", slept >= 1000000000);
    struct timespec zero = { 0, 0 };
    printf("zero sleep %d\n", nanosleep(&zero, NULL));
    return 0;
}
