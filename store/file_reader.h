// Reading a file back from its DAG: a raw block is the file; a UnixFS dag-pb node holds some
// file bytes in its Data and the rest in its links, in order.
// https://github.com/ipfs/specs/blob/main/UNIXFS.md
// Blocks come from a BlockSource, so they are authentic; the DAG's structure is still checked,
// since a valid block can carry a hostile node: every child must yield exactly the byte count its
// parent's blocksizes promise, filesize must agree, and depth is bounded.
#pragma once

#include "base/result.h"
#include "store/block_source.h"
#include "store/cid.h"

#include <cstdint>
#include <functional>
#include <span>

namespace hashos::store {

using ByteSink = std::function<Result<void>(std::span<const uint8_t>)>;

// Writes the file's bytes to `sink` in order; returns the file size.
Result<uint64_t> read_file(const BlockSource& source, const Cid& root, const ByteSink& sink);

// The file size as the root block states it (reads only the root).
Result<uint64_t> file_size(const BlockSource& source, const Cid& root);

} // namespace hashos::store
