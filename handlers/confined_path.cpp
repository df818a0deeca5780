#include "handlers/confined_path.h"

#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace hashos::handlers {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

UniqueFd::~UniqueFd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

SysResult<UniqueFd> open_beneath(int directory, std::string_view path, int flags, unsigned mode)
{
    std::string text(path.empty() ? "." : path);
    if (text.find('\0') != std::string::npos)
        return Errno { EINVAL };
    open_how how {};
    how.flags = uint64_t(flags | O_CLOEXEC);
    // O_TMPFILE includes O_DIRECTORY's bit: test all of it, or every O_DIRECTORY open would carry
    // a mode, which openat2(2) refuses with EINVAL.
    how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (;;) {
        // glibc 2.36 has no openat2 wrapper: the raw system call (openat2(2)).
        long fd = ::syscall(SYS_openat2, directory, text.c_str(), &how, sizeof(how));
        if (fd >= 0)
            return UniqueFd(int(fd));
        // EAGAIN: a concurrent rename raced the lookup; the man page says to retry.
        if (errno != EINTR && errno != EAGAIN)
            return Errno { errno };
    }
}

SysResult<UniqueFd> open_beneath_cached(int directory, std::string_view path, int flags)
{
    if (flags & (O_CREAT | O_TRUNC | O_TMPFILE))
        return Errno { EAGAIN };
    std::string text(path.empty() ? "." : path);
    if (text.find('\0') != std::string::npos)
        return Errno { EINVAL };
    open_how how {};
    how.flags = uint64_t(flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_CACHED;
    long fd;
    do {
        fd = ::syscall(SYS_openat2, directory, text.c_str(), &how, sizeof(how));
    } while (fd < 0 && errno == EINTR);
    if (fd >= 0)
        return UniqueFd(int(fd));
    // EINVAL: a kernel that does not know RESOLVE_CACHED (or a request it refuses for another
    // reason, which the slow path will tell).
    return Errno { errno == EINVAL ? EAGAIN : errno };
}

SysResult<SplitPath> split_last_component(std::string_view path)
{
    while (path.size() > 1 && path.back() == '/')
        path.remove_suffix(1);
    auto slash = path.rfind('/');
    SplitPath split;
    if (slash == std::string_view::npos) {
        split.parent = ".";
        split.name = std::string(path);
    } else {
        // An absolute parent ("/x") stays absolute, for open_beneath to refuse.
        split.parent = slash == 0 ? "/" : std::string(path.substr(0, slash));
        split.name = std::string(path.substr(slash + 1));
    }
    if (split.name.empty() || split.name == "." || split.name == ".." || split.name.find('\0') != std::string::npos)
        return Errno { EINVAL };
    return split;
}

SysResult<ParentAndName> open_parent_beneath(int directory, std::string_view path)
{
    auto split = split_last_component(path);
    if (!split)
        return Errno { split.error() };
    auto parent = open_beneath(directory, split->parent, O_PATH | O_DIRECTORY);
    if (!parent)
        return Errno { parent.error() };
    return ParentAndName { std::move(*parent), std::move(split->name) };
}

bool confinement_available()
{
    auto root = open_beneath(AT_FDCWD, ".", O_PATH | O_DIRECTORY);
    return root.has_value();
}

} // namespace hashos::handlers
