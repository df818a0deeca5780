/* echo-udp: answers every UDP datagram with the same bytes, to whoever sent it, over the `udp`
 * interface.
 *
 *     hashos run --allow udp echo-udp.wasm -- --listen 127.0.0.1:7777 [--count N]
 *
 * Logs "listening on HOST:PORT" once bound (port 0 picks one), and stops after N datagrams when
 * --count is given. */
#include "hashos/hashos.h"

static bool parse_port(const char* text, uint32_t* port)
{
    uint32_t value = 0;
    if (!*text)
        return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9' || value > 65535)
            return false;
        value = value * 10 + (uint32_t)(*text - '0');
    }
    *port = value;
    return value <= 65535;
}

int main(void)
{
    char host[64] = "127.0.0.1";
    uint32_t port = 7777;
    uint64_t limit = 0; /* 0: forever */
    hashos_environment* environment = NULL;
    if (hashos_environment_get(&environment) == HASHOS_OK) {
        for (uint32_t i = 0; i + 1 < environment->argument_count; i += 2) {
            const char* name = environment->arguments[i];
            const char* value = environment->arguments[i + 1];
            if (strcmp(name, "--listen") == 0) {
                const char* colon = strchr(value, ':');
                if (!colon || (size_t)(colon - value) >= sizeof(host) || !parse_port(colon + 1, &port))
                    return 2;
                memcpy(host, value, (size_t)(colon - value));
                host[colon - value] = '\0';
            } else if (strcmp(name, "--count") == 0) {
                uint32_t count = 0;
                if (!parse_port(value, &count)) /* a small number: the same digits rule */
                    return 2;
                limit = count;
            } else {
                return 2;
            }
        }
        hashos_environment_free(environment);
    }
    uint64_t socket = 0;
    uint32_t bound = 0;
    int32_t status = hashos_udp_bind(host, port, &socket, &bound);
    if (status != HASHOS_OK) {
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "cannot bind %s:%u: %s", host, (unsigned)port,
            status > 0 ? hashos_last_error()->message : hashos_status_name(status));
        return 1;
    }
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "listening on %s:%u", host, (unsigned)bound);
    static uint8_t datagram[65536];
    for (uint64_t served = 0; limit == 0 || served < limit; ++served) {
        uint32_t size = 0, source_port = 0;
        char source[64];
        status = hashos_udp_receive_from(socket, datagram, sizeof(datagram), &size, source, sizeof(source), &source_port);
        if (status != HASHOS_OK)
            return 1;
        status = hashos_udp_send_to(socket, source, source_port, datagram, size);
        if (status != HASHOS_OK)
            hashos_log_format(hashos_log_Level_LEVEL_WARNING, "cannot answer %s:%u: %s", source, (unsigned)source_port,
                hashos_status_name(status));
    }
    hashos_udp_close(socket);
    return 0;
}
