// Sieve of Eratosthenes over a byte array, repeated: byte loads and stores in tight loops.
#include "common.h"

#define LIMIT 4000000

static uint8_t composite[LIMIT];

EXPORT_RUN int run(void)
{
    uint32_t checksum = 0;
    for (int round = 0; round < SCALE; ++round) {
        for (int i = 0; i < LIMIT; ++i)
            composite[i] = 0;
        int count = 0;
        for (int n = 2; n < LIMIT; ++n) {
            if (composite[n])
                continue;
            ++count;
            for (int64_t multiple = (int64_t)n * n; multiple < LIMIT; multiple += n)
                composite[multiple] = 1;
        }
        checksum = mix(checksum, (uint32_t)count);
    }
    return (int)checksum;
}
