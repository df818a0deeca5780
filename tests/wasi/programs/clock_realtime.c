// The wall clock: time(), gettimeofday and CLOCK_REALTIME agree and read a date after 2024;
// gmtime and strftime on a fixed instant are exact.
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    time_t now = time(NULL);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("after 2024: %d\n", now > 1704067200);
    printf("sources agree: %d\n", tv.tv_sec - now <= 2 && ts.tv_sec - now <= 2 && tv.tv_sec >= now && ts.tv_sec >= now);
    time_t fixed = 1000000000;
    struct tm* utc = gmtime(&fixed);
    char text[64];
    strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %j %a %b", utc);
    printf("fixed instant: %s\n", text);
    struct tm date = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12 };
    printf("timegm: %lld\n", (long long)timegm(&date));
    return 0;
}
