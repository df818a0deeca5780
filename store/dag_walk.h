// Following the links of a DAG of raw and dag-pb blocks, whatever the blocks mean (files,
// directories): what pinning and garbage collection need to know which blocks a root keeps.
#pragma once

#include "base/result.h"
#include "store/block_source.h"
#include "store/cid.h"

#include <functional>
#include <span>
#include <vector>

namespace hashos::store {

// The deepest DAG the walkers follow. Importers' balanced trees are a handful of levels deep;
// the limit keeps a hostile chain of blocks from exhausting the stack.
constexpr size_t k_max_dag_depth = 64;

// The CIDs a block links to: none for raw, PBNode.Links for dag-pb.
Result<std::vector<Cid>> block_links(const Cid& cid, std::span<const uint8_t> block);

// Visits every block of the DAG under `root` once, parents before children. The visitor
// receives each block's CID and size.
using BlockVisitor = std::function<Result<void>(const Cid&, size_t size)>;
Result<void> walk_dag(const BlockSource& source, const Cid& root, const BlockVisitor& visit);

} // namespace hashos::store
