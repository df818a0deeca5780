// A compression round trip written for hashos: LZ77 with a hash chain over a 64 KiB window,
// tokens as literal runs and (length, distance) matches, then decompression and comparison.
// The input is generated text with repetition, like source code or logs. Prints the sizes and a
// checksum, the same on every engine.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ROUNDS
#define ROUNDS 4
#endif

enum { WINDOW = 1 << 16, HASH_BITS = 15, MIN_MATCH = 4, MAX_MATCH = 258, MAX_CHAIN = 32 };

static uint32_t hash4(const uint8_t* p) { return ((uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24) * 2654435761u >> (32 - HASH_BITS); }

static size_t put_varint(uint8_t* out, uint32_t value)
{
    size_t n = 0;
    while (value >= 0x80) {
        out[n++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    out[n++] = (uint8_t)value;
    return n;
}

static uint32_t get_varint(const uint8_t** in)
{
    uint32_t value = 0;
    int shift = 0;
    while (**in & 0x80) {
        value |= (uint32_t)(**in & 0x7f) << shift;
        shift += 7;
        ++*in;
    }
    value |= (uint32_t)**in << shift;
    ++*in;
    return value;
}

static size_t compress(const uint8_t* in, size_t size, uint8_t* out, int32_t* head, int32_t* chain)
{
    memset(head, -1, sizeof(int32_t) << HASH_BITS);
    size_t o = 0, literal_start = 0, i = 0;
    while (i + MIN_MATCH <= size) {
        uint32_t h = hash4(in + i);
        int32_t candidate = head[h];
        size_t best = 0, best_distance = 0;
        for (int steps = 0; candidate >= 0 && i - (size_t)candidate <= WINDOW && steps < MAX_CHAIN; ++steps) {
            size_t length = 0;
            size_t limit = size - i < MAX_MATCH ? size - i : MAX_MATCH;
            while (length < limit && in[candidate + length] == in[i + length])
                ++length;
            if (length > best) {
                best = length;
                best_distance = i - (size_t)candidate;
            }
            candidate = chain[candidate % WINDOW];
        }
        chain[i % WINDOW] = head[h];
        head[h] = (int32_t)i;
        if (best >= MIN_MATCH) {
            o += put_varint(out + o, (uint32_t)(i - literal_start) << 1);
            memcpy(out + o, in + literal_start, i - literal_start);
            o += i - literal_start;
            o += put_varint(out + o, (uint32_t)best << 1 | 1);
            o += put_varint(out + o, (uint32_t)best_distance);
            for (size_t k = 1; k < best && i + k + MIN_MATCH <= size; ++k) {
                uint32_t hk = hash4(in + i + k);
                chain[(i + k) % WINDOW] = head[hk];
                head[hk] = (int32_t)(i + k);
            }
            i += best;
            literal_start = i;
        } else {
            ++i;
        }
    }
    o += put_varint(out + o, (uint32_t)(size - literal_start) << 1);
    memcpy(out + o, in + literal_start, size - literal_start);
    return o + size - literal_start;
}

static size_t decompress(const uint8_t* in, size_t size, uint8_t* out)
{
    const uint8_t* end = in + size;
    size_t o = 0;
    while (in < end) {
        uint32_t token = get_varint(&in);
        if (token & 1) {
            uint32_t distance = get_varint(&in);
            for (uint32_t k = 0; k < (token >> 1); ++k, ++o)
                out[o] = out[o - distance];
        } else {
            memcpy(out + o, in, token >> 1);
            in += token >> 1;
            o += token >> 1;
        }
    }
    return o;
}

int main(void)
{
    static const char* words[] = { "the", "kernel", "sends", "a", "message", "to", "handler", "of", "interface", "answer",
        "wasm", "thread", "suspends", "until", "arrives", "process", "exits", "with", "code", "hash" };
    size_t size = 1 << 20;
    uint8_t* input = malloc(size);
    uint32_t seed = 1;
    size_t n = 0;
    while (n < size) {
        seed = seed * 1103515245u + 12345u;
        const char* word = words[(seed >> 16) % 20];
        size_t length = strlen(word);
        for (size_t k = 0; k < length && n < size; ++k)
            input[n++] = (uint8_t)word[k];
        if (n < size)
            input[n++] = ((seed >> 8) % 11 == 0) ? '\n' : ' ';
    }
    uint8_t* packed = malloc(size + size / 2 + 64);
    uint8_t* unpacked = malloc(size);
    int32_t* head = malloc(sizeof(int32_t) << HASH_BITS);
    int32_t* chain = malloc(sizeof(int32_t) * WINDOW);
    uint32_t checksum = 0;
    size_t packed_size = 0;
    for (int round = 0; round < ROUNDS; ++round) {
        input[round * 977 % size] ^= (uint8_t)round; // a different input each round
        packed_size = compress(input, size, packed, head, chain);
        size_t unpacked_size = decompress(packed, packed_size, unpacked);
        if (unpacked_size != size || memcmp(input, unpacked, size) != 0) {
            printf("round %d: the round trip differs\n", round);
            return 1;
        }
        for (size_t k = 0; k < packed_size; k += 61)
            checksum = checksum * 31 + packed[k];
    }
    printf("compress %zu -> %zu bytes, checksum %08x\n", size, packed_size, checksum);
    return 0;
}
