// Arguments, environment, clocks, randomness, signals, yielding, sockets
// (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md).
//   args_*, environ_*   the `environment` interface, fetched once per process
//   clock_*             the `time` interface (MonotonicNow, WallNow)
//   random_get          the `random` interface, in pieces of 65536 bytes
#include "wasi/functions.h"

#include "random.interface.h"
#include "time.interface.h"

#include <pb_decode.h>

#include <array>
#include <cstring>

namespace hashos::wasi {

namespace {

const kernel::InterfaceHash k_time(kernel::InterfaceHash::Bytes(hashos_time_Time_HASH_BYTES));
const kernel::InterfaceHash k_random(kernel::InterfaceHash::Bytes(hashos_random_Random_HASH_BYTES));

// args_get and environ_get share a layout: an array of pointers to NUL-terminated strings, and
// the buffer holding the strings one after the other.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#args_get
WasiProcess::Outcome write_strings(WasiProcess& wasi, const std::vector<std::string>& strings, uint32_t pointers, uint32_t buffer)
{
    size_t total = 0;
    for (auto const& text : strings)
        total += text.size() + 1;
    auto memory = wasi.memory();
    auto pointer_span = memory.span(pointers, uint32_t(strings.size() * 4));
    auto buffer_span = memory.span(buffer, uint32_t(total));
    if (!pointer_span || !buffer_span)
        return result(Errno::Fault);
    uint32_t offset = 0;
    for (size_t i = 0; i < strings.size(); ++i) {
        pointer_span->write<uint32_t>(uint32_t(i * 4), buffer + offset);
        buffer_span->copy_out(offset, { reinterpret_cast<const uint8_t*>(strings[i].c_str()), strings[i].size() + 1 });
        offset += uint32_t(strings[i].size() + 1);
    }
    return result(Errno::Success);
}

WasiProcess::Outcome write_sizes(WasiProcess& wasi, const std::vector<std::string>& strings, uint32_t count_pointer, uint32_t size_pointer)
{
    size_t total = 0;
    for (auto const& text : strings)
        total += text.size() + 1;
    auto memory = wasi.memory();
    auto count = memory.span(count_pointer, 4);
    auto size = memory.span(size_pointer, 4);
    if (!count || !size)
        return result(Errno::Fault);
    count->write<uint32_t>(0, uint32_t(strings.size()));
    size->write<uint32_t>(0, uint32_t(total));
    return result(Errno::Success);
}

WasiProcess::Outcome args_get(WasiProcess& wasi, Arguments args)
{
    return wasi.with_startup([&wasi, pointers = u32(args, 0), buffer = u32(args, 1)](const Startup& startup) {
        return write_strings(wasi, startup.arguments, pointers, buffer);
    });
}

WasiProcess::Outcome args_sizes_get(WasiProcess& wasi, Arguments args)
{
    return wasi.with_startup([&wasi, count = u32(args, 0), size = u32(args, 1)](const Startup& startup) {
        return write_sizes(wasi, startup.arguments, count, size);
    });
}

WasiProcess::Outcome environ_get(WasiProcess& wasi, Arguments args)
{
    return wasi.with_startup([&wasi, pointers = u32(args, 0), buffer = u32(args, 1)](const Startup& startup) {
        return write_strings(wasi, startup.variables, pointers, buffer);
    });
}

WasiProcess::Outcome environ_sizes_get(WasiProcess& wasi, Arguments args)
{
    return wasi.with_startup([&wasi, count = u32(args, 0), size = u32(args, 1)](const Startup& startup) {
        return write_sizes(wasi, startup.variables, count, size);
    });
}

// Reads a clock through `time`; `then` gets (nanoseconds, resolution).
WasiProcess::Outcome read_clock(WasiProcess& wasi, uint32_t clock, std::function<WasiProcess::Outcome(uint64_t, uint64_t)> then)
{
    // https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#clockid: realtime and
    // monotonic. Not from the spec: the CPU-time clocks have no interface (a process's CPU time
    // is the kernel's), so they are EINVAL, as clock_gettime gives for a clock it lacks.
    if (clock == k_clock_monotonic) {
        hashos_time_MonotonicNowRequest request = hashos_time_MonotonicNowRequest_init_zero;
        return wasi.call(k_time, hashos_time_Time_METHOD_MonotonicNow, hashos_time_MonotonicNowRequest_fields, &request,
            [then = std::move(then)](Reply&& reply) -> WasiProcess::Outcome {
                hashos_time_MonotonicNowResponse response = hashos_time_MonotonicNowResponse_init_zero;
                if (!reply.ok)
                    return result(errno_of(reply));
                if (!reply.decode(hashos_time_MonotonicNowResponse_fields, &response))
                    return result(Errno::Io);
                return then(response.nanoseconds, response.resolution_nanoseconds);
            });
    }
    if (clock == k_clock_realtime) {
        hashos_time_WallNowRequest request = hashos_time_WallNowRequest_init_zero;
        return wasi.call(k_time, hashos_time_Time_METHOD_WallNow, hashos_time_WallNowRequest_fields, &request,
            [then = std::move(then)](Reply&& reply) -> WasiProcess::Outcome {
                hashos_time_WallNowResponse response = hashos_time_WallNowResponse_init_zero;
                if (!reply.ok)
                    return result(errno_of(reply));
                if (!reply.decode(hashos_time_WallNowResponse_fields, &response))
                    return result(Errno::Io);
                // WASI's timestamp is unsigned: a host clock set before 1970 reads as 0.
                return then(response.unix_nanoseconds < 0 ? 0 : uint64_t(response.unix_nanoseconds), response.resolution_nanoseconds);
            });
    }
    return result(Errno::Invalid);
}

WasiProcess::Outcome clock_res_get(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 1), 8);
    if (!out)
        return result(Errno::Fault);
    return read_clock(wasi, u32(args, 0), [out](uint64_t, uint64_t resolution) {
        out->write<uint64_t>(0, resolution == 0 ? 1 : resolution);
        return WasiProcess::Outcome(result(Errno::Success));
    });
}

WasiProcess::Outcome clock_time_get(WasiProcess& wasi, Arguments args)
{
    // args[1] is the precision the caller can accept; every reading here is as precise as the host's.
    auto out = wasi.memory().span(u32(args, 2), 8);
    if (!out)
        return result(Errno::Fault);
    return read_clock(wasi, u32(args, 0), [out](uint64_t now, uint64_t) {
        out->write<uint64_t>(0, now);
        return WasiProcess::Outcome(result(Errno::Success));
    });
}

// Fills [pointer, pointer + size) from `random`, 65536 bytes (random.proto's limit) at a time.
WasiProcess::Outcome fill_random(WasiProcess& wasi, kernel::GuestSpan out, uint32_t offset)
{
    if (offset == out.size())
        return result(Errno::Success);
    hashos_random_FillRequest request = hashos_random_FillRequest_init_zero;
    request.size = std::min<uint32_t>(out.size() - offset, 65536);
    return wasi.call(k_random, hashos_random_Random_METHOD_Fill, hashos_random_FillRequest_fields, &request,
        [&wasi, out, offset, size = request.size](Reply&& reply) -> WasiProcess::Outcome {
            if (!reply.ok)
                return result(errno_of(reply));
            struct Target {
                kernel::GuestSpan out;
                uint32_t offset;
                uint32_t size;
                bool filled;
            } target { out, offset, size, false };
            hashos_random_FillResponse response = hashos_random_FillResponse_init_zero;
            response.data.funcs.decode = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
                auto& target = *static_cast<Target*>(*argument);
                if (stream->bytes_left != target.size)
                    return false;
                std::vector<uint8_t> bytes(target.size);
                if (!pb_read(stream, bytes.data(), bytes.size()))
                    return false;
                target.out.copy_out(target.offset, bytes);
                target.filled = true;
                return true;
            };
            response.data.arg = &target;
            if (!reply.decode(hashos_random_FillResponse_fields, &response) || !target.filled)
                return result(Errno::Io);
            return fill_random(wasi, out, offset + size);
        });
}

WasiProcess::Outcome random_get(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 0), u32(args, 1));
    if (!out)
        return result(Errno::Fault);
    return fill_random(wasi, *out, 0);
}

// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sched_yield. Not from
// the spec: a host function cannot give up its slice, so this returns at once; the scheduler's
// fuel slices keep other programs running anyway.
WasiProcess::Outcome sched_yield(WasiProcess&, Arguments) { return result(Errno::Success); }

// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#proc_raise: hashos has
// no signals; wasi-libc's raise() reports ENOSYS to its caller.
WasiProcess::Outcome proc_raise(WasiProcess&, Arguments) { return result(Errno::NoSys); }

// Sockets: preview1 only uses sockets a runtime preopens, and hashos preopens none (tcp and udp
// have their own interfaces), so no descriptor is a socket: EBADF for an unknown one, ENOTSOCK
// for any other.
WasiProcess::Outcome not_a_socket(WasiProcess& wasi, Arguments args)
{
    return result(wasi.find(u32(args, 0)) ? Errno::NotSocket : Errno::BadFd);
}

constexpr std::array k_functions {
    FunctionEntry { "args_get", "ii", args_get },
    FunctionEntry { "args_sizes_get", "ii", args_sizes_get },
    FunctionEntry { "environ_get", "ii", environ_get },
    FunctionEntry { "environ_sizes_get", "ii", environ_sizes_get },
    FunctionEntry { "clock_res_get", "ii", clock_res_get },
    FunctionEntry { "clock_time_get", "iIi", clock_time_get },
    FunctionEntry { "random_get", "ii", random_get },
    FunctionEntry { "sched_yield", "", sched_yield },
    FunctionEntry { "proc_raise", "i", proc_raise },
    FunctionEntry { "sock_accept", "iii", not_a_socket },
    FunctionEntry { "sock_recv", "iiiiii", not_a_socket },
    FunctionEntry { "sock_send", "iiiii", not_a_socket },
    FunctionEntry { "sock_shutdown", "ii", not_a_socket },
};

} // namespace

std::span<const FunctionEntry> basic_functions() { return k_functions; }

} // namespace hashos::wasi
