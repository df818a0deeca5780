// HttpTransfers: several HTTP GETs at once over one libcurl multi handle, driven by run() on the
// calling thread (no threads of its own). The fetcher's transport; knows nothing of IPFS.
// https://curl.se/libcurl/c/libcurl-multi.html
//
// Each transfer reports through its handlers, all called on the thread inside run():
// on_response once (status and Content-Type, before any body byte, or at the end for an empty
// body), on_body for each piece of the body, on_done once at the end. An error from on_response
// or on_body aborts that transfer, and on_done gets it as a Rejected result. on_done may start
// new transfers. Redirects are followed (http and https only).
//
// A dead peer costs little: connecting gives up after connect_timeout, and a transfer that moves
// fewer than stall_bytes_per_second for stall_timeout is abandoned.
#pragma once

#include "base/result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace hashos::net {

struct TransferOptions {
    std::chrono::milliseconds connect_timeout { 1500 };
    std::chrono::milliseconds stall_timeout { 5000 };
    long stall_bytes_per_second = 1024;
};

struct TransferResult {
    enum class Kind {
        Complete,     // the whole response arrived and the handlers accepted it
        NetworkError, // no connection, a timeout, or the connection broke
        Rejected,     // on_response or on_body returned an error (in `message`)
    };
    Kind kind = Kind::Complete;
    long status = 0;        // the HTTP status, 0 if no response arrived
    bool timed_out = false; // a NetworkError by the connect timeout or the stall limit
    uint64_t body_bytes = 0;
    std::string message;
};

struct TransferHandlers {
    std::function<Result<void>(long status, std::string_view content_type)> on_response;
    std::function<Result<void>(std::span<const uint8_t>)> on_body;
    std::function<void(const TransferResult&)> on_done;
};

class HttpTransfers {
public:
    static Result<HttpTransfers> create(const TransferOptions& options);
    HttpTransfers(HttpTransfers&&) noexcept;
    HttpTransfers& operator=(HttpTransfers&&) noexcept;
    ~HttpTransfers();

    Result<void> start(const std::string& url, const std::string& accept, TransferHandlers handlers);
    // Runs until no transfer is left.
    Result<void> run();
    // Abandons every transfer without calling its handlers. Not from inside a handler: use
    // request_stop() there.
    void cancel_all();
    // Makes run() abandon every transfer and return at its next step; safe from any handler.
    void request_stop() { m_stop_requested = true; }
    size_t active() const { return m_transfers.size(); }

    struct Transfer;

private:
    HttpTransfers(void* multi, const TransferOptions& options);
    void finish(void* easy, int code);

    void* m_multi = nullptr; // CURLM*, kept opaque so users need not include curl.h
    TransferOptions m_options;
    std::map<void*, std::unique_ptr<Transfer>> m_transfers;
    bool m_stop_requested = false;
};

} // namespace hashos::net
