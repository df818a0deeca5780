// DagBlocks: the blocks of a DAG one at a time, in depth-first order (a parent, then each child's
// subtree in link order) and each block once: the `order=dfs; dups=n` of a gateway's CAR stream.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/#car-order-content-type-parameter
//
// Pull-based, unlike store::walk_dag, so a server can send one block, return to its event loop
// and resume later; it holds the pending CIDs and the set of blocks already sent, never the
// blocks themselves. Used by one thread at a time; the source must outlive it.
#pragma once

#include "base/result.h"
#include "store/block_source.h"
#include "store/cid.h"

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace hashos::net {

struct DagBlock {
    store::Cid cid;
    std::vector<uint8_t> bytes;
};

enum class DagDepth {
    RootOnly,
    Whole,
};

class DagBlocks {
public:
    DagBlocks(const store::BlockSource& source, const store::Cid& root, DagDepth depth);

    // The next block, or nullopt after the last one. A missing or corrupt block is an error.
    Result<std::optional<DagBlock>> next();

private:
    struct Pending {
        store::Cid cid;
        size_t depth;
    };

    const store::BlockSource& m_source;
    DagDepth m_depth;
    std::vector<Pending> m_stack;
    std::set<store::Multihash> m_sent;
};

} // namespace hashos::net
