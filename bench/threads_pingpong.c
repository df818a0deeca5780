/* The wait/notify round trip (bench/threads): two threads of one program pass a turn back and
 * forth ROUNDS times through one shared word, each sleeping in memory.atomic.wait32 until the
 * other's memory.atomic.notify; logs the time per round trip.
 *
 *     hashos run threads_pingpong.wasm -- [ROUNDS]       (default 100000)
 *     threads_pingpong: info: rounds 100000 time 123.456 ms per round trip 1234 ns */
#include "hashos/hashos.h"
#include "hashos/thread.h"

static uint32_t g_turn; /* 0: the main thread's turn, 1: the partner's */
static uint32_t g_rounds = 100000;

static void pass(uint32_t mine, uint32_t theirs)
{
    while (__atomic_load_n(&g_turn, __ATOMIC_SEQ_CST) != mine)
        hashos_atomic_wait32(&g_turn, theirs, -1);
    __atomic_store_n(&g_turn, theirs, __ATOMIC_SEQ_CST);
    hashos_atomic_notify(&g_turn, 1);
}

static void partner(void* unused)
{
    (void)unused;
    for (uint32_t i = 0; i < g_rounds; ++i)
        pass(1, 0);
}

int main(void)
{
    hashos_environment* environment;
    if (hashos_environment_get(&environment) != HASHOS_OK)
        return 2;
    if (environment->argument_count > 0) {
        g_rounds = 0;
        for (const char* digit = environment->arguments[0]; *digit >= '0' && *digit <= '9'; ++digit)
            g_rounds = g_rounds * 10 + (uint32_t)(*digit - '0');
    }
    hashos_environment_free(environment);
    hashos_thread* other;
    if (hashos_thread_spawn(&other, partner, NULL, 0) != HASHOS_OK)
        return 4;
    uint64_t started = 0, ended = 0;
    hashos_time_now_monotonic(&started);
    for (uint32_t i = 0; i < g_rounds; ++i)
        pass(0, 1);
    hashos_thread_join(other);
    hashos_time_now_monotonic(&ended);
    uint64_t nanoseconds = ended - started;
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "rounds %u time %llu.%03llu ms per round trip %llu ns", (unsigned)g_rounds,
        (unsigned long long)(nanoseconds / 1000000), (unsigned long long)(nanoseconds / 1000 % 1000),
        (unsigned long long)(g_rounds ? nanoseconds / g_rounds : 0));
    return 0;
}
