// Real `hashos` nodes for end-to-end tests: a data directory of its own per node, commands run
// against it, and `hashos serve` as a child process on a random 127.0.0.1 port. Needs
// HASHOS_BINARY, the path of the built `hashos`.
#pragma once

#include "net_test_support.h"

#include <fcntl.h>
#include <poll.h>

namespace hashos::net::testing {

constexpr const char* k_hashos = HASHOS_BINARY;

// One node: its data directory (and config file).
struct Node {
    TemporaryDirectory directory;

    std::string hashos(const std::string& arguments) const
    {
        return std::string(k_hashos) + " --data-dir " + shell_quote(directory.path().string()) + " " + arguments;
    }
    void configure(const std::string& toml) const
    {
        write_file(directory.path() / "config.toml", as_bytes(toml));
    }
    std::filesystem::path path(const std::string& name) const { return directory.path() / name; }
};

// `hashos serve` as a child process; stopped with SIGTERM by its PID.
class ServeProcess {
public:
    explicit ServeProcess(const Node& node)
    {
        int out[2];
        if (pipe2(out, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe failed");
        std::string data_dir = node.directory.path().string();
        m_pid = fork();
        if (m_pid == 0) {
            dup2(out[1], STDOUT_FILENO);
            execl(k_hashos, k_hashos, "--data-dir", data_dir.c_str(), "serve", "--listen", "127.0.0.1:0", nullptr);
            _exit(127);
        }
        close(out[1]);
        try {
            m_url = read_listening_line(out[0]);
        } catch (...) {
            close(out[0]);
            stop();
            throw;
        }
        close(out[0]);
    }
    ~ServeProcess()
    {
        if (m_pid > 0)
            stop();
    }

    const std::string& url() const { return m_url; }
    int port() const { return std::stoi(m_url.substr(m_url.rfind(':') + 1)); }

    // SIGTERM, then the exit status (-1 if it did not exit within 10 s, and then it is killed).
    int stop()
    {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        for (int tries = 0; tries < 1000; ++tries) {
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            usleep(10'000);
        }
        ::kill(m_pid, SIGKILL);
        waitpid(m_pid, &status, 0);
        m_pid = -1;
        return -1;
    }

private:
    static std::string read_listening_line(int fd)
    {
        std::string line;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd waiting { fd, POLLIN, 0 };
            if (poll(&waiting, 1, 100) <= 0)
                continue;
            char buffer[256];
            ssize_t count = read(fd, buffer, sizeof buffer);
            if (count <= 0)
                break;
            line.append(buffer, size_t(count));
        }
        constexpr std::string_view prefix = "listening on ";
        if (!line.starts_with(prefix) || line.find('\n') == std::string::npos)
            throw std::runtime_error("hashos serve did not start: '" + line + "'");
        return line.substr(prefix.size(), line.find('\n') - prefix.size());
    }

    pid_t m_pid = -1;
    std::string m_url;
};

} // namespace hashos::net::testing
