// The C header hashos-idl generates for one .proto file: for each service in it, the interface
// hash (32 bytes and 64 hex digits), its names, and the method numbers with their nanopb request
// and response types, and their codecs (tool/direct_codec.h). Guests and the kernel's native handlers include it next to nanopb's
// NAME.pb.h, which it includes.
#pragma once

#include "base/result.h"
#include "interfaces/interface.h"

#include <filesystem>
#include <string>
#include <vector>

namespace hashos::interfaces {

// The header's text. `proto_file` is the .proto the services come from; it names the header
// (`log.proto` → `log.interface.h`) and the nanopb header it includes (`log.pb.h`).
std::string c_header(const std::filesystem::path& proto_file, const std::vector<const Interface*>& services);

// Writes c_header() to `directory`/STEM.interface.h.
Result<void> write_c_header(const std::filesystem::path& directory, const std::filesystem::path& proto_file,
    const std::vector<const Interface*>& services);

} // namespace hashos::interfaces
