// Multihash: a self-describing hash, `varint(function code) varint(digest length) digest`.
// https://github.com/multiformats/multihash
// hashos hashes with sha2-256 only (code 0x12, 32 bytes), the function every IPFS CID of a file
// uses by default; other functions are rejected with a clear error rather than carried blindly,
// since the store could not verify their blocks. A Multihash is a small value type.
#pragma once

#include "base/byte_reader.h"
#include "base/result.h"

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <vector>

namespace hashos::store {

enum class HashFunction : uint64_t {
    Sha2_256 = 0x12,
};

class Multihash {
public:
    static constexpr size_t k_sha2_256_size = 32;

    // Hashes `data` with SHA-256 (OpenSSL).
    static Multihash sha2_256(std::span<const uint8_t> data);

    // Reads one multihash from `reader` and leaves it just past the digest.
    static Result<Multihash> read(ByteReader& reader);
    // Parses `bytes`, which must hold exactly one multihash.
    static Result<Multihash> from_bytes(std::span<const uint8_t> bytes);

    HashFunction function() const { return HashFunction::Sha2_256; }
    std::span<const uint8_t> digest() const { return m_digest; }
    std::vector<uint8_t> bytes() const;

    // True when `data` hashes to this multihash.
    bool matches(std::span<const uint8_t> data) const;

    auto operator<=>(const Multihash&) const = default;

private:
    explicit Multihash(const std::array<uint8_t, k_sha2_256_size>& digest) : m_digest(digest) {}

    std::array<uint8_t, k_sha2_256_size> m_digest;
};

} // namespace hashos::store
