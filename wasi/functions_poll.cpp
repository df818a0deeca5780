// poll_oneoff (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#poll_oneoff):
// waits for the first of its subscriptions. What is ready at once (a zero timeout, an output
// stream, a regular file, a bad descriptor) is reported without waiting; otherwise each clock
// becomes a `time` sleep and each wait for standard input a stdio.WaitReadable, all sent
// together: the first answer makes the one event, the others are cancelled.
#include "wasi/functions.h"

#include "stdio.interface.h"
#include "time.interface.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace hashos::wasi {

namespace {

using Outcome = WasiProcess::Outcome;

const kernel::InterfaceHash k_time(kernel::InterfaceHash::Bytes(hashos_time_Time_HASH_BYTES));
const kernel::InterfaceHash k_stdio(kernel::InterfaceHash::Bytes(hashos_stdio_Stdio_HASH_BYTES));

struct Subscription {
    uint64_t userdata = 0;
    uint8_t type = 0;
    uint32_t clock = 0;
    uint64_t timeout = 0;
    uint16_t clock_flags = 0;
    uint32_t fd = 0;
};

struct EventOut {
    uint64_t userdata = 0;
    Errno error = Errno::Success;
    uint8_t type = 0;
    uint64_t bytes = 0;
    uint16_t flags = 0;
};

void write_event(const kernel::GuestSpan& events, uint32_t index, const EventOut& event)
{
    std::array<uint8_t, layout::event_size> bytes {};
    std::memcpy(&bytes[0], &event.userdata, 8);
    uint16_t error = uint16_t(event.error);
    std::memcpy(&bytes[8], &error, 2);
    bytes[10] = event.type;
    std::memcpy(&bytes[16], &event.bytes, 8);
    std::memcpy(&bytes[24], &event.flags, 2);
    events.copy_out(index * layout::event_size, bytes);
}

Outcome poll(WasiProcess& wasi, std::vector<Subscription> subscriptions, kernel::GuestSpan events_span,
    kernel::GuestSpan stored_span, uint64_t wall_now)
{
    auto* events = &events_span;
    auto* stored = &stored_span;
    // What is ready now, and what must be waited for.
    std::vector<EventOut> ready;
    std::vector<WasiProcess::Request> requests;
    std::vector<size_t> requested; // subscription index of each request
    for (size_t i = 0; i < subscriptions.size(); ++i) {
        const Subscription& subscription = subscriptions[i];
        EventOut event { subscription.userdata, Errno::Success, subscription.type, 0, 0 };
        if (subscription.type == k_event_clock) {
            if (subscription.clock != k_clock_monotonic && subscription.clock != k_clock_realtime) {
                event.error = Errno::Invalid;
                ready.push_back(event);
                continue;
            }
            bool absolute = subscription.clock_flags & k_subscription_clock_abstime;
            if (!absolute && subscription.timeout == 0) {
                ready.push_back(event);
                continue;
            }
            // Not from the spec: an absolute realtime deadline waits as long as it is from now
            // on the monotonic clock, which setting the wall clock then does not move.
            if (absolute && subscription.clock == k_clock_monotonic) {
                hashos_time_SleepUntilRequest request = hashos_time_SleepUntilRequest_init_zero;
                request.monotonic_nanoseconds = subscription.timeout;
                requests.emplace_back(k_time, WasiProcess::encode_request(hashos_time_Time_METHOD_SleepUntil, hashos_time_SleepUntilRequest_fields, &request));
            } else if (absolute) {
                hashos_time_SleepForRequest request = hashos_time_SleepForRequest_init_zero;
                request.nanoseconds = subscription.timeout > wall_now ? subscription.timeout - wall_now : 0;
                requests.emplace_back(k_time, WasiProcess::encode_request(hashos_time_Time_METHOD_SleepFor, hashos_time_SleepForRequest_fields, &request));
            } else {
                hashos_time_SleepForRequest request = hashos_time_SleepForRequest_init_zero;
                request.nanoseconds = subscription.timeout;
                requests.emplace_back(k_time, WasiProcess::encode_request(hashos_time_Time_METHOD_SleepFor, hashos_time_SleepForRequest_fields, &request));
            }
            requested.push_back(i);
            continue;
        }
        if (subscription.type != k_event_fd_read && subscription.type != k_event_fd_write) {
            return result(Errno::Invalid);
        }
        Descriptor* descriptor = wasi.find(subscription.fd);
        if (!descriptor) {
            event.error = Errno::BadFd;
            ready.push_back(event);
            continue;
        }
        if (subscription.type == k_event_fd_read && descriptor->kind == Descriptor::Kind::Input) {
            hashos_stdio_WaitReadableRequest request = hashos_stdio_WaitReadableRequest_init_zero;
            requests.emplace_back(k_stdio, WasiProcess::encode_request(hashos_stdio_Stdio_METHOD_WaitReadable, hashos_stdio_WaitReadableRequest_fields, &request));
            requested.push_back(i);
            continue;
        }
        // Output streams and files: a write or read would not wait for another program here
        // (the stdio handler queues what a full pipe cannot take yet).
        ready.push_back(event);
    }
    if (!ready.empty() || requests.empty()) {
        for (uint32_t i = 0; i < ready.size(); ++i)
            write_event(*events, i, ready[i]);
        stored->write<uint32_t>(0, uint32_t(ready.size()));
        return result(Errno::Success);
    }
    return wasi.call_first(std::move(requests),
        [subscriptions = std::move(subscriptions), requested = std::move(requested), events = *events, stored = *stored](
            size_t index, Reply&& reply) -> Outcome {
            const Subscription& subscription = subscriptions[requested[index]];
            EventOut event { subscription.userdata, Errno::Success, subscription.type, 0, 0 };
            if (!reply.ok) {
                event.error = errno_of(reply);
            } else if (subscription.type == k_event_fd_read) {
                hashos_stdio_WaitReadableResponse response = hashos_stdio_WaitReadableResponse_init_zero;
                if (!reply.decode(hashos_stdio_WaitReadableResponse_fields, &response))
                    event.error = Errno::Io;
                event.bytes = response.available;
                event.flags = response.end_of_input ? k_event_fd_readwrite_hangup : 0;
            }
            write_event(events, 0, event);
            stored.write<uint32_t>(0, 1);
            return result(Errno::Success);
        });
}

Outcome poll_oneoff(WasiProcess& wasi, Arguments args)
{
    uint32_t count = u32(args, 2);
    if (count == 0)
        return result(Errno::Invalid); // the spec: "If nsubscriptions is 0, returns errno::inval"
    auto memory = wasi.memory();
    if (count > (1u << 16))
        return result(Errno::Invalid);
    auto in = memory.span(u32(args, 0), count * layout::subscription_size);
    auto events = memory.span(u32(args, 1), count * layout::event_size);
    auto stored = memory.span(u32(args, 3), 4);
    if (!in || !events || !stored)
        return result(Errno::Fault);

    std::vector<Subscription> subscriptions(count);
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t base = i * layout::subscription_size;
        Subscription& subscription = subscriptions[i];
        subscription.userdata = in->read<uint64_t>(base);
        subscription.type = in->read<uint8_t>(base + 8);
        subscription.clock = in->read<uint32_t>(base + 16);
        subscription.timeout = in->read<uint64_t>(base + 24);
        subscription.clock_flags = in->read<uint16_t>(base + 40);
        subscription.fd = in->read<uint32_t>(base + 16);
    }

    // An absolute realtime deadline needs the wall clock's reading first.
    bool needs_wall = std::any_of(subscriptions.begin(), subscriptions.end(), [](const Subscription& subscription) {
        return subscription.type == k_event_clock && subscription.clock == k_clock_realtime
            && (subscription.clock_flags & k_subscription_clock_abstime);
    });
    if (!needs_wall)
        return poll(wasi, std::move(subscriptions), *events, *stored, 0);
    hashos_time_WallNowRequest request = hashos_time_WallNowRequest_init_zero;
    return wasi.call(k_time, hashos_time_Time_METHOD_WallNow, hashos_time_WallNowRequest_fields, &request,
        [&wasi, subscriptions = std::move(subscriptions), events = *events, stored = *stored](Reply&& reply) mutable -> Outcome {
            hashos_time_WallNowResponse response = hashos_time_WallNowResponse_init_zero;
            if (!reply.ok)
                return result(errno_of(reply));
            if (!reply.decode(hashos_time_WallNowResponse_fields, &response))
                return result(Errno::Io);
            return poll(wasi, std::move(subscriptions), events, stored, uint64_t(std::max<int64_t>(response.unix_nanoseconds, 0)));
        });
}

constexpr std::array k_functions {
    FunctionEntry { "poll_oneoff", "iiii", poll_oneoff },
};

} // namespace

std::span<const FunctionEntry> poll_functions() { return k_functions; }

} // namespace hashos::wasi
