// FileLock: an advisory flock(2) on a file, held while the object lives.
// The block store takes it shared to write and exclusive to collect garbage, so that gc never
// sweeps blocks a writer in this or another process has just stored but not yet pinned.
// flock locks belong to an open file description: two FileLocks in one process conflict just as
// two processes do, so threads are covered too.
#pragma once

#include "base/result.h"

#include <filesystem>
#include <utility>

namespace hashos::store {

enum class LockMode {
    Shared,
    Exclusive,
};

class FileLock {
public:
    // Blocks until the lock is granted; creates the file if needed.
    static Result<FileLock> acquire(const std::filesystem::path& path, LockMode mode);

    FileLock(FileLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : m_fd(fd) {}

    int m_fd = -1;
};

} // namespace hashos::store
