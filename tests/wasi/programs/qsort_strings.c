// qsort over many generated strings (a deterministic generator), then bsearch for some.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned state = 12345;
static unsigned next(void)
{
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
}

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(void)
{
    enum { count = 20000 };
    char** words = malloc(count * sizeof(char*));
    for (int i = 0; i < count; ++i) {
        int length = 3 + next() % 10;
        words[i] = malloc(length + 1);
        for (int j = 0; j < length; ++j)
            words[i][j] = (char)('a' + next() % 26);
        words[i][length] = '\0';
    }
    char* probe = words[777];
    qsort(words, count, sizeof(char*), compare);
    for (int i = 0; i < count; i += 2000)
        printf("%5d %s\n", i, words[i]);
    int sorted = 1;
    for (int i = 1; i < count; ++i)
        sorted &= strcmp(words[i - 1], words[i]) <= 0;
    char** found = bsearch(&probe, words, count, sizeof(char*), compare);
    printf("sorted %d, found %s\n", sorted, found ? *found : "nothing");
    uint32_t checksum = 0;
    for (int i = 0; i < count; ++i) {
        for (char* c = words[i]; *c; ++c)
            checksum = checksum * 31u + (unsigned char)*c;
        free(words[i]);
    }
    free(words);
    printf("checksum %u\n", checksum);
    return 0;
}
