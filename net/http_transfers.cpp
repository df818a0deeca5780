#include "net/http_transfers.h"

#include <curl/curl.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace hashos::net {

struct HttpTransfers::Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    TransferHandlers handlers;
    bool responded = false;
    uint64_t body_bytes = 0;
    std::optional<Error> rejection;
    char error_buffer[CURL_ERROR_SIZE] = {};

    ~Transfer()
    {
        if (easy)
            curl_easy_cleanup(easy);
        if (headers)
            curl_slist_free_all(headers);
    }

    long status() const
    {
        long code = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        return code;
    }

    // Calls on_response once; false if it refused the response.
    bool respond()
    {
        if (responded)
            return !rejection;
        responded = true;
        const char* content_type = nullptr;
        curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type);
        if (handlers.on_response) {
            auto accepted = handlers.on_response(status(), content_type ? content_type : "");
            if (accepted.is_error())
                rejection = accepted.release_error();
        }
        return !rejection;
    }
};

namespace {

CURLM* multi_of(void* multi)
{
    return static_cast<CURLM*>(multi);
}

// libcurl asks every program to initialise it once before any other call, from one thread.
Result<void> initialise_curl()
{
    static CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK)
        return Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(code));
    return {};
}

size_t write_body(char* data, size_t size, size_t count, void* user)
{
    auto& transfer = *static_cast<HttpTransfers::Transfer*>(user);
    size_t total = size * count;
    if (!transfer.respond())
        return 0; // anything but `total` makes libcurl abort the transfer
    transfer.body_bytes += total;
    if (transfer.handlers.on_body) {
        auto accepted = transfer.handlers.on_body({ reinterpret_cast<const uint8_t*>(data), total });
        if (accepted.is_error()) {
            transfer.rejection = accepted.release_error();
            return 0;
        }
    }
    return total;
}

} // namespace

Result<HttpTransfers> HttpTransfers::create(const TransferOptions& options)
{
    TRY(initialise_curl());
    CURLM* multi = curl_multi_init();
    if (!multi)
        return Error("cannot create a libcurl multi handle");
    return HttpTransfers(multi, options);
}

HttpTransfers::HttpTransfers(void* multi, const TransferOptions& options)
    : m_multi(multi)
    , m_options(options)
{
}

HttpTransfers::HttpTransfers(HttpTransfers&& other) noexcept
    : m_multi(std::exchange(other.m_multi, nullptr))
    , m_options(other.m_options)
    , m_transfers(std::move(other.m_transfers))
    , m_stop_requested(other.m_stop_requested)
{
}

HttpTransfers& HttpTransfers::operator=(HttpTransfers&& other) noexcept
{
    if (this != &other) {
        cancel_all();
        if (m_multi)
            curl_multi_cleanup(multi_of(m_multi));
        m_multi = std::exchange(other.m_multi, nullptr);
        m_options = other.m_options;
        m_transfers = std::move(other.m_transfers);
    }
    return *this;
}

HttpTransfers::~HttpTransfers()
{
    cancel_all();
    if (m_multi)
        curl_multi_cleanup(multi_of(m_multi));
}

Result<void> HttpTransfers::start(const std::string& url, const std::string& accept, TransferHandlers handlers)
{
    auto transfer = std::make_unique<Transfer>();
    transfer->handlers = std::move(handlers);
    transfer->easy = curl_easy_init();
    if (!transfer->easy)
        return Error("cannot create a libcurl handle");
    transfer->headers = curl_slist_append(nullptr, ("Accept: " + accept).c_str());
    CURL* easy = transfer->easy;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error_buffer);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L); // no SIGALRM for timeouts: we may be in a threaded program
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(m_options.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, m_options.stall_bytes_per_second);
    // libcurl counts the stall in whole seconds.
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, std::max(1L, long((m_options.stall_timeout.count() + 999) / 1000)));
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "hashos");
    // Bigger reads than the 16 KiB default: a CAR of 1 MiB blocks streams in fewer callbacks.
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024);
    auto code = curl_multi_add_handle(multi_of(m_multi), easy);
    if (code != CURLM_OK)
        return Error(std::string("cannot start a transfer: ") + curl_multi_strerror(code));
    m_transfers.emplace(easy, std::move(transfer));
    return {};
}

void HttpTransfers::finish(void* easy, int code)
{
    auto found = m_transfers.find(easy);
    if (found == m_transfers.end())
        return;
    auto transfer = std::move(found->second);
    m_transfers.erase(found);
    curl_multi_remove_handle(multi_of(m_multi), transfer->easy);

    TransferResult result;
    result.status = transfer->status();
    if (code == CURLE_OK)
        transfer->respond(); // an empty body never reached write_body
    result.body_bytes = transfer->body_bytes;
    if (transfer->rejection) {
        result.kind = TransferResult::Kind::Rejected;
        result.message = transfer->rejection->message();
    } else if (code != CURLE_OK) {
        result.kind = TransferResult::Kind::NetworkError;
        result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
        result.message = transfer->error_buffer[0] ? transfer->error_buffer : curl_easy_strerror(CURLcode(code));
    }
    if (transfer->handlers.on_done)
        transfer->handlers.on_done(result);
}

Result<void> HttpTransfers::run()
{
    while (!m_transfers.empty() && !m_stop_requested) {
        int running = 0;
        auto code = curl_multi_perform(multi_of(m_multi), &running);
        if (code != CURLM_OK)
            return Error(std::string("libcurl: ") + curl_multi_strerror(code));
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi_of(m_multi), &queued)) {
            if (message->msg == CURLMSG_DONE)
                finish(message->easy_handle, message->data.result);
        }
        if (m_transfers.empty() || m_stop_requested)
            break;
        code = curl_multi_poll(multi_of(m_multi), nullptr, 0, 100, nullptr);
        if (code != CURLM_OK)
            return Error(std::string("libcurl: ") + curl_multi_strerror(code));
    }
    if (m_stop_requested)
        cancel_all();
    m_stop_requested = false;
    return {};
}

void HttpTransfers::cancel_all()
{
    for (auto& [easy, transfer] : m_transfers)
        curl_multi_remove_handle(multi_of(m_multi), transfer->easy);
    m_transfers.clear();
}

} // namespace hashos::net
