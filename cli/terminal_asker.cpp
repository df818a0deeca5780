#include "cli/terminal_asker.h"

#include "handlers/known_interfaces.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace hashos::cli {

std::shared_ptr<TerminalAsker> TerminalAsker::open(RememberAlways remember_always)
{
    if (!isatty(STDIN_FILENO))
        return nullptr;
    int terminal = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (terminal < 0)
        return nullptr;
    int wake[2];
    if (pipe2(wake, O_CLOEXEC) != 0) {
        ::close(terminal);
        return nullptr;
    }
    return std::shared_ptr<TerminalAsker>(new TerminalAsker(terminal, wake[0], wake[1], std::move(remember_always)));
}

TerminalAsker::TerminalAsker(int terminal, int wake_read, int wake_write, RememberAlways remember_always)
    : m_terminal(terminal)
    , m_wake_read(wake_read)
    , m_wake_write(wake_write)
    , m_remember_always(std::move(remember_always))
    , m_thread([this] { run(); })
{
}

TerminalAsker::~TerminalAsker()
{
    close();
    ::close(m_terminal);
    ::close(m_wake_read);
    ::close(m_wake_write);
}

void TerminalAsker::ask(const kernel::ProgramId& program, const kernel::InterfaceHash& interface,
    std::function<void(kernel::Decision, kernel::Remember)> answer)
{
    {
        std::lock_guard lock(m_lock);
        if (!m_closed && !m_terminal_gone) {
            m_questions.push_back({ program, interface, std::move(answer) });
            m_asked.notify_one();
            return;
        }
    }
    answer(kernel::Decision::Deny, kernel::Remember::No);
}

void TerminalAsker::close()
{
    {
        std::lock_guard lock(m_lock);
        if (m_closed)
            return;
        m_closed = true;
        m_asked.notify_one();
    }
    char byte = 0;
    (void)!::write(m_wake_write, &byte, 1);
    m_thread.join();
    // Whatever the thread did not get to: the Permissions object must hear back from every
    // question before it goes (kernel/permissions.h).
    std::deque<Question> left;
    {
        std::lock_guard lock(m_lock);
        left.swap(m_questions);
    }
    for (auto& question : left)
        question.answer(kernel::Decision::Deny, kernel::Remember::No);
}

std::optional<std::string> TerminalAsker::read_line()
{
    std::string line;
    for (;;) {
        pollfd fds[2] = { { m_terminal, POLLIN, 0 }, { m_wake_read, POLLIN, 0 } };
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return std::nullopt;
        }
        if (fds[1].revents)
            return std::nullopt;
        char byte;
        ssize_t got = ::read(m_terminal, &byte, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return std::nullopt;
        if (byte == '\n')
            return line;
        line += byte;
    }
}

void TerminalAsker::run()
{
    for (;;) {
        Question question;
        {
            std::unique_lock lock(m_lock);
            m_asked.wait(lock, [&] { return m_closed || !m_questions.empty(); });
            if (m_closed)
                return;
            question = std::move(m_questions.front());
            m_questions.pop_front();
        }
        std::string prompt = "program " + question.program.text() + " wants "
            + handlers::interface_text(question.interface) + ": allow? [y/N/always] ";
        (void)!::write(m_terminal, prompt.data(), prompt.size());
        auto line = read_line();
        if (!line) {
            // Closed, or no terminal any more: this question and every later one is denied.
            std::deque<Question> left;
            {
                std::lock_guard lock(m_lock);
                m_terminal_gone = true;
                left.swap(m_questions);
            }
            question.answer(kernel::Decision::Deny, kernel::Remember::No);
            for (auto& waiting : left)
                waiting.answer(kernel::Decision::Deny, kernel::Remember::No);
            return;
        }
        if (*line == "always") {
            m_remember_always(question.program, question.interface);
            question.answer(kernel::Decision::Allow, kernel::Remember::Yes);
        } else if (*line == "y" || *line == "Y" || *line == "yes") {
            question.answer(kernel::Decision::Allow, kernel::Remember::Yes);
        } else {
            question.answer(kernel::Decision::Deny, kernel::Remember::Yes);
        }
    }
}

} // namespace hashos::cli
