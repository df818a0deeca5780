// The canonical form of a proto3 service: the text whose SHA-256 is the interface hash.
// It keeps exactly what the wire contract depends on (names, field numbers, types, labels, enum
// values, method order) and drops what it does not (comments, whitespace, options, file layout,
// declaration order of messages and fields). The byte format is specified in docs/interfaces.md,
// section "Canonical form"; this file is its reference implementation.
#pragma once

#include "base/result.h"

#include <string>

namespace google::protobuf {
class ServiceDescriptor;
}

namespace hashos::interfaces {

// The first line of every canonical form; a new version of the format changes it, and with it
// every hash.
inline constexpr char k_canonical_form_version[] = "hashos-interface-v1";

// Fails, naming the culprit, for what the format does not define: types declared in proto2 files,
// and streaming methods (a hashos message carries one request and gets one answer).
Result<std::string> canonical_form(const google::protobuf::ServiceDescriptor& service);

} // namespace hashos::interfaces
