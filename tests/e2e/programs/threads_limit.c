/* threads_limit: starts threads that wait for a flag until Spawn is refused, logs the refusal,
 * then releases and joins them.
 * Exit codes: 0 refused with RESOURCE_EXHAUSTED; 1 refused otherwise; 2 never refused. */
#include "hashos/hashos.h"
#include "hashos/thread.h"

#define MOST 200u

static uint32_t g_go;

static void wait_for_go(void* unused)
{
    (void)unused;
    while (__atomic_load_n(&g_go, __ATOMIC_SEQ_CST) == 0)
        hashos_atomic_wait32(&g_go, 0, -1);
}

int main(void)
{
    static hashos_thread* started[MOST];
    uint32_t count = 0;
    int32_t status = HASHOS_OK;
    while (count < MOST && (status = hashos_thread_spawn(&started[count], wait_for_go, NULL, 4096)) == HASHOS_OK)
        ++count;
    if (status != HASHOS_OK)
        hashos_log_format(hashos_log_Level_LEVEL_INFO, "%u threads started, then: %s: %s", (unsigned)count, hashos_status_name(status),
            hashos_last_error()->message);
    __atomic_store_n(&g_go, 1, __ATOMIC_SEQ_CST);
    hashos_atomic_notify(&g_go, UINT32_MAX);
    for (uint32_t i = 0; i < count; ++i)
        hashos_thread_join(started[i]);
    if (status == HASHOS_OK)
        return 2;
    return status == hashos_ErrorCode_ERROR_CODE_RESOURCE_EXHAUSTED ? 0 : 1;
}
