// An incremental parser of one HTTP/1.1 response (RFC 9112: status line, header fields, and a
// body delimited by Content-Length, by chunked transfer coding, or by the end of the connection),
// fed the bytes of a connection as they arrive. The body goes to a BodySink; interim 1xx
// responses are skipped. No I/O, no standard library (tested natively in
// tests/net/http_loader_parts_test.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace http_loader {

// Where the body goes; false from append() stops the parse (Progress::Failed, with the sink's
// reason).
class BodySink {
public:
    virtual bool append(const uint8_t* data, size_t size) = 0;
    virtual const char* reason() const = 0;

protected:
    ~BodySink() = default;
};

enum class Progress : uint8_t {
    NeedMore, // feed more bytes (or end_of_stream())
    Done,     // the whole response was read
    Failed,   // malformed, or the sink refused: error() says why
    TooLarge, // the body is over the limit
};

class ResponseParser {
public:
    static constexpr size_t k_max_head = 16 * 1024;

    // A body over `max_body` bytes is refused (Progress::TooLarge), as early as its length is known.
    explicit ResponseParser(uint64_t max_body) : m_max_body(max_body) { }

    // Parses `size` more bytes of the response. Bytes after a complete response are ignored.
    Progress feed(const uint8_t* data, size_t size, BodySink& sink);
    // The connection ended: complete for a body delimited by the end, else truncated.
    Progress end_of_stream();

    // Known once the head is read (has_head()).
    bool has_head() const { return m_state != State::Head; }
    int status() const { return m_status; }
    // Content-Length, if the response gave one (else ~0).
    uint64_t content_length() const { return m_content_length; }
    const char* error() const { return m_error; }

private:
    enum class State : uint8_t { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Done, Failed };

    Progress fail(const char* reason);
    Progress too_large();
    Progress parse_head(); // m_head holds a whole head
    Progress body_bytes(const uint8_t* data, size_t size, BodySink& sink);
    // Collects one CRLF-terminated line into m_line; true when it is complete.
    bool take_line(const uint8_t*& data, const uint8_t* end, bool& overflow);

    uint64_t m_max_body;
    State m_state = State::Head;
    int m_status = 0;
    uint64_t m_content_length = ~uint64_t(0);
    uint64_t m_remaining = 0; // of the Content-Length body or of the current chunk
    uint64_t m_received = 0;  // body bytes so far
    const char* m_error = nullptr;
    bool m_too_large = false;
    char m_head[k_max_head];
    size_t m_head_size = 0;
    char m_line[256]; // a chunk-size line or a trailer line
    size_t m_line_size = 0;
};

} // namespace http_loader
