/* atomic-sum: N threads sum a shared array with atomics (docs/threads.md).
 *
 *     hashos run atomic-sum.wasm -- [THREADS [ELEMENTS [ROUNDS]]]     (default 4, 1048576, 1)
 *
 * The main thread fills the array with element i = i % 1000 + 1, then starts THREADS threads and
 * times them: each claims blocks of the array from a shared cursor (atomic fetch-add) and adds
 * each block's sum to a shared 64-bit total (atomic fetch-add), ROUNDS times over, and the main
 * thread joins them. It logs the total, which it also checks against the closed form, and the
 * time:
 *
 *     atomic-sum: info: sum 500500000 threads 4 elements 1048576 rounds 1 time 12.345 ms
 *
 * Exit codes: 0 the sum is right; 1 it is wrong; 2 bad arguments; 3 out of memory; 4 a thread
 * could not start (the error is logged). */
#include "hashos/hashos.h"
#include "hashos/thread.h"

#define BLOCK 4096u
#define MAX_THREADS 64u

static uint32_t* g_array;
static uint32_t g_elements;
static uint32_t g_rounds;
static uint32_t g_cursor;  /* next block to claim, over all rounds */
static uint64_t g_total;

static void sum_blocks(void* unused)
{
    (void)unused;
    uint32_t blocks_per_round = (g_elements + BLOCK - 1) / BLOCK;
    uint32_t blocks = blocks_per_round * g_rounds;
    for (;;) {
        uint32_t block = __atomic_fetch_add(&g_cursor, 1, __ATOMIC_SEQ_CST);
        if (block >= blocks)
            return;
        uint32_t begin = (block % blocks_per_round) * BLOCK;
        uint32_t end = begin + BLOCK < g_elements ? begin + BLOCK : g_elements;
        uint64_t sum = 0;
        for (uint32_t i = begin; i < end; ++i)
            sum += g_array[i];
        __atomic_fetch_add(&g_total, sum, __ATOMIC_SEQ_CST);
    }
}

static int parse(const char* text, uint32_t* value)
{
    uint64_t result = 0;
    if (!*text)
        return 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9')
            return 0;
        result = result * 10 + (uint64_t)(*text - '0');
        if (result > 0xFFFFFFFFu)
            return 0;
    }
    *value = (uint32_t)result;
    return 1;
}

/* The sum of i % 1000 + 1 for i < elements. */
static uint64_t expected_sum(uint32_t elements)
{
    uint64_t whole = elements / 1000, rest = elements % 1000;
    return whole * 500500u + rest * (rest + 1) / 2;
}

int main(void)
{
    uint32_t threads = 4;
    g_elements = 1u << 20;
    g_rounds = 1;
    hashos_environment* environment;
    if (hashos_environment_get(&environment) != HASHOS_OK)
        return 2;
    const char* const* arguments = environment->arguments;
    uint32_t count = environment->argument_count;
    if ((count > 0 && !parse(arguments[0], &threads)) || (count > 1 && !parse(arguments[1], &g_elements))
        || (count > 2 && !parse(arguments[2], &g_rounds)) || count > 3 || threads < 1 || threads > MAX_THREADS
        || g_rounds < 1 || g_elements < 1 || g_elements > (1u << 28)) {
        hashos_log_write(hashos_log_Level_LEVEL_ERROR, "usage: atomic-sum [THREADS (1-64) [ELEMENTS (1-268435456) [ROUNDS]]]");
        hashos_environment_free(environment);
        return 2;
    }
    hashos_environment_free(environment);

    g_array = malloc((size_t)g_elements * sizeof(uint32_t));
    if (!g_array)
        return 3;
    for (uint32_t i = 0; i < g_elements; ++i)
        g_array[i] = i % 1000 + 1;

    uint64_t started = 0, ended = 0;
    hashos_time_now_monotonic(&started);
    hashos_thread* running[MAX_THREADS];
    for (uint32_t i = 0; i < threads; ++i) {
        int32_t status = hashos_thread_spawn(&running[i], sum_blocks, NULL, 0);
        if (status != HASHOS_OK) {
            hashos_log_format(hashos_log_Level_LEVEL_ERROR, "thread %u of %u did not start: %s: %s", (unsigned)i + 1,
                (unsigned)threads, hashos_status_name(status), hashos_last_error()->message);
            return 4;
        }
    }
    for (uint32_t i = 0; i < threads; ++i)
        hashos_thread_join(running[i]);
    hashos_time_now_monotonic(&ended);

    uint64_t total = __atomic_load_n(&g_total, __ATOMIC_SEQ_CST);
    uint64_t expected = expected_sum(g_elements) * g_rounds;
    uint64_t nanoseconds = ended - started;
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "sum %llu threads %u elements %u rounds %u time %llu.%03llu ms",
        (unsigned long long)total, (unsigned)threads, (unsigned)g_elements, (unsigned)g_rounds,
        (unsigned long long)(nanoseconds / 1000000), (unsigned long long)(nanoseconds / 1000 % 1000));
    if (total != expected) {
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "wrong sum: expected %llu", (unsigned long long)expected);
        return 1;
    }
    return 0;
}
