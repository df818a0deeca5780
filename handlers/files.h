// FilesHandler: the kernel-native handler of `files` (interfaces/files.proto): the host's files,
// confined to the directories the user granted to each program (`hashos run --dir`). Paths are
// resolved by handlers/confined_path.h (openat2 with RESOLVE_BENEATH), so "..", absolute paths
// and symbolic links cannot leave a root.
//
// Each sender gets its own table of handles (small numbers from 1), closed when it exits. The
// sender's program — whose grants apply — is found once per sender through the ProgramLookup.
//
// Threads: grant() before programs start; deliver(), cancel() and sender_exited() from any
// thread. Requests run on the event loop's blocking pool (file I/O blocks, a kernel worker must
// not), except those that cannot wait for a disk, which deliver() answers on the caller's thread
// (a pool round trip costs two thread wake-ups, tens of microseconds on these VMs): opening an
// existing file to read when the host has its path in its lookup cache (RESOLVE_CACHED), reading
// a regular file's cached pages (RWF_NOWAIT), stat and seek on a handle, closing a file opened to
// read. The tables are under m_lock, which no system call is made under.
#pragma once

#include "base/result.h"
#include "handlers/confined_path.h"
#include "handlers/event_loop.h"
#include "kernel/handler.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace hashos::handlers {

// What a program may do under a granted directory: everything, or only look (open for reading,
// stat, list, read links). A read-only grant refuses every change with EROFS.
enum class Access : uint8_t { ReadWrite, ReadOnly };

// A host directory seen by a program at a guest path ("/", "/site").
struct DirectoryGrant {
    std::filesystem::path host_path;
    std::string guest_path;
    Access access = Access::ReadWrite;
};

// `HOST_PATH[:GUEST_PATH][:ro|:rw]` as the user writes it after --dir; GUEST_PATH defaults to "/"
// followed by HOST_PATH's last component, access to read-write. The guest path is made canonical
// ("/a/b", no "." or "..").
Result<DirectoryGrant> parse_directory_grant(std::string_view text);

class FilesHandler final : public kernel::Handler, public std::enable_shared_from_this<FilesHandler> {
public:
    // The program a sender runs (its CID), or nullopt for one the lookup does not know. Called on
    // the blocking pool, so it may wait briefly.
    using ProgramLookup = std::function<std::optional<kernel::ProgramId>(kernel::SenderId)>;

    static constexpr size_t k_max_transfer = 1 << 20; // bytes per Read or Write
    static constexpr size_t k_max_handles = 1024;     // open handles per sender
    static constexpr size_t k_max_path = 4095;
    static constexpr uint32_t k_max_entries = 1024; // per ReadDirectory

    FilesHandler(EventLoop& loop, ProgramLookup lookup);

    // Gives `program` the directory. Errors: the host path is not a directory that can be opened,
    // the guest path is not absolute, or the program has a root at that guest path already.
    Result<void> grant(const kernel::ProgramId& program, const DirectoryGrant& grant);

    kernel::Delivery deliver(kernel::Message&& message) override;
    void sender_exited(kernel::SenderId sender) override;
    std::string description() const override { return "the kernel's files handler"; }

    struct Root {
        std::string guest_path;
        UniqueFd directory; // O_PATH
        Access access = Access::ReadWrite;
    };
    struct OpenFile {
        UniqueFd fd;
        bool is_directory = false;
        Access access = Access::ReadWrite; // that of the root it was opened under
        bool is_regular = false;
        bool writable = false; // opened to write: closing it may flush, so not on the caller's thread
    };
    // Where a path starts: a descriptor (kept open by `owner`) and the path relative to it.
    struct Base {
        std::shared_ptr<const void> owner;
        int fd = -1;
        std::string relative;
        Access access = Access::ReadWrite;
    };

private:
    struct SenderFiles {
        bool roots_known = false;
        std::vector<std::shared_ptr<const Root>> roots;
        std::map<uint64_t, std::shared_ptr<OpenFile>> handles;
        uint64_t next_handle = 1;
        size_t in_flight = 0; // requests delivered and not yet answered
        bool exited = false;
    };

    // Whether a request may wait for the disk (on the pool) or must not (on the caller's thread,
    // where a request that would wait is left to the pool: nullopt).
    enum class Blocking : uint8_t { Allowed, Never };

    void handle(kernel::Message& message);
    kernel::Answer perform(kernel::SenderId sender, uint64_t method, std::span<const uint8_t> payload);
    // The requests that can be answered without waiting, answered; nullopt for the others.
    std::optional<kernel::Answer> answer_at_once(kernel::SenderId sender, uint64_t method, std::span<const uint8_t> payload);
    void finished(kernel::SenderId sender);

    // Per-sender state, each under m_lock. With Blocking::Never, roots not looked up yet are
    // nullopt (the lookup may wait for a spawn).
    std::optional<std::vector<std::shared_ptr<const Root>>> roots_of(kernel::SenderId sender, Blocking blocking);
    std::shared_ptr<OpenFile> find_handle(kernel::SenderId sender, uint64_t handle);
    // 0 when the sender holds k_max_handles already or has exited (the descriptor is closed).
    uint64_t add_handle(kernel::SenderId sender, std::shared_ptr<OpenFile> file);
    bool remove_handle(kernel::SenderId sender, uint64_t handle);

    // Where `path` starts for `sender`: a directory handle, or the root holding the guest path.
    // EAGAIN with Blocking::Never when the sender's roots are not known yet.
    SysResult<Base> base_of(kernel::SenderId sender, uint64_t directory, std::string_view path, Blocking blocking = Blocking::Allowed);

    kernel::Answer roots(kernel::SenderId sender);
    // These three may run with Blocking::Never; with Blocking::Allowed they always answer.
    std::optional<kernel::Answer> open(kernel::SenderId sender, std::span<const uint8_t> payload, Blocking blocking);
    std::optional<kernel::Answer> close(kernel::SenderId sender, std::span<const uint8_t> payload, Blocking blocking);
    std::optional<kernel::Answer> read(kernel::SenderId sender, std::span<const uint8_t> payload, Blocking blocking);
    kernel::Answer write(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer seek(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer stat(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer stat_handle(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer read_directory(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer make_directory(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer remove(kernel::SenderId sender, std::span<const uint8_t> payload, bool directory);
    kernel::Answer rename_or_link(kernel::SenderId sender, std::span<const uint8_t> payload, bool link);
    kernel::Answer symlink(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer read_link(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer sync(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer truncate(kernel::SenderId sender, std::span<const uint8_t> payload);
    kernel::Answer set_times(kernel::SenderId sender, std::span<const uint8_t> payload);

    EventLoop& m_loop;
    ProgramLookup m_lookup;

    std::mutex m_lock;
    std::map<kernel::ProgramId, std::vector<std::shared_ptr<const Root>>> m_grants;
    std::unordered_map<kernel::SenderId, SenderFiles> m_senders;
};

} // namespace hashos::handlers
