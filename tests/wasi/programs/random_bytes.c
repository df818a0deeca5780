// Randomness: getentropy fills its buffer, two draws differ, every byte value turns up in a
// large sample.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    unsigned char a[256], b[256];
    printf("getentropy: %d %d\n", getentropy(a, sizeof a), getentropy(b, sizeof b));
    printf("draws differ: %d\n", memcmp(a, b, sizeof a) != 0);
    int seen[256] = { 0 };
    unsigned char chunk[256];
    for (int round = 0; round < 400; ++round) {
        getentropy(chunk, sizeof chunk);
        for (size_t i = 0; i < sizeof chunk; ++i)
            seen[chunk[i]] = 1;
    }
    int values = 0;
    for (int i = 0; i < 256; ++i)
        values += seen[i];
    printf("all byte values seen: %d\n", values == 256);
    return 0;
}
