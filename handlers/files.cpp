#include "handlers/files.h"

#include "handlers/host_error.h"
#include "handlers/wire.h"
#include "files.interface.h"

#include <pb_encode.h>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hashos::handlers {

namespace {

constexpr std::string_view k_name = "files";

kernel::Answer ok_empty() { return kernel::Answer::ok(); }

kernel::Answer bad_handle(uint64_t handle)
{
    return host_error(kernel::ErrorCode::NotFound, EBADF, "files: no open handle " + std::to_string(handle));
}

// A change under a directory granted read-only (`--dir HOST:GUEST:ro`): EROFS, as a read-only
// mount answers.
kernel::Answer read_only(const std::string& what)
{
    return host_error(error_code_for_errno(EROFS), EROFS, what + ": the directory is granted read-only");
}

// Reads a regular file's pages only if the host has them all in memory (preadv2's RWF_NOWAIT,
// Linux 4.14): `buffer` filled, or up to the end of the file, and the position moved as read(2)
// would (unless `offset` is given, as pread). nullopt when some page would come from the disk,
// with the position untouched: the pool reads it then.
std::optional<size_t> read_cached(int fd, std::vector<uint8_t>& buffer, std::optional<uint64_t> offset)
{
    off_t at = offset ? off_t(*offset) : ::lseek(fd, 0, SEEK_CUR);
    if (at < 0)
        return std::nullopt;
    iovec vector { buffer.data(), buffer.size() };
    ssize_t count;
    do {
        count = ::preadv2(fd, &vector, 1, at, RWF_NOWAIT);
    } while (count < 0 && errno == EINTR);
    if (count < 0)
        return std::nullopt; // EAGAIN (not cached), EOPNOTSUPP, or an error the pool will tell
    // RWF_NOWAIT may stop short where the cached pages end; only the end of the file may.
    if (size_t(count) < buffer.size()) {
        struct stat info {};
        if (::fstat(fd, &info) != 0 || at + count < info.st_size)
            return std::nullopt;
    }
    if (!offset && ::lseek(fd, at + count, SEEK_SET) < 0)
        return std::nullopt;
    return size_t(count);
}

kernel::Answer path_too_long()
{
    return host_error(kernel::ErrorCode::InvalidArgument, ENAMETOOLONG,
        "files: a path is over " + std::to_string(FilesHandler::k_max_path) + " bytes");
}

hashos_files_Kind kind_of(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return hashos_files_Kind_KIND_FILE;
    case S_IFDIR:
        return hashos_files_Kind_KIND_DIRECTORY;
    case S_IFLNK:
        return hashos_files_Kind_KIND_SYMBOLIC_LINK;
    case S_IFBLK:
        return hashos_files_Kind_KIND_BLOCK_DEVICE;
    case S_IFCHR:
        return hashos_files_Kind_KIND_CHARACTER_DEVICE;
    case S_IFIFO:
        return hashos_files_Kind_KIND_FIFO;
    case S_IFSOCK:
        return hashos_files_Kind_KIND_SOCKET;
    default:
        return hashos_files_Kind_KIND_UNKNOWN;
    }
}

hashos_files_Kind kind_of_entry(unsigned char type)
{
    switch (type) {
    case DT_REG:
        return hashos_files_Kind_KIND_FILE;
    case DT_DIR:
        return hashos_files_Kind_KIND_DIRECTORY;
    case DT_LNK:
        return hashos_files_Kind_KIND_SYMBOLIC_LINK;
    case DT_BLK:
        return hashos_files_Kind_KIND_BLOCK_DEVICE;
    case DT_CHR:
        return hashos_files_Kind_KIND_CHARACTER_DEVICE;
    case DT_FIFO:
        return hashos_files_Kind_KIND_FIFO;
    case DT_SOCK:
        return hashos_files_Kind_KIND_SOCKET;
    default:
        return hashos_files_Kind_KIND_UNKNOWN;
    }
}

int64_t nanoseconds(const timespec& time) { return int64_t(time.tv_sec) * 1'000'000'000 + time.tv_nsec; }

hashos_files_FileStat file_stat(const struct stat& info)
{
    hashos_files_FileStat stat = hashos_files_FileStat_init_zero;
    stat.kind = kind_of(info.st_mode);
    stat.size = uint64_t(info.st_size);
    stat.accessed_nanoseconds = nanoseconds(info.st_atim);
    stat.modified_nanoseconds = nanoseconds(info.st_mtim);
    stat.changed_nanoseconds = nanoseconds(info.st_ctim);
    stat.device = uint64_t(info.st_dev);
    stat.inode = uint64_t(info.st_ino);
    stat.links = uint64_t(info.st_nlink);
    stat.mode = uint32_t(info.st_mode & 07777);
    return stat;
}

kernel::Answer stat_answer(const struct stat& info)
{
    hashos_files_StatResponse response = hashos_files_StatResponse_init_zero;
    response.has_stat = true;
    response.stat = file_stat(info);
    return kernel::Answer::ok(encode(hashos_files_StatResponse_fields, &response));
}

// A request decoded with its string and bytes fields captured (each at most `limit` bytes).
template<typename Message>
struct Decoded {
    Message message {};
    std::vector<std::unique_ptr<StringField>> strings;
};

// Decodes `payload` into `decoded.message`, first attaching a StringField to each callback in
// `callbacks` (members of decoded.message). nullopt and `why` set when it does not decode.
template<typename Message>
bool decode_with(std::span<const uint8_t> payload, const pb_msgdesc_t* fields, Decoded<Message>& decoded,
    std::initializer_list<std::pair<pb_callback_t Message::*, size_t>> callbacks, kernel::Answer& failure)
{
    for (auto [member, limit] : callbacks) {
        decoded.strings.push_back(std::make_unique<StringField>(limit));
        decoded.strings.back()->attach(decoded.message.*member);
    }
    auto result = decode(payload, fields, &decoded.message);
    for (auto const& string : decoded.strings) {
        if (string->too_long()) {
            failure = malformed_request(k_name, "a field is over its limit");
            return false;
        }
    }
    if (result.is_error()) {
        failure = malformed_request(k_name, result.error().message());
        return false;
    }
    return true;
}

struct Entry {
    std::string name;
    hashos_files_Kind kind;
    uint64_t inode;
    uint64_t cookie;
};

bool encode_entries(pb_ostream_t* stream, const pb_field_t* field, void* const* argument)
{
    for (auto const& entry : *static_cast<const std::vector<Entry>*>(*argument)) {
        hashos_files_DirectoryEntry message = hashos_files_DirectoryEntry_init_zero;
        std::span<const uint8_t> name(reinterpret_cast<const uint8_t*>(entry.name.data()), entry.name.size());
        attach_bytes(message.name, name);
        message.kind = entry.kind;
        message.inode = entry.inode;
        message.cookie = entry.cookie;
        if (!pb_encode_tag_for_field(stream, field) || !pb_encode_submessage(stream, hashos_files_DirectoryEntry_fields, &message))
            return false;
    }
    return true;
}

// The canonical form of a guest path: "/" and components, "." and empty ones dropped; ".." is
// refused rather than guessed at.
Result<std::string> canonical_guest_path(std::string_view text)
{
    if (!text.starts_with('/'))
        return Error("the guest path '" + std::string(text) + "' is not absolute");
    std::string path;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('/', start);
        if (end == std::string_view::npos)
            end = text.size();
        auto component = text.substr(start, end - start);
        if (component == "..")
            return Error("the guest path '" + std::string(text) + "' has a '..' component");
        if (!component.empty() && component != ".")
            path += "/" + std::string(component);
        start = end + 1;
    }
    return path.empty() ? std::string("/") : path;
}

} // namespace

Result<DirectoryGrant> parse_directory_grant(std::string_view whole)
{
    // A final ":ro" or ":rw" is the access; a host path that itself ends so needs an explicit
    // ":GUEST_PATH" or ":rw" after it.
    std::string_view text = whole;
    Access access = Access::ReadWrite;
    if (text.ends_with(":ro") || text.ends_with(":rw")) {
        access = text.ends_with(":ro") ? Access::ReadOnly : Access::ReadWrite;
        text.remove_suffix(3);
    }
    // The guest path follows the last ':' only if it looks like one, so a host path may hold ':'.
    auto colon = text.rfind(':');
    std::string host(text);
    std::string guest;
    if (colon != std::string_view::npos && colon + 1 < text.size() && text[colon + 1] == '/') {
        host = std::string(text.substr(0, colon));
        guest = std::string(text.substr(colon + 1));
    }
    if (host.empty())
        return Error("--dir '" + std::string(whole) + "': no host path");
    if (guest.empty()) {
        auto name = std::filesystem::path(host).lexically_normal().filename().string();
        if (name.empty() || name == "." || name == "..")
            name = std::filesystem::absolute(host).lexically_normal().parent_path().filename().string();
        guest = "/" + name;
    }
    auto canonical = canonical_guest_path(guest);
    if (canonical.is_error())
        return Error("--dir '" + std::string(whole) + "': " + canonical.error().message());
    return DirectoryGrant { host, canonical.release_value(), access };
}

FilesHandler::FilesHandler(EventLoop& loop, ProgramLookup lookup)
    : m_loop(loop)
    , m_lookup(std::move(lookup))
{
}

Result<void> FilesHandler::grant(const kernel::ProgramId& program, const DirectoryGrant& grant)
{
    auto guest = TRY(canonical_guest_path(grant.guest_path));
    if (!confinement_available())
        return Error("cannot grant " + grant.host_path.string()
            + ": this host kernel has no openat2(2) with RESOLVE_BENEATH (Linux 5.6 or later), which confines paths");
    int fd = ::open(grant.host_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Error("cannot grant " + grant.host_path.string() + ": " + std::strerror(errno));
    auto root = std::make_shared<Root>(Root { guest, UniqueFd(fd), grant.access });
    std::lock_guard lock(m_lock);
    auto& roots = m_grants[program];
    for (auto const& existing : roots) {
        if (existing->guest_path == guest)
            return Error("the guest path " + guest + " is granted twice");
    }
    roots.push_back(std::move(root));
    return {};
}

kernel::Delivery FilesHandler::deliver(kernel::Message&& message)
{
    // The fast path (files.h): answered here, the answer is waiting when the sender looks for it.
    if (auto request = split_request(message.body)) {
        if (auto answer = answer_at_once(message.sender, request->method, request->payload)) {
            answer_message(message, std::move(*answer));
            return kernel::Delivery::Accepted;
        }
    }
    {
        std::lock_guard lock(m_lock);
        ++m_senders[message.sender].in_flight;
    }
    m_loop.post_blocking([self = shared_from_this(), message = std::move(message)]() mutable {
        self->handle(message);
    });
    return kernel::Delivery::Accepted;
}

void FilesHandler::handle(kernel::Message& message)
{
    auto request = split_request(message.body);
    kernel::Answer answer = request ? perform(message.sender, request->method, request->payload)
                                    : malformed_request(k_name, "no method number");
    answer_message(message, std::move(answer));
    finished(message.sender);
}

void FilesHandler::finished(kernel::SenderId sender)
{
    std::lock_guard lock(m_lock);
    auto it = m_senders.find(sender);
    if (it == m_senders.end())
        return;
    if (--it->second.in_flight == 0 && it->second.exited)
        m_senders.erase(it);
}

void FilesHandler::sender_exited(kernel::SenderId sender)
{
    std::lock_guard lock(m_lock);
    auto it = m_senders.find(sender);
    if (it == m_senders.end())
        return;
    // The descriptors close when the last request using one finishes.
    it->second.handles.clear();
    if (it->second.in_flight == 0)
        m_senders.erase(it);
    else
        it->second.exited = true;
}

std::optional<std::vector<std::shared_ptr<const FilesHandler::Root>>> FilesHandler::roots_of(kernel::SenderId sender, Blocking blocking)
{
    {
        std::lock_guard lock(m_lock);
        auto& files = m_senders[sender];
        if (files.roots_known)
            return files.roots;
        if (blocking == Blocking::Never)
            return std::nullopt;
    }
    // Outside the lock: the lookup may wait for a spawn to finish.
    auto program = m_lookup ? m_lookup(sender) : std::nullopt;
    std::lock_guard lock(m_lock);
    auto& files = m_senders[sender];
    if (!files.roots_known && program) {
        if (auto grants = m_grants.find(*program); grants != m_grants.end())
            files.roots = grants->second;
        files.roots_known = true;
    }
    return files.roots;
}

std::shared_ptr<FilesHandler::OpenFile> FilesHandler::find_handle(kernel::SenderId sender, uint64_t handle)
{
    std::lock_guard lock(m_lock);
    auto files = m_senders.find(sender);
    if (files == m_senders.end())
        return nullptr;
    auto it = files->second.handles.find(handle);
    return it == files->second.handles.end() ? nullptr : it->second;
}

uint64_t FilesHandler::add_handle(kernel::SenderId sender, std::shared_ptr<OpenFile> file)
{
    std::lock_guard lock(m_lock);
    auto& files = m_senders[sender];
    if (files.exited || files.handles.size() >= k_max_handles)
        return 0;
    // The smallest free number, as POSIX hands out descriptors: WASI programs expect small ones.
    uint64_t handle = 1;
    for (auto const& [number, open] : files.handles) {
        if (number != handle)
            break;
        ++handle;
    }
    files.handles.emplace(handle, std::move(file));
    return handle;
}

bool FilesHandler::remove_handle(kernel::SenderId sender, uint64_t handle)
{
    std::lock_guard lock(m_lock);
    auto files = m_senders.find(sender);
    return files != m_senders.end() && files->second.handles.erase(handle) == 1;
}

SysResult<FilesHandler::Base> FilesHandler::base_of(kernel::SenderId sender, uint64_t directory, std::string_view path, Blocking blocking)
{
    if (directory != 0) {
        auto file = find_handle(sender, directory);
        if (!file)
            return Errno { EBADF };
        if (!file->is_directory)
            return Errno { ENOTDIR };
        int fd = file->fd.get();
        Access access = file->access;
        return Base { std::move(file), fd, std::string(path), access };
    }
    // The program's namespace: the root with the longest guest path that prefixes the path.
    std::string absolute = path.starts_with('/') ? std::string(path) : "/" + std::string(path);
    std::shared_ptr<const Root> best;
    std::string rest;
    auto roots = roots_of(sender, blocking);
    if (!roots)
        return Errno { EAGAIN };
    for (auto const& root : *roots) {
        std::string_view guest = root->guest_path;
        std::string_view candidate = absolute;
        std::string remainder;
        if (guest == "/") {
            remainder = std::string(candidate.substr(1));
        } else if (candidate == guest) {
            remainder = "";
        } else if (candidate.starts_with(guest) && candidate[guest.size()] == '/') {
            remainder = std::string(candidate.substr(guest.size() + 1));
        } else {
            continue;
        }
        if (!best || root->guest_path.size() > best->guest_path.size()) {
            best = root;
            rest = std::move(remainder);
        }
    }
    if (!best)
        return Errno { ENOENT };
    // "//a" would read as absolute to openat2, which refuses it; the namespace has one root.
    size_t skip = rest.find_first_not_of('/');
    rest = skip == std::string::npos ? "" : rest.substr(skip);
    int fd = best->directory.get();
    Access access = best->access;
    return Base { std::move(best), fd, std::move(rest), access };
}

kernel::Answer FilesHandler::perform(kernel::SenderId sender, uint64_t method, std::span<const uint8_t> payload)
{
    switch (method) {
    case hashos_files_Files_METHOD_Roots:
        return roots(sender);
    case hashos_files_Files_METHOD_Open:
        return *open(sender, payload, Blocking::Allowed);
    case hashos_files_Files_METHOD_Close:
        return *close(sender, payload, Blocking::Allowed);
    case hashos_files_Files_METHOD_Read:
        return *read(sender, payload, Blocking::Allowed);
    case hashos_files_Files_METHOD_Write:
        return write(sender, payload);
    case hashos_files_Files_METHOD_Seek:
        return seek(sender, payload);
    case hashos_files_Files_METHOD_Stat:
        return stat(sender, payload);
    case hashos_files_Files_METHOD_StatHandle:
        return stat_handle(sender, payload);
    case hashos_files_Files_METHOD_ReadDirectory:
        return read_directory(sender, payload);
    case hashos_files_Files_METHOD_MakeDirectory:
        return make_directory(sender, payload);
    case hashos_files_Files_METHOD_RemoveFile:
        return remove(sender, payload, false);
    case hashos_files_Files_METHOD_RemoveDirectory:
        return remove(sender, payload, true);
    case hashos_files_Files_METHOD_Rename:
        return rename_or_link(sender, payload, false);
    case hashos_files_Files_METHOD_Link:
        return rename_or_link(sender, payload, true);
    case hashos_files_Files_METHOD_Symlink:
        return symlink(sender, payload);
    case hashos_files_Files_METHOD_ReadLink:
        return read_link(sender, payload);
    case hashos_files_Files_METHOD_Sync:
        return sync(sender, payload);
    case hashos_files_Files_METHOD_Truncate:
        return truncate(sender, payload);
    case hashos_files_Files_METHOD_SetTimes:
        return set_times(sender, payload);
    default:
        return unknown_method(k_name, method);
    }
}

std::optional<kernel::Answer> FilesHandler::answer_at_once(kernel::SenderId sender, uint64_t method, std::span<const uint8_t> payload)
{
    switch (method) {
    case hashos_files_Files_METHOD_Open:
        return open(sender, payload, Blocking::Never);
    case hashos_files_Files_METHOD_Close:
        return close(sender, payload, Blocking::Never);
    case hashos_files_Files_METHOD_Read:
        return read(sender, payload, Blocking::Never);
    // fstat and lseek of a handle never wait for a disk.
    case hashos_files_Files_METHOD_StatHandle:
        return stat_handle(sender, payload);
    case hashos_files_Files_METHOD_Seek:
        return seek(sender, payload);
    default:
        return std::nullopt;
    }
}

kernel::Answer FilesHandler::roots(kernel::SenderId sender)
{
    std::vector<std::string> paths;
    auto roots = roots_of(sender, Blocking::Allowed);
    for (auto const& root : *roots)
        paths.push_back(root->guest_path);
    hashos_files_RootsResponse response = hashos_files_RootsResponse_init_zero;
    attach_strings(response.guest_paths, paths);
    return kernel::Answer::ok(encode(hashos_files_RootsResponse_fields, &response));
}

std::optional<kernel::Answer> FilesHandler::open(kernel::SenderId sender, std::span<const uint8_t> payload, Blocking blocking)
{
    Decoded<hashos_files_OpenRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_OpenRequest_fields, request, { { &hashos_files_OpenRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    auto const& open = request.message;
    std::string const& path = request.strings[0]->value();
    if (open.exclusive && !open.create)
        return host_error(kernel::ErrorCode::InvalidArgument, EINVAL, "files: open " + path + ": exclusive without create");
    if (open.truncate && !open.write)
        return host_error(kernel::ErrorCode::InvalidArgument, EINVAL, "files: open " + path + ": truncate without write");
    // Creating, truncating and writing (O_SYNC) may wait for the disk whatever the cache holds.
    bool changes = open.write || open.create || open.truncate || open.append || open.sync;
    if (blocking == Blocking::Never && changes)
        return std::nullopt;
    int flags = open.write ? (open.read ? O_RDWR : O_WRONLY) : O_RDONLY;
    flags |= (open.create ? O_CREAT : 0) | (open.exclusive ? O_EXCL : 0) | (open.truncate ? O_TRUNC : 0)
        | (open.append ? O_APPEND : 0) | (open.directory_only ? O_DIRECTORY : 0) | (open.no_follow ? O_NOFOLLOW : 0)
        | (open.sync ? O_SYNC : 0);
    // Non-blocking, so that a FIFO or device can never hold a pool thread: reading a FIFO that
    // has no data answers UNAVAILABLE (EAGAIN) instead. Regular files ignore the flag.
    flags |= O_NONBLOCK;
    auto base = base_of(sender, open.directory, path, blocking);
    if (!base && blocking == Blocking::Never && base.error() == EAGAIN)
        return std::nullopt;
    if (!base)
        return errno_answer(base.error(), "files: open " + path);
    if (base->access == Access::ReadOnly && (open.write || open.create || open.truncate || open.append))
        return read_only("files: open " + path + " for writing");
    auto fd = blocking == Blocking::Never ? open_beneath_cached(base->fd, base->relative, flags)
                                          : open_beneath(base->fd, base->relative, flags, open.mode ? open.mode : 0644);
    if (!fd && blocking == Blocking::Never && fd.error() == EAGAIN)
        return std::nullopt;
    if (!fd)
        return errno_answer(fd.error(), "files: open " + path);
    struct stat info {};
    if (::fstat(fd->get(), &info) != 0)
        return errno_answer(errno, "files: stat " + path);
    auto file = std::make_shared<OpenFile>(OpenFile { std::move(*fd), S_ISDIR(info.st_mode), base->access, S_ISREG(info.st_mode), open.write });
    uint64_t handle = add_handle(sender, std::move(file));
    if (handle == 0)
        return host_error(kernel::ErrorCode::ResourceExhausted, EMFILE,
            "files: the limit of " + std::to_string(k_max_handles) + " open handles is reached");
    hashos_files_OpenResponse response = hashos_files_OpenResponse_init_zero;
    response.handle = handle;
    response.has_stat = true;
    response.stat = file_stat(info);
    return kernel::Answer::ok(encode(hashos_files_OpenResponse_fields, &response));
}

std::optional<kernel::Answer> FilesHandler::close(kernel::SenderId sender, std::span<const uint8_t> payload, Blocking blocking)
{
    hashos_files_CloseRequest request = hashos_files_CloseRequest_init_zero;
    if (auto decoded = decode(payload, hashos_files_CloseRequest_fields, &request); decoded.is_error())
        return malformed_request(k_name, decoded.error().message());
    // The last close of a written file may flush it (NFS, FUSE): not on the caller's thread.
    if (blocking == Blocking::Never) {
        auto file = find_handle(sender, request.handle);
        if (file && file->writable)
            return std::nullopt;
    }
    return remove_handle(sender, request.handle) ? ok_empty() : bad_handle(request.handle);
}

std::optional<kernel::Answer> FilesHandler::read(kernel::SenderId sender, std::span<const uint8_t> payload, Blocking blocking)
{
    hashos_files_ReadRequest request = hashos_files_ReadRequest_init_zero;
    if (auto decoded = decode(payload, hashos_files_ReadRequest_fields, &request); decoded.is_error())
        return malformed_request(k_name, decoded.error().message());
    auto file = find_handle(sender, request.handle);
    if (!file)
        return bad_handle(request.handle);
    std::vector<uint8_t> buffer(std::min<size_t>(request.size, k_max_transfer));
    if (blocking == Blocking::Never) {
        if (!file->is_regular)
            return std::nullopt; // a FIFO or a device: the pool reads it
        auto count = read_cached(file->fd.get(), buffer, request.has_offset ? std::optional<uint64_t>(request.offset) : std::nullopt);
        if (!count)
            return std::nullopt;
        std::span<const uint8_t> data(buffer.data(), *count);
        hashos_files_ReadResponse response = hashos_files_ReadResponse_init_zero;
        attach_bytes(response.data, data);
        return kernel::Answer::ok(encode(hashos_files_ReadResponse_fields, &response));
    }
    ssize_t count;
    do {
        count = request.has_offset ? ::pread(file->fd.get(), buffer.data(), buffer.size(), off_t(request.offset))
                                   : ::read(file->fd.get(), buffer.data(), buffer.size());
    } while (count < 0 && errno == EINTR);
    if (count < 0)
        return errno_answer(errno, "files: read");
    std::span<const uint8_t> data(buffer.data(), size_t(count));
    hashos_files_ReadResponse response = hashos_files_ReadResponse_init_zero;
    attach_bytes(response.data, data);
    return kernel::Answer::ok(encode(hashos_files_ReadResponse_fields, &response));
}

kernel::Answer FilesHandler::write(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_WriteRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_WriteRequest_fields, request, { { &hashos_files_WriteRequest::data, k_max_transfer } }, failure))
        return failure;
    auto file = find_handle(sender, request.message.handle);
    if (!file)
        return bad_handle(request.message.handle);
    if (file->access == Access::ReadOnly)
        return read_only("files: write");
    std::string const& data = request.strings[0]->value();
    ssize_t count;
    do {
        count = request.message.has_offset ? ::pwrite(file->fd.get(), data.data(), data.size(), off_t(request.message.offset))
                                           : ::write(file->fd.get(), data.data(), data.size());
    } while (count < 0 && errno == EINTR);
    if (count < 0)
        return errno_answer(errno, "files: write");
    hashos_files_WriteResponse response = hashos_files_WriteResponse_init_zero;
    response.written = uint64_t(count);
    return kernel::Answer::ok(encode(hashos_files_WriteResponse_fields, &response));
}

kernel::Answer FilesHandler::seek(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    hashos_files_SeekRequest request = hashos_files_SeekRequest_init_zero;
    if (auto decoded = decode(payload, hashos_files_SeekRequest_fields, &request); decoded.is_error())
        return malformed_request(k_name, decoded.error().message());
    auto file = find_handle(sender, request.handle);
    if (!file)
        return bad_handle(request.handle);
    int whence = request.whence == hashos_files_Whence_WHENCE_END ? SEEK_END
        : request.whence == hashos_files_Whence_WHENCE_CURRENT    ? SEEK_CUR
                                                                  : SEEK_SET;
    off_t position = ::lseek(file->fd.get(), off_t(request.offset), whence);
    if (position < 0)
        return errno_answer(errno, "files: seek");
    hashos_files_SeekResponse response = hashos_files_SeekResponse_init_zero;
    response.position = uint64_t(position);
    return kernel::Answer::ok(encode(hashos_files_SeekResponse_fields, &response));
}

kernel::Answer FilesHandler::stat(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_StatRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_StatRequest_fields, request, { { &hashos_files_StatRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    std::string const& path = request.strings[0]->value();
    auto base = base_of(sender, request.message.directory, path);
    if (!base)
        return errno_answer(base.error(), "files: stat " + path);
    struct stat info {};
    if (request.message.no_follow) {
        // The link itself: stat its name in its (confined) parent without following it. A path
        // ending in "." or ".." names a directory, never a link, so it is opened as usual.
        if (auto parent = open_parent_beneath(base->fd, base->relative)) {
            if (::fstatat(parent->parent.get(), parent->name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
                return errno_answer(errno, "files: stat " + path);
            return stat_answer(info);
        } else if (parent.error() != EINVAL) {
            return errno_answer(parent.error(), "files: stat " + path);
        }
    }
    auto fd = open_beneath(base->fd, base->relative, O_PATH);
    if (!fd)
        return errno_answer(fd.error(), "files: stat " + path);
    if (::fstat(fd->get(), &info) != 0)
        return errno_answer(errno, "files: stat " + path);
    return stat_answer(info);
}

kernel::Answer FilesHandler::stat_handle(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    hashos_files_StatHandleRequest request = hashos_files_StatHandleRequest_init_zero;
    if (auto decoded = decode(payload, hashos_files_StatHandleRequest_fields, &request); decoded.is_error())
        return malformed_request(k_name, decoded.error().message());
    auto file = find_handle(sender, request.handle);
    if (!file)
        return bad_handle(request.handle);
    struct stat info {};
    if (::fstat(file->fd.get(), &info) != 0)
        return errno_answer(errno, "files: stat");
    return stat_answer(info);
}

kernel::Answer FilesHandler::read_directory(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_ReadDirectoryRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_ReadDirectoryRequest_fields, request,
            { { &hashos_files_ReadDirectoryRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    std::string const& path = request.strings[0]->value();
    auto base = base_of(sender, request.message.directory, path);
    if (!base)
        return errno_answer(base.error(), "files: list " + path);
    // A fresh descriptor: a directory handle's own position stays where it was.
    auto fd = open_beneath(base->fd, base->relative, O_RDONLY | O_DIRECTORY);
    if (!fd)
        return errno_answer(fd.error(), "files: list " + path);
    DIR* directory = ::fdopendir(fd->get());
    if (!directory)
        return errno_answer(errno, "files: list " + path);
    fd->release();
    std::unique_ptr<DIR, int (*)(DIR*)> owned(directory, &::closedir);
    // Cookies are telldir(3) positions, which Linux keeps valid across descriptors of one
    // directory (they are the file systems' d_off values).
    if (request.message.cookie != 0)
        ::seekdir(directory, long(request.message.cookie));
    uint32_t limit = request.message.max_entries == 0 || request.message.max_entries > k_max_entries
        ? k_max_entries
        : request.message.max_entries;
    std::vector<Entry> entries;
    bool end = false;
    while (entries.size() < limit) {
        errno = 0;
        dirent* entry = ::readdir(directory);
        if (!entry) {
            if (errno != 0)
                return errno_answer(errno, "files: list " + path);
            end = true;
            break;
        }
        std::string_view name = entry->d_name;
        if (name == "." || name == "..")
            continue;
        auto kind = kind_of_entry(entry->d_type);
        if (entry->d_type == DT_UNKNOWN) {
            // Some file systems do not fill d_type: ask, without following a link.
            struct stat info {};
            if (::fstatat(::dirfd(directory), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0)
                kind = kind_of(info.st_mode);
        }
        entries.push_back({ std::string(name), kind, uint64_t(entry->d_ino), uint64_t(::telldir(directory)) });
    }
    if (!end) {
        // Full: look one entry ahead so that `end` is exact, then step back.
        long position = ::telldir(directory);
        dirent* next;
        do {
            next = ::readdir(directory);
        } while (next && (std::string_view(next->d_name) == "." || std::string_view(next->d_name) == ".."));
        end = next == nullptr;
        ::seekdir(directory, position);
    }
    hashos_files_ReadDirectoryResponse response = hashos_files_ReadDirectoryResponse_init_zero;
    response.entries.funcs.encode = &encode_entries;
    response.entries.arg = &entries;
    response.end = end;
    return kernel::Answer::ok(encode(hashos_files_ReadDirectoryResponse_fields, &response));
}

kernel::Answer FilesHandler::make_directory(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_MakeDirectoryRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_MakeDirectoryRequest_fields, request,
            { { &hashos_files_MakeDirectoryRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    std::string const& path = request.strings[0]->value();
    auto base = base_of(sender, request.message.directory, path);
    if (!base)
        return errno_answer(base.error(), "files: mkdir " + path);
    if (base->access == Access::ReadOnly)
        return read_only("files: mkdir " + path);
    auto parent = open_parent_beneath(base->fd, base->relative);
    if (!parent)
        return errno_answer(parent.error() == EINVAL ? EEXIST : parent.error(), "files: mkdir " + path);
    if (::mkdirat(parent->parent.get(), parent->name.c_str(), request.message.mode ? request.message.mode : 0755) != 0)
        return errno_answer(errno, "files: mkdir " + path);
    return ok_empty();
}

kernel::Answer FilesHandler::remove(kernel::SenderId sender, std::span<const uint8_t> payload, bool directory)
{
    Decoded<hashos_files_RemoveRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_RemoveRequest_fields, request, { { &hashos_files_RemoveRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    std::string const& path = request.strings[0]->value();
    std::string what = (directory ? "files: rmdir " : "files: unlink ") + path;
    auto base = base_of(sender, request.message.directory, path);
    if (!base)
        return errno_answer(base.error(), what);
    if (base->access == Access::ReadOnly)
        return read_only(what);
    auto parent = open_parent_beneath(base->fd, base->relative);
    if (!parent)
        return errno_answer(parent.error() == EINVAL && directory ? EBUSY : parent.error(), what);
    if (::unlinkat(parent->parent.get(), parent->name.c_str(), directory ? AT_REMOVEDIR : 0) != 0)
        return errno_answer(errno, what);
    return ok_empty();
}

kernel::Answer FilesHandler::rename_or_link(kernel::SenderId sender, std::span<const uint8_t> payload, bool link)
{
    // RenameRequest and LinkRequest have the same fields.
    static_assert(sizeof(hashos_files_RenameRequest) == sizeof(hashos_files_LinkRequest));
    Decoded<hashos_files_RenameRequest> request;
    kernel::Answer failure;
    auto fields = link ? hashos_files_LinkRequest_fields : hashos_files_RenameRequest_fields;
    if (!decode_with(payload, fields, request,
            { { &hashos_files_RenameRequest::from_path, k_max_path }, { &hashos_files_RenameRequest::to_path, k_max_path } }, failure))
        return request.strings[0]->too_long() || request.strings[1]->too_long() ? path_too_long() : failure;
    std::string const& from_path = request.strings[0]->value();
    std::string const& to_path = request.strings[1]->value();
    std::string what = (link ? "files: link " : "files: rename ") + from_path + " to " + to_path;
    auto from_base = base_of(sender, request.message.from_directory, from_path);
    if (!from_base)
        return errno_answer(from_base.error(), what);
    auto to_base = base_of(sender, request.message.to_directory, to_path);
    if (!to_base)
        return errno_answer(to_base.error(), what);
    // A rename changes both directories. A hard link changes only the one it is made in, but a
    // link to a read-only file from a writable root would be a way to write to that file.
    if (to_base->access == Access::ReadOnly || from_base->access == Access::ReadOnly)
        return read_only(what);
    auto from = open_parent_beneath(from_base->fd, from_base->relative);
    if (!from)
        return errno_answer(from.error(), what);
    auto to = open_parent_beneath(to_base->fd, to_base->relative);
    if (!to)
        return errno_answer(to.error(), what);
    // Neither call follows a link in the last component of either name (rename(2), linkat(2)
    // without AT_SYMLINK_FOLLOW), so both stay in their confined parents.
    int result = link ? ::linkat(from->parent.get(), from->name.c_str(), to->parent.get(), to->name.c_str(), 0)
                      : ::renameat(from->parent.get(), from->name.c_str(), to->parent.get(), to->name.c_str());
    if (result != 0)
        return errno_answer(errno, what);
    return ok_empty();
}

kernel::Answer FilesHandler::symlink(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_SymlinkRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_SymlinkRequest_fields, request,
            { { &hashos_files_SymlinkRequest::target, k_max_path }, { &hashos_files_SymlinkRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() || request.strings[1]->too_long() ? path_too_long() : failure;
    std::string const& target = request.strings[0]->value();
    std::string const& path = request.strings[1]->value();
    if (target.empty() || target.find('\0') != std::string::npos)
        return host_error(kernel::ErrorCode::InvalidArgument, EINVAL, "files: symlink " + path + ": an empty target");
    auto base = base_of(sender, request.message.directory, path);
    if (!base)
        return errno_answer(base.error(), "files: symlink " + path);
    if (base->access == Access::ReadOnly)
        return read_only("files: symlink " + path);
    auto parent = open_parent_beneath(base->fd, base->relative);
    if (!parent)
        return errno_answer(parent.error() == EINVAL ? EEXIST : parent.error(), "files: symlink " + path);
    if (::symlinkat(target.c_str(), parent->parent.get(), parent->name.c_str()) != 0)
        return errno_answer(errno, "files: symlink " + path);
    return ok_empty();
}

kernel::Answer FilesHandler::read_link(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_ReadLinkRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_ReadLinkRequest_fields, request, { { &hashos_files_ReadLinkRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    std::string const& path = request.strings[0]->value();
    auto base = base_of(sender, request.message.directory, path);
    if (!base)
        return errno_answer(base.error(), "files: readlink " + path);
    auto parent = open_parent_beneath(base->fd, base->relative);
    if (!parent)
        return errno_answer(parent.error(), "files: readlink " + path);
    std::vector<char> buffer(k_max_path + 1);
    ssize_t size = ::readlinkat(parent->parent.get(), parent->name.c_str(), buffer.data(), buffer.size());
    if (size < 0)
        return errno_answer(errno, "files: readlink " + path);
    std::span<const uint8_t> target(reinterpret_cast<const uint8_t*>(buffer.data()), size_t(size));
    hashos_files_ReadLinkResponse response = hashos_files_ReadLinkResponse_init_zero;
    attach_bytes(response.target, target);
    return kernel::Answer::ok(encode(hashos_files_ReadLinkResponse_fields, &response));
}

kernel::Answer FilesHandler::sync(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    hashos_files_SyncRequest request = hashos_files_SyncRequest_init_zero;
    if (auto decoded = decode(payload, hashos_files_SyncRequest_fields, &request); decoded.is_error())
        return malformed_request(k_name, decoded.error().message());
    auto file = find_handle(sender, request.handle);
    if (!file)
        return bad_handle(request.handle);
    if ((request.data_only ? ::fdatasync(file->fd.get()) : ::fsync(file->fd.get())) != 0)
        return errno_answer(errno, "files: sync");
    return ok_empty();
}

kernel::Answer FilesHandler::truncate(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    hashos_files_TruncateRequest request = hashos_files_TruncateRequest_init_zero;
    if (auto decoded = decode(payload, hashos_files_TruncateRequest_fields, &request); decoded.is_error())
        return malformed_request(k_name, decoded.error().message());
    auto file = find_handle(sender, request.handle);
    if (!file)
        return bad_handle(request.handle);
    if (file->access == Access::ReadOnly)
        return read_only("files: truncate");
    if (request.size > uint64_t(INT64_MAX))
        return host_error(kernel::ErrorCode::InvalidArgument, EFBIG, "files: truncate: the size is too large");
    if (::ftruncate(file->fd.get(), off_t(request.size)) != 0)
        return errno_answer(errno, "files: truncate");
    return ok_empty();
}

kernel::Answer FilesHandler::set_times(kernel::SenderId sender, std::span<const uint8_t> payload)
{
    Decoded<hashos_files_SetTimesRequest> request;
    kernel::Answer failure;
    if (!decode_with(payload, hashos_files_SetTimesRequest_fields, request, { { &hashos_files_SetTimesRequest::path, k_max_path } }, failure))
        return request.strings[0]->too_long() ? path_too_long() : failure;
    auto const& change = request.message;
    auto time_of = [](bool has, int64_t value, bool now) {
        if (now)
            return timespec { 0, UTIME_NOW };
        if (!has)
            return timespec { 0, UTIME_OMIT };
        // Floor division, so that instants before the epoch keep 0 <= tv_nsec < 1e9.
        int64_t seconds = value / 1'000'000'000;
        int64_t rest = value % 1'000'000'000;
        if (rest < 0) {
            rest += 1'000'000'000;
            --seconds;
        }
        return timespec { time_t(seconds), long(rest) };
    };
    timespec times[2] = { time_of(change.has_accessed_nanoseconds, change.accessed_nanoseconds, change.accessed_now),
        time_of(change.has_modified_nanoseconds, change.modified_nanoseconds, change.modified_now) };
    if (change.handle != 0) {
        auto file = find_handle(sender, change.handle);
        if (!file)
            return bad_handle(change.handle);
        if (file->access == Access::ReadOnly)
            return read_only("files: set times");
        if (::futimens(file->fd.get(), times) != 0)
            return errno_answer(errno, "files: set times");
        return ok_empty();
    }
    std::string const& path = request.strings[0]->value();
    auto base = base_of(sender, change.directory, path);
    if (!base)
        return errno_answer(base.error(), "files: set times " + path);
    if (base->access == Access::ReadOnly)
        return read_only("files: set times " + path);
    if (change.no_follow) {
        auto parent = open_parent_beneath(base->fd, base->relative);
        if (!parent)
            return errno_answer(parent.error(), "files: set times " + path);
        if (::utimensat(parent->parent.get(), parent->name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
            return errno_answer(errno, "files: set times " + path);
        return ok_empty();
    }
    auto fd = open_beneath(base->fd, base->relative, O_PATH);
    if (!fd)
        return errno_answer(fd.error(), "files: set times " + path);
    // An O_PATH descriptor cannot be given to futimens; its /proc/self/fd link names exactly the
    // file it holds, already resolved within the root.
    std::string proc = "/proc/self/fd/" + std::to_string(fd->get());
    if (::utimensat(AT_FDCWD, proc.c_str(), times, 0) != 0)
        return errno_answer(errno, "files: set times " + path);
    return ok_empty();
}

} // namespace hashos::handlers
