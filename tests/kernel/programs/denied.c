/* denied: uses an interface the user denies it. Exit code 0 when both the error answer and the
 * syscall error say "denied"; otherwise the number of the failed check. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    if (call(k_denied_interface, "x", 1, 0) < 0)
        return 1;
    if (error_code() != 7) /* PERMISSION_DENIED */
        return 2;
    if (hashos_emit_message(k_denied_interface, "x", 1, 0, 0) != HASHOS_E_DENIED)
        return 3;
    return 0;
}
