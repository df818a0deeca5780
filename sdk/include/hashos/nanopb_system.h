/* What nanopb's pb.h includes when built with -DPB_SYSTEM_HEADER=<hashos/nanopb_system.h>: the
 * compiler's own freestanding headers, and the SDK's runtime in place of libc's <string.h>. */
#ifndef HASHOS_NANOPB_SYSTEM_H
#define HASHOS_NANOPB_SYSTEM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashos/runtime.h"

#endif
