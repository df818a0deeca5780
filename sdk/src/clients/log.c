/* Client of the `log` interface (include/hashos/log.h). */
#include "hashos/log.h"

#include "hashos/pb_callbacks.h"

int32_t hashos_log_write(hashos_log_Level level, const char* text)
{
    hashos_log_WriteRequest request = hashos_log_WriteRequest_init_zero;
    request.level = level;
    request.text = hashos_pb_string(text);
    return hashos_send(hashos_log_Log_hash, hashos_log_Log_METHOD_Write, hashos_log_Log_Write_Request_fields,
        &request, 0, NULL);
}

int32_t hashos_log_format(hashos_log_Level level, const char* format, ...)
{
    /* Most lines fit on the stack; a longer one is formatted again into a buffer its size. */
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = hashos_vformat(line, sizeof(line), format, arguments);
    va_end(arguments);
    if ((size_t)length < sizeof(line))
        return hashos_log_write(level, line);
    char* long_line = malloc((size_t)length + 1);
    if (!long_line)
        return HASHOS_E_NO_MEMORY;
    va_start(arguments, format);
    hashos_vformat(long_line, (size_t)length + 1, format, arguments);
    va_end(arguments);
    int32_t status = hashos_log_write(level, long_line);
    free(long_line);
    return status;
}
