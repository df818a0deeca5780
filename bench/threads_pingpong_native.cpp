// The native reference of bench/threads_pingpong.c: the same turn-passing between two OS threads
// with C++20 std::atomic wait/notify (a futex on Linux). Prints nanoseconds per round trip.
//     threads-pingpong-native [ROUNDS]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

std::atomic<uint32_t> g_turn { 0 };

void pass(uint32_t mine, uint32_t theirs)
{
    for (uint32_t seen; (seen = g_turn.load()) != mine;)
        g_turn.wait(seen);
    g_turn.store(theirs);
    g_turn.notify_one();
}

} // namespace

int main(int argc, char** argv)
{
    uint32_t rounds = argc > 1 ? uint32_t(std::strtoul(argv[1], nullptr, 10)) : 100000;
    auto started = std::chrono::steady_clock::now();
    std::thread partner([rounds] {
        for (uint32_t i = 0; i < rounds; ++i)
            pass(1, 0);
    });
    for (uint32_t i = 0; i < rounds; ++i)
        pass(0, 1);
    partner.join();
    auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
    std::printf("rounds %u per round trip %lld ns\n", rounds, static_cast<long long>(rounds ? nanoseconds / rounds : 0));
    return 0;
}
