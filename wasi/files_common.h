// What the fd_* and path_* functions share about `files` (interfaces/files.proto): its hash,
// the file kinds as WASI file types, filestat, guest strings, resolving a WASI path against a
// descriptor.
#pragma once

#include "files.pb.h"
#include "kernel/guest_memory.h"
#include "wasi/wasi_process.h"

#include <string>
#include <variant>

namespace hashos::wasi {

extern const kernel::InterfaceHash k_files_interface;

FileType file_type_of(hashos_files_Kind kind);
// Writes a `filestat` (abi.h's layout) at `out`, which holds layout::filestat_size bytes.
void write_filestat(const kernel::GuestSpan& out, const hashos_files_FileStat& stat);

// A guest string (not NUL-terminated): nullopt if it lies outside memory.
std::optional<std::string> read_guest_string(const kernel::GuestMemory& memory, uint32_t pointer, uint32_t length);

// A WASI path as `files` names it: a directory handle (0: the program's namespace) and a path.
struct FilesPath {
    uint64_t directory = 0;
    std::string path;
};
// Resolves `path` relative to the directory descriptor `fd`. Errors: EBADF (no such fd),
// ENOTDIR (not a directory), ENOTCAPABLE (an absolute path: WASI paths are relative to their
// directory descriptor), ENOENT (an empty path), EFAULT.
std::variant<FilesPath, Errno> resolve_path(WasiProcess& wasi, uint32_t fd, uint32_t pointer, uint32_t length);

// nanopb: encode a std::string as a string field, with its struct's callback.
void attach_string(pb_callback_t& callback, const std::string& text);
// nanopb: decode a string field into a std::string.
void receive_string(pb_callback_t& callback, std::string& text);

} // namespace hashos::wasi
