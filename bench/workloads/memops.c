// memcpy / memset / memmove of many sizes, plus a hand-written byte loop: with bulk memory,
// clang turns the library calls into memory.copy / memory.fill, so this measures both those and
// the loop around them.
#include "common.h"

#define AREA (1 << 20)

static uint8_t area[AREA];

// A byte loop with a stride of 3 and a transform, which clang cannot turn into memory.copy.
static void strided_copy(uint8_t* to, const uint8_t* from, uint32_t count)
{
    for (uint32_t i = 0; i < count; i += 3)
        to[i] = (uint8_t)(from[i] + 1);
}

EXPORT_RUN int run(void)
{
    uint32_t seed = 99;
    __builtin_memset(area, 0x5a, AREA);
    uint32_t checksum = 0;
    for (int round = 0; round < SCALE; ++round) {
        for (int step = 0; step < 1000; ++step) {
            uint32_t r = next_random(&seed);
            uint32_t size = (r >> 8) & 4095; // 0..4095 bytes
            uint32_t from = (r >> 4) % (AREA - 8192);
            uint32_t to = (next_random(&seed) >> 4) % (AREA - 8192);
            switch (r & 3) {
            case 0:
                __builtin_memcpy(area + to, area + (from ^ 4096) % (AREA - 8192), size);
                break;
            case 1:
                __builtin_memset(area + to, (int)(r >> 24), size);
                break;
            case 2:
                __builtin_memmove(area + to, area + to + (r >> 28), size); // overlapping
                break;
            default:
                strided_copy(area + to, area + from, size);
                break;
            }
            checksum = mix(checksum, area[(to + size / 2) % AREA]);
        }
        // Small fixed-size copies, which clang inlines as loads and stores.
        for (uint32_t i = 0; i + 16 <= 65536; i += 16)
            __builtin_memcpy(area + 65536 + i, area + i, 16);
    }
    for (uint32_t i = 0; i < AREA; i += 4096)
        checksum = mix(checksum, area[i]);
    return (int)checksum;
}
