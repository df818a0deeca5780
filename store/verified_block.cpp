#include "store/verified_block.h"

#include <string>

namespace hashos::store {

Result<VerifiedBlock> VerifiedBlock::verify(const Cid& cid, std::span<const uint8_t> bytes)
{
    if (!cid.multihash().matches(bytes))
        return Error("block " + cid.to_string() + " does not match its CID (" + std::to_string(bytes.size())
            + " bytes with another sha2-256)");
    return VerifiedBlock(cid, bytes);
}

} // namespace hashos::store
