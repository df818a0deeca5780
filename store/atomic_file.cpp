#include "store/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <utility>
#include <sys/stat.h>
#include <unistd.h>

namespace hashos::store {

namespace {

Error system_error(const std::string& action, const std::filesystem::path& path)
{
    return Error("cannot " + action + " " + path.string() + ": " + std::strerror(errno));
}

Result<void> write_all(int fd, std::span<const uint8_t> bytes, const std::filesystem::path& path)
{
    while (!bytes.empty()) {
        ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return system_error("write", path);
        }
        bytes = bytes.subspan(size_t(written));
    }
    return {};
}

} // namespace

Result<void> sync_directory(const std::filesystem::path& directory)
{
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return system_error("open directory", directory);
    int status = ::fsync(fd);
    int error = errno;
    ::close(fd);
    if (status != 0) {
        errno = error;
        return system_error("sync directory", directory);
    }
    return {};
}

bool is_temporary_file(const std::filesystem::path& path)
{
    return path.filename().string().starts_with(k_temporary_prefix);
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, FileAccess access)
{
    auto directory = path.parent_path();
    std::string temporary = (directory / (std::string(k_temporary_prefix) + "XXXXXX")).string();
    int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0)
        return system_error("create a temporary file in", directory);
    auto written = [&]() -> Result<void> {
        TRY(write_all(fd, bytes, temporary));
        if (::fchmod(fd, access == FileAccess::ReadOnly ? 0444 : 0644) != 0)
            return system_error("set the permissions of", temporary);
        if (::fsync(fd) != 0)
            return system_error("sync", temporary);
        return {};
    }();
    ::close(fd);
    if (!written.is_error() && ::rename(temporary.c_str(), path.c_str()) != 0)
        written = system_error("rename into place", path);
    if (written.is_error()) {
        ::unlink(temporary.c_str());
        return written;
    }
    return sync_directory(directory);
}

Result<TemporaryFile> TemporaryFile::write(const std::filesystem::path& directory, std::span<const uint8_t> bytes, FileAccess access)
{
    std::string temporary = (directory / (std::string(k_temporary_prefix) + "XXXXXX")).string();
    int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0)
        return system_error("create a temporary file in", directory);
    TemporaryFile file(std::move(temporary), fd);
    TRY(write_all(fd, bytes, file.m_path));
    if (::fchmod(fd, access == FileAccess::ReadOnly ? 0444 : 0644) != 0)
        return system_error("set the permissions of", file.m_path);
    // Only a hint that lets the disk work while the caller goes on: sync() is the barrier, so a
    // failure here (a file system without writeback) changes nothing.
    ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    return file;
}

TemporaryFile::TemporaryFile(TemporaryFile&& other) noexcept
    : m_path(std::exchange(other.m_path, {}))
    , m_fd(std::exchange(other.m_fd, -1))
{
}

TemporaryFile::~TemporaryFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_path.empty())
        ::unlink(m_path.c_str());
}

Result<void> sync_file_system(const std::filesystem::path& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return system_error("open", path);
    int status = ::syncfs(fd);
    int error = errno;
    ::close(fd);
    if (status != 0) {
        errno = error;
        return system_error("sync the file system of", path);
    }
    return {};
}

Result<void> TemporaryFile::rename_to(const std::filesystem::path& path)
{
    if (::rename(m_path.c_str(), path.c_str()) != 0)
        return system_error("rename into place", path);
    m_path.clear();
    ::close(std::exchange(m_fd, -1));
    return {};
}

} // namespace hashos::store
