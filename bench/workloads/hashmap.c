// Strings and a hash map: builds decimal keys, inserts them into an open-addressing table
// (FNV-1a, linear probing, string compares), then looks up present and absent keys.
#include "common.h"

#define CAPACITY (1 << 17) // slots; at most half are filled
#define KEYS 50000
#define ARENA (KEYS * 16)

struct Entry {
    const char* key;
    uint32_t length;
    uint32_t value;
};

static struct Entry table[CAPACITY];
static char arena[ARENA];
static uint32_t arena_used;

static uint32_t hash(const char* text, uint32_t length)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < length; ++i)
        h = (h ^ (uint8_t)text[i]) * 16777619u;
    return h;
}

static int equal(const char* a, const char* b, uint32_t length)
{
    for (uint32_t i = 0; i < length; ++i) {
        if (a[i] != b[i])
            return 0;
    }
    return 1;
}

// Writes "key-" and the decimal digits of `number` at `out`; returns the length.
static uint32_t format_key(char* out, uint32_t number)
{
    char digits[12];
    uint32_t count = 0;
    do {
        digits[count++] = (char)('0' + number % 10);
        number /= 10;
    } while (number != 0);
    out[0] = 'k';
    out[1] = 'e';
    out[2] = 'y';
    out[3] = '-';
    for (uint32_t i = 0; i < count; ++i)
        out[4 + i] = digits[count - 1 - i];
    return 4 + count;
}

static struct Entry* find_slot(const char* key, uint32_t length)
{
    uint32_t index = hash(key, length) & (CAPACITY - 1);
    for (;;) {
        struct Entry* entry = &table[index];
        if (!entry->key || (entry->length == length && equal(entry->key, key, length)))
            return entry;
        index = (index + 1) & (CAPACITY - 1);
    }
}

EXPORT_RUN int run(void)
{
    uint32_t checksum = 0;
    // SCALE is the number of rounds of KEYS inserts and 2 * KEYS lookups.
    for (int round = 0; round < SCALE; ++round) {
        __builtin_memset(table, 0, sizeof table);
        arena_used = 0;
        for (uint32_t i = 0; i < KEYS; ++i) {
            char* key = arena + arena_used;
            uint32_t length = format_key(key, i * 7919u + (uint32_t)round);
            arena_used += length;
            struct Entry* entry = find_slot(key, length);
            if (!entry->key) {
                entry->key = key;
                entry->length = length;
            }
            entry->value += i;
        }
        uint32_t found = 0, sum = 0;
        char probe[16];
        for (uint32_t i = 0; i < 2 * KEYS; ++i) {
            uint32_t length = format_key(probe, i * 7919u + (uint32_t)round); // half of them absent
            struct Entry* entry = find_slot(probe, length);
            if (entry->key) {
                ++found;
                sum += entry->value;
            }
        }
        checksum = mix(mix(checksum, found), sum);
    }
    return (int)checksum;
}
