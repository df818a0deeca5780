// Resolving a program's paths inside the directories granted to it, for the `files` handler
// (interfaces/files.proto). Every lookup starts from a directory descriptor (a granted root, or a
// directory the program opened) and goes through openat2(2) with RESOLVE_BENEATH: the host
// kernel refuses, with EXDEV, any resolution that would leave that directory — by "..", by an
// absolute path, or by a symbolic link, absolute or relative, at any depth — and refuses
// /proc-style magic links. Operations that act on a name rather than a file (mkdir, unlink,
// rename, symlink, readlink, lstat) resolve the parent directory that way and then act on the
// last component alone, which the *at(2) calls never follow.
//
// openat2(2): "RESOLVE_BENEATH: Do not permit the path resolution to succeed if any component
// of the resolution is not a descendant of the directory indicated by dirfd." (Linux >= 5.6.)
//
// Plain values and functions: use them from any thread. Errors are errno values.
#pragma once

#include <fcntl.h>

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hashos::handlers {

// An owned file descriptor, closed on destruction.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    ~UniqueFd();
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd = -1;
};

// A failed system call's errno.
struct Errno {
    int value;
};

// T, or the errno of the system call that failed (the files handler answers with both the
// errno and its kind, host_error.h, so base's Result with its text alone would lose it).
template<typename T>
class [[nodiscard]] SysResult {
public:
    SysResult(T value) : m_storage(std::in_place_index<0>, std::move(value)) {}
    SysResult(Errno error) : m_storage(std::in_place_index<1>, error) {}
    bool has_value() const { return m_storage.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& operator*() { return std::get<0>(m_storage); }
    T* operator->() { return &std::get<0>(m_storage); }
    int error() const { return std::get<1>(m_storage).value; }

private:
    std::variant<T, Errno> m_storage;
};

// openat2(dirfd, path, flags, mode) confined beneath dirfd. "" opens dirfd's own directory.
SysResult<UniqueFd> open_beneath(int directory, std::string_view path, int flags, unsigned mode = 0);

// As open_beneath, without ever waiting for a disk: EAGAIN when some component of the path is
// not in the host's lookup cache (openat2's RESOLVE_CACHED, Linux 5.12), when `flags` ask for
// anything but opening an existing file (O_CREAT, O_TRUNC), and on a kernel without
// RESOLVE_CACHED. EAGAIN means "ask open_beneath, off this thread".
SysResult<UniqueFd> open_beneath_cached(int directory, std::string_view path, int flags);

// A path split into the directory that holds its last component and that component's name.
// For "a/b/c": parent "a/b", name "c"; for "c": parent ".", name "c". Trailing slashes are
// dropped. EINVAL when the last component is "", "." or ".." (nothing to create or remove).
struct SplitPath {
    std::string parent;
    std::string name;
};
SysResult<SplitPath> split_last_component(std::string_view path);

// The parent directory of `path` beneath `directory`, opened O_PATH, and the last name.
struct ParentAndName {
    UniqueFd parent;
    std::string name;
};
SysResult<ParentAndName> open_parent_beneath(int directory, std::string_view path);

// Whether the running kernel has openat2 with RESOLVE_BENEATH (ENOSYS before Linux 5.6, or
// under a seccomp filter that forbids it): without it the files handler refuses to start,
// since it has no other confinement it trusts.
bool confinement_available();

} // namespace hashos::handlers
