/* Client of the `tcp` interface (include/hashos/tcp.h). */
#include "hashos/tcp.h"

#include "hashos/pb_callbacks.h"
#include "hashos/runtime.h"

static void set_host(char* field, size_t capacity, const char* host)
{
    size_t length = strnlen(host, capacity - 1);
    memcpy(field, host, length);
    field[length] = '\0';
}

int32_t hashos_tcp_listen(const char* host, uint32_t port, uint64_t* listener, uint32_t* local_port)
{
    hashos_tcp_ListenRequest request = hashos_tcp_ListenRequest_init_zero;
    request.has_address = true;
    set_host(request.address.host, sizeof(request.address.host), host);
    request.address.port = port;
    hashos_tcp_ListenResponse response = hashos_tcp_ListenResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_tcp_Tcp, Listen, &request, &response, 0);
    *listener = response.listener;
    if (local_port)
        *local_port = response.local.port;
    return status;
}

int32_t hashos_tcp_accept(uint64_t listener, uint64_t* socket)
{
    hashos_tcp_AcceptRequest request = { listener };
    hashos_tcp_AcceptResponse response = hashos_tcp_AcceptResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_tcp_Tcp, Accept, &request, &response, 0);
    *socket = response.socket;
    return status;
}

int32_t hashos_tcp_connect(const char* host, uint32_t port, uint64_t* socket)
{
    hashos_tcp_ConnectRequest request = hashos_tcp_ConnectRequest_init_zero;
    request.has_address = true;
    set_host(request.address.host, sizeof(request.address.host), host);
    request.address.port = port;
    hashos_tcp_ConnectResponse response = hashos_tcp_ConnectResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_tcp_Tcp, Connect, &request, &response, 0);
    *socket = response.socket;
    return status;
}

int32_t hashos_tcp_read(uint64_t socket, void* buffer, uint32_t size, uint32_t* count)
{
    hashos_tcp_ReadRequest request = { socket, size };
    hashos_tcp_ReadResponse response = hashos_tcp_ReadResponse_init_zero;
    hashos_pb_bytes bytes = { buffer, 0, size };
    response.data = hashos_pb_bytes_in(&bytes);
    int32_t status = HASHOS_CALL(hashos_tcp_Tcp, Read, &request, &response, 0);
    *count = (uint32_t)bytes.size;
    return status;
}

int32_t hashos_tcp_write(uint64_t socket, const void* data, size_t size)
{
    hashos_tcp_WriteRequest request = hashos_tcp_WriteRequest_init_zero;
    request.socket = socket;
    hashos_pb_bytes bytes = { (void*)data, size, size };
    request.data = hashos_pb_bytes_out(&bytes);
    return HASHOS_CALL(hashos_tcp_Tcp, Write, &request, NULL, 0);
}

int32_t hashos_tcp_close(uint64_t handle)
{
    hashos_tcp_CloseRequest request = { handle };
    return HASHOS_CALL(hashos_tcp_Tcp, Close, &request, NULL, 0);
}
