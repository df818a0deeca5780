/* Client of the `tcp` interface (interfaces/tcp.proto), waiting for each answer. Programs that
 * serve many connections at once send the same messages without waiting, from C++ coroutines:
 * `co_await hashos::call_into(HASHOS_METHOD(hashos_tcp_Tcp, Read), request, prepared)`
 * (programs/httpd). Hosts and ports as in tcp.proto; statuses as in hashos/message.h. */
#ifndef HASHOS_TCP_H
#define HASHOS_TCP_H

#include "hashos/message.h"

#include "tcp.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Listens on `host` (an IP literal) and `port` (0: any); the chosen port is written at
 * `local_port` (may be NULL). */
int32_t hashos_tcp_listen(const char* host, uint32_t port, uint64_t* listener, uint32_t* local_port);
int32_t hashos_tcp_accept(uint64_t listener, uint64_t* socket);
int32_t hashos_tcp_connect(const char* host, uint32_t port, uint64_t* socket);
/* Reads what is there, up to `size` bytes; `*count` 0 is the end of the stream. */
int32_t hashos_tcp_read(uint64_t socket, void* buffer, uint32_t size, uint32_t* count);
int32_t hashos_tcp_write(uint64_t socket, const void* data, size_t size);
int32_t hashos_tcp_close(uint64_t handle);

#ifdef __cplusplus
}
#endif

#endif
