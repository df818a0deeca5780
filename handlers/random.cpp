#include "handlers/random.h"

#include "handlers/wire.h"
#include "random.interface.h"

#include <cerrno>
#include <cstring>
#include <sys/random.h>
#include <vector>

namespace hashos::handlers {

kernel::Delivery RandomHandler::deliver(kernel::Message&& message)
{
    kernel::Message taken = std::move(message);
    auto request = split_request(taken.body);
    if (!request)
        answer_message(taken, malformed_request("random", "no method number"));
    else if (request->method != hashos_random_Random_METHOD_Fill)
        answer_message(taken, unknown_method("random", request->method));
    else
        answer_message(taken, fill(request->payload));
    return kernel::Delivery::Accepted;
}

kernel::Answer RandomHandler::fill(std::span<const uint8_t> payload) const
{
    hashos_random_FillRequest request = hashos_random_FillRequest_init_zero;
    if (auto decoded = decode(payload, hashos_random_FillRequest_fields, &request); decoded.is_error())
        return malformed_request("random", decoded.error().message());
    if (request.size > k_max_size)
        return kernel::Answer::error(kernel::ErrorCode::InvalidArgument,
            "random: size " + std::to_string(request.size) + " is over the limit of " + std::to_string(k_max_size));

    std::vector<uint8_t> bytes(request.size);
    size_t filled = 0;
    while (filled < bytes.size()) {
        // Reads over 256 bytes may return fewer bytes when a signal arrives: loop until full.
        ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, GRND_NONBLOCK);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return kernel::Answer::error(kernel::ErrorCode::Unavailable,
                std::string("random: the host generator failed: ") + std::strerror(errno));
        filled += size_t(got);
    }
    hashos_random_FillResponse response = hashos_random_FillResponse_init_zero;
    std::span<const uint8_t> data(bytes);
    attach_bytes(response.data, data);
    return kernel::Answer::ok(encode(hashos_random_FillResponse_fields, &response));
}

} // namespace hashos::handlers
