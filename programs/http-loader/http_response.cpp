#include "http_response.h"

namespace http_loader {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool equal_ignoring_case(const char* a, size_t a_size, const char* b)
{
    size_t i = 0;
    for (; i < a_size && b[i]; ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return i == a_size && !b[i];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 9110, 5.6.2: token characters, which a field name is made of.
bool is_token_character(char c)
{
    if (c >= 'a' && c <= 'z')
        return true;
    if (c >= 'A' && c <= 'Z')
        return true;
    if (is_digit(c))
        return true;
    for (const char* special = "!#$%&'*+-.^_`|~"; *special; ++special) {
        if (c == *special)
            return true;
    }
    return false;
}

// A decimal number of at most 18 digits (well past any body this loader accepts).
bool parse_decimal(const char* text, size_t size, uint64_t& value)
{
    if (size == 0 || size > 18)
        return false;
    value = 0;
    for (size_t i = 0; i < size; ++i) {
        if (!is_digit(text[i]))
            return false;
        value = value * 10 + uint64_t(text[i] - '0');
    }
    return true;
}

} // namespace

Progress ResponseParser::fail(const char* reason)
{
    m_state = State::Failed;
    m_error = reason;
    return Progress::Failed;
}

Progress ResponseParser::too_large()
{
    fail("the body is over the size limit");
    m_too_large = true;
    return Progress::TooLarge;
}

bool ResponseParser::take_line(const uint8_t*& data, const uint8_t* end, bool& overflow)
{
    overflow = false;
    while (data < end) {
        char c = char(*data++);
        if (c == '\n') {
            if (m_line_size > 0 && m_line[m_line_size - 1] == '\r')
                --m_line_size;
            overflow = m_line_size >= sizeof(m_line);
            if (overflow)
                m_line_size = sizeof(m_line) - 1;
            m_line[m_line_size] = '\0';
            return true;
        }
        // Past the buffer the line is only counted: a long trailer is skipped, a long chunk-size
        // line refused.
        if (m_line_size < sizeof(m_line))
            m_line[m_line_size] = c;
        ++m_line_size;
    }
    return false;
}

// RFC 9112, 4 (status line), 5 (field lines) and 6.3 (message body length).
Progress ResponseParser::parse_head()
{
    const char* head = m_head;
    const char* end = m_head + m_head_size;
    auto line_end = [&](const char* from) {
        while (from < end && *from != '\n')
            ++from;
        return from;
    };
    const char* eol = line_end(head);
    size_t line_size = size_t(eol - head);
    if (line_size > 0 && head[line_size - 1] == '\r')
        --line_size;
    // HTTP-version SP status-code SP [reason-phrase]
    if (line_size < 12 || !equal_ignoring_case(head, 7, "HTTP/1.") || !is_digit(head[7]) || head[8] != ' '
        || !is_digit(head[9]) || !is_digit(head[10]) || !is_digit(head[11]) || (line_size > 12 && head[12] != ' '))
        return fail("the response does not start with an HTTP/1.x status line");
    m_status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');

    bool chunked = false;
    bool has_length = false;
    uint64_t length = 0;
    for (const char* line = eol + 1; line < end; line = line_end(line) + 1) {
        const char* stop = line_end(line);
        size_t size = size_t(stop - line);
        if (size > 0 && line[size - 1] == '\r')
            --size;
        if (size == 0)
            break;
        // RFC 9112, 5.2: obsolete line folding may be rejected.
        if (line[0] == ' ' || line[0] == '\t')
            return fail("the response folds a header line (obsolete line folding)");
        size_t colon = 0;
        while (colon < size && is_token_character(line[colon]))
            ++colon;
        if (colon == 0 || colon == size || line[colon] != ':')
            return fail("the response has a malformed header line");
        size_t first = colon + 1, last = size;
        while (first < last && (line[first] == ' ' || line[first] == '\t'))
            ++first;
        while (last > first && (line[last - 1] == ' ' || line[last - 1] == '\t'))
            --last;
        const char* value = line + first;
        size_t value_size = last - first;
        if (equal_ignoring_case(line, colon, "content-length")) {
            uint64_t parsed = 0;
            if (!parse_decimal(value, value_size, parsed))
                return fail("the response has an invalid Content-Length");
            if (has_length && parsed != length)
                return fail("the response has conflicting Content-Length headers");
            has_length = true;
            length = parsed;
        } else if (equal_ignoring_case(line, colon, "transfer-encoding")) {
            // Asked for raw bytes, a gateway has no reason to compress them: chunked only.
            if (!equal_ignoring_case(value, value_size, "chunked"))
                return fail("the response uses a transfer coding other than chunked");
            chunked = true;
        }
    }

    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (m_status >= 100 && m_status < 200) {
        if (m_status == 101)
            return fail("the server switched protocols");
        m_head_size = 0;
        m_status = 0;
        return Progress::NeedMore;
    }
    if (has_length)
        m_content_length = length;
    if (m_status == 204 || m_status == 304) {
        m_state = State::Done;
        return Progress::Done;
    }
    // RFC 9112, 6.3: Transfer-Encoding overrides Content-Length.
    if (chunked) {
        m_content_length = ~uint64_t(0);
        m_state = State::ChunkSize;
        m_line_size = 0;
        return Progress::NeedMore;
    }
    if (has_length) {
        if (length > m_max_body) {
            return too_large();
        }
        m_remaining = length;
        m_state = length == 0 ? State::Done : State::Body;
        return length == 0 ? Progress::Done : Progress::NeedMore;
    }
    m_state = State::UntilClose;
    return Progress::NeedMore;
}

Progress ResponseParser::body_bytes(const uint8_t* data, size_t size, BodySink& sink)
{
    if (m_received + size > m_max_body) {
        return too_large();
    }
    m_received += size;
    if (size > 0 && !sink.append(data, size))
        return fail(sink.reason());
    return Progress::NeedMore;
}

Progress ResponseParser::feed(const uint8_t* data, size_t size, BodySink& sink)
{
    const uint8_t* end = data + size;
    while (data < end) {
        switch (m_state) {
        case State::Head: {
            while (data < end) {
                if (m_head_size == k_max_head)
                    return fail("the response head is over 16 KiB");
                char c = char(*data++);
                m_head[m_head_size++] = c;
                // The head ends with an empty line: "\r\n\r\n", or bare "\n\n" (RFC 9112, 2.2).
                bool ended = c == '\n' && m_head_size >= 2
                    && (m_head[m_head_size - 2] == '\n' || (m_head_size >= 3 && m_head[m_head_size - 2] == '\r' && m_head[m_head_size - 3] == '\n'));
                if (ended) {
                    auto progress = parse_head();
                    if (progress != Progress::NeedMore)
                        return progress;
                    break;
                }
            }
            break;
        }
        case State::Body:
        case State::ChunkData: {
            size_t take = size_t(end - data) < m_remaining ? size_t(end - data) : size_t(m_remaining);
            if (auto progress = body_bytes(data, take, sink); progress != Progress::NeedMore)
                return progress;
            data += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_state = m_state == State::Body ? State::Done : State::ChunkDataEnd;
                m_line_size = 0;
            }
            break;
        }
        case State::UntilClose: {
            if (auto progress = body_bytes(data, size_t(end - data), sink); progress != Progress::NeedMore)
                return progress;
            data = end;
            break;
        }
        case State::ChunkSize: {
            // RFC 9112, 7.1: chunk-size in hex, then optional extensions after ';'.
            bool overflow = false;
            if (!take_line(data, end, overflow))
                break;
            if (overflow)
                return fail("the response has a chunk-size line over 255 bytes");
            uint64_t chunk = 0;
            size_t digits = 0;
            for (; digits < m_line_size; ++digits) {
                char c = lower(m_line[digits]);
                int value = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
                if (value < 0)
                    break;
                if (digits == 15)
                    return fail("the response has a chunk over 2^60 bytes");
                chunk = chunk * 16 + uint64_t(value);
            }
            if (digits == 0 || (digits < m_line_size && m_line[digits] != ';' && m_line[digits] != ' ' && m_line[digits] != '\t'))
                return fail("the response has a malformed chunk size");
            m_line_size = 0;
            if (chunk == 0) {
                m_state = State::Trailers;
                break;
            }
            if (m_received + chunk > m_max_body) {
                    return too_large();
            }
            m_remaining = chunk;
            m_state = State::ChunkData;
            break;
        }
        case State::ChunkDataEnd: {
            bool overflow = false;
            if (!take_line(data, end, overflow))
                break;
            if (m_line_size != 0)
                return fail("the response has a chunk longer than its size");
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailers: {
            bool overflow = false;
            if (!take_line(data, end, overflow))
                break;
            bool empty = m_line_size == 0;
            m_line_size = 0;
            if (empty)
                m_state = State::Done;
            break;
        }
        case State::Done:
            return Progress::Done;
        case State::Failed:
            return m_too_large ? Progress::TooLarge : Progress::Failed;
        }
    }
    if (m_state == State::Done)
        return Progress::Done;
    if (m_state == State::Failed)
        return m_too_large ? Progress::TooLarge : Progress::Failed;
    return Progress::NeedMore;
}

Progress ResponseParser::end_of_stream()
{
    switch (m_state) {
    case State::UntilClose:
        m_state = State::Done;
        return Progress::Done;
    case State::Done:
        return Progress::Done;
    case State::Failed:
        return m_too_large ? Progress::TooLarge : Progress::Failed;
    case State::Head:
        return fail(m_head_size == 0 ? "the gateway closed the connection without answering" : "the response ends inside its head");
    default:
        return fail("the response ends before its body does");
    }
}

} // namespace http_loader
