#include "tests/spec/temporary_directory.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <pthread.h>
#include <set>
#include <thread>
#include <vector>

namespace hashos::spec {

namespace fs = std::filesystem;

namespace {

std::mutex g_mutex;
std::set<fs::path> g_live_directories; // guarded by g_mutex

// Signals are blocked in every thread and taken by sigwait() in one watcher thread, so the
// cleanup runs as ordinary code (it may allocate and take locks), not in a signal handler.
void start_interrupt_watcher()
{
    static std::once_flag started;
    std::call_once(started, [] {
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        sigaddset(&signals, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        std::thread([signals] {
            int received = 0;
            if (sigwait(&signals, &received) != 0)
                return;
            {
                std::lock_guard lock(g_mutex);
                for (auto& directory : g_live_directories) {
                    std::error_code ignored;
                    fs::remove_all(directory, ignored);
                }
            }
            // Then die of that signal, as if nothing had caught it.
            std::signal(received, SIG_DFL);
            pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
            std::raise(received);
        }).detach();
    });
}

} // namespace

Result<TemporaryDirectory> TemporaryDirectory::create(const char* prefix)
{
    start_interrupt_watcher();
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    std::lock_guard lock(g_mutex);
    if (!mkdtemp(buffer.data()))
        return Error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    g_live_directories.insert(buffer.data());
    return TemporaryDirectory(fs::path(buffer.data()));
}

TemporaryDirectory::TemporaryDirectory(TemporaryDirectory&& other) noexcept
    : m_path(std::move(other.m_path))
{
    other.m_path.clear();
}

TemporaryDirectory::~TemporaryDirectory()
{
    if (m_path.empty())
        return;
    std::lock_guard lock(g_mutex);
    std::error_code ignored; // a leftover temporary directory is not worth failing a test run
    fs::remove_all(m_path, ignored);
    g_live_directories.erase(m_path);
}

} // namespace hashos::spec
