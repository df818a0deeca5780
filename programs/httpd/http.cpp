#include "http.h"

namespace httpd {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool equal_ignoring_case(const char* a, size_t a_size, const char* b)
{
    size_t b_size = __builtin_strlen(b);
    if (a_size != b_size)
        return false;
    for (size_t i = 0; i < a_size; ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

// Whether the comma-separated header value holds `token` (Connection: keep-alive, Upgrade).
bool has_token(const char* value, size_t size, const char* token)
{
    size_t start = 0;
    while (start < size) {
        size_t end = start;
        while (end < size && value[end] != ',')
            ++end;
        size_t first = start, last = end;
        while (first < last && (value[first] == ' ' || value[first] == '\t'))
            ++first;
        while (last > first && (value[last - 1] == ' ' || value[last - 1] == '\t'))
            --last;
        if (equal_ignoring_case(value + first, last - first, token))
            return true;
        start = end + 1;
    }
    return false;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The origin-form path of a target, percent-decoded. Refuses NUL, control characters and ".."
// segments: the files interface would confine them anyway, but a server should not ask.
bool decode_path(const char* target, size_t size, char* out)
{
    // absolute-form (RFC 9112 3.2.2): "http://host/path" → "/path".
    if (size > 7 && equal_ignoring_case(target, 7, "http://")) {
        size_t slash = 7;
        while (slash < size && target[slash] != '/')
            ++slash;
        if (slash == size)
            return false;
        target += slash;
        size -= slash;
    }
    if (size == 0 || target[0] != '/')
        return false;
    size_t written = 0;
    for (size_t i = 0; i < size; ++i) {
        char c = target[i];
        if (c == '?' || c == '#')
            break;
        if (c == '%') {
            if (i + 2 >= size)
                return false;
            int high = hex_value(target[i + 1]);
            int low = hex_value(target[i + 2]);
            if (high < 0 || low < 0)
                return false;
            c = char(high * 16 + low);
            i += 2;
        }
        if ((unsigned char)c < 0x20 || c == 0x7f)
            return false;
        if (written == k_max_path)
            return false;
        out[written++] = c;
    }
    out[written] = '\0';
    // No ".." segment.
    size_t segment = 1;
    for (size_t i = 1; i <= written; ++i) {
        if (i == written || out[i] == '/') {
            if (i - segment == 2 && out[segment] == '.' && out[segment + 1] == '.')
                return false;
            segment = i + 1;
        }
    }
    return true;
}

bool parse_decimal(const char* text, size_t size, uint64_t& value)
{
    if (size == 0 || size > 18)
        return false;
    value = 0;
    for (size_t i = 0; i < size; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + uint64_t(text[i] - '0');
    }
    return true;
}

// Appends to a bounded buffer; `ok` turns false once something does not fit.
struct Writer {
    char* out;
    size_t capacity;
    size_t size = 0;
    bool ok = true;

    void text(const char* piece)
    {
        size_t n = __builtin_strlen(piece);
        if (size + n > capacity) {
            ok = false;
            return;
        }
        for (size_t i = 0; i < n; ++i)
            out[size + i] = piece[i];
        size += n;
    }
    void number(uint64_t value)
    {
        char digits[21];
        size_t n = 0;
        do {
            digits[n++] = char('0' + value % 10);
            value /= 10;
        } while (value);
        char reversed[21];
        for (size_t i = 0; i < n; ++i)
            reversed[i] = digits[n - 1 - i];
        reversed[n] = '\0';
        text(reversed);
    }
};

const char* reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    default:
        return "Error";
    }
}

} // namespace

Parse parse_request(const char* data, size_t size, Request& request)
{
    // The head ends at the first CRLFCRLF (RFC 9112 2.1; a bare LF is tolerated, 2.2).
    size_t end = 0;
    bool found = false;
    for (size_t i = 0; i < size && i < k_max_head; ++i) {
        if (data[i] != '\n')
            continue;
        if (i >= 1 && data[i - 1] == '\n') {
            end = i + 1;
            found = true;
            break;
        }
        if (i >= 2 && data[i - 1] == '\r' && data[i - 2] == '\n') {
            end = i + 1;
            found = true;
            break;
        }
    }
    if (!found)
        return size >= k_max_head ? Parse::TooLarge : Parse::Incomplete;
    request = Request {};
    request.head_size = end;

    // The request line: method SP target SP version.
    size_t line_end = 0;
    while (data[line_end] != '\n')
        ++line_end;
    size_t line_size = line_end > 0 && data[line_end - 1] == '\r' ? line_end - 1 : line_end;
    size_t first_space = 0;
    while (first_space < line_size && data[first_space] != ' ')
        ++first_space;
    size_t second_space = first_space + 1;
    while (second_space < line_size && data[second_space] != ' ')
        ++second_space;
    if (first_space == 0 || first_space >= line_size || second_space >= line_size)
        return Parse::Bad;
    const char* version = data + second_space + 1;
    size_t version_size = line_size - second_space - 1;
    if (version_size != 8 || !(version[0] == 'H' && version[1] == 'T' && version[2] == 'T' && version[3] == 'P'
            && version[4] == '/' && version[5] == '1' && version[6] == '.' && (version[7] == '0' || version[7] == '1')))
        return Parse::Bad;
    bool http10 = version[7] == '0';
    request.keep_alive = !http10;
    if (first_space == 3 && data[0] == 'G' && data[1] == 'E' && data[2] == 'T')
        request.method = Method::Get;
    else if (first_space == 4 && data[0] == 'H' && data[1] == 'E' && data[2] == 'A' && data[3] == 'D')
        request.method = Method::Head;
    else
        request.method = Method::Other;
    if (!decode_path(data + first_space + 1, second_space - first_space - 1, request.path))
        return Parse::Bad;

    // Headers: only those that change how the connection goes on.
    size_t position = line_end + 1;
    while (position < end) {
        size_t stop = position;
        while (data[stop] != '\n')
            ++stop;
        size_t size_of_line = stop > position && data[stop - 1] == '\r' ? stop - 1 - position : stop - position;
        if (size_of_line == 0)
            break;
        const char* line = data + position;
        size_t colon = 0;
        while (colon < size_of_line && line[colon] != ':')
            ++colon;
        // No space before the colon (RFC 9112 5.1), and a name at all.
        if (colon == 0 || colon == size_of_line || line[colon - 1] == ' ' || line[colon - 1] == '\t')
            return Parse::Bad;
        const char* value = line + colon + 1;
        size_t value_size = size_of_line - colon - 1;
        while (value_size && (*value == ' ' || *value == '\t')) {
            ++value;
            --value_size;
        }
        while (value_size && (value[value_size - 1] == ' ' || value[value_size - 1] == '\t'))
            --value_size;
        if (equal_ignoring_case(line, colon, "connection")) {
            if (has_token(value, value_size, "close"))
                request.keep_alive = false;
            else if (has_token(value, value_size, "keep-alive"))
                request.keep_alive = true;
        } else if (equal_ignoring_case(line, colon, "content-length")) {
            if (!parse_decimal(value, value_size, request.body_size))
                return Parse::Bad;
        } else if (equal_ignoring_case(line, colon, "transfer-encoding")) {
            // A chunked body we would have to parse to find the next request: refuse it.
            return Parse::Bad;
        }
        position = stop + 1;
    }
    return Parse::Complete;
}

const char* content_type(const char* path)
{
    size_t size = __builtin_strlen(path);
    size_t dot = size;
    while (dot > 0 && path[dot - 1] != '.' && path[dot - 1] != '/')
        --dot;
    if (dot == 0 || path[dot - 1] != '.')
        return "application/octet-stream";
    const char* extension = path + dot;
    size_t extension_size = size - dot;
    struct Type {
        const char* extension;
        const char* type;
    };
    static const Type types[] = {
        { "html", "text/html; charset=utf-8" },
        { "htm", "text/html; charset=utf-8" },
        { "css", "text/css; charset=utf-8" },
        { "js", "text/javascript; charset=utf-8" },
        { "mjs", "text/javascript; charset=utf-8" },
        { "json", "application/json" },
        { "txt", "text/plain; charset=utf-8" },
        { "md", "text/markdown; charset=utf-8" },
        { "xml", "application/xml" },
        { "svg", "image/svg+xml" },
        { "png", "image/png" },
        { "jpg", "image/jpeg" },
        { "jpeg", "image/jpeg" },
        { "gif", "image/gif" },
        { "webp", "image/webp" },
        { "ico", "image/vnd.microsoft.icon" },
        { "wasm", "application/wasm" },
        { "pdf", "application/pdf" },
        { "woff2", "font/woff2" },
        { "bin", "application/octet-stream" },
    };
    for (auto const& type : types) {
        if (equal_ignoring_case(extension, extension_size, type.extension))
            return type.type;
    }
    return "application/octet-stream";
}

size_t response_head(char* out, size_t capacity, int status, const char* type, uint64_t length, bool keep_alive)
{
    Writer writer { out, capacity };
    writer.text("HTTP/1.1 ");
    writer.number(uint64_t(status));
    writer.text(" ");
    writer.text(reason(status));
    writer.text("\r\nServer: hashos-httpd\r\nContent-Type: ");
    writer.text(type);
    writer.text("\r\nContent-Length: ");
    writer.number(length);
    writer.text(keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    return writer.ok ? writer.size : 0;
}

size_t error_response(char* out, size_t capacity, int status, bool keep_alive, bool head_only, const char* location)
{
    Writer writer { out, capacity };
    char body[64];
    Writer body_writer { body, sizeof(body) - 1 };
    body_writer.number(uint64_t(status));
    body_writer.text(" ");
    body_writer.text(reason(status));
    body_writer.text("\n");
    body[body_writer.size] = '\0';
    writer.text("HTTP/1.1 ");
    writer.number(uint64_t(status));
    writer.text(" ");
    writer.text(reason(status));
    writer.text("\r\nServer: hashos-httpd\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    writer.number(body_writer.size);
    if (status == 405)
        writer.text("\r\nAllow: GET, HEAD");
    if (location) {
        writer.text("\r\nLocation: ");
        writer.text(location);
    }
    writer.text(keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    if (!head_only)
        writer.text(body);
    return writer.ok ? writer.size : 0;
}

} // namespace httpd
