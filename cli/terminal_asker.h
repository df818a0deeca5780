// TerminalAsker: answers the kernel's "ask" permissions by asking the user on the terminal
// (/dev/tty): "program bafkrei… wants tcp@…: allow? [y/N/always]". "y" allows for this run,
// "always" also saves the rule (cli/permissions_config.h), anything else denies for this run.
// Without a terminal there is no asker, and the kernel denies.
//
// Threads: ask() from any thread (the kernel calls it from workers): it only queues the
// question. One thread of its own prompts and reads, one question at a time. close() answers
// what is still pending with Deny and joins that thread; the destructor closes.
#pragma once

#include "kernel/permissions.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace hashos::cli {

class TerminalAsker final : public kernel::PermissionAsker {
public:
    using RememberAlways = std::function<void(const kernel::ProgramId&, const kernel::InterfaceHash&)>;

    // nullptr when standard input is not a terminal or /dev/tty cannot be opened.
    static std::shared_ptr<TerminalAsker> open(RememberAlways remember_always);
    ~TerminalAsker() override;

    void ask(const kernel::ProgramId& program, const kernel::InterfaceHash& interface,
        std::function<void(kernel::Decision, kernel::Remember)> answer) override;
    void close();

private:
    struct Question {
        kernel::ProgramId program;
        kernel::InterfaceHash interface;
        std::function<void(kernel::Decision, kernel::Remember)> answer;
    };

    TerminalAsker(int terminal, int wake_read, int wake_write, RememberAlways remember_always);
    void run();
    // The user's line, or nullopt when closed or the terminal went away.
    std::optional<std::string> read_line();

    int m_terminal;
    int m_wake_read;  // close() writes to m_wake_write to interrupt a pending read
    int m_wake_write;
    RememberAlways m_remember_always;
    std::mutex m_lock;
    std::condition_variable m_asked;
    std::deque<Question> m_questions;
    bool m_closed = false;
    bool m_terminal_gone = false;
    std::thread m_thread;
};

} // namespace hashos::cli
