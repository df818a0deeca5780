// pong: handles the example interface example.ping.Ping (programs/ping/ping.proto), answering each
// ping with its sequence number, until the kernel ends it. The C++ layer of the SDK in a few lines.
#include "hashos/hashos.hpp"

#include "ping.interface.h"

int main()
{
    hashos::EventLoop loop;
    loop.handle(HASHOS_METHOD(example_ping_Ping, Ping),
        [](const example_ping_PingRequest& request, example_ping_PingResponse& response) {
            response.sequence = request.sequence;
            return hashos::ok;
        });
    return loop.run();
}
