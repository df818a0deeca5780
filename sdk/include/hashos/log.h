/* Client of the `log` interface (interfaces/log.proto): lines for the program's user. */
#ifndef HASHOS_LOG_H
#define HASHOS_LOG_H

#include "hashos/message.h"

#include "log.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes one line at `level` (hashos_log_Level_LEVEL_INFO, …). Sent without waiting for an answer:
 * the status is the syscall's (HASHOS_E_NO_HANDLER when nothing handles `log`). */
int32_t hashos_log_write(hashos_log_Level level, const char* text);

/* hashos_log_write of a line formatted as by hashos_format. */
int32_t hashos_log_format(hashos_log_Level level, const char* format, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif
