// StdioHandler: the kernel-native handler of `stdio` (interfaces/stdio.proto): the system's own
// standard input, output and error, byte for byte.
//
// - Write: a write that cannot block (a regular file, or at most PIPE_BUF bytes to a pipe or
//   terminal that poll(2) says is writable) is done at once, in deliver(); any other waits in
//   its stream's queue for the writer thread, so a full pipe never blocks a kernel worker.
//   Writes to one stream keep the order they were delivered in.
// - Read and WaitReadable: answered at once when input is there; otherwise they queue for the
//   reader thread, which waits in poll(2) for the input (or for shutdown). Input read for a
//   request that was cancelled meanwhile is kept for the next reader.
// The file descriptors are the embedder's; the handler never closes them. Writing to a closed
// pipe gives EPIPE only if the embedder ignores SIGPIPE (cli/run.cpp does).
//
// Threads: deliver(), cancel() and sender_exited() from any thread. The writer and reader
// threads start on first need; the destructor stops them (a write stuck in a pipe no one reads
// keeps it waiting, as it would any program).
#pragma once

#include "kernel/handler.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hashos::handlers {

// Where the streams are: file descriptors, so tests can pass pipes.
struct StdioStreams {
    int input_fd = 0;
    int output_fd = 1;
    int error_fd = 2;
};

class StdioHandler final : public kernel::Handler {
public:
    // The most bytes one Write or Read may carry (stdio.proto).
    static constexpr uint32_t k_max_size = 1 << 20;

    explicit StdioHandler(StdioStreams streams = {});
    ~StdioHandler() override;
    StdioHandler(const StdioHandler&) = delete;
    StdioHandler& operator=(const StdioHandler&) = delete;

    kernel::Delivery deliver(kernel::Message&& message) override;
    void cancel(kernel::MessageId id) override;
    void sender_exited(kernel::SenderId sender) override;
    std::string description() const override { return "the kernel's stdio handler"; }

private:
    struct PendingWrite {
        kernel::Message message;
        int fd;
        std::string data;
    };
    struct PendingRead {
        kernel::Message message;
        uint32_t max_size = 0; // 0: WaitReadable
    };

    void write(kernel::Message message, int fd, std::string data);
    void read(kernel::Message message, uint32_t max_size);
    kernel::Answer describe(std::span<const uint8_t> payload) const;
    void writer_loop();
    void reader_loop();
    // Serves the front reader if input is there or at its end; under m_read_lock.
    // Returns the answer to send (after unlocking), or nothing.
    std::optional<std::pair<kernel::Message, kernel::Answer>> serve_front_reader_locked(bool input_ready);

    StdioStreams m_streams;
    int m_wake_pipe[2] = { -1, -1 }; // wakes the reader out of poll(2)

    std::mutex m_write_lock;
    std::condition_variable m_write_signal;
    std::deque<PendingWrite> m_writes;
    bool m_writing = false; // the writer thread holds a write outside the lock
    std::thread m_writer;

    std::mutex m_read_lock;
    std::condition_variable m_read_signal;
    std::deque<PendingRead> m_reads;
    std::string m_leftover; // input read for a reader that went away
    std::thread m_reader;

    bool m_stopping = false; // under both locks
};

} // namespace hashos::handlers
