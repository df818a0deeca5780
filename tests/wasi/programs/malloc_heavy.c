// The allocator under load: a hash table of chained nodes, realloc'd arrays, frees in random
// order, calloc zeroing, and large blocks that grow linear memory.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Node {
    struct Node* next;
    uint32_t key;
    uint32_t value;
    char payload[];
} Node;

static uint32_t state = 99;
static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

int main(void)
{
    enum { buckets = 4096, operations = 200000 };
    Node** table = calloc(buckets, sizeof(Node*));
    size_t live = 0, total_bytes = 0;
    for (int i = 0; i < operations; ++i) {
        uint32_t key = next() % 50000;
        Node** slot = &table[key % buckets];
        while (*slot && (*slot)->key != key)
            slot = &(*slot)->next;
        if (*slot) {
            Node* gone = *slot;
            *slot = gone->next;
            free(gone);
            --live;
        } else {
            size_t size = 1 + next() % 200;
            Node* node = malloc(sizeof(Node) + size);
            node->key = key;
            node->value = (uint32_t)size;
            memset(node->payload, (int)(key & 0xff), size);
            node->next = NULL;
            *slot = node;
            ++live;
            total_bytes += size;
        }
    }
    uint64_t sum = 0;
    for (int b = 0; b < buckets; ++b)
        for (Node* node = table[b]; node; node = node->next)
            sum += node->key * 3u + node->value + (uint8_t)node->payload[node->value - 1];
    printf("live %zu allocated %zu sum %llu\n", live, total_bytes, (unsigned long long)sum);

    int* array = NULL;
    size_t capacity = 0, length = 0;
    for (int i = 0; i < 100000; ++i) {
        if (length == capacity) {
            capacity = capacity ? capacity * 2 : 4;
            array = realloc(array, capacity * sizeof(int));
        }
        array[length++] = i * i;
    }
    printf("array %zu last %d\n", length, array[length - 1]);
    free(array);

    char* big = malloc(32u << 20);
    memset(big, 7, 32u << 20);
    printf("big block %d\n", big[(32u << 20) - 1]);
    free(big);
    int* zeros = calloc(1 << 20, sizeof(int));
    int nonzero = 0;
    for (int i = 0; i < (1 << 20); ++i)
        nonzero |= zeros[i];
    printf("calloc zeroed %d\n", !nonzero);
    free(zeros);
    for (int b = 0; b < buckets; ++b) {
        while (table[b]) {
            Node* gone = table[b];
            table[b] = gone->next;
            free(gone);
        }
    }
    free(table);
    return 0;
}
