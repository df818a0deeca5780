// load_many: asks `loader` for every CID in its arguments at once (one coroutine each, on one
// EventLoop) and checks each answer's size against the number after it:
//     load_many CID SIZE [CID SIZE]...
// Logs "loaded CID: N bytes" for each; exit code 0 when all came back with their sizes, else the
// number of those that did not.
#include "hashos/hashos.hpp"

namespace {

constexpr auto k_load = HASHOS_METHOD(hashos_loader_Loader, Load);
int g_pending = 0;
int g_failures = 0;

uint64_t parse_size(const char* text)
{
    uint64_t value = 0;
    for (; *text >= '0' && *text <= '9'; ++text)
        value = value * 10 + uint64_t(*text - '0');
    return value;
}

hashos::Task<> load(const char* cid, uint64_t expected)
{
    hashos_loader_LoadRequest request = hashos_loader_LoadRequest_init_zero;
    memcpy(request.cid, cid, strnlen(cid, sizeof(request.cid) - 1));
    hashos_pb_bytes content = {};
    hashos_loader_LoadResponse prepared = hashos_loader_LoadResponse_init_zero;
    prepared.content = hashos_pb_bytes_allocated(&content);
    auto answer = co_await hashos::call_into(k_load, request, prepared);
    if (!answer.ok()) {
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "cannot load %s: %s", cid,
            answer.status > 0 ? hashos_last_error()->message : hashos_status_name(answer.status));
        ++g_failures;
    } else if (content.size != expected) {
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "%s: %zu bytes, not %llu", cid, content.size, (unsigned long long)expected);
        ++g_failures;
    } else {
        hashos_log_format(hashos_log_Level_LEVEL_INFO, "loaded %s: %zu bytes", cid, content.size);
    }
    free(content.data);
    if (--g_pending == 0)
        hashos::EventLoop::current().stop(g_failures);
}

} // namespace

int main()
{
    hashos_environment* environment = nullptr;
    if (hashos_environment_get(&environment) != HASHOS_OK || environment->argument_count % 2 != 0 || environment->argument_count == 0)
        return 100;
    hashos::EventLoop loop;
    g_pending = int(environment->argument_count / 2);
    for (uint32_t i = 0; i + 1 < environment->argument_count; i += 2)
        loop.spawn(load(environment->arguments[i], parse_size(environment->arguments[i + 1])));
    // The environment stays allocated: the coroutines keep pointers to its CIDs.
    return loop.run();
}
