/* random_user: asks `random` for 16 bytes. Exit codes: 0 it got them; 4 the kernel denied it
 * (PERMISSION_DENIED, the reason logged); 5 any other failure. */
#include "hashos/hashos.h"

int main(void)
{
    uint8_t bytes[16];
    int32_t status = hashos_random_fill(bytes, sizeof(bytes));
    if (status == hashos_ErrorCode_ERROR_CODE_PERMISSION_DENIED) {
        hashos_log_format(hashos_log_Level_LEVEL_WARNING, "random refused: %s", hashos_last_error()->message);
        return 4;
    }
    return status == HASHOS_OK ? 0 : 5;
}
