/* Client of the `files` interface (include/hashos/files.h). */
#include "hashos/files.h"

#include "hashos/pb_callbacks.h"
#include "hashos/runtime.h"

#include <pb_decode.h>

#define MAX_TRANSFER (1u << 20) /* files.proto's limit per Read or Write */

int32_t hashos_files_open(uint64_t directory, const char* path, uint32_t flags, uint64_t* handle, hashos_files_FileStat* stat)
{
    hashos_files_OpenRequest request = hashos_files_OpenRequest_init_zero;
    request.directory = directory;
    request.path = hashos_pb_string(path);
    request.read = (flags & HASHOS_FILES_READ) != 0;
    request.write = (flags & HASHOS_FILES_WRITE) != 0;
    request.create = (flags & HASHOS_FILES_CREATE) != 0;
    request.exclusive = (flags & HASHOS_FILES_EXCLUSIVE) != 0;
    request.truncate = (flags & HASHOS_FILES_TRUNCATE) != 0;
    request.append = (flags & HASHOS_FILES_APPEND) != 0;
    request.directory_only = (flags & HASHOS_FILES_DIRECTORY) != 0;
    request.no_follow = (flags & HASHOS_FILES_NO_FOLLOW) != 0;
    hashos_files_OpenResponse response = hashos_files_OpenResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_files_Files, Open, &request, &response, 0);
    *handle = response.handle;
    if (stat)
        *stat = response.stat;
    return status;
}

int32_t hashos_files_close(uint64_t handle)
{
    hashos_files_CloseRequest request = { handle };
    return HASHOS_CALL(hashos_files_Files, Close, &request, NULL, 0);
}

int32_t hashos_files_read(uint64_t handle, void* buffer, uint32_t size, uint32_t* count)
{
    hashos_files_ReadRequest request = hashos_files_ReadRequest_init_zero;
    request.handle = handle;
    request.size = size < MAX_TRANSFER ? size : MAX_TRANSFER;
    hashos_files_ReadResponse response = hashos_files_ReadResponse_init_zero;
    hashos_pb_bytes bytes = { buffer, 0, request.size };
    response.data = hashos_pb_bytes_in(&bytes);
    int32_t status = HASHOS_CALL(hashos_files_Files, Read, &request, &response, 0);
    *count = (uint32_t)bytes.size;
    return status;
}

int32_t hashos_files_write(uint64_t handle, const void* data, size_t size)
{
    const uint8_t* next = data;
    while (size) {
        uint32_t piece = size < MAX_TRANSFER ? (uint32_t)size : MAX_TRANSFER;
        hashos_files_WriteRequest request = hashos_files_WriteRequest_init_zero;
        request.handle = handle;
        hashos_pb_bytes bytes = { (void*)next, piece, piece };
        request.data = hashos_pb_bytes_out(&bytes);
        hashos_files_WriteResponse response = hashos_files_WriteResponse_init_zero;
        int32_t status = HASHOS_CALL(hashos_files_Files, Write, &request, &response, 0);
        if (status != HASHOS_OK)
            return status;
        if (response.written == 0 || response.written > piece)
            return HASHOS_E_DECODE; /* a handler that wrote nothing would loop forever */
        next += response.written;
        size -= response.written;
    }
    return HASHOS_OK;
}

int32_t hashos_files_stat(uint64_t directory, const char* path, bool no_follow, hashos_files_FileStat* stat)
{
    hashos_files_StatRequest request = hashos_files_StatRequest_init_zero;
    request.directory = directory;
    request.path = hashos_pb_string(path);
    request.no_follow = no_follow;
    hashos_files_StatResponse response = hashos_files_StatResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_files_Files, Stat, &request, &response, 0);
    *stat = response.stat;
    return status;
}

int32_t hashos_files_make_directory(uint64_t directory, const char* path)
{
    hashos_files_MakeDirectoryRequest request = hashos_files_MakeDirectoryRequest_init_zero;
    request.directory = directory;
    request.path = hashos_pb_string(path);
    return HASHOS_CALL(hashos_files_Files, MakeDirectory, &request, NULL, 0);
}

int32_t hashos_files_remove_file(uint64_t directory, const char* path)
{
    hashos_files_RemoveRequest request = hashos_files_RemoveRequest_init_zero;
    request.directory = directory;
    request.path = hashos_pb_string(path);
    return HASHOS_CALL(hashos_files_Files, RemoveFile, &request, NULL, 0);
}

int32_t hashos_files_remove_directory(uint64_t directory, const char* path)
{
    hashos_files_RemoveRequest request = hashos_files_RemoveRequest_init_zero;
    request.directory = directory;
    request.path = hashos_pb_string(path);
    return HASHOS_CALL(hashos_files_Files, RemoveDirectory, &request, NULL, 0);
}

int32_t hashos_files_rename(uint64_t from_directory, const char* from, uint64_t to_directory, const char* to)
{
    hashos_files_RenameRequest request = hashos_files_RenameRequest_init_zero;
    request.from_directory = from_directory;
    request.from_path = hashos_pb_string(from);
    request.to_directory = to_directory;
    request.to_path = hashos_pb_string(to);
    return HASHOS_CALL(hashos_files_Files, Rename, &request, NULL, 0);
}

int32_t hashos_files_symlink(const char* target, uint64_t directory, const char* path)
{
    hashos_files_SymlinkRequest request = hashos_files_SymlinkRequest_init_zero;
    request.target = hashos_pb_string(target);
    request.directory = directory;
    request.path = hashos_pb_string(path);
    return HASHOS_CALL(hashos_files_Files, Symlink, &request, NULL, 0);
}

typedef struct {
    hashos_files_entry_function each;
    void* context;
    uint64_t cookie;
    bool stopped;
} listing;

static bool decode_entry(pb_istream_t* stream, const pb_field_t* field, void** argument)
{
    listing* list = *argument;
    char name[256];
    hashos_pb_bytes bytes = { name, 0, sizeof(name) - 1 };
    hashos_files_DirectoryEntry entry = hashos_files_DirectoryEntry_init_zero;
    entry.name = hashos_pb_bytes_in(&bytes);
    if (!pb_decode(stream, hashos_files_DirectoryEntry_fields, &entry))
        return false;
    name[bytes.size] = '\0';
    list->cookie = entry.cookie;
    if (!list->stopped && !list->each(name, entry.kind, list->context))
        list->stopped = true;
    return true;
}

int32_t hashos_files_list(uint64_t directory, const char* path, hashos_files_entry_function each, void* context)
{
    listing list = { each, context, 0, false };
    for (;;) {
        hashos_files_ReadDirectoryRequest request = hashos_files_ReadDirectoryRequest_init_zero;
        request.directory = directory;
        request.path = hashos_pb_string(path);
        request.cookie = list.cookie;
        hashos_files_ReadDirectoryResponse response = hashos_files_ReadDirectoryResponse_init_zero;
        response.entries.funcs.decode = decode_entry;
        response.entries.arg = &list;
        int32_t status = HASHOS_CALL(hashos_files_Files, ReadDirectory, &request, &response, 0);
        if (status != HASHOS_OK || list.stopped || response.end)
            return status;
    }
}
