/* threads_queue: producers and consumers on a bounded queue guarded by the SDK's mutex and
 * condition variables (hashos/mutex.h). 3 producers each put 1..2000; 3 consumers take until
 * they see a stop mark and add what they took; the main thread checks the total and that every
 * item was taken once. Each consumer logs from its own thread.
 * Exit codes: 0 right; 1 wrong total or count; 4 a thread did not start. */
#include "hashos/hashos.h"
#include "hashos/mutex.h"
#include "hashos/thread.h"

#define PRODUCERS 3u
#define CONSUMERS 3u
#define ITEMS 2000u
#define CAPACITY 8u /* small, so that producers block on a full queue and consumers on an empty one */
#define STOP 0u

static hashos_mutex g_lock = HASHOS_MUTEX_INIT;
static hashos_condvar g_not_empty = HASHOS_CONDVAR_INIT;
static hashos_condvar g_not_full = HASHOS_CONDVAR_INIT;
static uint32_t g_queue[CAPACITY];
static uint32_t g_head, g_count;
static uint64_t g_total;
static uint32_t g_taken;

static void put(uint32_t item)
{
    hashos_mutex_lock(&g_lock);
    while (g_count == CAPACITY)
        hashos_condvar_wait(&g_not_full, &g_lock);
    g_queue[(g_head + g_count) % CAPACITY] = item;
    ++g_count;
    hashos_condvar_signal(&g_not_empty);
    hashos_mutex_unlock(&g_lock);
}

static uint32_t take(void)
{
    hashos_mutex_lock(&g_lock);
    while (g_count == 0)
        hashos_condvar_wait(&g_not_empty, &g_lock);
    uint32_t item = g_queue[g_head];
    g_head = (g_head + 1) % CAPACITY;
    --g_count;
    hashos_condvar_signal(&g_not_full);
    hashos_mutex_unlock(&g_lock);
    return item;
}

static void produce(void* unused)
{
    (void)unused;
    for (uint32_t item = 1; item <= ITEMS; ++item)
        put(item);
}

static void consume(void* unused)
{
    (void)unused;
    uint64_t sum = 0;
    uint32_t taken = 0;
    for (uint32_t item; (item = take()) != STOP; ++taken)
        sum += item;
    hashos_mutex_lock(&g_lock);
    g_total += sum;
    g_taken += taken;
    hashos_mutex_unlock(&g_lock);
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "consumer thread %u took %u items", (unsigned)hashos_thread_self(), (unsigned)taken);
}

int main(void)
{
    hashos_thread* producers[PRODUCERS];
    hashos_thread* consumers[CONSUMERS];
    for (uint32_t i = 0; i < CONSUMERS; ++i) {
        if (hashos_thread_spawn(&consumers[i], consume, NULL, 0) != HASHOS_OK)
            return 4;
    }
    for (uint32_t i = 0; i < PRODUCERS; ++i) {
        if (hashos_thread_spawn(&producers[i], produce, NULL, 0) != HASHOS_OK)
            return 4;
    }
    for (uint32_t i = 0; i < PRODUCERS; ++i)
        hashos_thread_join(producers[i]);
    for (uint32_t i = 0; i < CONSUMERS; ++i)
        put(STOP);
    for (uint32_t i = 0; i < CONSUMERS; ++i)
        hashos_thread_join(consumers[i]);
    uint64_t expected = (uint64_t)PRODUCERS * ITEMS * (ITEMS + 1) / 2;
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "main thread %u: %u items, total %llu (expected %llu)", (unsigned)hashos_thread_self(),
        (unsigned)g_taken, (unsigned long long)g_total, (unsigned long long)expected);
    return g_total == expected && g_taken == PRODUCERS * ITEMS ? 0 : 1;
}
