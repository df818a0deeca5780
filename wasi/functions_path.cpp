// The path_* functions (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md),
// each one request to `files`, whose handler confines every path to the roots the user granted
// (files.proto): "..", absolute symbolic links and links out of a root fail there, and reach the
// program as ENOTCAPABLE.
#include "wasi/files_common.h"
#include "wasi/functions.h"

#include "files.interface.h"

#include <array>

namespace hashos::wasi {

namespace {

using Outcome = WasiProcess::Outcome;

Outcome empty_reply(Reply&& reply) { return result(reply.ok ? Errno::Success : errno_of(reply)); }

// Resolves the path arguments at `fd_index`, `fd_index + 1`, `fd_index + 2` (fd, pointer,
// length), after the roots are known, and runs `then` with them.
Outcome with_path(WasiProcess& wasi, uint32_t fd, uint32_t pointer, uint32_t length, std::function<Outcome(FilesPath&&)> then)
{
    return wasi.with_roots([&wasi, fd, pointer, length, then = std::move(then)]() -> Outcome {
        auto resolved = resolve_path(wasi, fd, pointer, length);
        if (auto* error = std::get_if<Errno>(&resolved))
            return result(*error);
        return then(std::move(std::get<FilesPath>(resolved)));
    });
}

Outcome path_open(WasiProcess& wasi, Arguments args)
{
    uint32_t lookup = u32(args, 1);
    uint16_t oflags = uint16_t(u32(args, 4));
    uint64_t rights_base = u64(args, 5);
    uint64_t rights_inheriting = u64(args, 6);
    uint16_t fdflags = uint16_t(u32(args, 7));
    auto out = wasi.memory().span(u32(args, 8), 4);
    if (!out)
        return result(Errno::Fault);
    return with_path(wasi, u32(args, 0), u32(args, 2), u32(args, 3),
        [&wasi, lookup, oflags, rights_base, rights_inheriting, fdflags, out = *out](FilesPath&& path) -> Outcome {
            hashos_files_OpenRequest request = hashos_files_OpenRequest_init_zero;
            request.directory = path.directory;
            attach_string(request.path, path.path);
            // wasi-libc asks for fd_read/fd_readdir when opening to read, and fd_write (with
            // datasync, allocate, set_size) to write.
            request.read = (rights_base & (rights::fd_read | rights::fd_readdir)) || (oflags & k_oflags_directory);
            request.write = rights_base & rights::fd_write;
            if (!request.read && !request.write)
                request.read = true; // a descriptor for stat or as a directory: files.proto needs one
            request.create = oflags & k_oflags_create;
            request.exclusive = oflags & k_oflags_exclusive;
            request.truncate = oflags & k_oflags_truncate;
            request.directory_only = oflags & k_oflags_directory;
            request.append = fdflags & k_fdflags_append;
            request.sync = fdflags & (k_fdflags_sync | k_fdflags_dsync | k_fdflags_rsync);
            request.no_follow = !(lookup & k_lookup_symlink_follow);
            return wasi.call(k_files_interface, hashos_files_Files_METHOD_Open, hashos_files_OpenRequest_fields, &request,
                [&wasi, rights_base, rights_inheriting, fdflags, out](Reply&& reply) -> Outcome {
                    if (!reply.ok)
                        return result(errno_of(reply));
                    hashos_files_OpenResponse response = hashos_files_OpenResponse_init_zero;
                    if (!reply.decode(hashos_files_OpenResponse_fields, &response))
                        return result(Errno::Io);
                    Descriptor descriptor;
                    descriptor.handle = response.handle;
                    descriptor.type = file_type_of(response.stat.kind);
                    bool directory = response.stat.kind == hashos_files_Kind_KIND_DIRECTORY;
                    descriptor.kind = directory ? Descriptor::Kind::Directory : Descriptor::Kind::File;
                    // The rights asked for, within what this kind of file can do and what was
                    // opened (a file opened only to read cannot be written).
                    uint64_t possible = directory ? rights::directory : rights::regular_file;
                    if (!(rights_base & rights::fd_write) || directory)
                        possible &= ~(rights::fd_write | rights::fd_allocate | rights::fd_filestat_set_size | rights::fd_datasync);
                    descriptor.rights_base = rights_base & possible;
                    descriptor.rights_inheriting = rights_inheriting;
                    descriptor.flags = fdflags;
                    out.write<uint32_t>(0, wasi.add(std::move(descriptor)));
                    return result(Errno::Success);
                });
        });
}

Outcome path_create_directory(WasiProcess& wasi, Arguments args)
{
    return with_path(wasi, u32(args, 0), u32(args, 1), u32(args, 2), [&wasi](FilesPath&& path) {
        hashos_files_MakeDirectoryRequest request = hashos_files_MakeDirectoryRequest_init_zero;
        request.directory = path.directory;
        attach_string(request.path, path.path);
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_MakeDirectory, hashos_files_MakeDirectoryRequest_fields, &request, empty_reply);
    });
}

Outcome remove(WasiProcess& wasi, Arguments args, uint64_t method)
{
    return with_path(wasi, u32(args, 0), u32(args, 1), u32(args, 2), [&wasi, method](FilesPath&& path) {
        hashos_files_RemoveRequest request = hashos_files_RemoveRequest_init_zero;
        request.directory = path.directory;
        attach_string(request.path, path.path);
        return wasi.call(k_files_interface, method, hashos_files_RemoveRequest_fields, &request, empty_reply);
    });
}

Outcome path_remove_directory(WasiProcess& wasi, Arguments args) { return remove(wasi, args, hashos_files_Files_METHOD_RemoveDirectory); }
Outcome path_unlink_file(WasiProcess& wasi, Arguments args) { return remove(wasi, args, hashos_files_Files_METHOD_RemoveFile); }

Outcome path_filestat_get(WasiProcess& wasi, Arguments args)
{
    uint32_t lookup = u32(args, 1);
    auto out = wasi.memory().span(u32(args, 4), layout::filestat_size);
    if (!out)
        return result(Errno::Fault);
    return with_path(wasi, u32(args, 0), u32(args, 2), u32(args, 3), [&wasi, lookup, out = *out](FilesPath&& path) {
        hashos_files_StatRequest request = hashos_files_StatRequest_init_zero;
        request.directory = path.directory;
        attach_string(request.path, path.path);
        request.no_follow = !(lookup & k_lookup_symlink_follow);
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_Stat, hashos_files_StatRequest_fields, &request,
            [out](Reply&& reply) -> Outcome {
                if (!reply.ok)
                    return result(errno_of(reply));
                hashos_files_StatResponse response = hashos_files_StatResponse_init_zero;
                if (!reply.decode(hashos_files_StatResponse_fields, &response))
                    return result(Errno::Io);
                write_filestat(out, response.stat);
                return result(Errno::Success);
            });
    });
}

Outcome path_filestat_set_times(WasiProcess& wasi, Arguments args)
{
    uint32_t lookup = u32(args, 1);
    int64_t accessed = int64_t(u64(args, 4));
    int64_t modified = int64_t(u64(args, 5));
    uint16_t flags = uint16_t(u32(args, 6));
    if (((flags & k_fst_atim) && (flags & k_fst_atim_now)) || ((flags & k_fst_mtim) && (flags & k_fst_mtim_now)))
        return result(Errno::Invalid);
    return with_path(wasi, u32(args, 0), u32(args, 2), u32(args, 3), [&wasi, lookup, accessed, modified, flags](FilesPath&& path) {
        hashos_files_SetTimesRequest request = hashos_files_SetTimesRequest_init_zero;
        request.directory = path.directory;
        attach_string(request.path, path.path);
        request.no_follow = !(lookup & k_lookup_symlink_follow);
        request.has_accessed_nanoseconds = flags & k_fst_atim;
        request.accessed_nanoseconds = accessed;
        request.accessed_now = flags & k_fst_atim_now;
        request.has_modified_nanoseconds = flags & k_fst_mtim;
        request.modified_nanoseconds = modified;
        request.modified_now = flags & k_fst_mtim_now;
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_SetTimes, hashos_files_SetTimesRequest_fields, &request, empty_reply);
    });
}

// Two paths (rename, link): both resolved before anything is sent.
Outcome with_two_paths(WasiProcess& wasi, uint32_t from_fd, uint32_t from_pointer, uint32_t from_length, uint32_t to_fd,
    uint32_t to_pointer, uint32_t to_length, std::function<Outcome(FilesPath&&, FilesPath&&)> then)
{
    return wasi.with_roots([=, &wasi, then = std::move(then)]() -> Outcome {
        auto from = resolve_path(wasi, from_fd, from_pointer, from_length);
        if (auto* error = std::get_if<Errno>(&from))
            return result(*error);
        auto to = resolve_path(wasi, to_fd, to_pointer, to_length);
        if (auto* error = std::get_if<Errno>(&to))
            return result(*error);
        return then(std::move(std::get<FilesPath>(from)), std::move(std::get<FilesPath>(to)));
    });
}

Outcome path_rename(WasiProcess& wasi, Arguments args)
{
    return with_two_paths(wasi, u32(args, 0), u32(args, 1), u32(args, 2), u32(args, 3), u32(args, 4), u32(args, 5),
        [&wasi](FilesPath&& from, FilesPath&& to) {
            hashos_files_RenameRequest request = hashos_files_RenameRequest_init_zero;
            request.from_directory = from.directory;
            attach_string(request.from_path, from.path);
            request.to_directory = to.directory;
            attach_string(request.to_path, to.path);
            return wasi.call(k_files_interface, hashos_files_Files_METHOD_Rename, hashos_files_RenameRequest_fields, &request, empty_reply);
        });
}

Outcome path_link(WasiProcess& wasi, Arguments args)
{
    // args[1] (lookupflags of the source): link(2) does not follow a symbolic link either way on
    // Linux; `files` links the name itself.
    return with_two_paths(wasi, u32(args, 0), u32(args, 2), u32(args, 3), u32(args, 4), u32(args, 5), u32(args, 6),
        [&wasi](FilesPath&& from, FilesPath&& to) {
            hashos_files_LinkRequest request = hashos_files_LinkRequest_init_zero;
            request.from_directory = from.directory;
            attach_string(request.from_path, from.path);
            request.to_directory = to.directory;
            attach_string(request.to_path, to.path);
            return wasi.call(k_files_interface, hashos_files_Files_METHOD_Link, hashos_files_LinkRequest_fields, &request, empty_reply);
        });
}

Outcome path_symlink(WasiProcess& wasi, Arguments args)
{
    auto target = read_guest_string(wasi.memory(), u32(args, 0), u32(args, 1));
    if (!target)
        return result(Errno::Fault);
    return with_path(wasi, u32(args, 2), u32(args, 3), u32(args, 4), [&wasi, target = std::move(*target)](FilesPath&& path) {
        hashos_files_SymlinkRequest request = hashos_files_SymlinkRequest_init_zero;
        attach_string(request.target, target);
        request.directory = path.directory;
        attach_string(request.path, path.path);
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_Symlink, hashos_files_SymlinkRequest_fields, &request, empty_reply);
    });
}

Outcome path_readlink(WasiProcess& wasi, Arguments args)
{
    auto memory = wasi.memory();
    auto buffer = memory.span(u32(args, 3), u32(args, 4));
    auto used = memory.span(u32(args, 5), 4);
    if (!buffer || !used)
        return result(Errno::Fault);
    return with_path(wasi, u32(args, 0), u32(args, 1), u32(args, 2), [&wasi, buffer = *buffer, used = *used](FilesPath&& path) {
        hashos_files_ReadLinkRequest request = hashos_files_ReadLinkRequest_init_zero;
        request.directory = path.directory;
        attach_string(request.path, path.path);
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_ReadLink, hashos_files_ReadLinkRequest_fields, &request,
            [buffer, used](Reply&& reply) -> Outcome {
                if (!reply.ok)
                    return result(errno_of(reply));
                std::string target;
                hashos_files_ReadLinkResponse response = hashos_files_ReadLinkResponse_init_zero;
                receive_string(response.target, target);
                if (!reply.decode(hashos_files_ReadLinkResponse_fields, &response))
                    return result(Errno::Io);
                // As readlink(2): the target cut to the buffer, without a NUL.
                uint32_t size = std::min<uint32_t>(buffer.size(), uint32_t(target.size()));
                buffer.copy_out(0, { reinterpret_cast<const uint8_t*>(target.data()), size });
                used.write<uint32_t>(0, size);
                return result(Errno::Success);
            });
    });
}

constexpr std::array k_functions {
    FunctionEntry { "path_create_directory", "iii", path_create_directory },
    FunctionEntry { "path_filestat_get", "iiiii", path_filestat_get },
    FunctionEntry { "path_filestat_set_times", "iiiiIIi", path_filestat_set_times },
    FunctionEntry { "path_link", "iiiiiii", path_link },
    FunctionEntry { "path_open", "iiiiiIIii", path_open },
    FunctionEntry { "path_readlink", "iiiiii", path_readlink },
    FunctionEntry { "path_remove_directory", "iii", path_remove_directory },
    FunctionEntry { "path_rename", "iiiiii", path_rename },
    FunctionEntry { "path_symlink", "iiiii", path_symlink },
    FunctionEntry { "path_unlink_file", "iii", path_unlink_file },
};

} // namespace

std::span<const FunctionEntry> path_functions() { return k_functions; }

} // namespace hashos::wasi
