// The fd_* functions (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md):
// descriptors 0–2 go to the `stdio` interface, preopened roots and opened files to `files`.
#include "wasi/files_common.h"
#include "wasi/functions.h"

#include "files.interface.h"
#include "stdio.interface.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <array>
#include <cstring>

namespace hashos::wasi {

namespace {

using Outcome = WasiProcess::Outcome;

const kernel::InterfaceHash k_stdio(kernel::InterfaceHash::Bytes(hashos_stdio_Stdio_HASH_BYTES));

// Both stdio.proto and files.proto carry at most 1 MiB per read or write; a longer request is a
// short read or write, which the spec allows and libc continues.
constexpr uint32_t k_max_transfer = 1 << 20;

bool is_stdio(const Descriptor& descriptor)
{
    return descriptor.kind == Descriptor::Kind::Input || descriptor.kind == Descriptor::Kind::Output
        || descriptor.kind == Descriptor::Kind::Error;
}

// The buffers of an iovec array, checked: each (buf, buf_len) lies in memory.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#iovec
std::optional<std::vector<kernel::GuestSpan>> buffers_of(const kernel::GuestMemory& memory, uint32_t iovs, uint32_t count)
{
    auto array = memory.span(iovs, count * layout::iovec_size);
    if (!array || count > (1u << 20))
        return std::nullopt;
    std::vector<kernel::GuestSpan> buffers;
    for (uint32_t i = 0; i < count; ++i) {
        auto buffer = memory.span(array->read<uint32_t>(i * 8), array->read<uint32_t>(i * 8 + 4));
        if (!buffer)
            return std::nullopt;
        buffers.push_back(*buffer);
    }
    return buffers;
}

std::vector<uint8_t> gather(const std::vector<kernel::GuestSpan>& buffers)
{
    std::vector<uint8_t> data;
    for (auto const& buffer : buffers) {
        size_t take = std::min<size_t>(buffer.size(), k_max_transfer - data.size());
        data.insert(data.end(), buffer.data(), buffer.data() + take);
        if (data.size() == k_max_transfer)
            break;
    }
    return data;
}

uint32_t scatter(const std::vector<kernel::GuestSpan>& buffers, std::span<const uint8_t> data)
{
    uint32_t done = 0;
    for (auto const& buffer : buffers) {
        uint32_t take = std::min<uint32_t>(buffer.size(), uint32_t(data.size()) - done);
        buffer.copy_out(0, data.subspan(done, take));
        done += take;
        if (done == data.size())
            break;
    }
    return done;
}

uint32_t capacity_of(const std::vector<kernel::GuestSpan>& buffers)
{
    uint64_t total = 0;
    for (auto const& buffer : buffers)
        total += buffer.size();
    return uint32_t(std::min<uint64_t>(total, k_max_transfer));
}

// Decodes a bytes field into a std::vector (a nanopb callback).
void receive_bytes(pb_callback_t& callback, std::vector<uint8_t>& bytes)
{
    callback.funcs.decode = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
        auto& bytes = *static_cast<std::vector<uint8_t>*>(*argument);
        bytes.resize(stream->bytes_left);
        return pb_read(stream, bytes.data(), bytes.size());
    };
    callback.arg = &bytes;
}

void send_bytes(pb_callback_t& callback, const std::vector<uint8_t>& bytes)
{
    callback.funcs.encode = [](pb_ostream_t* stream, const pb_field_t* field, void* const* argument) {
        auto& bytes = *static_cast<const std::vector<uint8_t>*>(*argument);
        return pb_encode_tag_for_field(stream, field) && pb_encode_string(stream, bytes.data(), bytes.size());
    };
    callback.arg = const_cast<std::vector<uint8_t>*>(&bytes);
}

Outcome success_with_u32(const kernel::GuestSpan& out, uint32_t value)
{
    out.write<uint32_t>(0, value);
    return result(Errno::Success);
}

// --- Writing and reading -------------------------------------------------------------------------

Outcome write(WasiProcess& wasi, Arguments args, std::optional<uint64_t> offset, uint32_t out_index)
{
    auto memory = wasi.memory();
    auto buffers = buffers_of(memory, u32(args, 1), u32(args, 2));
    auto written = memory.span(u32(args, out_index), 4);
    if (!buffers || !written)
        return result(Errno::Fault);
    Descriptor* descriptor = wasi.find(u32(args, 0));
    if (!descriptor)
        return result(Errno::BadFd);
    if (!(descriptor->rights_base & rights::fd_write))
        return result(descriptor->kind == Descriptor::Kind::Directory ? Errno::IsDirectory : Errno::BadFd);
    std::vector<uint8_t> data = gather(*buffers);
    if (is_stdio(*descriptor)) {
        if (offset)
            return result(Errno::InvalidSeek);
        if (data.empty())
            return success_with_u32(*written, 0);
        hashos_stdio_WriteRequest request = hashos_stdio_WriteRequest_init_zero;
        request.stream = descriptor->kind == Descriptor::Kind::Error ? hashos_stdio_Stream_STREAM_ERROR : hashos_stdio_Stream_STREAM_OUTPUT;
        send_bytes(request.data, data);
        return wasi.call(k_stdio, hashos_stdio_Stdio_METHOD_Write, hashos_stdio_WriteRequest_fields, &request,
            [out = *written](Reply&& reply) -> Outcome {
                // stdio.proto: UNAVAILABLE is a stream whose reader went away, EPIPE for POSIX.
                if (!reply.ok)
                    return result(reply.code == uint32_t(kernel::ErrorCode::Unavailable) ? Errno::Pipe : errno_of(reply));
                hashos_stdio_WriteResponse response = hashos_stdio_WriteResponse_init_zero;
                if (!reply.decode(hashos_stdio_WriteResponse_fields, &response))
                    return result(Errno::Io);
                return success_with_u32(out, response.written);
            });
    }
    hashos_files_WriteRequest request = hashos_files_WriteRequest_init_zero;
    request.handle = descriptor->handle;
    send_bytes(request.data, data);
    request.has_offset = offset.has_value();
    request.offset = offset.value_or(0);
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_Write, hashos_files_WriteRequest_fields, &request,
        [out = *written](Reply&& reply) -> Outcome {
            if (!reply.ok)
                return result(errno_of(reply));
            hashos_files_WriteResponse response = hashos_files_WriteResponse_init_zero;
            if (!reply.decode(hashos_files_WriteResponse_fields, &response))
                return result(Errno::Io);
            return success_with_u32(out, uint32_t(response.written));
        });
}

Outcome read(WasiProcess& wasi, Arguments args, std::optional<uint64_t> offset, uint32_t out_index)
{
    auto memory = wasi.memory();
    auto buffers = buffers_of(memory, u32(args, 1), u32(args, 2));
    auto got = memory.span(u32(args, out_index), 4);
    if (!buffers || !got)
        return result(Errno::Fault);
    Descriptor* descriptor = wasi.find(u32(args, 0));
    if (!descriptor)
        return result(Errno::BadFd);
    if (descriptor->kind == Descriptor::Kind::Directory)
        return result(Errno::IsDirectory);
    if (!(descriptor->rights_base & rights::fd_read))
        return result(Errno::BadFd);
    uint32_t capacity = capacity_of(*buffers);
    if (capacity == 0)
        return success_with_u32(*got, 0);
    auto finish = [buffers = std::move(*buffers), out = *got](Reply&& reply, const pb_msgdesc_t* fields, void* response,
                      const std::vector<uint8_t>& data) -> Outcome {
        if (!reply.ok)
            return result(errno_of(reply));
        if (!reply.decode(fields, response))
            return result(Errno::Io);
        return success_with_u32(out, scatter(buffers, data));
    };
    if (is_stdio(*descriptor)) {
        if (offset)
            return result(Errno::InvalidSeek);
        hashos_stdio_ReadRequest request = hashos_stdio_ReadRequest_init_zero;
        request.max_size = capacity;
        return wasi.call(k_stdio, hashos_stdio_Stdio_METHOD_Read, hashos_stdio_ReadRequest_fields, &request,
            [finish = std::move(finish)](Reply&& reply) -> Outcome {
                std::vector<uint8_t> data;
                hashos_stdio_ReadResponse response = hashos_stdio_ReadResponse_init_zero;
                receive_bytes(response.data, data);
                return finish(std::move(reply), hashos_stdio_ReadResponse_fields, &response, data);
            });
    }
    hashos_files_ReadRequest request = hashos_files_ReadRequest_init_zero;
    request.handle = descriptor->handle;
    request.size = capacity;
    request.has_offset = offset.has_value();
    request.offset = offset.value_or(0);
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_Read, hashos_files_ReadRequest_fields, &request,
        [finish = std::move(finish)](Reply&& reply) -> Outcome {
            std::vector<uint8_t> data;
            hashos_files_ReadResponse response = hashos_files_ReadResponse_init_zero;
            receive_bytes(response.data, data);
            return finish(std::move(reply), hashos_files_ReadResponse_fields, &response, data);
        });
}

Outcome fd_write(WasiProcess& wasi, Arguments args) { return write(wasi, args, std::nullopt, 3); }
Outcome fd_pwrite(WasiProcess& wasi, Arguments args) { return write(wasi, args, u64(args, 3), 4); }
Outcome fd_read(WasiProcess& wasi, Arguments args) { return read(wasi, args, std::nullopt, 3); }
Outcome fd_pread(WasiProcess& wasi, Arguments args) { return read(wasi, args, u64(args, 3), 4); }

// --- Position ----------------------------------------------------------------------------------

Outcome seek(WasiProcess& wasi, uint32_t fd, int64_t offset, uint8_t whence, kernel::GuestSpan out)
{
    Descriptor* descriptor = wasi.find(fd);
    if (!descriptor)
        return result(Errno::BadFd);
    if (is_stdio(*descriptor))
        return result(Errno::InvalidSeek);
    if (descriptor->handle == 0)
        return result(Errno::BadFd); // a preopened root is not open as a file
    if (whence > k_whence_end)
        return result(Errno::Invalid);
    hashos_files_SeekRequest request = hashos_files_SeekRequest_init_zero;
    request.handle = descriptor->handle;
    request.offset = offset;
    request.whence = hashos_files_Whence(whence); // WASI's whence values are files.proto's
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_Seek, hashos_files_SeekRequest_fields, &request,
        [out](Reply&& reply) -> Outcome {
            if (!reply.ok)
                return result(errno_of(reply));
            hashos_files_SeekResponse response = hashos_files_SeekResponse_init_zero;
            if (!reply.decode(hashos_files_SeekResponse_fields, &response))
                return result(Errno::Io);
            out.write<uint64_t>(0, response.position);
            return result(Errno::Success);
        });
}

Outcome fd_seek(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 3), 8);
    if (!out)
        return result(Errno::Fault);
    return seek(wasi, u32(args, 0), int64_t(u64(args, 1)), uint8_t(u32(args, 2)), *out);
}

Outcome fd_tell(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 1), 8);
    if (!out)
        return result(Errno::Fault);
    return seek(wasi, u32(args, 0), 0, k_whence_cur, *out);
}

// --- Opening and closing -------------------------------------------------------------------------

Outcome close_handle(WasiProcess& wasi, uint64_t handle, std::function<Outcome()> then)
{
    hashos_files_CloseRequest request = hashos_files_CloseRequest_init_zero;
    request.handle = handle;
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_Close, hashos_files_CloseRequest_fields, &request,
        [then = std::move(then)](Reply&& reply) -> Outcome {
            if (!reply.ok)
                return result(errno_of(reply));
            return then();
        });
}

Outcome fd_close(WasiProcess& wasi, Arguments args)
{
    uint32_t fd = u32(args, 0);
    return wasi.with_roots([&wasi, fd]() -> Outcome {
        Descriptor* descriptor = wasi.find(fd);
        if (!descriptor)
            return result(Errno::BadFd);
        if (descriptor->handle == 0) {
            wasi.remove(fd);
            return result(Errno::Success);
        }
        uint64_t handle = descriptor->handle;
        wasi.remove(fd); // gone even if the handler fails to close it, as close(2) does
        return close_handle(wasi, handle, [] { return Outcome(result(Errno::Success)); });
    });
}

Outcome fd_renumber(WasiProcess& wasi, Arguments args)
{
    uint32_t from = u32(args, 0);
    uint32_t to = u32(args, 1);
    return wasi.with_roots([&wasi, from, to]() -> Outcome {
        Descriptor* source = wasi.find(from);
        Descriptor* target = wasi.find(to);
        // https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_renumber:
        // both must be open (as in wasmtime; dup2 would open `to`).
        if (!source || !target)
            return result(Errno::BadFd);
        if (from == to)
            return result(Errno::Success);
        uint64_t replaced = target->handle;
        wasi.renumber(from, to);
        if (replaced == 0)
            return result(Errno::Success);
        return close_handle(wasi, replaced, [] { return Outcome(result(Errno::Success)); });
    });
}

// --- Status --------------------------------------------------------------------------------------

Outcome write_fdstat(const Descriptor& descriptor, const kernel::GuestSpan& out)
{
    std::array<uint8_t, layout::fdstat_size> bytes {};
    bytes[0] = uint8_t(descriptor.type);
    std::memcpy(&bytes[2], &descriptor.flags, 2);
    std::memcpy(&bytes[8], &descriptor.rights_base, 8);
    std::memcpy(&bytes[16], &descriptor.rights_inheriting, 8);
    out.copy_out(0, bytes);
    return result(Errno::Success);
}

// A stdio descriptor's type, from stdio.Describe once. A terminal is a character device without
// seek and tell, which is how wasi-libc's isatty() knows it (and line-buffers stdout).
Outcome describe_stdio(WasiProcess& wasi, uint32_t fd, std::function<Outcome(Descriptor&)> then)
{
    Descriptor* descriptor = wasi.find(fd);
    if (descriptor->described)
        return then(*descriptor);
    hashos_stdio_DescribeRequest request = hashos_stdio_DescribeRequest_init_zero;
    request.stream = descriptor->kind == Descriptor::Kind::Input ? hashos_stdio_Stream_STREAM_INPUT
        : descriptor->kind == Descriptor::Kind::Output           ? hashos_stdio_Stream_STREAM_OUTPUT
                                                                 : hashos_stdio_Stream_STREAM_ERROR;
    return wasi.call(k_stdio, hashos_stdio_Stdio_METHOD_Describe, hashos_stdio_DescribeRequest_fields, &request,
        [&wasi, fd, then = std::move(then)](Reply&& reply) -> Outcome {
            Descriptor* descriptor = wasi.find(fd);
            if (!descriptor)
                return result(Errno::BadFd);
            hashos_stdio_DescribeResponse response = hashos_stdio_DescribeResponse_init_zero;
            if (reply.ok && reply.decode(hashos_stdio_DescribeResponse_fields, &response)) {
                switch (response.kind) {
                case hashos_stdio_Kind_KIND_TERMINAL:
                    descriptor->type = FileType::CharacterDevice;
                    break;
                case hashos_stdio_Kind_KIND_FILE:
                    descriptor->type = FileType::RegularFile;
                    break;
                case hashos_stdio_Kind_KIND_CHARACTER_DEVICE:
                    // Not a terminal: isatty() must say no, so it keeps the tell right.
                    descriptor->type = FileType::CharacterDevice;
                    descriptor->rights_base |= rights::fd_tell;
                    break;
                default:
                    descriptor->type = FileType::Unknown; // a pipe: WASI has no type for it
                }
            }
            descriptor->described = true;
            return then(*descriptor);
        });
}

Outcome fd_fdstat_get(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 1), layout::fdstat_size);
    if (!out)
        return result(Errno::Fault);
    uint32_t fd = u32(args, 0);
    return wasi.with_roots([&wasi, fd, out = *out]() -> Outcome {
        Descriptor* descriptor = wasi.find(fd);
        if (!descriptor)
            return result(Errno::BadFd);
        if (is_stdio(*descriptor))
            return describe_stdio(wasi, fd, [out](Descriptor& described) { return write_fdstat(described, out); });
        return write_fdstat(*descriptor, out);
    });
}

Outcome fd_fdstat_set_flags(WasiProcess& wasi, Arguments args)
{
    Descriptor* descriptor = wasi.find(u32(args, 0));
    if (!descriptor)
        return result(Errno::BadFd);
    uint16_t flags = uint16_t(u32(args, 1));
    // Not from the spec: `files` fixes a handle's flags when it opens it, so a file's append or
    // sync flags cannot change later (ENOTSUP). Non-blocking mode changes nothing here: every
    // call suspends only the wasm thread.
    if (!is_stdio(*descriptor) && ((flags ^ descriptor->flags) & ~k_fdflags_nonblock))
        return result(Errno::NotSupported);
    descriptor->flags = flags;
    return result(Errno::Success);
}

Outcome fd_fdstat_set_rights(WasiProcess& wasi, Arguments args)
{
    Descriptor* descriptor = wasi.find(u32(args, 0));
    if (!descriptor)
        return result(Errno::BadFd);
    uint64_t base = u64(args, 1);
    uint64_t inheriting = u64(args, 2);
    // https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_fdstat_set_rights:
    // rights can only be dropped.
    if ((base & ~descriptor->rights_base) || (inheriting & ~descriptor->rights_inheriting))
        return result(Errno::NotCapable);
    descriptor->rights_base = base;
    descriptor->rights_inheriting = inheriting;
    return result(Errno::Success);
}

Outcome stat_reply(Reply&& reply, const kernel::GuestSpan& out)
{
    if (!reply.ok)
        return result(errno_of(reply));
    hashos_files_StatResponse response = hashos_files_StatResponse_init_zero;
    if (!reply.decode(hashos_files_StatResponse_fields, &response))
        return result(Errno::Io);
    write_filestat(out, response.stat);
    return result(Errno::Success);
}

Outcome fd_filestat_get(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 1), layout::filestat_size);
    if (!out)
        return result(Errno::Fault);
    uint32_t fd = u32(args, 0);
    return wasi.with_roots([&wasi, fd, out = *out]() -> Outcome {
        Descriptor* descriptor = wasi.find(fd);
        if (!descriptor)
            return result(Errno::BadFd);
        if (is_stdio(*descriptor)) {
            return describe_stdio(wasi, fd, [out](Descriptor& described) {
                hashos_files_FileStat stat = hashos_files_FileStat_init_zero;
                write_filestat(out, stat);
                out.write<uint8_t>(16, uint8_t(described.type));
                return Outcome(result(Errno::Success));
            });
        }
        if (descriptor->handle == 0) {
            hashos_files_StatRequest request = hashos_files_StatRequest_init_zero;
            attach_string(request.path, descriptor->root);
            return wasi.call(k_files_interface, hashos_files_Files_METHOD_Stat, hashos_files_StatRequest_fields, &request,
                [out](Reply&& reply) { return stat_reply(std::move(reply), out); });
        }
        hashos_files_StatHandleRequest request = hashos_files_StatHandleRequest_init_zero;
        request.handle = descriptor->handle;
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_StatHandle, hashos_files_StatHandleRequest_fields, &request,
            [out](Reply&& reply) { return stat_reply(std::move(reply), out); });
    });
}

Outcome empty_reply(Reply&& reply) { return result(reply.ok ? Errno::Success : errno_of(reply)); }

// The descriptor `fd` as an open file or directory handle of `files`: EBADF for stdio or a root.
std::variant<uint64_t, Errno> handle_of(WasiProcess& wasi, uint32_t fd, uint64_t right)
{
    Descriptor* descriptor = wasi.find(fd);
    if (!descriptor || descriptor->handle == 0)
        return Errno::BadFd;
    if (!(descriptor->rights_base & right))
        return Errno::NotCapable;
    return descriptor->handle;
}

Outcome fd_filestat_set_size(WasiProcess& wasi, Arguments args)
{
    auto handle = handle_of(wasi, u32(args, 0), rights::fd_filestat_set_size);
    if (auto* error = std::get_if<Errno>(&handle))
        return result(*error);
    hashos_files_TruncateRequest request = hashos_files_TruncateRequest_init_zero;
    request.handle = std::get<uint64_t>(handle);
    request.size = u64(args, 1);
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_Truncate, hashos_files_TruncateRequest_fields, &request, empty_reply);
}

Outcome fd_filestat_set_times(WasiProcess& wasi, Arguments args)
{
    auto handle = handle_of(wasi, u32(args, 0), rights::fd_filestat_set_times);
    if (auto* error = std::get_if<Errno>(&handle))
        return result(*error);
    hashos_files_SetTimesRequest request = hashos_files_SetTimesRequest_init_zero;
    uint16_t flags = uint16_t(u32(args, 3));
    // https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fstflags: a time and
    // "now" for the same field together are invalid.
    if (((flags & k_fst_atim) && (flags & k_fst_atim_now)) || ((flags & k_fst_mtim) && (flags & k_fst_mtim_now)))
        return result(Errno::Invalid);
    request.handle = std::get<uint64_t>(handle);
    request.has_accessed_nanoseconds = flags & k_fst_atim;
    request.accessed_nanoseconds = int64_t(u64(args, 1));
    request.accessed_now = flags & k_fst_atim_now;
    request.has_modified_nanoseconds = flags & k_fst_mtim;
    request.modified_nanoseconds = int64_t(u64(args, 2));
    request.modified_now = flags & k_fst_mtim_now;
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_SetTimes, hashos_files_SetTimesRequest_fields, &request, empty_reply);
}

Outcome sync(WasiProcess& wasi, uint32_t fd, bool data_only)
{
    Descriptor* descriptor = wasi.find(fd);
    if (!descriptor)
        return result(Errno::BadFd);
    if (is_stdio(*descriptor))
        return result(Errno::Invalid); // as fsync(2) on a pipe or terminal
    if (descriptor->handle == 0)
        return result(Errno::Success); // a root is never written through its descriptor
    hashos_files_SyncRequest request = hashos_files_SyncRequest_init_zero;
    request.handle = descriptor->handle;
    request.data_only = data_only;
    return wasi.call(k_files_interface, hashos_files_Files_METHOD_Sync, hashos_files_SyncRequest_fields, &request, empty_reply);
}

Outcome fd_sync(WasiProcess& wasi, Arguments args) { return sync(wasi, u32(args, 0), false); }
Outcome fd_datasync(WasiProcess& wasi, Arguments args) { return sync(wasi, u32(args, 0), true); }

// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_advise: advice is a
// hint; accepting it and doing nothing is correct.
Outcome fd_advise(WasiProcess& wasi, Arguments args)
{
    Descriptor* descriptor = wasi.find(u32(args, 0));
    if (!descriptor)
        return result(Errno::BadFd);
    if (is_stdio(*descriptor))
        return result(Errno::InvalidSeek); // as posix_fadvise(2) on a pipe
    return result(u32(args, 3) > 5 ? Errno::Invalid : Errno::Success);
}

// Not from the spec: `files` has no allocate, and the call was removed from later WASI versions.
Outcome fd_allocate(WasiProcess& wasi, Arguments args)
{
    return result(wasi.find(u32(args, 0)) ? Errno::NotSupported : Errno::BadFd);
}

// --- Preopens ----------------------------------------------------------------------------------

Outcome fd_prestat_get(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 1), layout::prestat_size);
    if (!out)
        return result(Errno::Fault);
    uint32_t fd = u32(args, 0);
    return wasi.with_roots([&wasi, fd, out = *out]() -> Outcome {
        Descriptor* descriptor = wasi.find(fd);
        if (!descriptor || descriptor->root.empty())
            return result(Errno::BadFd);
        out.write<uint32_t>(0, k_preopen_dir);
        out.write<uint32_t>(4, uint32_t(descriptor->root.size()));
        return result(Errno::Success);
    });
}

Outcome fd_prestat_dir_name(WasiProcess& wasi, Arguments args)
{
    auto out = wasi.memory().span(u32(args, 1), u32(args, 2));
    if (!out)
        return result(Errno::Fault);
    uint32_t fd = u32(args, 0);
    return wasi.with_roots([&wasi, fd, out = *out]() -> Outcome {
        Descriptor* descriptor = wasi.find(fd);
        if (!descriptor || descriptor->root.empty())
            return result(Errno::BadFd);
        if (out.size() < descriptor->root.size())
            return result(Errno::NameTooLong);
        out.copy_out(0, { reinterpret_cast<const uint8_t*>(descriptor->root.data()), descriptor->root.size() });
        return result(Errno::Success);
    });
}

// --- Directories ---------------------------------------------------------------------------------

// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_readdir: dirents one
// after the other, the last one cut if it does not fit; fewer bytes than the buffer means the end.
Outcome fd_readdir(WasiProcess& wasi, Arguments args)
{
    auto memory = wasi.memory();
    auto buffer = memory.span(u32(args, 1), u32(args, 2));
    auto used = memory.span(u32(args, 4), 4);
    if (!buffer || !used)
        return result(Errno::Fault);
    uint32_t fd = u32(args, 0);
    uint64_t cookie = u64(args, 3);
    return wasi.with_roots([&wasi, fd, cookie, buffer = *buffer, used = *used]() -> Outcome {
        Descriptor* descriptor = wasi.find(fd);
        if (!descriptor)
            return result(Errno::BadFd);
        if (descriptor->kind != Descriptor::Kind::Directory)
            return result(Errno::NotDirectory);
        hashos_files_ReadDirectoryRequest request = hashos_files_ReadDirectoryRequest_init_zero;
        request.directory = descriptor->handle;
        std::string path = descriptor->handle == 0 ? descriptor->root : std::string();
        attach_string(request.path, path);
        request.cookie = cookie;
        // Enough entries to fill the buffer with short names; the rest come on the next call.
        request.max_entries = std::clamp<uint32_t>(buffer.size() / layout::dirent_size + 1, 1, 1024);
        return wasi.call(k_files_interface, hashos_files_Files_METHOD_ReadDirectory, hashos_files_ReadDirectoryRequest_fields,
            &request, [buffer, used](Reply&& reply) -> Outcome {
                if (!reply.ok)
                    return result(errno_of(reply));
                struct Packing {
                    kernel::GuestSpan buffer;
                    uint32_t offset = 0;
                } packing { buffer };
                hashos_files_ReadDirectoryResponse response = hashos_files_ReadDirectoryResponse_init_zero;
                response.entries.funcs.decode = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
                    auto& packing = *static_cast<Packing*>(*argument);
                    std::string name;
                    hashos_files_DirectoryEntry entry = hashos_files_DirectoryEntry_init_zero;
                    receive_string(entry.name, name);
                    if (!pb_decode(stream, hashos_files_DirectoryEntry_fields, &entry))
                        return false;
                    std::vector<uint8_t> dirent(layout::dirent_size + name.size());
                    uint64_t next = entry.cookie;
                    uint64_t inode = entry.inode;
                    uint32_t length = uint32_t(name.size());
                    std::memcpy(&dirent[0], &next, 8);
                    std::memcpy(&dirent[8], &inode, 8);
                    std::memcpy(&dirent[16], &length, 4);
                    dirent[20] = uint8_t(file_type_of(entry.kind));
                    std::memcpy(&dirent[layout::dirent_size], name.data(), name.size());
                    uint32_t room = packing.buffer.size() - packing.offset;
                    uint32_t take = std::min<uint32_t>(room, uint32_t(dirent.size()));
                    packing.buffer.copy_out(packing.offset, { dirent.data(), take });
                    packing.offset += take;
                    return true;
                };
                response.entries.arg = &packing;
                if (!reply.decode(hashos_files_ReadDirectoryResponse_fields, &response))
                    return result(Errno::Io);
                // More entries than fit: report a full buffer, so the caller asks again.
                if (!response.end && packing.offset < packing.buffer.size())
                    packing.offset = packing.buffer.size();
                return success_with_u32(used, packing.offset);
            });
    });
}

constexpr std::array k_functions {
    FunctionEntry { "fd_advise", "iIIi", fd_advise },
    FunctionEntry { "fd_allocate", "iII", fd_allocate },
    FunctionEntry { "fd_close", "i", fd_close },
    FunctionEntry { "fd_datasync", "i", fd_datasync },
    FunctionEntry { "fd_fdstat_get", "ii", fd_fdstat_get },
    FunctionEntry { "fd_fdstat_set_flags", "ii", fd_fdstat_set_flags },
    FunctionEntry { "fd_fdstat_set_rights", "iII", fd_fdstat_set_rights },
    FunctionEntry { "fd_filestat_get", "ii", fd_filestat_get },
    FunctionEntry { "fd_filestat_set_size", "iI", fd_filestat_set_size },
    FunctionEntry { "fd_filestat_set_times", "iIIi", fd_filestat_set_times },
    FunctionEntry { "fd_pread", "iiiIi", fd_pread },
    FunctionEntry { "fd_prestat_get", "ii", fd_prestat_get },
    FunctionEntry { "fd_prestat_dir_name", "iii", fd_prestat_dir_name },
    FunctionEntry { "fd_pwrite", "iiiIi", fd_pwrite },
    FunctionEntry { "fd_read", "iiii", fd_read },
    FunctionEntry { "fd_readdir", "iiiIi", fd_readdir },
    FunctionEntry { "fd_renumber", "ii", fd_renumber },
    FunctionEntry { "fd_seek", "iIii", fd_seek },
    FunctionEntry { "fd_sync", "i", fd_sync },
    FunctionEntry { "fd_tell", "ii", fd_tell },
    FunctionEntry { "fd_write", "iiii", fd_write },
};

} // namespace

std::span<const FunctionEntry> fd_functions() { return k_functions; }

} // namespace hashos::wasi
