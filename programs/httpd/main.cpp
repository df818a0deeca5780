// httpd: a static-file HTTP/1.1 server for hashos, over the `tcp` and `files` interfaces.
//
//     hashos run --allow tcp --dir SITE:/ httpd.wasm -- --listen 127.0.0.1:8080 [--root /]
//
// serves the guest directory ROOT (default "/": SITE above) with keep-alive, Content-Length and
// Content-Type from the file name; a path ending in '/' serves its index.html, a directory
// without the '/' is redirected to it. Every connection is a coroutine on one EventLoop: a Read
// of the socket is a message whose answer comes when data does, so one wasm thread serves many
// clients. The HTTP logic is http.h, shared with the native twin that bench/httpd compares.
//
// Files stay open for a moment after they are served (an open-file cache, as nginx's
// open_file_cache): a file asked for again within about a second costs one positioned Read
// instead of an Open, a Read and a Close. Its bytes are always read anew, so a file changed in
// place is served changed at once; a file replaced or removed (a new inode at the path) is seen
// within two seconds. `--cache-seconds 0` turns the cache off.
#include "hashos/hashos.hpp"
#include "http.h"

namespace {

constexpr size_t k_buffer_size = httpd::k_max_head;
constexpr uint32_t k_file_chunk = 1u << 20; // files.proto's largest Read

struct Settings {
    char host[64] = "127.0.0.1";
    uint32_t port = 8080;
    char root[256] = "";
    uint32_t cache_seconds = 1;
};
Settings g_settings;

// Fire and forget: nobody waits for a Close to be answered.
void close_file(uint64_t handle)
{
    hashos_files_CloseRequest request = { handle };
    hashos_send(hashos_files_Files_hash, hashos_files_Files_METHOD_Close, hashos_files_CloseRequest_fields, &request, 0, nullptr);
}

void close_socket(uint64_t socket)
{
    hashos_tcp_CloseRequest request = { socket };
    hashos_send(hashos_tcp_Tcp_hash, hashos_tcp_Tcp_METHOD_Close, hashos_tcp_CloseRequest_fields, &request, 0, nullptr);
}

hashos::Task<int32_t> write_all(uint64_t socket, const char* data, size_t size)
{
    hashos_tcp_WriteRequest request = hashos_tcp_WriteRequest_init_zero;
    request.socket = socket;
    hashos_pb_bytes bytes = { const_cast<char*>(data), size, size };
    request.data = hashos_pb_bytes_out(&bytes);
    // The request is encoded when the call is made, so `bytes` need not outlive this line.
    auto answer = co_await hashos::call(HASHOS_METHOD(hashos_tcp_Tcp, Write), request);
    co_return answer.status;
}

hashos::Task<int32_t> write_error(uint64_t socket, int status, bool keep_alive, bool head_only, const char* location = nullptr)
{
    char response[512 + httpd::k_max_path];
    size_t size = httpd::error_response(response, sizeof(response), status, keep_alive, head_only, location);
    co_return co_await write_all(socket, response, size);
}

// The open-file cache: one slot per recently served regular file. A slot is fresh while the
// clock below has ticked at most `cache_seconds` times since it was opened; a slot no longer
// fresh is found no more, and its handle is closed once no response reads from it.
constexpr size_t k_cache_slots = 64;
struct CachedFile {
    char path[sizeof(Settings::root) + httpd::k_max_path + 16];
    uint64_t handle = 0;
    uint64_t size = 0;
    uint32_t opened_at = 0; // g_ticks then
    uint32_t readers = 0;   // responses reading from the handle now
    bool used = false;
    bool changed = false; // its length is no longer the cached one: never fresh again
};
CachedFile g_cache[k_cache_slots];
uint32_t g_ticks = 0;

bool fresh(const CachedFile& slot) { return !slot.changed && g_ticks - slot.opened_at <= g_settings.cache_seconds; }

// Closes a slot's handle if nobody reads from it and it is no longer fresh.
void close_if_done(CachedFile& slot)
{
    if (slot.used && slot.readers == 0 && !fresh(slot)) {
        close_file(slot.handle);
        slot.used = false;
    }
}

// Counts seconds for the cache (one timer message a second) and closes what went stale.
hashos::Task<> tick()
{
    for (;;) {
        if (!(co_await hashos::sleep_for(1'000'000'000)).ok())
            co_return;
        ++g_ticks;
        for (auto& slot : g_cache)
            close_if_done(slot);
    }
}

void release(CachedFile* slot)
{
    --slot->readers;
    close_if_done(*slot);
}

CachedFile* cached(const char* path)
{
    for (auto& slot : g_cache) {
        if (slot.used && fresh(slot) && strcmp(slot.path, path) == 0)
            return &slot;
    }
    return nullptr;
}

// Keeps an open file in the cache, in a free slot or in place of the oldest idle one; nullptr
// (the caller closes the file when done) when the cache is off, the file is too large to be
// read in one message, or every slot is being read.
CachedFile* remember(const char* path, uint64_t handle, uint64_t size)
{
    if (g_settings.cache_seconds == 0 || size >= k_file_chunk)
        return nullptr;
    CachedFile* chosen = nullptr;
    for (auto& slot : g_cache) {
        if (!slot.used) {
            chosen = &slot;
            break;
        }
        if (slot.readers == 0 && (!chosen || slot.opened_at < chosen->opened_at))
            chosen = &slot;
    }
    if (!chosen)
        return nullptr;
    if (chosen->used)
        close_file(chosen->handle);
    memcpy(chosen->path, path, strlen(path) + 1);
    chosen->handle = handle;
    chosen->size = size;
    chosen->opened_at = g_ticks;
    chosen->readers = 0;
    chosen->used = true;
    chosen->changed = false;
    return chosen;
}

// Reads up to `size` bytes of an open file at `offset` into `out`; the count read, or a
// negative status. Positioned, so that several responses may read one cached handle.
hashos::Task<int64_t> read_file(uint64_t handle, uint64_t offset, char* out, uint32_t size)
{
    hashos_files_ReadRequest request = hashos_files_ReadRequest_init_zero;
    request.handle = handle;
    request.size = size;
    request.has_offset = true;
    request.offset = offset;
    hashos_pb_bytes bytes = { out, 0, size };
    hashos_files_ReadResponse prepared = hashos_files_ReadResponse_init_zero;
    prepared.data = hashos_pb_bytes_in(&bytes);
    auto answer = co_await hashos::call_into(HASHOS_METHOD(hashos_files_Files, Read), request, prepared);
    co_return answer.ok() ? int64_t(bytes.size) : -1;
}

// Sends an open file as a 200 response, then releases it: back to its cache slot, or closed
// when it has none.
hashos::Task<int32_t> send_file(uint64_t socket, uint64_t handle, CachedFile* slot, uint64_t size, const char* type, bool keep_alive,
    bool head_only)
{
    if (slot)
        ++slot->readers;
    auto done = [&] {
        if (slot)
            release(slot);
        else
            close_file(handle);
    };
    char head[512];
    size_t head_size = httpd::response_head(head, sizeof(head), 200, type, size, keep_alive);
    if (head_only || size == 0) {
        done();
        co_return co_await write_all(socket, head, head_size);
    }
    // The head and the first chunk go out in one write: one message, one packet for small files.
    uint32_t chunk = size < k_file_chunk ? uint32_t(size) : k_file_chunk;
    char* buffer = static_cast<char*>(malloc(head_size + chunk));
    if (!buffer) {
        done();
        co_return co_await write_error(socket, 500, false, head_only);
    }
    memcpy(buffer, head, head_size);
    size_t prefix = head_size;
    uint64_t left = size;
    int32_t status = HASHOS_OK;
    while (left > 0) {
        uint32_t want = left < chunk ? uint32_t(left) : chunk;
        int64_t got = co_await read_file(handle, size - left, buffer + prefix, want);
        if (got <= 0) {
            // The file shrank or failed after its size was promised: end the connection, so the
            // client sees a short body rather than a wrong one.
            status = HASHOS_E_DECODE;
            break;
        }
        status = co_await write_all(socket, buffer, prefix + size_t(got));
        if (status != HASHOS_OK)
            break;
        left -= uint64_t(got);
        prefix = 0;
    }
    free(buffer);
    done();
    co_return status;
}

// Sends a cached file as a 200 response. It is read whole first, one byte more than its cached
// size so that a change of length shows: then nothing is sent, `changed` is set and the slot is
// forgotten, for the caller to open the file anew.
hashos::Task<int32_t> send_cached(uint64_t socket, CachedFile* slot, const char* type, bool keep_alive, bool head_only, bool& changed)
{
    constexpr size_t k_head_room = 512;
    ++slot->readers;
    uint64_t size = slot->size;
    char* buffer = static_cast<char*>(malloc(k_head_room + size + 1));
    if (!buffer) {
        release(slot);
        co_return co_await write_error(socket, 500, false, head_only);
    }
    int64_t got = co_await read_file(slot->handle, 0, buffer + k_head_room, uint32_t(size + 1));
    if (got != int64_t(size)) {
        slot->changed = true;
        release(slot);
        free(buffer);
        changed = true;
        co_return HASHOS_OK;
    }
    // The head goes just before the body, so that both leave in one write.
    char head[k_head_room];
    size_t head_size = httpd::response_head(head, sizeof(head), 200, type, size, keep_alive);
    char* start = buffer + k_head_room - head_size;
    memcpy(start, head, head_size);
    int32_t status = co_await write_all(socket, start, head_size + (head_only ? 0 : size_t(size)));
    free(buffer);
    release(slot);
    co_return status;
}

// The guest path of a request's file: the root, the request's path, and "index.html" after a
// final '/'.
void file_path(const char* request_path, char* out)
{
    size_t root_size = strlen(g_settings.root);
    size_t path_size = strlen(request_path);
    memcpy(out, g_settings.root, root_size);
    memcpy(out + root_size, request_path, path_size + 1);
    if (request_path[path_size - 1] == '/')
        memcpy(out + root_size + path_size, "index.html", 11);
}

void with_slash(const char* path, char* out)
{
    size_t size = strlen(path);
    memcpy(out, path, size);
    memcpy(out + size, "/", 2);
}

// Answers one parsed request; a status other than ok ends the connection.
hashos::Task<int32_t> respond(uint64_t socket, const httpd::Request& request)
{
    bool head_only = request.method == httpd::Method::Head;
    if (request.method == httpd::Method::Other)
        co_return co_await write_error(socket, 405, request.keep_alive, false);

    char path[sizeof(g_settings.root) + httpd::k_max_path + 16];
    file_path(request.path, path);
    if (CachedFile* slot = cached(path)) {
        bool changed = false;
        int32_t status = co_await send_cached(socket, slot, httpd::content_type(path), request.keep_alive, head_only, changed);
        if (!changed)
            co_return status;
        // Its length changed since it was opened: opened anew below.
    }
    hashos_files_OpenRequest open = hashos_files_OpenRequest_init_zero;
    open.path = hashos_pb_string(path);
    open.read = true;
    auto opened = co_await hashos::call(HASHOS_METHOD(hashos_files_Files, Open), open);
    if (!opened.ok()) {
        bool missing = opened.status == hashos_ErrorCode_ERROR_CODE_NOT_FOUND || opened.status == hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT
            || opened.status == hashos_ErrorCode_ERROR_CODE_PERMISSION_DENIED;
        co_return co_await write_error(socket, missing ? 404 : 500, request.keep_alive, head_only);
    }
    uint64_t handle = opened->handle;
    const hashos_files_FileStat& stat = opened->stat;
    if (stat.kind == hashos_files_Kind_KIND_DIRECTORY) {
        close_file(handle);
        char location[httpd::k_max_path + 2];
        with_slash(request.path, location);
        co_return co_await write_error(socket, 301, request.keep_alive, head_only, location);
    }
    if (stat.kind != hashos_files_Kind_KIND_FILE) {
        close_file(handle);
        co_return co_await write_error(socket, 404, request.keep_alive, head_only);
    }

    CachedFile* slot = remember(path, handle, stat.size);
    co_return co_await send_file(socket, handle, slot, stat.size, httpd::content_type(path), request.keep_alive, head_only);
}

hashos::Task<> serve(uint64_t socket)
{
    // A large file goes out in several writes: without TCP_NODELAY the last piece could wait for
    // the client's delayed ACK.
    hashos_tcp_SetNoDelayRequest no_delay = { socket, true };
    hashos_send(hashos_tcp_Tcp_hash, hashos_tcp_Tcp_METHOD_SetNoDelay, hashos_tcp_SetNoDelayRequest_fields, &no_delay, 0, nullptr);
    char* buffer = static_cast<char*>(malloc(k_buffer_size));
    size_t filled = 0;
    uint64_t skip = 0; // bytes of a request body still to drop
    httpd::Request* request = static_cast<httpd::Request*>(malloc(sizeof(httpd::Request)));
    while (buffer && request) {
        if (skip > 0 && filled > 0) {
            size_t dropped = skip < filled ? size_t(skip) : filled;
            memmove(buffer, buffer + dropped, filled - dropped);
            filled -= dropped;
            skip -= dropped;
        }
        auto parsed = skip > 0 ? httpd::Parse::Incomplete : httpd::parse_request(buffer, filled, *request);
        if (parsed == httpd::Parse::Incomplete) {
            if (filled == k_buffer_size) {
                co_await write_error(socket, 431, false, false);
                break;
            }
            hashos_tcp_ReadRequest read = { socket, uint32_t(k_buffer_size - filled) };
            hashos_pb_bytes bytes = { buffer + filled, 0, k_buffer_size - filled };
            hashos_tcp_ReadResponse prepared = hashos_tcp_ReadResponse_init_zero;
            prepared.data = hashos_pb_bytes_in(&bytes);
            auto answer = co_await hashos::call_into(HASHOS_METHOD(hashos_tcp_Tcp, Read), read, prepared);
            if (!answer.ok() || answer->end || bytes.size == 0)
                break;
            filled += bytes.size;
            continue;
        }
        if (parsed != httpd::Parse::Complete) {
            co_await write_error(socket, parsed == httpd::Parse::TooLarge ? 431 : 400, false, false);
            break;
        }
        if (co_await respond(socket, *request) != HASHOS_OK)
            break;
        memmove(buffer, buffer + request->head_size, filled - request->head_size);
        filled -= request->head_size;
        skip = request->body_size;
        if (!request->keep_alive)
            break;
    }
    free(request);
    free(buffer);
    close_socket(socket);
}

hashos::Task<> accept_loop(uint64_t listener)
{
    for (;;) {
        hashos_tcp_AcceptRequest request = { listener };
        auto accepted = co_await hashos::call(HASHOS_METHOD(hashos_tcp_Tcp, Accept), request);
        if (!accepted.ok()) {
            // Out of descriptors, say: the connection waits in the backlog; try again shortly.
            hashos_log_format(hashos_log_Level_LEVEL_WARNING, "accept failed: %s", hashos_status_name(accepted.status));
            co_await hashos::sleep_for(10'000'000);
            continue;
        }
        hashos::EventLoop::current().spawn(serve(accepted->socket));
    }
}

// --listen HOST:PORT and --root GUEST_PATH.
bool parse_arguments(const hashos_environment* environment)
{
    for (uint32_t i = 0; i < environment->argument_count; ++i) {
        const char* argument = environment->arguments[i];
        const char* value = i + 1 < environment->argument_count ? environment->arguments[i + 1] : nullptr;
        if (strcmp(argument, "--listen") == 0 && value) {
            const char* colon = nullptr;
            for (const char* c = value; *c; ++c) {
                if (*c == ':')
                    colon = c;
            }
            if (!colon || size_t(colon - value) >= sizeof(g_settings.host))
                return false;
            memcpy(g_settings.host, value, size_t(colon - value));
            g_settings.host[colon - value] = '\0';
            uint32_t port = 0;
            for (const char* c = colon + 1; *c; ++c) {
                if (*c < '0' || *c > '9' || port > 65535)
                    return false;
                port = port * 10 + uint32_t(*c - '0');
            }
            if (port > 65535)
                return false;
            g_settings.port = port;
            ++i;
        } else if (strcmp(argument, "--cache-seconds") == 0 && value) {
            uint32_t seconds = 0;
            for (const char* c = value; *c; ++c) {
                if (*c < '0' || *c > '9' || seconds > 3600)
                    return false;
                seconds = seconds * 10 + uint32_t(*c - '0');
            }
            if (!*value || seconds > 3600)
                return false;
            g_settings.cache_seconds = seconds;
            ++i;
        } else if (strcmp(argument, "--root") == 0 && value) {
            size_t size = strlen(value);
            while (size > 0 && value[size - 1] == '/')
                --size; // request paths start with '/'
            if (size >= sizeof(g_settings.root))
                return false;
            memcpy(g_settings.root, value, size);
            g_settings.root[size] = '\0';
            ++i;
        } else {
            return false;
        }
    }
    return true;
}

} // namespace

int main()
{
    hashos_environment* environment = nullptr;
    if (hashos_environment_get(&environment) == HASHOS_OK) {
        bool ok = parse_arguments(environment);
        hashos_environment_free(environment);
        if (!ok) {
            hashos_log_write(hashos_log_Level_LEVEL_ERROR, "usage: httpd [--listen HOST:PORT] [--root GUEST_PATH] [--cache-seconds N]");
            return 2;
        }
    }
    uint64_t listener = 0;
    uint32_t port = 0;
    int32_t status = hashos_tcp_listen(g_settings.host, g_settings.port, &listener, &port);
    if (status != HASHOS_OK) {
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "cannot listen on %s:%u: %s (%s)", g_settings.host,
            (unsigned)g_settings.port, hashos_status_name(status), status > 0 ? hashos_last_error()->message : "");
        return 1;
    }
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "serving %s on http://%s:%u/", g_settings.root[0] ? g_settings.root : "/",
        g_settings.host, (unsigned)port);
    hashos::EventLoop loop;
    if (g_settings.cache_seconds > 0)
        loop.spawn(tick());
    loop.spawn(accept_loop(listener));
    return loop.run();
}
