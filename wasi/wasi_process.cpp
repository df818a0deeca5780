#include "wasi/wasi_process.h"

#include "environment.interface.h"
#include "error.pb.h"
#include "files.interface.h"
#include "kernel/host_wait.h"
#include "kernel/process.h"
#include "kernel/services.h"
#include "kernel/syscalls.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <cerrno>

namespace hashos::wasi {

namespace {

const kernel::InterfaceHash k_environment(kernel::InterfaceHash::Bytes(hashos_environment_Environment_HASH_BYTES));
const kernel::InterfaceHash k_files(kernel::InterfaceHash::Bytes(hashos_files_Files_HASH_BYTES));

Reply reply_of(kernel::Event&& event)
{
    Reply reply;
    reply.ok = event.kind == kernel::abi::EventKind::Answer;
    reply.body = std::move(event.message.body);
    if (!reply.ok) {
        hashos_Error error = hashos_Error_init_zero;
        pb_istream_t stream = pb_istream_from_buffer(reply.body.data(), reply.body.size());
        if (pb_decode(&stream, hashos_Error_fields, &error)) {
            reply.code = uint32_t(error.code);
            reply.posix_error = error.posix_error;
        } else {
            reply.code = uint32_t(kernel::ErrorCode::Internal);
        }
    }
    return reply;
}

// Collects each occurrence of a repeated string or bytes field (a nanopb callback).
bool collect_strings(pb_istream_t* stream, const pb_field_t*, void** argument)
{
    auto& strings = *static_cast<std::vector<std::string>*>(*argument);
    std::string text(stream->bytes_left, '\0');
    if (!pb_read(stream, reinterpret_cast<pb_byte_t*>(text.data()), text.size()))
        return false;
    strings.push_back(std::move(text));
    return true;
}

bool read_string(pb_istream_t* stream, const pb_field_t*, void** argument)
{
    auto& text = *static_cast<std::string*>(*argument);
    text.assign(stream->bytes_left, '\0');
    return pb_read(stream, reinterpret_cast<pb_byte_t*>(text.data()), text.size());
}

} // namespace

bool Reply::decode(const pb_msgdesc_t* fields, void* response) const
{
    pb_istream_t stream = pb_istream_from_buffer(body.data(), body.size());
    return pb_decode(&stream, fields, response);
}

WasiProcess::WasiProcess(kernel::Process& process)
    : m_process(process)
{
    // https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md: descriptors 0, 1 and
    // 2 are standard input, output and error; preopens follow from 3.
    m_descriptors[0] = { Descriptor::Kind::Input, 0, {}, FileType::Unknown, rights::stream & ~rights::fd_write, 0, 0, false };
    m_descriptors[1] = { Descriptor::Kind::Output, 0, {}, FileType::Unknown, rights::stream & ~rights::fd_read, 0, 0, false };
    m_descriptors[2] = { Descriptor::Kind::Error, 0, {}, FileType::Unknown, rights::stream & ~rights::fd_read, 0, 0, false };
}

kernel::GuestMemory WasiProcess::memory() const { return kernel::GuestMemory(&m_process.instance()); }

std::vector<uint8_t> WasiProcess::encode_request(uint64_t method, const pb_msgdesc_t* fields, const void* request)
{
    size_t size = 0;
    pb_get_encoded_size(&size, fields, request);
    std::vector<uint8_t> body(10 + size);
    pb_ostream_t stream = pb_ostream_from_buffer(body.data(), body.size());
    pb_encode_varint(&stream, method);
    pb_encode(&stream, fields, request);
    body.resize(stream.bytes_written);
    return body;
}

WasiProcess::Outcome WasiProcess::call(const kernel::InterfaceHash& interface, uint64_t method, const pb_msgdesc_t* fields,
    const void* request, Then then)
{
    std::vector<Request> requests;
    requests.emplace_back(interface, encode_request(method, fields, request));
    return call_first(std::move(requests), [then = std::move(then)](size_t, Reply&& reply) { return then(std::move(reply)); });
}

WasiProcess::Outcome WasiProcess::call_first(std::vector<Request> requests, std::function<Outcome(size_t, Reply&&)> then)
{
    std::vector<kernel::MessageId> ids;
    for (auto& [interface, body] : requests) {
        kernel::MessageId id;
        int32_t error = kernel::syscalls::send(m_process, interface, std::move(body), kernel::AnswerWanted::Yes,
            kernel::WaitForHandler::No, id);
        if (error != 0) {
            for (auto sent : ids)
                kernel::syscalls::cancel(m_process, sent);
            // The process's own limits: too many messages in flight, or a full queue.
            return result(Errno::Again);
        }
        ids.push_back(id);
    }
    auto* thread = kernel::Thread::current();
    return kernel::await_answers(*thread, ids, [this, ids, then = std::move(then)](kernel::Event&& event) -> Outcome {
        size_t index = 0;
        for (size_t i = 0; i < ids.size(); ++i) {
            if (ids[i] == event.message.id)
                index = i;
            else
                kernel::syscalls::cancel(m_process, ids[i]);
        }
        return then(index, reply_of(std::move(event)));
    });
}

Descriptor* WasiProcess::find(uint32_t fd)
{
    auto it = m_descriptors.find(fd);
    return it == m_descriptors.end() ? nullptr : &it->second;
}

uint32_t WasiProcess::add(Descriptor descriptor)
{
    uint32_t fd = 3;
    while (m_descriptors.contains(fd))
        ++fd;
    m_descriptors[fd] = std::move(descriptor);
    return fd;
}

void WasiProcess::remove(uint32_t fd) { m_descriptors.erase(fd); }

void WasiProcess::renumber(uint32_t from, uint32_t to)
{
    auto node = m_descriptors.extract(from);
    node.key() = to;
    m_descriptors.erase(to);
    m_descriptors.insert(std::move(node));
}

bool WasiProcess::files_allowed()
{
    return m_process.permission_cache().check(m_process.services().permissions, m_process.program(), k_files)
        == kernel::Decision::Allow;
}

WasiProcess::Outcome WasiProcess::with_roots(std::function<Outcome()> then)
{
    if (m_roots_loaded)
        return then();
    m_roots_loaded = true;
    if (!files_allowed())
        return then();
    hashos_files_RootsRequest request = hashos_files_RootsRequest_init_zero;
    return call(k_files, hashos_files_Files_METHOD_Roots, hashos_files_RootsRequest_fields, &request,
        [this, then = std::move(then)](Reply&& reply) -> Outcome {
            // No handler, or an error: no roots, as without --dir.
            std::vector<std::string> roots;
            hashos_files_RootsResponse response = hashos_files_RootsResponse_init_zero;
            response.guest_paths.funcs.decode = &collect_strings;
            response.guest_paths.arg = &roots;
            if (reply.ok && reply.decode(hashos_files_RootsResponse_fields, &response)) {
                for (auto& root : roots)
                    add({ Descriptor::Kind::Directory, 0, root, FileType::Directory, rights::directory,
                        rights::directory | rights::regular_file, 0, true });
            }
            return then();
        });
}

WasiProcess::Outcome WasiProcess::with_startup(std::function<Outcome(const Startup&)> then)
{
    if (m_startup)
        return then(*m_startup);
    hashos_environment_GetRequest request = hashos_environment_GetRequest_init_zero;
    return call(k_environment, hashos_environment_Environment_METHOD_Get, hashos_environment_GetRequest_fields, &request,
        [this, then = std::move(then)](Reply&& reply) -> Outcome {
            Startup startup;
            std::string name;
            std::vector<std::string> arguments;
            hashos_environment_GetResponse response = hashos_environment_GetResponse_init_zero;
            response.program_name.funcs.decode = &read_string;
            response.program_name.arg = &name;
            response.arguments.funcs.decode = &collect_strings;
            response.arguments.arg = &arguments;
            response.variables.funcs.decode = &collect_strings;
            response.variables.arg = &startup.variables;
            // A process without a start-up context (not started through `process`) runs with its
            // name empty and nothing else, rather than failing libc's start-up.
            if (reply.ok && !reply.decode(hashos_environment_GetResponse_fields, &response))
                return result(Errno::Io);
            startup.arguments.push_back(std::move(name));
            for (auto& argument : arguments)
                startup.arguments.push_back(std::move(argument));
            m_startup = std::move(startup);
            return then(*m_startup);
        });
}

Errno errno_from_posix(uint32_t posix_error)
{
    switch (int(posix_error)) {
    case E2BIG: return Errno::TooBig;
    case EACCES: return Errno::Access;
    case EADDRINUSE: return Errno::AddressInUse;
    case EADDRNOTAVAIL: return Errno::AddressNotAvailable;
    case EAFNOSUPPORT: return Errno::AddressFamilyNotSupported;
    case EAGAIN: return Errno::Again;
    case EALREADY: return Errno::Already;
    case EBADF: return Errno::BadFd;
    case EBUSY: return Errno::Busy;
    case ECANCELED: return Errno::Canceled;
    case ECONNABORTED: return Errno::ConnectionAborted;
    case ECONNREFUSED: return Errno::ConnectionRefused;
    case ECONNRESET: return Errno::ConnectionReset;
    case EDQUOT: return Errno::Quota;
    case EEXIST: return Errno::Exist;
    case EFBIG: return Errno::FileTooBig;
    case EINTR: return Errno::Interrupted;
    case EINVAL: return Errno::Invalid;
    case EIO: return Errno::Io;
    case EISDIR: return Errno::IsDirectory;
    case ELOOP: return Errno::Loop;
    case EMFILE: return Errno::TooManyFiles;
    case EMLINK: return Errno::TooManyLinks;
    case ENAMETOOLONG: return Errno::NameTooLong;
    case ENFILE: return Errno::TooManyFilesInSystem;
    case ENODEV: return Errno::NoDevice;
    case ENOENT: return Errno::NoEntry;
    case ENOMEM: return Errno::NoMemory;
    case ENOSPC: return Errno::NoSpace;
    case ENOSYS: return Errno::NoSys;
    case ENOTDIR: return Errno::NotDirectory;
    case ENOTEMPTY: return Errno::NotEmpty;
    case ENOTSUP: return Errno::NotSupported;
    case ENOTTY: return Errno::NotTty;
    case ENXIO: return Errno::NoDeviceOrAddress;
    case EOVERFLOW: return Errno::Overflow;
    case EPERM: return Errno::Permission;
    case EPIPE: return Errno::Pipe;
    case ERANGE: return Errno::Range;
    case EROFS: return Errno::ReadOnlyFileSystem;
    case ESPIPE: return Errno::InvalidSeek;
    case ETIMEDOUT: return Errno::TimedOut;
    case ETXTBSY: return Errno::TextBusy;
    // files.proto: a path that would leave its root. WASI names that a missing capability.
    case EXDEV: return Errno::NotCapable;
    default: return Errno::Io;
    }
}

Errno errno_of(const Reply& reply)
{
    if (reply.posix_error != 0)
        return errno_from_posix(reply.posix_error);
    switch (kernel::ErrorCode(reply.code)) {
    case kernel::ErrorCode::InvalidArgument: return Errno::Invalid;
    case kernel::ErrorCode::NotFound: return Errno::NoEntry;
    case kernel::ErrorCode::AlreadyExists: return Errno::Exist;
    // The user denied the interface, or gave the program no such root: a missing capability.
    case kernel::ErrorCode::PermissionDenied: return Errno::NotCapable;
    case kernel::ErrorCode::ResourceExhausted: return Errno::NoMemory;
    case kernel::ErrorCode::Unimplemented: return Errno::NoSys;
    case kernel::ErrorCode::Unavailable: return Errno::Again;
    case kernel::ErrorCode::Cancelled: return Errno::Canceled;
    default: return Errno::Io;
    }
}

} // namespace hashos::wasi
