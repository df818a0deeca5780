// BlockStore: verified blocks on disk, addressed by multihash, plus the pins that keep them.
//
// Layout under the store's directory (blocks as kubo's flatfs lays them out):
//   blocks/<shard>/<MULTIHASH>.data  a block; MULTIHASH is its multihash in base32 uppercase,
//                                    <shard> the two characters before its last one
//   pins/<CID>                       a pinned root, named by its CID as it was pinned
//   lock                             flock: shared while writing, exclusive while collecting garbage
// Blocks are keyed by multihash, so the CIDv0 and CIDv1 of one dag-pb block share one file.
//
// Guarantees: a block is hashed before it is written and again whenever it is read, so a block
// on disk that rots is reported as corrupt, never returned. Files are written to a temporary
// file in the same directory, fsynced, then renamed into place, so a crash leaves either the old
// state or the whole block, never part of one; leftover temporary files are ignored and removed
// by garbage collection. BlockBatch (store/block_batch.h) keeps the same guarantee with one
// sync for many blocks, for fetches.
//
// Threads and processes: a BlockStore holds only its directory's path, and every method may be
// called from any thread, concurrently, on one or several BlockStore objects and in several
// processes. Readers need no lock (files appear by atomic rename and are never modified);
// writers take the lock file shared and garbage collection takes it exclusive. Hold a GcHold
// across writing a DAG and pinning its root so gc cannot sweep the blocks in between. A reader of
// an unpinned DAG may find its blocks gone after a gc, and gets a "not in the store" error.
#pragma once

#include "base/result.h"
#include "store/block_source.h"
#include "store/cid.h"
#include "store/file_lock.h"
#include "store/verified_block.h"

#include <cstdint>
#include <filesystem>
#include <set>
#include <span>
#include <vector>

namespace hashos::store {

// The largest block the store accepts, as IPFS's block exchange limits blocks (2 MiB); the
// importers' blocks are at most 1 MiB of data plus a few bytes.
constexpr size_t k_max_block_size = 2 * 1024 * 1024;

struct StoredBlock {
    Multihash multihash;
    uint64_t size;
};

struct GcReport {
    uint64_t blocks_removed = 0;
    uint64_t bytes_freed = 0;
    uint64_t temporary_files_removed = 0;
};

// Keeps garbage collection waiting while it lives.
using GcHold = FileLock;

class BlockStore final : public BlockSource {
public:
    // Opens the store in `directory`, creating it if needed.
    static Result<BlockStore> open(const std::filesystem::path& directory);

    const std::filesystem::path& directory() const { return m_directory; }

    Result<bool> has(const Multihash& multihash) const;
    Result<std::vector<uint8_t>> get(const Cid& cid) const override;
    // Verifies `block` against `cid` and stores it. Storing a block that is already there is a
    // no-op, unless the copy on disk is corrupt: then it is replaced.
    Result<void> put(const Cid& cid, std::span<const uint8_t> block) const;
    // The same for a block already hashed: no second hash.
    Result<void> put(const VerifiedBlock& block) const;
    Result<std::vector<StoredBlock>> blocks() const;

    // Pins `root`: its whole DAG must be in the store, and stays there through gc.
    Result<void> pin(const Cid& root) const;
    // Unpins `root`, whether it was pinned as CIDv0 or CIDv1.
    Result<void> unpin(const Cid& root) const;
    Result<std::vector<Cid>> pins() const;

    // Removes every block no pinned DAG reaches, and leftover temporary files. Refuses, and
    // removes nothing, if a pinned DAG is missing blocks or has a corrupt one.
    Result<GcReport> collect_garbage() const;

    Result<GcHold> hold_off_gc() const;

private:
    friend class BlockBatch;

    explicit BlockStore(std::filesystem::path directory) : m_directory(std::move(directory)) {}

    std::filesystem::path block_path(const Multihash& multihash) const;
    std::filesystem::path pin_path(const Cid& root) const;
    std::filesystem::path lock_path() const { return m_directory / "lock"; }
    // Every block of the DAG under `cid` is in the store (dag-pb nodes read and verified).
    Result<void> check_complete(const Cid& cid, std::set<Multihash>& seen, size_t depth) const;
    // True when an intact copy of `multihash`'s block is already at `path`.
    bool holds_intact(const std::filesystem::path& path, const Multihash& multihash) const;

    std::filesystem::path m_directory;
};

} // namespace hashos::store
