// BlockSource: anything that hands out blocks by CID, already verified against their hash (the
// on-disk BlockStore; later also the network fetcher). The DAG walkers read through it.
#pragma once

#include "base/result.h"
#include "store/cid.h"

#include <cstdint>
#include <vector>

namespace hashos::store {

class BlockSource {
public:
    virtual ~BlockSource() = default;

    // The bytes of the block `cid` names; they hash to cid.multihash(), or this is an error.
    virtual Result<std::vector<uint8_t>> get(const Cid& cid) const = 0;
};

} // namespace hashos::store
