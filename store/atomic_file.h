// Writing a file so that readers, and a crash, see either no file or the whole file: the bytes go
// to a temporary file in the same directory (so rename stays within one file system), which is
// fsynced, renamed over the final name, and the directory fsynced so the rename itself is durable.
#pragma once

#include "base/result.h"

#include <filesystem>
#include <span>
#include <string_view>

namespace hashos::store {

// Temporary files start with this; a crash can leave them behind, and readers skip them.
constexpr std::string_view k_temporary_prefix = ".tmp-";

bool is_temporary_file(const std::filesystem::path& path);

enum class FileAccess {
    ReadOnly,  // 0444: stored blocks are immutable
    ReadWrite, // 0644
};

Result<void> write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, FileAccess access);

} // namespace hashos::store
