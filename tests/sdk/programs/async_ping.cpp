// async_ping: the C++ layer as a client. Four coroutines ping concurrently through one EventLoop,
// 25 times each, with a sleep between rounds; an unknown method of the ping interface must come
// back as UNIMPLEMENTED. Exit code 0 when all held, else which check failed.
#include "hashos/hashos.hpp"

#include "ping.interface.h"

namespace {

constexpr auto ping = HASHOS_METHOD(example_ping_Ping, Ping);
constexpr int tasks = 4;
constexpr int rounds = 25;
int finished = 0;
int failure = 0;

hashos::Task<> pinger(uint64_t first)
{
    for (uint64_t i = 0; i < rounds && !failure; ++i) {
        example_ping_PingRequest request = { first + i };
        auto answer = co_await hashos::call(ping, request, HASHOS_EMIT_WAIT_FOR_HANDLER);
        if (!answer.ok())
            failure = 1;
        else if (answer->sequence != first + i)
            failure = 2;
        if (!(co_await hashos::sleep_for(1000)).ok())
            failure = 3;
    }
    if (++finished == tasks) {
        // A method the handler does not know (number 2) is answered UNIMPLEMENTED.
        auto unknown = HASHOS_METHOD(example_ping_Ping, Ping);
        unknown.number = 2;
        auto answer = co_await hashos::call(unknown, example_ping_PingRequest {});
        if (answer.status != hashos_ErrorCode_ERROR_CODE_UNIMPLEMENTED)
            failure = 4;
        hashos::EventLoop::current().stop(failure);
    }
}

} // namespace

int main()
{
    hashos::EventLoop loop;
    for (int i = 0; i < tasks; ++i)
        loop.spawn(pinger(1000 * (i + 1)));
    return loop.run();
}
