// bench/ipc's driver: in one kernel with one worker, (1) message round trips between two wasm
// processes, the SDK's ping and pong (ping sends, pong answers, ping waits), (2) spawning a small
// program from the block store and running it to its exit, (3) the memory an idle process costs.
// bench/ipc runs it next to the pipe reference (ipc_pipe.c) and prints the ratio.
#include "store/block_store.h"
#include "store/cid.h"
#include "store/multihash.h"
#include "tests/sdk/native_handlers.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace hashos;
using namespace hashos::kernel;
using hashos::sdk_testing::read_file;
using hashos::sdk_testing::TestKernel;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<uint8_t> bench_program(const char* name) { return read_file(std::string(HASHOS_IPC_WASM_DIR) + "/" + name + ".wasm"); }

size_t resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * size_t(sysconf(_SC_PAGESIZE));
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "hashos-ipc-bench: %s\n", what.c_str());
    std::exit(1);
}

void round_trips(TestKernel& test)
{
    auto pong = test.kernel.spawn(read_file(std::string(HASHOS_PROGRAMS_DIR) + "/pong.wasm"), ProgramId("pong"), "pong");
    if (pong.is_error())
        fail("pong: " + pong.error().message());
    auto ping_program = bench_program("ipc_ping");
    std::clock_t cpu_start = std::clock();
    auto start = Clock::now();
    auto ping = test.kernel.spawn(ping_program, ProgramId("ping"), "ping");
    if (ping.is_error())
        fail("ping: " + ping.error().message());
    auto status = test.kernel.wait(ping.value());
    double seconds = seconds_since(start);
    double cpu_seconds = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    if (status.is_error() || status.value().kind != ExitStatus::Kind::Exited || status.value().code != 0)
        fail("ping did not complete its round trips");
    double count = IPC_BENCH_ROUND_TRIPS;
    std::printf("hashos round trip: %.0f ns (%.0f per second; %.0f ns of CPU; %d round trips, wasm ping and pong built with the SDK)\n",
        seconds / count * 1e9, count / seconds, cpu_seconds / count * 1e9, IPC_BENCH_ROUND_TRIPS);
    test.kernel.kill(pong.value(), "bench over");
    (void)test.kernel.wait(pong.value());
}

void spawn_from_store(TestKernel& test)
{
    auto directory = std::filesystem::temp_directory_path() / ("hashos-ipc-bench-" + std::to_string(getpid()));
    auto store = store::BlockStore::open(directory);
    if (store.is_error())
        fail("block store: " + store.error().message());
    // A program this small is one raw block: its CID names the bytes themselves.
    auto program = bench_program("ipc_exit");
    auto cid = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(program));
    if (store.value().put(cid, program).is_error())
        fail("cannot store the program");
    constexpr int runs = 2000;
    auto start = Clock::now();
    for (int i = 0; i < runs; ++i) {
        auto bytes = store.value().get(cid);
        if (bytes.is_error())
            fail("store: " + bytes.error().message());
        auto process = test.kernel.spawn(bytes.value(), ProgramId(cid.to_string()), "exit");
        if (process.is_error() || test.kernel.wait(process.value()).is_error())
            fail("cannot spawn the small program");
    }
    double seconds = seconds_since(start);
    std::filesystem::remove_all(directory);
    std::printf("spawn from the store to exit: %.1f us (%zu-byte program, %d runs)\n", seconds / runs * 1e6,
        program.size(), runs);
}

void idle_memory(TestKernel& test)
{
    constexpr size_t count = 1000;
    auto program = bench_program("ipc_idle");
    std::vector<ProcessId> processes;
    size_t before = resident_bytes();
    for (size_t i = 0; i < count; ++i) {
        auto process = test.kernel.spawn(program, ProgramId("idle"), "idle");
        if (process.is_error())
            fail("idle: " + process.error().message());
        processes.push_back(process.value());
    }
    // Let every one reach its blocking next_message.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    size_t after = resident_bytes();
    std::printf("idle process: %.1f KiB resident each, linear memory's touched pages included (%zu processes)\n",
        double(after - before) / count / 1024, count);
    for (auto process : processes)
        test.kernel.kill(process, "bench over");
    for (auto process : processes)
        (void)test.kernel.wait(process);
}

} // namespace

// With an argument, only that part (`round-trips`, `spawn`, `idle`): for profiling one of them,
// e.g. `valgrind --tool=callgrind hashos-ipc-bench round-trips`.
int main(int argc, char** argv)
{
    std::string only = argc > 1 ? argv[1] : "";
    if (!only.empty() && only != "round-trips" && only != "spawn" && only != "idle")
        fail("unknown part " + only + " (round-trips, spawn or idle)");
    // One worker: the two processes share one core, as the pinned pipe's do.
    TestKernel test(1);
    if (only.empty() || only == "round-trips")
        round_trips(test);
    if (only.empty() || only == "spawn")
        spawn_from_store(test);
    if (only.empty() || only == "idle")
        idle_memory(test);
    return 0;
}
