/* files-demo: copy, list and rename files in the directories granted to it, over the `files`
 * interface.
 *
 *     hashos run --dir DIR:/data files-demo.wasm -- copy /data/a.txt /data/b.txt
 *     hashos run --dir DIR:/data files-demo.wasm -- list /data
 *     hashos run --dir DIR:/data files-demo.wasm -- rename /data/b.txt /data/c.txt
 *
 * Logs one line per entry listed ("name", "name/" for a directory), and what failed, with the
 * errno the host gave. Exit code 0, 1 when an operation failed, 2 for bad arguments. */
#include "hashos/hashos.h"

#define CHUNK 65536u

static int failed(const char* what, const char* path, int32_t status)
{
    hashos_log_format(hashos_log_Level_LEVEL_ERROR, "%s %s: %s (%s, errno %u)", what, path, hashos_status_name(status),
        status > 0 ? hashos_last_error()->message : "", status > 0 ? (unsigned)hashos_last_error()->posix_error : 0u);
    return 1;
}

static int copy(const char* from, const char* to)
{
    uint64_t source = 0, target = 0;
    int32_t status = hashos_files_open(0, from, HASHOS_FILES_READ, &source, NULL);
    if (status != HASHOS_OK)
        return failed("open", from, status);
    status = hashos_files_open(0, to, HASHOS_FILES_WRITE | HASHOS_FILES_CREATE | HASHOS_FILES_TRUNCATE, &target, NULL);
    if (status != HASHOS_OK)
        return failed("create", to, status);
    uint8_t* buffer = malloc(CHUNK);
    uint64_t total = 0;
    for (;;) {
        uint32_t count = 0;
        status = hashos_files_read(source, buffer, CHUNK, &count);
        if (status != HASHOS_OK)
            return failed("read", from, status);
        if (count == 0)
            break;
        status = hashos_files_write(target, buffer, count);
        if (status != HASHOS_OK)
            return failed("write", to, status);
        total += count;
    }
    free(buffer);
    hashos_files_close(source);
    hashos_files_close(target);
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "copied %llu bytes from %s to %s", (unsigned long long)total, from, to);
    return 0;
}

static bool print_entry(const char* name, hashos_files_Kind kind, void* context)
{
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "%s%s", name, kind == hashos_files_Kind_KIND_DIRECTORY ? "/" : "");
    ++*(unsigned*)context;
    return true;
}

static int list(const char* directory)
{
    unsigned count = 0;
    int32_t status = hashos_files_list(0, directory, print_entry, &count);
    if (status != HASHOS_OK)
        return failed("list", directory, status);
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "%u entries", count);
    return 0;
}

int main(void)
{
    hashos_environment* environment = NULL;
    if (hashos_environment_get(&environment) != HASHOS_OK)
        return 2;
    const char* const* arguments = environment->arguments;
    uint32_t count = environment->argument_count;
    int result = 2;
    if (count == 3 && strcmp(arguments[0], "copy") == 0) {
        result = copy(arguments[1], arguments[2]);
    } else if (count == 2 && strcmp(arguments[0], "list") == 0) {
        result = list(arguments[1]);
    } else if (count == 3 && strcmp(arguments[0], "rename") == 0) {
        int32_t status = hashos_files_rename(0, arguments[1], 0, arguments[2]);
        result = status == HASHOS_OK ? 0 : failed("rename", arguments[1], status);
        if (result == 0)
            hashos_log_format(hashos_log_Level_LEVEL_INFO, "renamed %s to %s", arguments[1], arguments[2]);
    } else {
        hashos_log_write(hashos_log_Level_LEVEL_ERROR, "usage: files-demo copy FROM TO | list DIRECTORY | rename FROM TO");
    }
    hashos_environment_free(environment);
    return result;
}
