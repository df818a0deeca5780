// EnvironmentHandler: the kernel-native handler of `environment` (interfaces/environment.proto):
// answers a process with its own start-up context — program name, arguments, environment
// variables — as the process handler recorded them when it started the program.
//
// Threads: deliver() from any thread. It answers at once when the sender is known; a sender whose
// entry is still being made (it runs a moment before that) is answered from the event loop's
// blocking pool, which may wait for it.
#pragma once

#include "handlers/event_loop.h"
#include "handlers/process.h"
#include "kernel/handler.h"

#include <functional>
#include <optional>

namespace hashos::handlers {

using StartupLookup = std::function<std::optional<ProcessManager::StartupContext>(kernel::SenderId, NameWait)>;

class EnvironmentHandler final : public kernel::Handler, public std::enable_shared_from_this<EnvironmentHandler> {
public:
    EnvironmentHandler(EventLoop& loop, StartupLookup lookup);

    kernel::Delivery deliver(kernel::Message&& message) override;
    std::string description() const override { return "the kernel's environment handler"; }

    // The GetResponse body for `context`.
    static std::vector<uint8_t> encode_context(const ProcessManager::StartupContext& context);

private:
    void answer(const kernel::Message& message, NameWait wait);

    EventLoop& m_loop;
    StartupLookup m_lookup;
};

} // namespace hashos::handlers
