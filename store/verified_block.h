// VerifiedBlock: a block's bytes with the CID they were hashed against, proven by construction:
// only verify() makes one, after hashing. Whoever holds one (the CAR reader hands them out, the
// block store's batch writes them) need not hash the bytes again.
//
// It does not own the bytes: it lives no longer than the buffer it views, like a span.
#pragma once

#include "base/result.h"
#include "store/cid.h"

#include <cstdint>
#include <span>

namespace hashos::store {

class VerifiedBlock {
public:
    // Hashes `bytes`; an error when they do not match `cid`.
    static Result<VerifiedBlock> verify(const Cid& cid, std::span<const uint8_t> bytes);

    const Cid& cid() const { return m_cid; }
    std::span<const uint8_t> bytes() const { return m_bytes; }

private:
    VerifiedBlock(const Cid& cid, std::span<const uint8_t> bytes)
        : m_cid(cid)
        , m_bytes(bytes)
    {
    }

    Cid m_cid;
    std::span<const uint8_t> m_bytes;
};

} // namespace hashos::store
