/* Client of the `files` interface (interfaces/files.proto): the host directories the user granted
 * to this program (`hashos run --dir HOST:GUEST`), by guest path. `directory` is 0 for the
 * program's namespace ("/site/index.html") or a directory handle the path is relative to.
 * Statuses as everywhere (hashos/message.h); hashos_last_error()->posix_error holds the errno. */
#ifndef HASHOS_FILES_H
#define HASHOS_FILES_H

#include "hashos/message.h"

#include "files.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of hashos_files_open, OpenRequest's booleans. */
#define HASHOS_FILES_READ 1u
#define HASHOS_FILES_WRITE 2u
#define HASHOS_FILES_CREATE 4u
#define HASHOS_FILES_EXCLUSIVE 8u
#define HASHOS_FILES_TRUNCATE 16u
#define HASHOS_FILES_APPEND 32u
#define HASHOS_FILES_DIRECTORY 64u
#define HASHOS_FILES_NO_FOLLOW 128u

/* Opens `path`; the handle is written at `handle`, what was opened at `stat` (may be NULL). */
int32_t hashos_files_open(uint64_t directory, const char* path, uint32_t flags, uint64_t* handle, hashos_files_FileStat* stat);
int32_t hashos_files_close(uint64_t handle);
/* Reads up to `size` bytes at the handle's position; `*count` 0 is the end of the file. */
int32_t hashos_files_read(uint64_t handle, void* buffer, uint32_t size, uint32_t* count);
/* Writes all `size` bytes at the handle's position (in pieces of at most 1 MiB). */
int32_t hashos_files_write(uint64_t handle, const void* data, size_t size);
int32_t hashos_files_stat(uint64_t directory, const char* path, bool no_follow, hashos_files_FileStat* stat);
int32_t hashos_files_make_directory(uint64_t directory, const char* path);
int32_t hashos_files_remove_file(uint64_t directory, const char* path);
int32_t hashos_files_remove_directory(uint64_t directory, const char* path);
int32_t hashos_files_rename(uint64_t from_directory, const char* from, uint64_t to_directory, const char* to);
int32_t hashos_files_symlink(const char* target, uint64_t directory, const char* path);

/* Calls `each` for every entry of a directory (not "." and ".."), page by page, until it returns
 * false or the entries end. The name is valid during the call only. */
typedef bool (*hashos_files_entry_function)(const char* name, hashos_files_Kind kind, void* context);
int32_t hashos_files_list(uint64_t directory, const char* path, hashos_files_entry_function each, void* context);

#ifdef __cplusplus
}
#endif

#endif
