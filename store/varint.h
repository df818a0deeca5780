// Unsigned LEB128 varints, in the two dialects the store reads:
// - multiformats' unsigned-varint (https://github.com/multiformats/unsigned-varint): at most
//   9 bytes (63 bits) and minimally encoded, so every number has exactly one encoding;
// - protobuf varints (https://protobuf.dev/programming-guides/encoding/#varints): up to
//   10 bytes, 64 bits.
#pragma once

#include "base/byte_reader.h"
#include "base/result.h"

#include <cstdint>
#include <vector>

namespace hashos::store {

void append_varint(std::vector<uint8_t>& out, uint64_t value);

Result<uint64_t> read_multiformats_varint(ByteReader& reader);
Result<uint64_t> read_protobuf_varint(ByteReader& reader);

} // namespace hashos::store
