// String and conversion functions of libc: strtok, strtoll in bases, strtod, sscanf, strstr,
// memmove overlaps, qsort-free sorting with strcmp, case mapping.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char text[] = "alpha,beta;;gamma delta,epsilon";
    for (char* token = strtok(text, ",; "); token; token = strtok(NULL, ",; "))
        printf("token [%s]\n", token);
    const char* numbers[] = { "42", "-17", "0x1f", "0777", "12abc", "  +9", "99999999999" };
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); ++i) {
        char* end;
        long long value = strtoll(numbers[i], &end, 0);
        printf("strtoll(%s) = %lld rest [%s]\n", numbers[i], value, end);
    }
    printf("strtod %.6f %.3e %g\n", strtod("3.25", NULL), strtod("-1.5e-3", NULL), strtod("1e10", NULL));
    int day, year;
    char month[16];
    int matched = sscanf("Date: 28 November 2026", "Date: %d %15s %d", &day, month, &year);
    printf("sscanf %d: %d %s %d\n", matched, day, month, year);
    const char* haystack = "the needle in the haystack";
    printf("strstr at %td, strchr %s, strrchr %s\n", strstr(haystack, "needle") - haystack, strchr(haystack, 'h'), strrchr(haystack, 'h'));
    char overlap[] = "0123456789";
    memmove(overlap + 2, overlap, 6);
    printf("memmove %s\n", overlap);
    char upper[] = "Mixed Case 123";
    for (char* c = upper; *c; ++c)
        *c = (char)toupper((unsigned char)*c);
    printf("upper %s, strlen %zu, strcmp %d %d\n", upper, strlen(upper), strcmp("a", "b") < 0, strncmp("abcd", "abce", 3));
    char joined[64] = "";
    strcat(joined, "con");
    strncat(joined, "catenated!!!", 9);
    printf("%s\n", joined);
    return 0;
}
