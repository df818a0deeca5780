// RandomHandler: the kernel-native handler of `random` (interfaces/random.proto): bytes from the
// host's cryptographically secure generator, getrandom(2). It never blocks: a generator not
// seeded yet is an UNAVAILABLE answer, not a stalled kernel worker.
// Threads: any; it answers inside deliver().
#pragma once

#include "kernel/handler.h"

#include <span>

namespace hashos::handlers {

class RandomHandler final : public kernel::Handler {
public:
    // The most bytes one request may ask for (random.proto).
    static constexpr uint32_t k_max_size = 65536;

    kernel::Delivery deliver(kernel::Message&& message) override;
    std::string description() const override { return "the kernel's random handler"; }

private:
    kernel::Answer fill(std::span<const uint8_t> payload) const;
};

} // namespace hashos::handlers
