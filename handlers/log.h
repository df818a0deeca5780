// LogHandler: the kernel-native handler of `log` (interfaces/log.proto). Each line goes to the
// terminal prefixed with the name of the program that sent it and the level:
//     hello: info: hello, world
// DEBUG and INFO lines go to standard output, WARNING and ERROR to standard error, so that a
// program's complaints can be told from its output. Control characters (other than tab) are
// escaped and invalid UTF-8 is replaced, so no program can forge another's prefix or drive the
// terminal.
//
// Threads: deliver() decodes and names the sender on the caller's thread (while the sender
// still exists; its entry may be gone by the time the line is written) and hands the write to one strand of the
// event loop's blocking pool, so a full pipe never blocks a kernel worker and lines keep the
// order in which they were sent; the answer, when one is wanted, follows the write.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/handler.h"

#include <asio/strand.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hashos::handlers {

// Where lines go: file descriptors, so tests can pass pipes.
struct LogOutput {
    int ordinary_fd = 1; // DEBUG, INFO
    int trouble_fd = 2;  // WARNING, ERROR
};

enum class LogLevel : uint8_t { Debug = 1, Info = 2, Warning = 3, Error = 4 };

// Who a sender is, for the prefix: "hello", or "process 12" for one it does not know. With
// NameWait::No it must not block, and returns nullopt when the answer is not known yet (a process
// still being entered); with NameWait::Yes it may wait for it.
enum class NameWait : uint8_t { No, Yes };
using NameLookup = std::function<std::optional<std::string>(kernel::SenderId, NameWait)>;

class LogHandler final : public kernel::Handler, public std::enable_shared_from_this<LogHandler> {
public:
    // The longest line text log.proto allows.
    static constexpr size_t k_max_text = 65536;

    LogHandler(EventLoop& loop, NameLookup names, LogOutput output = {});

    kernel::Delivery deliver(kernel::Message&& message) override;
    std::string description() const override { return "the kernel's log handler"; }

    // The bytes written for one request: one line per line of `text`, each with the prefix.
    static std::string format(std::string_view name, LogLevel level, std::string_view text);

private:
    void write(const kernel::Message& message, LogLevel level, const std::string& text, const std::optional<std::string>& name);

    NameLookup m_names;
    LogOutput m_output;
    asio::strand<asio::thread_pool::executor_type> m_strand;
};

} // namespace hashos::handlers
