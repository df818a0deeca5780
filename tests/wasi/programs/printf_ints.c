// Formatted output of integers: widths, signs, bases, lengths, extremes.
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    int values[] = { 0, 1, -1, 42, -42, INT_MAX, INT_MIN, 255, 4096 };
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); ++i) {
        int v = values[i];
        printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%X] [%#x] [%o] [%#o] [%u]\n", v, v, v, v, v, v, v, v, v, v, v, (unsigned)v);
    }
    printf("%lld %llu %llx\n", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL);
    printf("%" PRId64 " %" PRIu32 " %" PRIx16 "\n", (int64_t)-9000000000LL, (uint32_t)4000000000u, (uint16_t)0xbeef);
    printf("%hhd %hd %zu %td\n", (signed char)200, (short)70000, sizeof(long long), (ptrdiff_t)-3);
    printf("%c%c%c %s|%10s|%-10s|%.3s|%%\n", 'a', 'b', 'c', "str", "right", "left", "truncated");
    char buffer[16];
    int n = snprintf(buffer, sizeof buffer, "%s-%d", "a long string", 123456);
    printf("snprintf %d '%s'\n", n, buffer);
    return 0;
}
