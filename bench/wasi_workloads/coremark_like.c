// A CoreMark-like integer benchmark written for hashos (not EEMBC's code): the three kernels
// CoreMark is known for — linked-list search and reversal, small matrix arithmetic, a state
// machine over text — plus a CRC-16 over all results, repeated ITERATIONS times. Prints the CRC,
// which must be the same on every engine.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef ITERATIONS
#define ITERATIONS 8000
#endif

static uint16_t crc16(uint16_t crc, uint32_t value)
{
    for (int i = 0; i < 32; ++i) {
        uint16_t bit = (uint16_t)(((crc ^ value) & 1));
        crc >>= 1;
        value >>= 1;
        if (bit)
            crc ^= 0xa001;
    }
    return crc;
}

typedef struct Item {
    struct Item* next;
    int32_t key;
    int32_t data;
} Item;

static Item* reverse(Item* list)
{
    Item* reversed = NULL;
    while (list) {
        Item* next = list->next;
        list->next = reversed;
        reversed = list;
        list = next;
    }
    return reversed;
}

static uint32_t list_kernel(Item* pool, int count, uint32_t seed)
{
    Item* head = NULL;
    for (int i = 0; i < count; ++i) {
        pool[i].key = (int32_t)((seed * (uint32_t)(i + 1) * 2654435761u) >> 20);
        pool[i].data = i;
        pool[i].next = head;
        head = &pool[i];
    }
    uint32_t found = 0;
    for (int probe = 0; probe < 16; ++probe) {
        int32_t wanted = pool[(probe * 37 + (int)seed) % count].key;
        for (Item* item = head; item; item = item->next) {
            if (item->key == wanted) {
                found += (uint32_t)item->data;
                break;
            }
        }
        head = reverse(head);
    }
    return found;
}

#define N 12
static uint32_t matrix_kernel(int32_t a[N][N], int32_t b[N][N], int32_t c[N][N], int32_t seed)
{
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            a[i][j] = (i * N + j + seed) % 17 - 8;
            b[i][j] = (j * N + i - seed) % 13 - 6;
        }
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            int32_t sum = 0;
            for (int k = 0; k < N; ++k)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
    uint32_t result = 0;
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j)
            result += (uint32_t)(c[i][j] > 0 ? c[i][j] : -c[i][j]) ^ (uint32_t)(i << j % 8);
    return result;
}

// A scanner for numbers in text ("123", "-4.5e6", "0x1f"): the states CoreMark's state machine
// kernel has, counted per transition.
enum State { START, INT, SIGN, FLOAT, EXPONENT, SCIENTIFIC, HEX, INVALID, STATES };

static uint32_t state_kernel(const char* text, uint32_t counts[STATES])
{
    enum State state = START;
    uint32_t tokens = 0;
    for (const char* c = text;; ++c) {
        char ch = *c;
        if (ch == ',' || ch == '\0') {
            counts[state]++;
            tokens++;
            state = START;
            if (ch == '\0')
                break;
            continue;
        }
        switch (state) {
        case START:
            state = (ch >= '0' && ch <= '9') ? INT : (ch == '-' || ch == '+') ? SIGN : ch == '.' ? FLOAT : INVALID;
            break;
        case SIGN:
        case INT:
            state = (ch >= '0' && ch <= '9') ? INT : ch == '.' ? FLOAT : ch == 'x' ? HEX : INVALID;
            break;
        case FLOAT:
            state = (ch >= '0' && ch <= '9') ? FLOAT : (ch == 'e' || ch == 'E') ? EXPONENT : INVALID;
            break;
        case EXPONENT:
            state = (ch == '-' || ch == '+' || (ch >= '0' && ch <= '9')) ? SCIENTIFIC : INVALID;
            break;
        case SCIENTIFIC:
            state = (ch >= '0' && ch <= '9') ? SCIENTIFIC : INVALID;
            break;
        case HEX:
            state = ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')) ? HEX : INVALID;
            break;
        default:
            break;
        }
    }
    return tokens;
}

int main(void)
{
    enum { items = 400 };
    Item* pool = malloc(items * sizeof(Item));
    static int32_t a[N][N], b[N][N], c[N][N];
    static const char* inputs[] = { "5012,1234,-874,+122,7.5e3,-0.25,0x1f,12a,.5,3.25e-7,99999,0xbeef,-5.,1e5",
        "1,2,3,4,5,6,7,8,9,10,-11,+12,13.0,14e2,0x15,foo,16,17.5e+2" };
    uint16_t crc = 0;
    for (uint32_t iteration = 0; iteration < ITERATIONS; ++iteration) {
        crc = crc16(crc, list_kernel(pool, items, iteration + 1));
        crc = crc16(crc, matrix_kernel(a, b, c, (int32_t)iteration));
        uint32_t counts[STATES] = { 0 };
        crc = crc16(crc, state_kernel(inputs[iteration & 1], counts));
        for (int s = 0; s < STATES; ++s)
            crc = crc16(crc, counts[s]);
    }
    free(pool);
    printf("coremark_like crc %04x\n", crc);
    return 0;
}
