// http-loader: a wasm program that handles `loader` (interfaces/loader.proto) in place of the
// kernel's native loader, fetching each program from IPFS trustless gateways over the `tcp`
// interface (plain HTTP/1.1) and verifying it itself: it hashes the bytes with its own SHA-256
// and answers only when they match the CID. Neither the host nor the gateways are trusted.
//
//     [[program]]                      # in a boot file (docs/config.md, "A wasm loader")
//     file = "http-loader.wasm"
//     handles = ["loader"]
//     allow = ["tcp"]
//     arguments = ["--gateway", "127.0.0.1:8080", "--gateway", "http://10.0.0.2:8080"]
//
// Gateways are tried in order; one that fails, times out or sends bytes that do not match the
// CID is skipped for that request, and the answer is an error only when none provides them. Each
// Load is a coroutine, so requests from several programs are served at once. Raw blocks only
// (every program up to 1 MiB is one): a dag-pb CID is answered "DAG not supported".
#include "cid.h"
#include "gateway.h"
#include "hashos/hashos.hpp"
#include "http_response.h"

namespace {

using namespace http_loader;

using Load = hashos::Method<hashos_loader_Loader_Load_Request, hashos_loader_Loader_Load_Response>;
constexpr Load k_load = HASHOS_METHOD(hashos_loader_Loader, Load);
// An answer is one message: the content plus the LoadResponse's field header.
constexpr uint64_t k_largest_content = HASHOS_MAX_BODY_SIZE - 16;
constexpr uint32_t k_read_size = 64 * 1024;
constexpr size_t k_max_gateways = 16;

struct Settings {
    Gateway gateways[k_max_gateways];
    size_t gateway_count = 0;
    uint64_t timeout_ns = 30'000'000'000; // per gateway, from connect to the last byte
};
Settings g_settings;

// The body of a response, in a buffer that grows as it arrives, hashed on the way.
class Content final : public BodySink {
public:
    ~Content() { free(m_data); }

    bool append(const uint8_t* data, size_t size) override
    {
        if (m_size + size > m_capacity) {
            size_t capacity = m_capacity ? m_capacity : 64 * 1024;
            while (capacity < m_size + size)
                capacity *= 2;
            auto* grown = static_cast<uint8_t*>(realloc(m_data, capacity));
            if (!grown)
                return false;
            m_data = grown;
            m_capacity = capacity;
        }
        memcpy(m_data + m_size, data, size);
        m_size += size;
        m_hash.update(data, size);
        return true;
    }
    const char* reason() const override { return "out of memory for the content"; }

    bool matches(const ContentId& cid)
    {
        uint8_t digest[k_sha256_size];
        m_hash.finish(digest);
        return memcmp(digest, cid.digest, k_sha256_size) == 0;
    }
    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }

private:
    uint8_t* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
    Sha256 m_hash;
};

enum class Outcome : uint8_t { Verified, Failed, TooLarge };

void close_socket(uint64_t socket)
{
    hashos_tcp_CloseRequest request = { socket };
    hashos_send(hashos_tcp_Tcp_hash, hashos_tcp_Tcp_METHOD_Close, hashos_tcp_CloseRequest_fields, &request, 0, nullptr);
}

// One attempt's deadline, shared by the attempt and its timer: whichever finishes last frees it.
struct Deadline {
    uint64_t socket = 0;
    bool connected = false;
    bool finished = false;
    bool expired = false;
    int owners = 2;
};

void release(Deadline* deadline)
{
    if (--deadline->owners == 0)
        delete deadline;
}

// Closing the socket answers the attempt's waiting Read (CANCELLED), which then gives up.
// FIXME: a Connect that hangs is bounded only by the host's own connect timeout: withdrawing it
// would need the event loop to forget a pending call, which it cannot yet.
hashos::Task<> expire(Deadline* deadline)
{
    co_await hashos::sleep_for(g_settings.timeout_ns);
    if (!deadline->finished) {
        deadline->expired = true;
        if (deadline->connected)
            close_socket(deadline->socket);
        deadline->connected = false;
    }
    release(deadline);
}

// The error answer's text, when a call failed.
const char* error_text(int32_t status) { return status > 0 ? hashos_last_error()->message : hashos_status_name(status); }

// Fetches the raw block `cid_text` from `gateway` into `content`, and checks it against `cid`.
// On failure `why` says what went wrong.
hashos::Task<Outcome> fetch_from(const Gateway& gateway, const char* cid_text, const ContentId& cid, uint64_t limit,
    Content& content, char* why, size_t why_capacity)
{
    auto* deadline = new Deadline;
    hashos::EventLoop::current().spawn(expire(deadline));
    struct Finish {
        Deadline* deadline;
        ~Finish()
        {
            deadline->finished = true;
            if (deadline->connected)
                close_socket(deadline->socket);
            release(deadline);
        }
    } finish { deadline };
    auto timed_out = [&] {
        hashos_format(why, why_capacity, "no complete answer within %llu ms", (unsigned long long)(g_settings.timeout_ns / 1'000'000));
        return Outcome::Failed;
    };

    hashos_tcp_ConnectRequest connect = hashos_tcp_ConnectRequest_init_zero;
    connect.has_address = true;
    memcpy(connect.address.host, gateway.host, strlen(gateway.host) + 1);
    connect.address.port = gateway.port;
    auto connected = co_await hashos::call(HASHOS_METHOD(hashos_tcp_Tcp, Connect), connect);
    if (!connected.ok()) {
        hashos_format(why, why_capacity, "cannot connect: %s", error_text(connected.status));
        co_return Outcome::Failed;
    }
    deadline->socket = connected->socket;
    deadline->connected = true;
    if (deadline->expired)
        co_return timed_out();

    char request[1024];
    size_t request_size = format_block_request(gateway, cid_text, request, sizeof(request));
    hashos_tcp_WriteRequest write = hashos_tcp_WriteRequest_init_zero;
    write.socket = deadline->socket;
    hashos_pb_bytes out = { request, request_size, request_size };
    write.data = hashos_pb_bytes_out(&out);
    auto written = co_await hashos::call(HASHOS_METHOD(hashos_tcp_Tcp, Write), write);
    if (!written.ok()) {
        if (deadline->expired)
            co_return timed_out();
        hashos_format(why, why_capacity, "cannot send the request: %s", error_text(written.status));
        co_return Outcome::Failed;
    }

    auto* parser = new ResponseParser(limit);
    auto* buffer = static_cast<uint8_t*>(malloc(k_read_size));
    Outcome outcome = Outcome::Failed;
    Progress progress = Progress::NeedMore;
    while (buffer && progress == Progress::NeedMore) {
        hashos_tcp_ReadRequest read = { deadline->socket, k_read_size };
        hashos_pb_bytes in = { buffer, 0, k_read_size };
        hashos_tcp_ReadResponse prepared = hashos_tcp_ReadResponse_init_zero;
        prepared.data = hashos_pb_bytes_in(&in);
        auto answer = co_await hashos::call_into(HASHOS_METHOD(hashos_tcp_Tcp, Read), read, prepared);
        if (!answer.ok()) {
            if (deadline->expired)
                timed_out();
            else
                hashos_format(why, why_capacity, "the connection failed: %s", error_text(answer.status));
            break;
        }
        progress = in.size > 0 ? parser->feed(buffer, in.size, content) : Progress::NeedMore;
        if (progress == Progress::NeedMore && answer->end)
            progress = parser->end_of_stream();
        // A refusal needs no body: stop at the head.
        if (parser->has_head() && parser->status() != 200) {
            hashos_format(why, why_capacity, "HTTP %d", parser->status());
            break;
        }
        if (progress == Progress::Failed) {
            hashos_format(why, why_capacity, "bad HTTP response: %s", parser->error());
        } else if (progress == Progress::TooLarge) {
            hashos_format(why, why_capacity, "the block is over the limit of %llu bytes", (unsigned long long)limit);
            outcome = Outcome::TooLarge;
        } else if (progress == Progress::Done) {
            if (content.matches(cid))
                outcome = Outcome::Verified;
            else
                hashos_format(why, why_capacity, "sent %zu bytes that do not match the CID", content.size());
        }
    }
    if (!buffer)
        hashos_format(why, why_capacity, "out of memory");
    free(buffer);
    delete parser;
    co_return outcome;
}

// Appends "; NAME: REASON" to the summary of failures (cut at the error message's 255 bytes).
void note_failure(char* summary, size_t capacity, const Gateway& gateway, const char* reason)
{
    size_t used = strlen(summary);
    if (used + 1 < capacity)
        hashos_format(summary + used, capacity - used, "%s%s: %s", used ? "; " : "", gateway.name, reason);
}

hashos::Task<> load(hashos::Request<Load> request)
{
    const char* cid_text = request->cid;
    ContentId cid;
    if (const char* invalid = parse_cid(cid_text, cid)) {
        char text[256];
        hashos_format(text, sizeof(text), "http-loader: '%s' is not a CID it supports: %s", cid_text, invalid);
        request.fail(hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, text);
        co_return;
    }
    if (cid.codec != k_codec_raw) {
        char text[256];
        hashos_format(text, sizeof(text), "http-loader: %s is a dag-pb DAG: DAG not supported by http-loader (raw blocks only)", cid_text);
        request.fail(hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, text);
        co_return;
    }
    uint64_t limit = request->max_size == 0 || request->max_size > k_largest_content ? k_largest_content : request->max_size;

    char summary[256] = "";
    bool too_large = false;
    for (size_t i = 0; i < g_settings.gateway_count; ++i) {
        const Gateway& gateway = g_settings.gateways[i];
        auto* content = new Content;
        char why[160] = "";
        Outcome outcome = co_await fetch_from(gateway, cid_text, cid, limit, *content, why, sizeof(why));
        if (outcome == Outcome::Verified) {
            hashos_loader_LoadResponse response = hashos_loader_LoadResponse_init_zero;
            hashos_pb_bytes bytes = { const_cast<uint8_t*>(content->data()), content->size(), content->size() };
            response.content = hashos_pb_bytes_out(&bytes);
            request.answer(response);
            delete content;
            co_return;
        }
        delete content;
        too_large = too_large || outcome == Outcome::TooLarge;
        hashos_log_format(hashos_log_Level_LEVEL_WARNING, "%s from gateway %s: %s", cid_text, gateway.name, why);
        note_failure(summary, sizeof(summary), gateway, why);
    }
    char text[256];
    hashos_format(text, sizeof(text), "http-loader: no gateway provided %s (%s)", cid_text, summary);
    request.fail(too_large ? hashos_ErrorCode_ERROR_CODE_RESOURCE_EXHAUSTED : hashos_ErrorCode_ERROR_CODE_NOT_FOUND, text);
}

bool parse_number(const char* text, uint64_t& value)
{
    value = 0;
    if (!*text)
        return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9' || value > 1'000'000'000)
            return false;
        value = value * 10 + uint64_t(*text - '0');
    }
    return true;
}

// --gateway ADDRESS (repeatable, tried in order) and --timeout-ms N; false after logging why not.
bool parse_arguments(const hashos_environment* environment)
{
    for (uint32_t i = 0; i < environment->argument_count; ++i) {
        const char* argument = environment->arguments[i];
        const char* value = i + 1 < environment->argument_count ? environment->arguments[++i] : nullptr;
        if (strcmp(argument, "--gateway") == 0 && value) {
            if (g_settings.gateway_count == k_max_gateways) {
                hashos_log_format(hashos_log_Level_LEVEL_ERROR, "at most %zu gateways", k_max_gateways);
                return false;
            }
            if (const char* invalid = parse_gateway(value, g_settings.gateways[g_settings.gateway_count])) {
                hashos_log_format(hashos_log_Level_LEVEL_ERROR, "--gateway %s: %s", value, invalid);
                return false;
            }
            ++g_settings.gateway_count;
        } else if (strcmp(argument, "--timeout-ms") == 0 && value) {
            uint64_t milliseconds = 0;
            if (!parse_number(value, milliseconds) || milliseconds == 0) {
                hashos_log_format(hashos_log_Level_LEVEL_ERROR, "--timeout-ms %s: not a positive number of milliseconds", value);
                return false;
            }
            g_settings.timeout_ns = milliseconds * 1'000'000;
        } else {
            hashos_log_format(hashos_log_Level_LEVEL_ERROR, "unknown or incomplete argument '%s'", argument);
            return false;
        }
    }
    if (g_settings.gateway_count == 0) {
        hashos_log_write(hashos_log_Level_LEVEL_ERROR, "no gateway: give at least one --gateway HOST:PORT");
        return false;
    }
    return true;
}

} // namespace

int main()
{
    hashos_environment* environment = nullptr;
    int32_t status = hashos_environment_get(&environment);
    if (status != HASHOS_OK)
        return 1;
    bool ok = parse_arguments(environment);
    hashos_environment_free(environment);
    if (!ok) {
        hashos_log_write(hashos_log_Level_LEVEL_ERROR,
            "usage: http-loader --gateway [http://]HOST[:PORT][/BASE]... [--timeout-ms N]");
        return 2;
    }
    hashos::EventLoop loop;
    loop.handle(k_load, load);
    return loop.run();
}
