/* sink: handles the ping interface and never takes a message, so its queue fills up. */
#include "common.h"

__attribute__((export_name("_start"))) int start(void)
{
    if (register_interface(k_ping_interface) != 0)
        return 1;
    for (volatile int i = 0;; ++i) {
    }
}
