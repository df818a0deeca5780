/* Client of the `udp` interface (interfaces/udp.proto), waiting for each answer. */
#ifndef HASHOS_UDP_H
#define HASHOS_UDP_H

#include "hashos/message.h"

#include "udp.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Binds to `host` (an IP literal) and `port` (0: any); the chosen port at `local_port` (may be NULL). */
int32_t hashos_udp_bind(const char* host, uint32_t port, uint64_t* socket, uint32_t* local_port);
int32_t hashos_udp_send_to(uint64_t socket, const char* host, uint32_t port, const void* data, size_t size);
/* Waits for a datagram: its first `size` bytes at `buffer`, their count at `count`, its source
 * at `host` (`host_capacity` bytes, at least 64 for any IP address) and `port`. */
int32_t hashos_udp_receive_from(uint64_t socket, void* buffer, uint32_t size, uint32_t* count, char* host,
    size_t host_capacity, uint32_t* port);
int32_t hashos_udp_close(uint64_t socket);

#ifdef __cplusplus
}
#endif

#endif
