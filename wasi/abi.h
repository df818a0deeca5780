// The types and constants of wasi_snapshot_preview1 that cross the guest boundary: errno values,
// rights, file types, flags, and the offsets of the structs the functions read and write in
// linear memory. All from the spec's typenames:
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/typenames.witx
// (rendered: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md).
// Everything is little-endian; offsets are in bytes.
#pragma once

#include <cstdint>

namespace hashos::wasi {

// `errno`: the result of every function but proc_exit.
enum class Errno : uint16_t {
    Success = 0, TooBig = 1, Access = 2, AddressInUse = 3, AddressNotAvailable = 4, AddressFamilyNotSupported = 5,
    Again = 6, Already = 7, BadFd = 8, BadMessage = 9, Busy = 10, Canceled = 11, Child = 12,
    ConnectionAborted = 13, ConnectionRefused = 14, ConnectionReset = 15, Deadlock = 16,
    DestinationAddressRequired = 17, Domain = 18, Quota = 19, Exist = 20, Fault = 21, FileTooBig = 22,
    HostUnreachable = 23, IdentifierRemoved = 24, IllegalSequence = 25, InProgress = 26, Interrupted = 27,
    Invalid = 28, Io = 29, IsConnected = 30, IsDirectory = 31, Loop = 32, TooManyFiles = 33, TooManyLinks = 34,
    MessageSize = 35, Multihop = 36, NameTooLong = 37, NetworkDown = 38, NetworkReset = 39,
    NetworkUnreachable = 40, TooManyFilesInSystem = 41, NoBuffers = 42, NoDevice = 43, NoEntry = 44,
    NoExec = 45, NoLock = 46, NoLink = 47, NoMemory = 48, NoMessage = 49, NoProtocolOption = 50,
    NoSpace = 51, NoSys = 52, NotConnected = 53, NotDirectory = 54, NotEmpty = 55, NotRecoverable = 56,
    NotSocket = 57, NotSupported = 58, NotTty = 59, NoDeviceOrAddress = 60, Overflow = 61, OwnerDead = 62,
    Permission = 63, Pipe = 64, Protocol = 65, ProtocolNotSupported = 66, ProtocolType = 67, Range = 68,
    ReadOnlyFileSystem = 69, InvalidSeek = 70, NoProcess = 71, Stale = 72, TimedOut = 73, TextBusy = 74,
    CrossDevice = 75, NotCapable = 76,
};

// `filetype`
enum class FileType : uint8_t {
    Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4,
    SocketDatagram = 5, SocketStream = 6, SymbolicLink = 7,
};

// `rights`
namespace rights {
constexpr uint64_t fd_datasync = 1ull << 0;
constexpr uint64_t fd_read = 1ull << 1;
constexpr uint64_t fd_seek = 1ull << 2;
constexpr uint64_t fd_fdstat_set_flags = 1ull << 3;
constexpr uint64_t fd_sync = 1ull << 4;
constexpr uint64_t fd_tell = 1ull << 5;
constexpr uint64_t fd_write = 1ull << 6;
constexpr uint64_t fd_advise = 1ull << 7;
constexpr uint64_t fd_allocate = 1ull << 8;
constexpr uint64_t path_create_directory = 1ull << 9;
constexpr uint64_t path_create_file = 1ull << 10;
constexpr uint64_t path_link_source = 1ull << 11;
constexpr uint64_t path_link_target = 1ull << 12;
constexpr uint64_t path_open = 1ull << 13;
constexpr uint64_t fd_readdir = 1ull << 14;
constexpr uint64_t path_readlink = 1ull << 15;
constexpr uint64_t path_rename_source = 1ull << 16;
constexpr uint64_t path_rename_target = 1ull << 17;
constexpr uint64_t path_filestat_get = 1ull << 18;
constexpr uint64_t path_filestat_set_size = 1ull << 19;
constexpr uint64_t path_filestat_set_times = 1ull << 20;
constexpr uint64_t fd_filestat_get = 1ull << 21;
constexpr uint64_t fd_filestat_set_size = 1ull << 22;
constexpr uint64_t fd_filestat_set_times = 1ull << 23;
constexpr uint64_t path_symlink = 1ull << 24;
constexpr uint64_t path_remove_directory = 1ull << 25;
constexpr uint64_t path_unlink_file = 1ull << 26;
constexpr uint64_t poll_fd_readwrite = 1ull << 27;
constexpr uint64_t sock_shutdown = 1ull << 28;
constexpr uint64_t sock_accept = 1ull << 29;
constexpr uint64_t all = (1ull << 30) - 1;

// What each kind of descriptor can do at most (as other runtimes grant them).
constexpr uint64_t regular_file = fd_datasync | fd_read | fd_seek | fd_fdstat_set_flags | fd_sync | fd_tell
    | fd_write | fd_advise | fd_allocate | fd_filestat_get | fd_filestat_set_size | fd_filestat_set_times
    | poll_fd_readwrite;
constexpr uint64_t directory = fd_fdstat_set_flags | fd_sync | fd_advise | path_create_directory | path_create_file
    | path_link_source | path_link_target | path_open | fd_readdir | path_readlink | path_rename_source
    | path_rename_target | path_filestat_get | path_filestat_set_size | path_filestat_set_times | fd_filestat_get
    | fd_filestat_set_times | path_symlink | path_remove_directory | path_unlink_file;
// A stream: no seek or tell, which is how wasi-libc's isatty() tells a terminal.
constexpr uint64_t stream = fd_read | fd_write | fd_fdstat_set_flags | fd_filestat_get | poll_fd_readwrite;
} // namespace rights

// `oflags`
constexpr uint16_t k_oflags_create = 1, k_oflags_directory = 2, k_oflags_exclusive = 4, k_oflags_truncate = 8;
// `fdflags`
constexpr uint16_t k_fdflags_append = 1, k_fdflags_dsync = 2, k_fdflags_nonblock = 4, k_fdflags_rsync = 8, k_fdflags_sync = 16;
// `lookupflags`
constexpr uint32_t k_lookup_symlink_follow = 1;
// `fstflags`
constexpr uint16_t k_fst_atim = 1, k_fst_atim_now = 2, k_fst_mtim = 4, k_fst_mtim_now = 8;
// `whence`
constexpr uint8_t k_whence_set = 0, k_whence_cur = 1, k_whence_end = 2;
// `clockid`
constexpr uint32_t k_clock_realtime = 0, k_clock_monotonic = 1, k_clock_process_cputime = 2, k_clock_thread_cputime = 3;
// `subclockflags`
constexpr uint16_t k_subscription_clock_abstime = 1;
// `eventtype`
constexpr uint8_t k_event_clock = 0, k_event_fd_read = 1, k_event_fd_write = 2;
// `eventrwflags`
constexpr uint16_t k_event_fd_readwrite_hangup = 1;
// `preopentype`
constexpr uint8_t k_preopen_dir = 0;

// Struct layouts.
namespace layout {
constexpr uint32_t iovec_size = 8;        // buf u32 @0, buf_len u32 @4
constexpr uint32_t fdstat_size = 24;      // filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
constexpr uint32_t filestat_size = 64;    // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
constexpr uint32_t prestat_size = 8;      // tag u8 @0, pr_name_len u32 @4
constexpr uint32_t dirent_size = 24;      // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20; the name follows
constexpr uint32_t subscription_size = 48; // userdata u64 @0, tag u8 @8, union @16 (clock: id u32 @16, timeout u64 @24,
                                           // precision u64 @32, flags u16 @40; fd_readwrite: fd u32 @16)
constexpr uint32_t event_size = 32;        // userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
} // namespace layout

} // namespace hashos::wasi
