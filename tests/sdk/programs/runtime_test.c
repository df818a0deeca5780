/* The SDK's freestanding runtime, checked from inside a wasm32 program: the allocator, the memory
 * and string functions, hashos_format. Exit code 0 when all hold, else the line of the first
 * check that failed. */
#include "hashos/hashos.h"

#define CHECK(condition)             \
    do {                             \
        if (!(condition))            \
            return __LINE__;         \
    } while (0)

static int check_allocator(void)
{
    size_t used_at_start = hashos_heap_used();
    unsigned char* a = malloc(1);
    unsigned char* b = malloc(100);
    CHECK(a && b && a != b);
    CHECK((uintptr_t)a % 16 == 0 && (uintptr_t)b % 16 == 0);
    memset(b, 0xab, 100);
    *a = 1;
    CHECK(b[99] == 0xab && *a == 1);

    /* A freed block is reused. */
    free(b);
    unsigned char* again = malloc(100);
    CHECK(again == b);
    free(again);

    /* Neighbours merge: two freed 1000-byte blocks hold one of 1900. */
    unsigned char* x = malloc(1000);
    unsigned char* y = malloc(1000);
    unsigned char* z = malloc(1000);
    CHECK(x && y && z);
    free(x);
    free(y);
    unsigned char* merged = malloc(1900);
    CHECK(merged == x);
    free(merged);
    free(z);

    /* A megabyte grows the memory; all of it is writable. */
    size_t heap_before = hashos_heap_size();
    unsigned char* big = malloc(1 << 20);
    CHECK(big && hashos_heap_size() >= heap_before + (1 << 20));
    memset(big, 0x5a, 1 << 20);
    CHECK(big[0] == 0x5a && big[(1 << 20) - 1] == 0x5a);

    /* realloc keeps the contents, in place when the next block is free. */
    unsigned char* grown = realloc(big, 2 << 20);
    CHECK(grown && grown[(1 << 20) - 1] == 0x5a);
    unsigned char* small = malloc(64);
    unsigned char* next = malloc(64);
    memset(small, 7, 64);
    free(next);
    CHECK(realloc(small, 100) == small && small[63] == 7);
    free(small);
    free(grown);

    /* Pages grown by someone else are never handed out. */
    uintptr_t foreign_start = __builtin_wasm_memory_grow(0, 1) * 65536u;
    unsigned char* after = malloc(200000);
    CHECK(after && ((uintptr_t)after + 200000 <= foreign_start || (uintptr_t)after >= foreign_start + 65536));
    free(after);

    /* calloc zeroes and refuses sizes that overflow. */
    unsigned int* zeros = calloc(100, sizeof(unsigned int));
    CHECK(zeros && zeros[0] == 0 && zeros[99] == 0);
    free(zeros);
    CHECK(calloc((size_t)1 << 20, (size_t)1 << 20) == NULL);
    CHECK(malloc((size_t)-1) == NULL);

    free(a);
    CHECK(hashos_heap_used() == used_at_start);
    return 0;
}

static int check_strings(void)
{
    CHECK(strlen("") == 0 && strlen("hashos") == 6);
    CHECK(strnlen("hashos", 3) == 3);
    CHECK(strcmp("abc", "abc") == 0 && strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0);
    CHECK(strncmp("abcx", "abcy", 3) == 0 && strncmp("ab", "abc", 3) < 0);
    CHECK(memcmp("\x01\x02", "\x01\x03", 2) < 0);
    CHECK(strchr("hashos", 's') == (char*)"hashos" + 2 || *strchr("hashos", 's') == 's');
    CHECK(strchr("hashos", 'z') == NULL);
    const char* text = "find the x";
    CHECK(memchr(text, 'x', 10) == text + 9);

    char overlap[8] = { '1', '2', '3', '4', '5', '6', '7', '8' };
    memmove(overlap + 2, overlap, 5);
    CHECK(memcmp(overlap, "1212345", 7) == 0);
    return 0;
}

static int check_format(void)
{
    char line[64];
    int length = hashos_format(line, sizeof(line), "%d|%5u|%-4s|%03d|%llx|%zu|%c|%%|%lld", -42, 7u, "ab", 5,
        0xdeadbeefcafeull, (size_t)12, 'z', -9000000000ll);
    CHECK(strcmp(line, "-42|    7|ab  |005|deadbeefcafe|12|z|%|-9000000000") == 0);
    CHECK(length == (int)strlen(line));

    char tiny[6];
    CHECK(hashos_format(tiny, sizeof(tiny), "%s", "truncated") == 9);
    CHECK(strcmp(tiny, "trunc") == 0);
    CHECK(hashos_format(line, sizeof(line), "%05d", -12) == 5 && strcmp(line, "-0012") == 0);
    CHECK(hashos_format(line, sizeof(line), "%s", (const char*)0) == 6);
    return 0;
}

int main(void)
{
    int failed = check_allocator();
    if (!failed)
        failed = check_strings();
    if (!failed)
        failed = check_format();
    return failed;
}
