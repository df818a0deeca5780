// CRC-32 (table-driven, the zlib polynomial) and Adler-32 over a buffer: byte loads, table
// lookups, shifts and the modulo of Adler.
#include "common.h"

#define LENGTH (1 << 20)

static uint8_t buffer[LENGTH];
static uint32_t crc_table[256];

static void make_crc_table(void)
{
    for (uint32_t n = 0; n < 256; ++n) {
        uint32_t c = n;
        for (int k = 0; k < 8; ++k)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(const uint8_t* data, uint32_t length)
{
    uint32_t c = 0xffffffffu;
    for (uint32_t i = 0; i < length; ++i)
        c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint32_t adler32(const uint8_t* data, uint32_t length)
{
    uint32_t a = 1, b = 0;
    for (uint32_t i = 0; i < length; ++i) {
        a = (a + data[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

EXPORT_RUN int run(void)
{
    make_crc_table();
    uint32_t seed = 2024;
    for (uint32_t i = 0; i < LENGTH; ++i)
        buffer[i] = (uint8_t)(next_random(&seed) >> 24);
    uint32_t checksum = 0;
    // SCALE is the number of passes over the 1 MiB buffer.
    for (int round = 0; round < SCALE; ++round) {
        buffer[round % LENGTH] ^= 1;
        checksum = mix(checksum, crc32(buffer, LENGTH));
        checksum = mix(checksum, adler32(buffer, LENGTH));
    }
    return (int)checksum;
}
