// A private temporary directory for one script's wast2json output.
#pragma once

#include "base/result.h"

#include <filesystem>

namespace hashos::spec {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction, and
// also when the run is interrupted (SIGINT, SIGTERM, SIGHUP: a ctest timeout, ^C), which would
// otherwise skip the destructor. The first create() starts a thread that waits for those signals,
// so create the first one before starting other threads.
class TemporaryDirectory {
public:
    static Result<TemporaryDirectory> create(const char* prefix);
    TemporaryDirectory(TemporaryDirectory&& other) noexcept;
    TemporaryDirectory& operator=(TemporaryDirectory&&) = delete;
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    ~TemporaryDirectory();

    const std::filesystem::path& path() const { return m_path; }

private:
    explicit TemporaryDirectory(std::filesystem::path path) : m_path(std::move(path)) {}
    std::filesystem::path m_path; // empty once moved from
};

} // namespace hashos::spec
