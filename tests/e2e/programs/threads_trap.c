/* threads_trap: a child thread traps while the main thread waits to join it: the whole process
 * ends with the trap, which names the thread. */
#include "hashos/hashos.h"
#include "hashos/thread.h"

static void crash(void* unused)
{
    (void)unused;
    __builtin_trap();
}

int main(void)
{
    hashos_thread* child;
    if (hashos_thread_spawn(&child, crash, NULL, 0) != HASHOS_OK)
        return 4;
    hashos_thread_join(child);
    return 0; /* not reached: the trap ends the process */
}
