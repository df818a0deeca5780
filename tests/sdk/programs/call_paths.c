/* call_paths: HASHOS_CALL against odd_pong, through each path of its inline form: an answer that
 * fits the stack buffer, an error answer (status and hashos_last_error), an answer too big for
 * the buffer (received again into the thread's inbox). Exit code 0 when all hold, else the line
 * of the first check that failed. */
#include "hashos/hashos.h"

#include "ping.interface.h"

#define CHECK(condition)             \
    do {                             \
        if (!(condition))            \
            return __LINE__;         \
    } while (0)

static int32_t ping(uint64_t sequence, uint64_t* answered)
{
    example_ping_PingRequest request = { sequence };
    example_ping_PingResponse response = example_ping_PingResponse_init_zero;
    int32_t status = HASHOS_CALL(example_ping_Ping, Ping, &request, &response, HASHOS_EMIT_WAIT_FOR_HANDLER);
    *answered = response.sequence;
    return status;
}

int main(void)
{
    uint64_t answered = 0;
    CHECK(ping(1, &answered) == HASHOS_OK && answered == 1);
    CHECK(ping(2, &answered) == hashos_ErrorCode_ERROR_CODE_NOT_FOUND);
    CHECK(hashos_last_error()->code == hashos_ErrorCode_ERROR_CODE_NOT_FOUND);
    CHECK(strcmp(hashos_last_error()->message, "no ping 2") == 0);
    CHECK(ping(3, &answered) == HASHOS_OK && answered == 3);
    /* 300 takes two bytes as a varint, 20000 three, 3000000 four (the decoder's loop). */
    CHECK(ping(300, &answered) == HASHOS_OK && answered == 300);
    CHECK(ping(20000, &answered) == HASHOS_OK && answered == 20000);
    CHECK(ping(3000000, &answered) == HASHOS_OK && answered == 3000000);
    CHECK(ping(1, &answered) == HASHOS_OK && answered == 1);
    return 0;
}
