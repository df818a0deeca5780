/* trap: logs a line, then traps (unreachable). */
#include "hashos/hashos.h"

int main(void)
{
    hashos_log_write(hashos_log_Level_LEVEL_INFO, "about to trap");
    __builtin_trap();
}
