/* escape: a hostile program granted DIR at /data that tries every way out of it it knows: "..",
 * absolute paths outside its roots, symbolic links it makes itself (relative and absolute),
 * creating, renaming and listing through them. Logs "refused: WHAT" or "ESCAPED: WHAT" for each;
 * the exit code is the number of escapes (0: confined). The host directory holds /data/file. */
#include "hashos/hashos.h"

static int escapes;

static void check(const char* what, int32_t status)
{
    if (status == HASHOS_OK) {
        ++escapes;
        hashos_log_format(hashos_log_Level_LEVEL_ERROR, "ESCAPED: %s", what);
    } else {
        hashos_log_format(hashos_log_Level_LEVEL_INFO, "refused: %s (%s, errno %u)", what, hashos_status_name(status),
            status > 0 ? (unsigned)hashos_last_error()->posix_error : 0u);
    }
}

static int32_t try_open(const char* path, uint32_t flags)
{
    uint64_t handle = 0;
    int32_t status = hashos_files_open(0, path, flags, &handle, NULL);
    if (status == HASHOS_OK)
        hashos_files_close(handle);
    return status;
}

static bool ignore_entry(const char* name, hashos_files_Kind kind, void* context) { return true; }

int main(void)
{
    check("open /data/../outside/secret", try_open("/data/../outside/secret", HASHOS_FILES_READ));
    check("open /outside/secret", try_open("/outside/secret", HASHOS_FILES_READ));
    check("open /etc/passwd", try_open("/etc/passwd", HASHOS_FILES_READ));
    check("open data/../../etc/passwd", try_open("data/../../etc/passwd", HASHOS_FILES_READ));
    check("create /data/../outside/planted",
        try_open("/data/../outside/planted", HASHOS_FILES_WRITE | HASHOS_FILES_CREATE));

    /* Links it may make (the target is only text), but never follow out. */
    if (hashos_files_symlink("../outside", 0, "/data/up") != HASHOS_OK)
        hashos_log_write(hashos_log_Level_LEVEL_WARNING, "could not make the link up");
    if (hashos_files_symlink("/etc", 0, "/data/etc") != HASHOS_OK)
        hashos_log_write(hashos_log_Level_LEVEL_WARNING, "could not make the link etc");
    check("open /data/up/secret", try_open("/data/up/secret", HASHOS_FILES_READ));
    check("create /data/up/planted", try_open("/data/up/planted", HASHOS_FILES_WRITE | HASHOS_FILES_CREATE));
    check("open /data/etc/passwd", try_open("/data/etc/passwd", HASHOS_FILES_READ));
    check("rename /data/file to /data/up/moved", hashos_files_rename(0, "/data/file", 0, "/data/up/moved"));
    check("rename /data/file to /data/../moved", hashos_files_rename(0, "/data/file", 0, "/data/../moved"));
    check("mkdir /data/up/made", hashos_files_make_directory(0, "/data/up/made"));
    check("remove /data/up/secret", hashos_files_remove_file(0, "/data/up/secret"));
    check("list /data/..", hashos_files_list(0, "/data/..", ignore_entry, NULL));
    check("list /data/up", hashos_files_list(0, "/data/up", ignore_entry, NULL));

    /* Relative to a directory handle: confined to that directory. */
    uint64_t data = 0;
    if (hashos_files_open(0, "/data", HASHOS_FILES_READ | HASHOS_FILES_DIRECTORY, &data, NULL) == HASHOS_OK) {
        uint64_t handle = 0;
        check("open ../outside/secret from /data", hashos_files_open(data, "../outside/secret", HASHOS_FILES_READ, &handle, NULL));
        check("open /etc/passwd from /data", hashos_files_open(data, "/etc/passwd", HASHOS_FILES_READ, &handle, NULL));
    }
    hashos_log_format(hashos_log_Level_LEVEL_INFO, "%d escapes", escapes);
    return escapes;
}
