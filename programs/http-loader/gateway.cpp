#include "gateway.h"

namespace http_loader {

namespace {

bool starts_with(const char* text, const char* prefix)
{
    for (; *prefix; ++text, ++prefix) {
        if (*text != *prefix)
            return false;
    }
    return true;
}

// Appends to a bounded buffer, remembering whether everything fitted.
struct Writer {
    char* out;
    size_t capacity;
    size_t size = 0;
    bool fits = true;

    Writer& operator<<(const char* text)
    {
        for (; *text; ++text) {
            if (size + 1 >= capacity) {
                fits = false;
                return *this;
            }
            out[size++] = *text;
        }
        out[size] = '\0';
        return *this;
    }
    Writer& operator<<(uint32_t number)
    {
        char digits[12];
        size_t count = 0;
        do {
            digits[count++] = char('0' + number % 10);
            number /= 10;
        } while (number > 0);
        char text[12];
        for (size_t i = 0; i < count; ++i)
            text[i] = digits[count - 1 - i];
        text[count] = '\0';
        return *this << text;
    }
};

// HOST:PORT as a Host header or a URL has it: an IPv6 literal in brackets.
void write_authority(Writer& writer, const Gateway& gateway)
{
    bool ipv6 = false;
    for (const char* c = gateway.host; *c; ++c)
        ipv6 = ipv6 || *c == ':';
    if (ipv6)
        writer << "[" << gateway.host << "]";
    else
        writer << gateway.host;
    writer << ":" << gateway.port;
}

} // namespace

const char* parse_gateway(const char* text, Gateway& out)
{
    if (starts_with(text, "https://"))
        return "https is not supported: http-loader speaks plain HTTP (the bytes are verified against their CID all the same)";
    if (starts_with(text, "http://"))
        text += 7;
    const char* host = text;
    const char* host_end;
    const char* rest;
    if (*text == '[') {
        host = text + 1;
        host_end = host;
        while (*host_end && *host_end != ']')
            ++host_end;
        if (*host_end != ']')
            return "an IPv6 address misses its closing ']'";
        rest = host_end + 1;
    } else {
        host_end = text;
        while (*host_end && *host_end != ':' && *host_end != '/')
            ++host_end;
        rest = host_end;
    }
    size_t host_size = size_t(host_end - host);
    if (host_size == 0)
        return "no host";
    if (host_size >= sizeof(out.host))
        return "the host name is too long";
    for (size_t i = 0; i < host_size; ++i) {
        char c = host[i];
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == ':';
        if (!allowed)
            return "the host has a character a host name cannot have";
    }
    for (size_t i = 0; i < host_size; ++i)
        out.host[i] = host[i];
    out.host[host_size] = '\0';

    out.port = 80;
    if (*rest == ':') {
        ++rest;
        uint32_t port = 0;
        size_t digits = 0;
        for (; *rest >= '0' && *rest <= '9'; ++rest, ++digits) {
            port = port * 10 + uint32_t(*rest - '0');
            if (port > 65535)
                return "the port is over 65535";
        }
        if (digits == 0 || port == 0)
            return "no port after ':'";
        out.port = port;
    }
    if (*rest && *rest != '/')
        return "expected [http://]HOST[:PORT][/BASE]";
    size_t base_size = __builtin_strlen(rest);
    while (base_size > 0 && rest[base_size - 1] == '/')
        --base_size;
    if (base_size >= sizeof(out.base_path))
        return "the base path is too long";
    for (size_t i = 0; i < base_size; ++i) {
        char c = rest[i];
        // Sent as it is in the request line: no spaces, controls, queries or fragments.
        if (c <= ' ' || c >= 0x7f || c == '?' || c == '#')
            return "the base path has a character a request target cannot have";
        out.base_path[i] = c;
    }
    out.base_path[base_size] = '\0';

    Writer name { out.name, sizeof(out.name) };
    name << "http://";
    write_authority(name, out);
    name << out.base_path;
    return nullptr;
}

size_t format_block_request(const Gateway& gateway, const char* cid, char* out, size_t capacity)
{
    Writer writer { out, capacity };
    writer << "GET " << gateway.base_path << "/ipfs/" << cid << "?format=raw HTTP/1.1\r\n"
           << "Host: ";
    write_authority(writer, gateway);
    // One request per connection: the response then ends where the connection does, whatever
    // framing the gateway picks.
    writer << "\r\nAccept: application/vnd.ipld.raw\r\n"
           << "User-Agent: hashos-http-loader\r\n"
           << "Connection: close\r\n\r\n";
    return writer.fits ? writer.size : 0;
}

} // namespace http_loader
