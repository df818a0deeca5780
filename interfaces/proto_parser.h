// Reads .proto files with libprotobuf's own front end (compiler/importer.h) and turns each
// service they declare into an Interface: name, methods, canonical form and hash.
// Everything it reports — syntax errors, unknown types, missing imports, proto2, streaming — comes
// back as one Error listing every problem as `file:line:column: message`; nothing is printed.
#pragma once

#include "base/result.h"
#include "interfaces/interface.h"

#include <filesystem>
#include <vector>

namespace hashos::interfaces {

// `files` are paths on disk. Imports are looked up in `import_dirs`, then in the directory of each
// file (so a file beside its imports needs none), then in libprotobuf's own include directory
// (for google/protobuf/*.proto). Each file must lie under one of these directories. Services are
// returned in the order of `files`, then of declaration.
Result<std::vector<Interface>> load_interfaces(const std::vector<std::filesystem::path>& files,
    const std::vector<std::filesystem::path>& import_dirs = {});

} // namespace hashos::interfaces
