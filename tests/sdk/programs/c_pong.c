/* c_pong: pong written with the C helper layer's hashos_serve, answering example.ping.Ping; any
 * other method number gets an UNIMPLEMENTED error answer. Serves until the kernel ends it. */
#include "hashos/hashos.h"

#include "ping.interface.h"

static void handle(const hashos_request* request, void* context)
{
    if (request->method != example_ping_Ping_METHOD_Ping) {
        hashos_answer_error(request, hashos_ErrorCode_ERROR_CODE_UNIMPLEMENTED, "unknown method %u", request->method);
        return;
    }
    example_ping_PingRequest ping = example_ping_PingRequest_init_zero;
    if (hashos_decode_request(request, example_ping_PingRequest_fields, &ping) != HASHOS_OK) {
        hashos_answer_error(request, hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, "not a PingRequest");
        return;
    }
    example_ping_PingResponse pong = { ping.sequence };
    hashos_answer(request, example_ping_PingResponse_fields, &pong);
}

int main(void)
{
    hashos_service service = { example_ping_Ping_hash, handle, NULL, NULL };
    return hashos_serve(&service, 1);
}
