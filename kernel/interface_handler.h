// InterfaceHandler: the kernel-native handler of the `interface` interface
// (interfaces/interface.proto): Register (method 1) and Unregister (method 2) of the sending
// process as the handler of an interface hash. Registering is a message like any other
// (DESIGN.md), so a wasm program takes an interface exactly as it uses one.
// Threads: as Handler, any thread; it answers every message inside deliver().
#pragma once

#include "kernel/handler.h"
#include "kernel/registry.h"

#include <functional>
#include <memory>
#include <optional>

namespace hashos::kernel {

class InterfaceHandler final : public Handler {
public:
    // Who a sender is, for registering it: its handler proxy, its program, its interface limit.
    struct Registrant {
        std::shared_ptr<Handler> handler;
        ProgramId program;
        uint32_t interface_limit = 0;
    };
    using Lookup = std::function<std::optional<Registrant>(SenderId)>;

    InterfaceHandler(Registry& registry, Lookup lookup);

    Delivery deliver(Message&& message) override;
    std::string description() const override { return "the kernel's interface handler"; }

private:
    Answer handle(const Message& message);

    Registry& m_registry;
    Lookup m_lookup;
};

} // namespace hashos::kernel
