// A first IPC figure: round trips per second between two wasm processes (ping sends, pong
// answers, ping waits), measured over ping_bench.wasm's 200,000 round trips; then the memory an
// idle process costs (a program blocked in next_message), over 1,000 of them. Build it Release.
// bench/ipc (issue 3) will grow out of this, with the pinned-pipe reference next to it.
#include "kernel/kernel.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <unistd.h>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

using namespace hashos::kernel;

static size_t resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * size_t(sysconf(_SC_PAGESIZE));
}

static std::vector<uint8_t> load(const std::string& name)
{
    std::ifstream stream(std::string(HASHOS_KERNEL_TEST_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
    return { std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>() };
}

int main(int argc, char** argv)
{
    InterfaceHash::Bytes interface_bytes;
    interface_bytes.fill(0x11);
    KernelConfig config;
    config.interface_interface = InterfaceHash(interface_bytes);
    config.scheduler.workers = argc > 1 ? std::stoul(argv[1]) : 0;
    Kernel kernel(config);
    InterfaceHash::Bytes ping_bytes;
    ping_bytes.fill(0x22);
    kernel.permissions().set_default(InterfaceHash(ping_bytes), Decision::Allow);
    constexpr double round_trips = 200'000;

    auto pong = kernel.spawn(load("pong"), ProgramId("pong"), "pong");
    if (pong.is_error()) {
        std::fprintf(stderr, "%s\n", pong.error().message().c_str());
        return 1;
    }
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu_start = std::clock();
    auto ping = kernel.spawn(load("ping_bench"), ProgramId("ping"), "ping");
    auto status = kernel.wait(ping.value());
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // On a shared machine the wall time includes time spent descheduled; with one worker the
    // process's CPU time is the cost itself (with more, it includes idle workers' spinning).
    double cpu_seconds = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    if (status.is_error() || status.value().code != 0) {
        std::fprintf(stderr, "ping failed: exit code %d %s\n", status.is_error() ? -1 : status.value().code,
            status.is_error() ? "" : status.value().message.c_str());
        return 1;
    }
    std::printf("workers: %zu\nround trips: %.0f in %.3f s\nround trip: %.0f ns wall, %.0f ns CPU (%.0f per second)\n",
        kernel.worker_count(), round_trips, seconds, seconds / round_trips * 1e9, cpu_seconds / round_trips * 1e9,
        round_trips / seconds);

    // Idle processes: each waits for a handler of the ping interface, which nobody handles now.
    kernel.kill(pong.value(), "round trips done");
    (void)kernel.wait(pong.value());
    kernel.permissions().set_fallback(Decision::Allow);
    auto idle = load("unhandled");
    constexpr size_t idle_count = 1000;
    size_t before = resident_bytes();
    for (size_t i = 0; i < idle_count; ++i) {
        if (kernel.spawn(idle, ProgramId("idle"), "idle").is_error())
            return 1;
    }
    // Let them all reach their blocking next_message.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    size_t after = resident_bytes();
    std::printf("idle process: %.1f KiB resident each (linear memory included), %zu processes alive\n",
        double(after - before) / idle_count / 1024, kernel.process_count());
    kernel.shutdown();
    return 0;
}
