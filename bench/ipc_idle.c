/* bench/ipc's idle process: waits in next_message for an event that never comes, as a handler
 * with nothing to do does. Many of them give the memory an idle process costs. */
#include "hashos/syscalls.h"

int main(void)
{
    hashos_event event;
    return hashos_next_message(0, 0, &event, sizeof(event), HASHOS_NEXT_BLOCK);
}
