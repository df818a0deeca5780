// fake_clock: takes over the `time` interface with a clock that always reads 42 ns (monotonic)
// and 1700000000 s (wall), and whose sleeps end at once: a wasm program in the kernel's place.
#include "hashos/hashos.hpp"

int main()
{
    hashos::EventLoop loop;
    loop.handle(HASHOS_METHOD(hashos_time_Time, MonotonicNow),
        [](const hashos_time_MonotonicNowRequest&, hashos_time_MonotonicNowResponse& response) {
            response.nanoseconds = 42;
            response.resolution_nanoseconds = 1;
            return hashos::ok;
        });
    loop.handle(HASHOS_METHOD(hashos_time_Time, WallNow), [](const hashos_time_WallNowRequest&, hashos_time_WallNowResponse& response) {
        response.unix_nanoseconds = 1'700'000'000'000'000'000;
        response.resolution_nanoseconds = 1;
        return hashos::ok;
    });
    loop.handle(HASHOS_METHOD(hashos_time_Time, SleepFor), [](const hashos_time_SleepForRequest&, hashos_time_SleepResponse& response) {
        response.monotonic_nanoseconds = 42;
        return hashos::ok;
    });
    return loop.run();
}
