#include "wasi/files_common.h"

#include "files.interface.h"

#include <pb_decode.h>
#include <pb_encode.h>

namespace hashos::wasi {

const kernel::InterfaceHash k_files_interface(kernel::InterfaceHash::Bytes(hashos_files_Files_HASH_BYTES));

FileType file_type_of(hashos_files_Kind kind)
{
    switch (kind) {
    case hashos_files_Kind_KIND_FILE: return FileType::RegularFile;
    case hashos_files_Kind_KIND_DIRECTORY: return FileType::Directory;
    case hashos_files_Kind_KIND_SYMBOLIC_LINK: return FileType::SymbolicLink;
    case hashos_files_Kind_KIND_BLOCK_DEVICE: return FileType::BlockDevice;
    case hashos_files_Kind_KIND_CHARACTER_DEVICE: return FileType::CharacterDevice;
    case hashos_files_Kind_KIND_SOCKET: return FileType::SocketStream;
    default: return FileType::Unknown; // FIFOs have no WASI file type
    }
}

void write_filestat(const kernel::GuestSpan& out, const hashos_files_FileStat& stat)
{
    auto time = [](int64_t nanoseconds) { return nanoseconds < 0 ? uint64_t(0) : uint64_t(nanoseconds); };
    std::array<uint8_t, layout::filestat_size> bytes {};
    auto put = [&](uint32_t offset, uint64_t value) { std::memcpy(&bytes[offset], &value, 8); };
    put(0, stat.device);
    put(8, stat.inode);
    bytes[16] = uint8_t(file_type_of(stat.kind));
    put(24, stat.links);
    put(32, stat.size);
    put(40, time(stat.accessed_nanoseconds));
    put(48, time(stat.modified_nanoseconds));
    put(56, time(stat.changed_nanoseconds));
    out.copy_out(0, bytes);
}

std::optional<std::string> read_guest_string(const kernel::GuestMemory& memory, uint32_t pointer, uint32_t length)
{
    auto span = memory.span(pointer, length);
    if (!span)
        return std::nullopt;
    return std::string(reinterpret_cast<const char*>(span->data()), length);
}

std::variant<FilesPath, Errno> resolve_path(WasiProcess& wasi, uint32_t fd, uint32_t pointer, uint32_t length)
{
    auto path = read_guest_string(wasi.memory(), pointer, length);
    if (!path)
        return Errno::Fault;
    Descriptor* directory = wasi.find(fd);
    if (!directory)
        return Errno::BadFd;
    if (directory->kind != Descriptor::Kind::Directory)
        return Errno::NotDirectory;
    // Not from the spec, which leaves it to the runtime: an absolute path names no file beneath
    // the directory descriptor, so it needs a capability the program lacks (as in wasmtime).
    if (!path->empty() && (*path)[0] == '/')
        return Errno::NotCapable;
    if (path->empty())
        return Errno::NoEntry; // as openat(2) with ""
    if (directory->handle != 0)
        return FilesPath { directory->handle, std::move(*path) };
    // A preopened root: `files` resolves absolute guest paths from the root they start with, and
    // never lets ".." or a link leave it.
    std::string joined = directory->root;
    if (joined.empty() || joined.back() != '/')
        joined += '/';
    return FilesPath { 0, joined + *path };
}

void attach_string(pb_callback_t& callback, const std::string& text)
{
    callback.funcs.encode = [](pb_ostream_t* stream, const pb_field_t* field, void* const* argument) {
        auto& text = *static_cast<const std::string*>(*argument);
        return pb_encode_tag_for_field(stream, field)
            && pb_encode_string(stream, reinterpret_cast<const pb_byte_t*>(text.data()), text.size());
    };
    callback.arg = const_cast<std::string*>(&text);
}

void receive_string(pb_callback_t& callback, std::string& text)
{
    callback.funcs.decode = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
        auto& text = *static_cast<std::string*>(*argument);
        text.assign(stream->bytes_left, '\0');
        return pb_read(stream, reinterpret_cast<pb_byte_t*>(text.data()), text.size());
    };
    callback.arg = &text;
}

} // namespace hashos::wasi
