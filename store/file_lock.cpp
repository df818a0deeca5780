#include "store/file_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace hashos::store {

Result<FileLock> FileLock::acquire(const std::filesystem::path& path, LockMode mode)
{
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error("cannot open lock file " + path.string() + ": " + std::strerror(errno));
    int operation = mode == LockMode::Shared ? LOCK_SH : LOCK_EX;
    while (::flock(fd, operation) != 0) {
        if (errno == EINTR)
            continue;
        int error = errno;
        ::close(fd);
        return Error("cannot lock " + path.string() + ": " + std::strerror(error));
    }
    return FileLock(fd);
}

FileLock& FileLock::operator=(FileLock&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

FileLock::~FileLock()
{
    // Closing the last descriptor of the open file description releases the lock.
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace hashos::store
