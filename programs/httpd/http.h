// The HTTP/1.1 logic of httpd (RFC 9112 message syntax, RFC 9110 semantics), with no I/O and no
// standard library, so that the same code runs in the wasm server (main.cpp, over the hashos
// SDK) and in its native twin (bench/httpd/native_httpd.cpp, over POSIX) that the benchmark
// compares it with. Plain functions over caller-owned buffers.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace httpd {

constexpr size_t k_max_head = 8192; // request line and headers
constexpr size_t k_max_path = 1024;

enum class Method : uint8_t { Get, Head, Other };

struct Request {
    Method method = Method::Other;
    // The target's path, percent-decoded, starting with '/', without query or fragment.
    char path[k_max_path + 1] = {};
    bool keep_alive = true;
    size_t head_size = 0;    // bytes of the request line and headers, CRLFCRLF included
    uint64_t body_size = 0;  // Content-Length of a body to skip
};

enum class Parse : uint8_t {
    Incomplete, // more bytes are needed
    Complete,
    Bad,        // answer 400 and close
    TooLarge,   // the head is over k_max_head: 431 and close
};

Parse parse_request(const char* data, size_t size, Request& request);

// "text/html; charset=utf-8" for "/index.html"; application/octet-stream when unknown.
const char* content_type(const char* path);

// The status line and headers of a response, into `out`; its length, 0 if it does not fit.
size_t response_head(char* out, size_t capacity, int status, const char* type, uint64_t length, bool keep_alive);

// A whole small response for an error status (a short text body; none for HEAD): 400, 404, 405
// (with Allow), 431, 500. With `location`, a 301 to it.
size_t error_response(char* out, size_t capacity, int status, bool keep_alive, bool head_only, const char* location = nullptr);

} // namespace httpd
