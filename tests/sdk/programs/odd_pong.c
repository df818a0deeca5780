/* odd_pong: answers example.ping.Ping in the ways HASHOS_CALL's inline path does not take
 * (tests/sdk/programs/call_paths.c): sequence 2 gets an error answer, sequence 3 an answer too
 * big for the caller's stack buffer (the sequence, then an unknown field of 600 bytes that the
 * decoder skips); any other sequence is echoed. Serves until the kernel ends it. */
#include "hashos/hashos.h"

#include "ping.interface.h"

#define PADDING 600u

static void handle(const hashos_request* request, void* context)
{
    (void)context;
    example_ping_PingRequest ping = example_ping_PingRequest_init_zero;
    if (hashos_decode_request_codec(request, example_ping_Ping_Ping_Request_codec, &ping) != HASHOS_OK) {
        hashos_answer_error(request, hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, "not a PingRequest");
        return;
    }
    if (ping.sequence == 2) {
        hashos_answer_error(request, hashos_ErrorCode_ERROR_CODE_NOT_FOUND, "no ping %u", (unsigned)ping.sequence);
        return;
    }
    if (ping.sequence == 3) {
        static uint8_t body[2 + 3 + PADDING];
        body[0] = 0x08; /* sequence = 3 */
        body[1] = 3;
        body[2] = 0xa2; /* field 100, length-delimited */
        body[3] = 0x06;
        uint8_t* end = hashos_codec_put_varint(body + 4, PADDING);
        memset(end, 0x5a, PADDING);
        hashos_emit_answer(request->id, body, (uint32_t)(end + PADDING - body), 0);
        return;
    }
    example_ping_PingResponse pong = { ping.sequence };
    hashos_answer_codec(request, example_ping_Ping_Ping_Response_codec, &pong);
}

int main(void)
{
    hashos_service service = { example_ping_Ping_hash, handle, NULL, NULL };
    return hashos_serve(&service, 1);
}
