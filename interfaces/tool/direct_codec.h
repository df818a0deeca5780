// Direct codecs: for each request and response message of a header's methods, hashos-idl writes a
// `hashos_codec` (its nanopb descriptor, plus, when every field is a proto3 singular scalar or enum,
// a straight-line encoder and decoder), so that small messages — most requests and answers — are
// encoded and decoded without nanopb's walk over its field descriptors, the hottest guest code of a
// message round trip (bench/ipc). Other messages keep nanopb alone (the codec's functions are NULL).
//
// Encoding: https://protobuf.dev/programming-guides/encoding/ — fields in field-number order,
// proto3 zero values left out as nanopb does (a float or double is left out only when its bytes
// are all zero, so -0.0 is written). Decoding clears the struct (proto3 defaults), takes fields in
// any order, the last of a repeated field wins, unknown fields and fields with an unexpected wire
// type are skipped (as protobuf's reference parser does), and integers that do not fit their
// struct member fail as in nanopb.
#pragma once

#include "interfaces/interface.h"

#include <string>
#include <vector>

namespace hashos::interfaces {

// The C text for the hashos_codec type and its helpers (once per translation unit, guarded), the codecs of every message used by `services`' methods, and per method the
// names SERVICE_METHOD_Request_codec and SERVICE_METHOD_Response_codec. Each message's codec is
// guarded by its own macro, so headers that share a message can be included together.
std::string direct_codecs(const std::vector<const Interface*>& services);

} // namespace hashos::interfaces
