// coro_pong: pong with a coroutine handler, which sleeps (through `time`) before it answers, so
// that several pings are in flight in one EventLoop at once. Serves until the kernel ends it.
#include "hashos/hashos.hpp"

#include "ping.interface.h"

using Ping = hashos::Method<example_ping_PingRequest, example_ping_PingResponse>;

int main()
{
    hashos::EventLoop loop;
    loop.handle(HASHOS_METHOD(example_ping_Ping, Ping), [](hashos::Request<Ping> request) -> hashos::Task<> {
        if (!(co_await hashos::sleep_for(1000)).ok()) {
            request.fail(hashos_ErrorCode_ERROR_CODE_INTERNAL, "the clock failed");
            co_return;
        }
        request.answer({ .sequence = request->sequence });
    });
    return loop.run();
}
