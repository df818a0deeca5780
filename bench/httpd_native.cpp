// The native twin of programs/httpd for bench/httpd: the same HTTP logic (programs/httpd/http.h)
// over a thin POSIX adapter in place of the SDK — a thread per connection, blocking sockets, and
// open/fstat/read/close per request as the wasm server does through `files`, with the same
// open-file cache (a file served in the last CACHE_SECONDS, default 1, is read again through the
// descriptor it was opened with, one byte more than its size to notice a change of length).
//
//     hashos-httpd-native ROOT PORT [CACHE_SECONDS]     (port 0 picks one; prints "listening on 127.0.0.1:PORT")
#include "programs/httpd/http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string g_root;
std::chrono::seconds g_cache_time(1);

// The open-file cache, as programs/httpd's: the descriptor closes with the last response using it.
struct CachedFile {
    int fd;
    uint64_t size;
    std::chrono::steady_clock::time_point opened;
    ~CachedFile() { ::close(fd); }
};
constexpr size_t k_cache_slots = 64;
constexpr uint64_t k_largest_cached = (1u << 20) - 1;
std::mutex g_cache_lock;
std::map<std::string, std::shared_ptr<CachedFile>> g_cache;

std::shared_ptr<CachedFile> cached(const std::string& path)
{
    std::lock_guard lock(g_cache_lock);
    auto it = g_cache.find(path);
    if (it == g_cache.end())
        return nullptr;
    // Fresh for one to two periods, as httpd's ticks make it.
    if (std::chrono::steady_clock::now() - it->second->opened > 2 * g_cache_time) {
        g_cache.erase(it);
        return nullptr;
    }
    return it->second;
}

void forget(const std::string& path, const std::shared_ptr<CachedFile>& file)
{
    std::lock_guard lock(g_cache_lock);
    if (auto it = g_cache.find(path); it != g_cache.end() && it->second == file)
        g_cache.erase(it);
}

void remember(const std::string& path, std::shared_ptr<CachedFile> file)
{
    std::lock_guard lock(g_cache_lock);
    if (g_cache.size() >= k_cache_slots && !g_cache.contains(path)) {
        auto oldest = g_cache.begin();
        for (auto it = g_cache.begin(); it != g_cache.end(); ++it) {
            if (it->second->opened < oldest->second->opened)
                oldest = it;
        }
        g_cache.erase(oldest);
    }
    g_cache[path] = std::move(file);
}

bool write_all(int socket, const char* data, size_t size)
{
    while (size > 0) {
        ssize_t sent = ::send(socket, data, size, MSG_NOSIGNAL);
        if (sent <= 0)
            return false;
        data += sent;
        size -= size_t(sent);
    }
    return true;
}

bool respond(int socket, const httpd::Request& request)
{
    bool head_only = request.method == httpd::Method::Head;
    char small[2048];
    if (request.method == httpd::Method::Other)
        return write_all(socket, small, httpd::error_response(small, sizeof(small), 405, request.keep_alive, false));
    std::string path = g_root + request.path;
    if (path.back() == '/')
        path += "index.html";
    constexpr size_t k_head_room = 512;
    if (auto file = g_cache_time.count() > 0 ? cached(path) : nullptr) {
        std::vector<char> buffer(k_head_room + file->size + 1);
        ssize_t got = ::pread(file->fd, buffer.data() + k_head_room, file->size + 1, 0);
        if (got == ssize_t(file->size)) {
            char head[k_head_room];
            size_t head_size = httpd::response_head(head, sizeof(head), 200, httpd::content_type(path.c_str()), file->size, request.keep_alive);
            std::memcpy(buffer.data() + k_head_room - head_size, head, head_size);
            return write_all(socket, buffer.data() + k_head_room - head_size, head_size + (head_only ? 0 : file->size));
        }
        forget(path, file); // its length changed: opened anew
    }
    int file = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (file < 0)
        return write_all(socket, small, httpd::error_response(small, sizeof(small), 404, request.keep_alive, head_only));
    struct stat info {};
    ::fstat(file, &info);
    if (S_ISDIR(info.st_mode)) {
        ::close(file);
        std::string location = std::string(request.path) + "/";
        return write_all(socket, small, httpd::error_response(small, sizeof(small), 301, request.keep_alive, head_only, location.c_str()));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(file);
        return write_all(socket, small, httpd::error_response(small, sizeof(small), 404, request.keep_alive, head_only));
    }
    char head[512];
    size_t head_size = httpd::response_head(head, sizeof(head), 200, httpd::content_type(path.c_str()), uint64_t(info.st_size), request.keep_alive);
    std::vector<char> buffer(head_size + (head_only ? 0 : size_t(info.st_size)));
    std::memcpy(buffer.data(), head, head_size);
    size_t filled = head_size;
    while (filled < buffer.size()) {
        ssize_t got = ::read(file, buffer.data() + filled, buffer.size() - filled);
        if (got <= 0) {
            ::close(file);
            return false;
        }
        filled += size_t(got);
    }
    if (g_cache_time.count() > 0 && uint64_t(info.st_size) <= k_largest_cached)
        // Built in place: a temporary CachedFile would close the descriptor.
        remember(path, std::shared_ptr<CachedFile>(new CachedFile { file, uint64_t(info.st_size), std::chrono::steady_clock::now() }));
    else
        ::close(file);
    return write_all(socket, buffer.data(), buffer.size());
}

void serve(int socket)
{
    int one = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::vector<char> buffer(httpd::k_max_head);
    size_t filled = 0;
    httpd::Request request;
    for (;;) {
        auto parsed = httpd::parse_request(buffer.data(), filled, request);
        if (parsed == httpd::Parse::Incomplete) {
            ssize_t got = ::recv(socket, buffer.data() + filled, buffer.size() - filled, 0);
            if (got <= 0)
                break;
            filled += size_t(got);
            continue;
        }
        if (parsed != httpd::Parse::Complete) {
            char small[512];
            write_all(socket, small, httpd::error_response(small, sizeof(small), parsed == httpd::Parse::TooLarge ? 431 : 400, false, false));
            break;
        }
        if (!respond(socket, request) || !request.keep_alive || request.body_size > 0)
            break; // bodies are not skipped here: the benchmark sends none
        std::memmove(buffer.data(), buffer.data() + request.head_size, filled - request.head_size);
        filled -= request.head_size;
    }
    ::close(socket);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: hashos-httpd-native ROOT PORT [CACHE_SECONDS]\n");
        return 2;
    }
    g_root = argv[1];
    if (argc == 4)
        g_cache_time = std::chrono::seconds(std::atoi(argv[3]));
    while (!g_root.empty() && g_root.back() == '/')
        g_root.pop_back();
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(std::atoi(argv[2])));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(address);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(listener, 1024) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        std::perror("hashos-httpd-native");
        return 1;
    }
    std::printf("listening on 127.0.0.1:%u\n", unsigned(ntohs(address.sin_port)));
    std::fflush(stdout);
    for (;;) {
        int socket = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (socket >= 0)
            std::thread(serve, socket).detach();
    }
}
