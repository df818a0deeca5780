/* lister: lists the running processes through `process`, which is not allowed by default.
 * Exit codes: 0 it could, and it saw itself; 4 the kernel denied it; 5 any other failure. */
#include "hashos/hashos.h"

int main(void)
{
    hashos_process_ProcessInfo processes[4];
    uint32_t count = 0;
    int32_t status = hashos_process_list(processes, 4, &count);
    if (status == hashos_ErrorCode_ERROR_CODE_PERMISSION_DENIED)
        return 4;
    if (status != HASHOS_OK || count < 1)
        return 5;
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "%u process(es) running", (unsigned)count);
    return 0;
}
