#include "handlers/stdio.h"

#include "handlers/wire.h"
#include "stdio.interface.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hashos::handlers {

namespace {

kernel::Answer failure(kernel::ErrorCode code, const std::string& message)
{
    return kernel::Answer::error(code, "stdio: " + message);
}

// Whether writing `size` bytes to `fd` now cannot block: regular files and devices other than
// terminals never make a writer wait for a reader; a pipe or terminal takes PIPE_BUF bytes at
// once when poll(2) says it is writable (POSIX: writes of at most PIPE_BUF bytes are atomic).
bool writes_without_blocking(int fd, size_t size)
{
    struct stat status {};
    if (fstat(fd, &status) != 0)
        return true; // the write fails at once, with the reason
    if (S_ISREG(status.st_mode) || (S_ISCHR(status.st_mode) && !isatty(fd)))
        return true;
    if (size > PIPE_BUF)
        return false;
    pollfd poll_fd { fd, POLLOUT, 0 };
    return poll(&poll_fd, 1, 0) == 1 && (poll_fd.revents & (POLLOUT | POLLERR | POLLHUP | POLLNVAL));
}

// Writes all of `data`; 0 or the errno of the failure.
int write_all(int fd, std::string_view data)
{
    while (!data.empty()) {
        ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data.remove_prefix(size_t(written));
    }
    return 0;
}

const char* stream_name(int fd, const StdioStreams& streams)
{
    return fd == streams.error_fd ? "standard error" : "standard output";
}

// Whether `fd` has input or has reached its end (or failed): a read would not wait.
bool input_ready(int fd)
{
    pollfd poll_fd { fd, POLLIN, 0 };
    return poll(&poll_fd, 1, 0) == 1;
}

} // namespace

StdioHandler::StdioHandler(StdioStreams streams)
    : m_streams(streams)
{
    if (pipe2(m_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        m_wake_pipe[0] = m_wake_pipe[1] = -1; // the reader then polls with a timeout instead
}

StdioHandler::~StdioHandler()
{
    {
        std::scoped_lock lock(m_write_lock, m_read_lock);
        m_stopping = true;
    }
    m_write_signal.notify_all();
    m_read_signal.notify_all();
    if (m_wake_pipe[1] >= 0) {
        char byte = 0;
        [[maybe_unused]] auto ignored = ::write(m_wake_pipe[1], &byte, 1);
    }
    if (m_writer.joinable())
        m_writer.join();
    if (m_reader.joinable())
        m_reader.join();
    for (int fd : m_wake_pipe) {
        if (fd >= 0)
            close(fd);
    }
}

kernel::Delivery StdioHandler::deliver(kernel::Message&& message)
{
    kernel::Message taken = std::move(message);
    auto request = split_request(taken.body);
    if (!request) {
        answer_message(taken, malformed_request("stdio", "no method number"));
        return kernel::Delivery::Accepted;
    }
    switch (request->method) {
    case hashos_stdio_Stdio_METHOD_Write: {
        hashos_stdio_WriteRequest write_request = hashos_stdio_WriteRequest_init_zero;
        StringField data(k_max_size);
        data.attach(write_request.data);
        if (auto decoded = decode(request->payload, hashos_stdio_WriteRequest_fields, &write_request); decoded.is_error()) {
            answer_message(taken, data.too_long() ? failure(kernel::ErrorCode::InvalidArgument, "a write is over 1048576 bytes")
                                                  : malformed_request("stdio", decoded.error().message()));
            break;
        }
        int fd = -1;
        if (write_request.stream == hashos_stdio_Stream_STREAM_OUTPUT)
            fd = m_streams.output_fd;
        else if (write_request.stream == hashos_stdio_Stream_STREAM_ERROR)
            fd = m_streams.error_fd;
        else {
            answer_message(taken, failure(kernel::ErrorCode::InvalidArgument, "Write needs STREAM_OUTPUT or STREAM_ERROR"));
            break;
        }
        write(std::move(taken), fd, std::move(data.value()));
        break;
    }
    case hashos_stdio_Stdio_METHOD_Read:
    case hashos_stdio_Stdio_METHOD_WaitReadable: {
        uint32_t max_size = 0;
        if (request->method == hashos_stdio_Stdio_METHOD_Read) {
            hashos_stdio_ReadRequest read_request = hashos_stdio_ReadRequest_init_zero;
            if (auto decoded = decode(request->payload, hashos_stdio_ReadRequest_fields, &read_request); decoded.is_error()) {
                answer_message(taken, malformed_request("stdio", decoded.error().message()));
                break;
            }
            if (read_request.max_size == 0 || read_request.max_size > k_max_size) {
                answer_message(taken, failure(kernel::ErrorCode::InvalidArgument,
                    "max_size " + std::to_string(read_request.max_size) + " is not between 1 and 1048576"));
                break;
            }
            max_size = read_request.max_size;
        }
        read(std::move(taken), max_size);
        break;
    }
    case hashos_stdio_Stdio_METHOD_Describe:
        answer_message(taken, describe(request->payload));
        break;
    default:
        answer_message(taken, unknown_method("stdio", request->method));
    }
    return kernel::Delivery::Accepted;
}

// --- Writing -------------------------------------------------------------------------------------

void StdioHandler::write(kernel::Message message, int fd, std::string data)
{
    std::unique_lock lock(m_write_lock);
    if (m_writes.empty() && !m_writing && writes_without_blocking(fd, data.size())) {
        // The fast path, under the lock so that a concurrent write cannot overtake this one.
        int error = write_all(fd, data);
        lock.unlock();
        if (error != 0) {
            answer_message(message, failure(kernel::ErrorCode::Unavailable,
                std::string("cannot write to ") + stream_name(fd, m_streams) + ": " + std::strerror(error)));
            return;
        }
        hashos_stdio_WriteResponse response = hashos_stdio_WriteResponse_init_zero;
        response.written = uint32_t(data.size());
        answer_message(message, kernel::Answer::ok(encode(hashos_stdio_WriteResponse_fields, &response)));
        return;
    }
    m_writes.push_back({ std::move(message), fd, std::move(data) });
    if (!m_writer.joinable())
        m_writer = std::thread([this] { writer_loop(); });
    m_write_signal.notify_one();
}

void StdioHandler::writer_loop()
{
    std::unique_lock lock(m_write_lock);
    for (;;) {
        m_write_signal.wait(lock, [&] { return m_stopping || !m_writes.empty(); });
        if (m_writes.empty())
            return; // stopping, and nothing left to write
        PendingWrite pending = std::move(m_writes.front());
        m_writes.pop_front();
        m_writing = true;
        lock.unlock();
        int error = write_all(pending.fd, pending.data);
        if (error != 0) {
            answer_message(pending.message, failure(kernel::ErrorCode::Unavailable,
                std::string("cannot write to ") + stream_name(pending.fd, m_streams) + ": " + std::strerror(error)));
        } else {
            hashos_stdio_WriteResponse response = hashos_stdio_WriteResponse_init_zero;
            response.written = uint32_t(pending.data.size());
            answer_message(pending.message, kernel::Answer::ok(encode(hashos_stdio_WriteResponse_fields, &response)));
        }
        lock.lock();
        m_writing = false;
    }
}

// --- Reading -------------------------------------------------------------------------------------

void StdioHandler::read(kernel::Message message, uint32_t max_size)
{
    std::optional<std::pair<kernel::Message, kernel::Answer>> answer;
    {
        std::lock_guard lock(m_read_lock);
        m_reads.push_back({ std::move(message), max_size });
        // The fast path: the only reader, and input is there (a file, a filled pipe).
        if (m_reads.size() == 1 && input_ready(m_streams.input_fd))
            answer = serve_front_reader_locked(true);
        if (!m_reads.empty()) {
            if (!m_reader.joinable())
                m_reader = std::thread([this] { reader_loop(); });
            m_read_signal.notify_one();
        }
    }
    if (answer)
        answer_message(answer->first, std::move(answer->second));
}

std::optional<std::pair<kernel::Message, kernel::Answer>> StdioHandler::serve_front_reader_locked(bool ready)
{
    if (m_reads.empty() || !ready)
        return std::nullopt;
    PendingRead pending = std::move(m_reads.front());
    m_reads.pop_front();
    int fd = m_streams.input_fd;
    if (pending.max_size == 0) {
        // WaitReadable: how much, without taking it. FIONREAD is 0 at the end of a pipe or file.
        int available = 0;
        if (ioctl(fd, FIONREAD, &available) != 0)
            available = 1; // a device that cannot tell: at least one byte or the end
        hashos_stdio_WaitReadableResponse response = hashos_stdio_WaitReadableResponse_init_zero;
        response.available = uint64_t(available);
        response.end_of_input = available == 0;
        return std::pair { std::move(pending.message), kernel::Answer::ok(encode(hashos_stdio_WaitReadableResponse_fields, &response)) };
    }
    std::vector<uint8_t> buffer(pending.max_size);
    ssize_t got;
    do
        got = ::read(fd, buffer.data(), buffer.size());
    while (got < 0 && errno == EINTR);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // Someone else took the input first: wait again.
        m_reads.push_front(std::move(pending));
        return std::nullopt;
    }
    if (got < 0)
        return std::pair { std::move(pending.message), failure(kernel::ErrorCode::Unavailable, std::string("cannot read standard input: ") + std::strerror(errno)) };
    buffer.resize(size_t(got));
    hashos_stdio_ReadResponse response = hashos_stdio_ReadResponse_init_zero;
    std::span<const uint8_t> data(buffer);
    attach_bytes(response.data, data);
    response.end_of_input = got == 0;
    return std::pair { std::move(pending.message), kernel::Answer::ok(encode(hashos_stdio_ReadResponse_fields, &response)) };
}

void StdioHandler::reader_loop()
{
    std::unique_lock lock(m_read_lock);
    for (;;) {
        m_read_signal.wait(lock, [&] { return m_stopping || !m_reads.empty(); });
        if (m_stopping)
            return;
        lock.unlock();
        pollfd fds[2] = { { m_streams.input_fd, POLLIN, 0 }, { m_wake_pipe[0], POLLIN, 0 } };
        int ready = poll(fds, m_wake_pipe[0] >= 0 ? 2 : 1, m_wake_pipe[0] >= 0 ? -1 : 100);
        if (fds[1].revents & POLLIN) {
            char drain[64];
            while (::read(m_wake_pipe[0], drain, sizeof(drain)) > 0) {
            }
        }
        lock.lock();
        if (m_stopping)
            return;
        if (ready > 0 && fds[0].revents != 0) {
            auto answer = serve_front_reader_locked(true);
            if (answer) {
                lock.unlock();
                answer_message(answer->first, std::move(answer->second));
                lock.lock();
            }
        }
    }
}

void StdioHandler::cancel(kernel::MessageId id)
{
    std::lock_guard lock(m_read_lock);
    std::erase_if(m_reads, [&](const PendingRead& pending) { return pending.message.id == id; });
}

void StdioHandler::sender_exited(kernel::SenderId sender)
{
    // Its queued writes stay: what a program wrote before it exited is still its output.
    std::lock_guard lock(m_read_lock);
    std::erase_if(m_reads, [&](const PendingRead& pending) { return pending.message.sender == sender; });
}

// --- Describe ------------------------------------------------------------------------------------

kernel::Answer StdioHandler::describe(std::span<const uint8_t> payload) const
{
    hashos_stdio_DescribeRequest request = hashos_stdio_DescribeRequest_init_zero;
    if (auto decoded = decode(payload, hashos_stdio_DescribeRequest_fields, &request); decoded.is_error())
        return malformed_request("stdio", decoded.error().message());
    int fd;
    switch (request.stream) {
    case hashos_stdio_Stream_STREAM_INPUT:
        fd = m_streams.input_fd;
        break;
    case hashos_stdio_Stream_STREAM_OUTPUT:
        fd = m_streams.output_fd;
        break;
    case hashos_stdio_Stream_STREAM_ERROR:
        fd = m_streams.error_fd;
        break;
    default:
        return failure(kernel::ErrorCode::InvalidArgument, "no stream " + std::to_string(int(request.stream)));
    }
    hashos_stdio_DescribeResponse response = hashos_stdio_DescribeResponse_init_zero;
    struct stat status {};
    if (fstat(fd, &status) != 0)
        response.kind = hashos_stdio_Kind_KIND_CLOSED;
    else if (isatty(fd))
        response.kind = hashos_stdio_Kind_KIND_TERMINAL;
    else if (S_ISREG(status.st_mode))
        response.kind = hashos_stdio_Kind_KIND_FILE;
    else if (S_ISCHR(status.st_mode))
        response.kind = hashos_stdio_Kind_KIND_CHARACTER_DEVICE;
    else
        response.kind = hashos_stdio_Kind_KIND_PIPE;
    return kernel::Answer::ok(encode(hashos_stdio_DescribeResponse_fields, &response));
}

} // namespace hashos::handlers
