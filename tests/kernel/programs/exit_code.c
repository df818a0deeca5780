/* exit_code: returns 42 from _start, unless EXPLICIT_EXIT: then exit(7) from a nested call. */
#include "hashos/syscalls.h"

#ifdef EXPLICIT_EXIT
__attribute__((noinline)) static void leave(void) { hashos_exit(7); }
#endif

__attribute__((export_name("_start"))) int start(void)
{
#ifdef EXPLICIT_EXIT
    leave();
#endif
    return 42;
}
