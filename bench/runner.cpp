// hashos-bench: runs one benchmark workload with the engine, the way bench/engine needs it.
//
//   hashos-bench FILE.wasm [--fuel on|off]
//       calls the export `run` and prints "CHECKSUM CPU_SECONDS WALL_SECONDS", timing only that
//       call (not decode, validation or compilation), like the Node runner does. Fuel on (the
//       default) runs the call in slices of k_slice_fuel, resumed until it finishes, as the
//       kernel's scheduler does; fuel off instantiates with FuelMetering::Off, so the compiled
//       code contains no fuel accounting at all.
//   hashos-bench --dump FILE.wasm [--fuel on|off]
//       prints the compiled code of every function of the module (engine/interpreter_dump.h),
//       for tuning the compiler's peepholes; runs nothing.
//   hashos-bench --startup FILE.wasm [COUNT]
//       decodes, validates, instantiates and runs `run` COUNT times (default 2000), each in a new
//       Store with host functions for its imports, and prints the mean CPU microseconds per spawn
//       (functions compile on their first call, so only those `run` reaches are compiled).
//
// CPU time is what bench/engine compares: the machine is shared, and wall time there measures
// the neighbours as much as the engine.
#include "engine/instance.h"
#include "engine/interpreter_dump.h"
#include "engine/thread.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using namespace hashos;
using namespace hashos::wasm;

// About a scheduler slice: tens of milliseconds of wasm.
constexpr uint64_t k_slice_fuel = 10'000'000;

double cpu_seconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

double wall_seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool read_file(const char* path, std::vector<uint8_t>& bytes)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return false;
    bytes.assign(std::istreambuf_iterator<char>(file), {});
    return true;
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "hashos-bench: %s\n", message.c_str());
    return 1;
}

// Host functions for a module's function imports, as the kernel makes one for each syscall a
// program imports; these only return zeros (bench/startup.c never calls them).
Result<std::vector<Extern>> stub_imports(Store& store, const Module& module)
{
    std::vector<Extern> imports;
    imports.reserve(module.imports.size());
    for (const Import& import : module.imports) {
        if (import.kind != ExternKind::Function)
            return Error("import " + import.module + "." + import.name + ": only functions can be provided");
        imports.push_back(Extern::from(store.create_host_function(module.types[import.type_index], [](HostCall&) {
            return HostOutcome::Return;
        })));
    }
    return imports;
}

Result<ValidModule> decode_and_validate(std::span<const uint8_t> bytes)
{
    auto module = TRY(decode(bytes));
    return validate(std::move(module));
}

// Everything from bytes to a finished call of `run`; returns its i32 result.
Result<int32_t> spawn_and_run(std::span<const uint8_t> bytes, FuelMetering metering)
{
    auto valid = TRY(decode_and_validate(bytes));
    Store store;
    store.set_fuel_metering(metering);
    std::vector<Extern> imports = TRY(stub_imports(store, valid.module()));
    Instance* instance = TRY(store.instantiate(valid, imports));
    auto run = instance->find_export("run");
    if (!run || run->kind != ExternKind::Function)
        return Error("no exported function `run`");
    Thread thread(store);
    if (thread.call(run->function, {}) != RunState::Finished)
        return Error("run: " + thread.trap_message());
    return thread.results()[0].i32();
}

int measure_startup(std::span<const uint8_t> bytes, int count)
{
    if (auto first = spawn_and_run(bytes, FuelMetering::On); first.is_error())
        return fail(first.error().message());
    double start = cpu_seconds();
    for (int i = 0; i < count; ++i) {
        if (auto result = spawn_and_run(bytes, FuelMetering::On); result.is_error())
            return fail(result.error().message());
    }
    std::printf("%.1f\n", (cpu_seconds() - start) / count * 1e6);
    return 0;
}

int dump(std::span<const uint8_t> bytes, FuelMetering metering)
{
    auto valid = decode_and_validate(bytes);
    if (valid.is_error())
        return fail(valid.error().message());
    Store store;
    store.set_fuel_metering(metering);
    auto instance = store.instantiate(valid.value(), {});
    if (instance.is_error())
        return fail(instance.error().message());
    const Module& decoded = valid.value().module();
    uint32_t count = uint32_t(decoded.imported_functions + decoded.code.size());
    for (uint32_t index = decoded.imported_functions; index < count; ++index) {
        std::printf("func %u\n%s\n", index, disassemble(*instance.value()->function(index)).c_str());
    }
    return 0;
}

int measure_run(std::span<const uint8_t> bytes, FuelMetering metering)
{
    auto valid = decode_and_validate(bytes);
    if (valid.is_error())
        return fail(valid.error().message());
    Store store;
    store.set_fuel_metering(metering);
    auto instance = store.instantiate(valid.value(), {});
    if (instance.is_error())
        return fail(instance.error().message());
    auto run = instance.value()->find_export("run");
    if (!run || run->kind != ExternKind::Function)
        return fail("no exported function `run`");
    // Only the run is timed, as for Node: compile now what would compile on first call.
    if (auto compiled = instance.value()->compile_all(); compiled.is_error())
        return fail(compiled.error().message());

    Thread thread(store);
    double cpu_start = cpu_seconds();
    double wall_start = wall_seconds();
    if (auto started = thread.start(run->function, {}); started.is_error())
        return fail(started.error().message());
    RunState state = thread.run(k_slice_fuel);
    while (state == RunState::OutOfFuel)
        state = thread.run(k_slice_fuel);
    double cpu = cpu_seconds() - cpu_start;
    double wall = wall_seconds() - wall_start;
    if (state != RunState::Finished)
        return fail("run: " + (state == RunState::Trapped ? thread.trap_message() : std::string("did not finish")));
    std::printf("%d %.4f %.4f\n", thread.results()[0].i32(), cpu, wall);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    bool startup = !args.empty() && args[0] == "--startup";
    bool dumping = !args.empty() && args[0] == "--dump";
    if (startup || dumping)
        args.erase(args.begin());
    if (args.empty())
        return fail("usage: hashos-bench FILE.wasm [--fuel on|off] | hashos-bench --startup FILE.wasm [COUNT]");
    std::vector<uint8_t> bytes;
    if (!read_file(args[0].c_str(), bytes))
        return fail("cannot read " + args[0]);
    if (startup)
        return measure_startup(bytes, args.size() > 1 ? std::stoi(args[1]) : 2000);
    FuelMetering metering = FuelMetering::On;
    if (args.size() == 3 && args[1] == "--fuel" && (args[2] == "on" || args[2] == "off"))
        metering = args[2] == "on" ? FuelMetering::On : FuelMetering::Off;
    else if (args.size() != 1)
        return fail("unknown arguments");
    return dumping ? dump(bytes, metering) : measure_run(bytes, metering);
}
