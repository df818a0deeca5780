// Reading binary standard input in blocks of odd sizes: its length and a checksum.
// wasi-test: stdin binary.bin
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    unsigned char buffer[4093];
    uint32_t hash = 2166136261u; // FNV-1a
    size_t total = 0, got;
    int reads = 0;
    while ((got = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        for (size_t i = 0; i < got; ++i)
            hash = (hash ^ buffer[i]) * 16777619u;
        total += got;
        ++reads;
    }
    printf("bytes %zu fnv1a %08x eof %d error %d\n", total, hash, feof(stdin), ferror(stdin));
    return 0;
}
