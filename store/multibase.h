// The two multibase encodings CIDs are written in, without their multibase prefix character:
// base32 (RFC 4648 section 6, no padding; CIDv1 uses it lowercase behind the prefix `b`) and
// base58btc (the Bitcoin alphabet; CIDv0 is bare base58btc, CIDv1 may use it behind `z`).
// https://github.com/multiformats/multibase
// Decoders accept only the canonical text of some bytes: no padding, no stray characters, and
// the unused low bits of the last base32 character must be zero.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::store {

enum class LetterCase { Lower, Upper };

std::string encode_base32(std::span<const uint8_t> bytes, LetterCase letter_case = LetterCase::Lower);
Result<std::vector<uint8_t>> decode_base32(std::string_view text, LetterCase letter_case = LetterCase::Lower);

std::string encode_base58btc(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> decode_base58btc(std::string_view text);

} // namespace hashos::store
