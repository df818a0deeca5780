// The native twin of programs/httpd for bench/httpd: the same HTTP logic (programs/httpd/http.h)
// over a thin POSIX adapter in place of the SDK — a thread per connection, blocking sockets, and
// open/fstat/read/close per request as the wasm server does through `files`.
//
//     hashos-httpd-native ROOT PORT     (port 0 picks one; prints "listening on 127.0.0.1:PORT")
#include "programs/httpd/http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string g_root;

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
    if (argc != 3) {
        std::fprintf(stderr, "usage: hashos-httpd-native ROOT PORT\n");
        return 2;
    }
    g_root = argv[1];
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
