/* Client of the `udp` interface (include/hashos/udp.h). */
#include "hashos/udp.h"

#include "hashos/pb_callbacks.h"
#include "hashos/runtime.h"

static void set_host(char* field, size_t capacity, const char* host)
{
    size_t length = strnlen(host, capacity - 1);
    memcpy(field, host, length);
    field[length] = '\0';
}

int32_t hashos_udp_bind(const char* host, uint32_t port, uint64_t* socket, uint32_t* local_port)
{
    hashos_udp_BindRequest request = hashos_udp_BindRequest_init_zero;
    request.has_address = true;
    set_host(request.address.host, sizeof(request.address.host), host);
    request.address.port = port;
    hashos_udp_BindResponse response = hashos_udp_BindResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_udp_Udp, Bind, &request, &response, 0);
    *socket = response.socket;
    if (local_port)
        *local_port = response.local.port;
    return status;
}

int32_t hashos_udp_send_to(uint64_t socket, const char* host, uint32_t port, const void* data, size_t size)
{
    hashos_udp_SendToRequest request = hashos_udp_SendToRequest_init_zero;
    request.socket = socket;
    request.has_destination = true;
    set_host(request.destination.host, sizeof(request.destination.host), host);
    request.destination.port = port;
    hashos_pb_bytes bytes = { (void*)data, size, size };
    request.data = hashos_pb_bytes_out(&bytes);
    return HASHOS_CALL(hashos_udp_Udp, SendTo, &request, NULL, 0);
}

int32_t hashos_udp_receive_from(uint64_t socket, void* buffer, uint32_t size, uint32_t* count, char* host,
    size_t host_capacity, uint32_t* port)
{
    hashos_udp_ReceiveFromRequest request = { socket, size };
    hashos_udp_ReceiveFromResponse response = hashos_udp_ReceiveFromResponse_init_zero;
    hashos_pb_bytes bytes = { buffer, 0, size };
    response.data = hashos_pb_bytes_in(&bytes);
    int32_t status = HASHOS_CALL(hashos_udp_Udp, ReceiveFrom, &request, &response, 0);
    *count = (uint32_t)bytes.size;
    if (host && host_capacity)
        set_host(host, host_capacity, response.source.host);
    if (port)
        *port = response.source.port;
    return status;
}

int32_t hashos_udp_close(uint64_t socket)
{
    hashos_udp_CloseRequest request = { socket };
    return HASHOS_CALL(hashos_udp_Udp, Close, &request, NULL, 0);
}
