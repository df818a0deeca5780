// BlockBatch: stores many verified blocks with one durability barrier, instead of an fsync of
// each block and of its directory as BlockStore::put does (for a fetch, those syncs cost more
// than the network).
//
// add() writes each block to a temporary file beside its final place and lets the disk start on
// it without waiting; commit() waits until every one is on disk, renames them into place and
// waits again for the renames (syncfs: see commit() for why not fsync). So the guarantee of BlockStore stands: a crash before commit leaves
// only temporary files (ignored, and removed by gc), a crash during it leaves some blocks, each
// whole; never a block file with bad bytes. What a crash may cost is the uncommitted blocks.
//
// Blocks become visible to readers (has(), get()) at commit; contains() tells the batch's owner
// what it has written meanwhile. add() commits by itself every k_max_pending_blocks blocks, so a
// long fetch keeps what it got and holds few open files.
//
// The batch holds gc off (the store's lock, shared) while it lives; destroying it without
// commit() removes its temporary files. One thread at a time.
#pragma once

#include "base/result.h"
#include "store/atomic_file.h"
#include "store/block_store.h"
#include "store/verified_block.h"

#include <cstdint>
#include <filesystem>
#include <set>
#include <vector>

namespace hashos::store {

class BlockBatch {
public:
    static constexpr size_t k_max_pending_blocks = 256;

    static Result<BlockBatch> begin(const BlockStore& store);

    BlockBatch(BlockBatch&&) = default;
    BlockBatch& operator=(BlockBatch&&) = delete;

    // Writes `block` unless the store or the batch already has it intact; a corrupt copy in the
    // store is replaced at commit.
    Result<void> add(const VerifiedBlock& block);
    // Written by this batch and not committed yet.
    bool contains(const Multihash& multihash) const { return m_pending_multihashes.contains(multihash); }
    size_t pending_blocks() const { return m_pending.size(); }

    // Makes every pending block durable and visible.
    Result<void> commit();

private:
    struct Pending {
        TemporaryFile file;
        std::filesystem::path path;
    };

    BlockBatch(const BlockStore& store, GcHold hold)
        : m_store(store)
        , m_hold(std::move(hold))
    {
    }

    const BlockStore& m_store;
    GcHold m_hold;
    std::vector<Pending> m_pending;
    std::set<Multihash> m_pending_multihashes;
    std::set<std::filesystem::path> m_known_directories; // shard directories that exist
};

} // namespace hashos::store
