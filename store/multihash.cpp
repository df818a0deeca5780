#include "store/multihash.h"
#include "store/varint.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace hashos::store {

Multihash Multihash::sha2_256(std::span<const uint8_t> data)
{
    std::array<uint8_t, k_sha2_256_size> digest;
    unsigned int size = 0;
    // EVP_Digest fails only when OpenSSL cannot allocate or lacks SHA-256 altogether; neither is
    // something a caller could recover from, and a wrong hash would be far worse than stopping.
    if (!EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) || size != digest.size())
        std::abort();
    return Multihash(digest);
}

Result<Multihash> Multihash::read(ByteReader& reader)
{
    uint64_t code = TRY(read_multiformats_varint(reader));
    uint64_t size = TRY(read_multiformats_varint(reader));
    if (code != uint64_t(HashFunction::Sha2_256)) {
        char hex[24];
        snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(code));
        return Error(std::string("unsupported multihash function ") + hex + " (hashos verifies sha2-256, 0x12)");
    }
    if (size != k_sha2_256_size)
        return Error("sha2-256 multihash with a " + std::to_string(size) + "-byte digest (must be 32)");
    auto digest_bytes = TRY(reader.read_bytes(k_sha2_256_size));
    std::array<uint8_t, k_sha2_256_size> digest;
    std::copy(digest_bytes.begin(), digest_bytes.end(), digest.begin());
    return Multihash(digest);
}

Result<Multihash> Multihash::from_bytes(std::span<const uint8_t> bytes)
{
    ByteReader reader(bytes);
    auto multihash = TRY(read(reader));
    if (!reader.at_end())
        return Error(std::to_string(reader.remaining()) + " stray byte(s) after the multihash");
    return multihash;
}

std::vector<uint8_t> Multihash::bytes() const
{
    std::vector<uint8_t> out;
    append_varint(out, uint64_t(HashFunction::Sha2_256));
    append_varint(out, k_sha2_256_size);
    out.insert(out.end(), m_digest.begin(), m_digest.end());
    return out;
}

bool Multihash::matches(std::span<const uint8_t> data) const
{
    return sha2_256(data) == *this;
}

} // namespace hashos::store
