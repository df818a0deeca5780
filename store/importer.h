// The importer: turns a file's bytes into IPFS blocks and names the file by its root CID,
// exactly as IPFS importers do, so a file has the same CID here and in IPFS.
//
// Layout (https://github.com/ipfs/specs/blob/main/UNIXFS.md#importing, and the profiles of
// IPIP-499): the bytes are cut into fixed-size chunks; each chunk is a leaf; leaves are grouped
// `max_links` at a time under UnixFS File nodes (dag-pb), those parents again, until one node is
// left ("balanced" layout). A file of one chunk is that single leaf.
//   helia       (IPIP-499 unixfs-v1-2025; Helia and ipfs-car): 1 MiB chunks, 1024 links,
//               raw leaves, CIDv1. A file up to 1 MiB is one raw block.
//   kubo-legacy (IPIP-499 unixfs-v0-2015; `ipfs add` without options): 256 KiB chunks,
//               174 links, leaves are dag-pb File nodes wrapping the chunk, CIDv0.
//
// FileImporter streams: it holds one chunk and the pending links of each tree level, never the
// whole file. Blocks go to a BlockSink as they are made, children before their parents.
// A FileImporter is used by one thread at a time.
#pragma once

#include "base/result.h"
#include "store/cid.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace hashos::store {

enum class ImportProfile {
    Helia,
    KuboLegacy,
};

Result<ImportProfile> parse_import_profile(std::string_view text);
std::string_view name(ImportProfile profile);

enum class LeafFormat {
    Raw,       // the chunk itself, codec raw
    DagPbFile, // a dag-pb node whose UnixFS Data is {File, chunk, filesize}
};

struct ImportParameters {
    size_t chunk_size = 0;
    size_t max_links = 0;
    CidVersion cid_version = CidVersion::V1;
    LeafFormat leaf_format = LeafFormat::Raw;

    static ImportParameters for_profile(ImportProfile profile);
};

// Receives each block the importer makes, with its CID. An error stops the import.
using BlockSink = std::function<Result<void>(const Cid&, std::span<const uint8_t>)>;

class FileImporter {
public:
    static Result<FileImporter> create(const ImportParameters& parameters, BlockSink sink);

    Result<void> write(std::span<const uint8_t> bytes);
    // Emits the remaining blocks and returns the root CID. Call once, after the last write.
    Result<Cid> finish();

    uint64_t file_size() const { return m_file_size; }

private:
    // A finished node, as its parent links to it.
    struct Child {
        Cid cid;
        uint64_t file_size; // file bytes below it (UnixFS blocksizes)
        uint64_t tree_size; // block bytes of it and all below (PBLink.Tsize)
    };

    FileImporter(const ImportParameters& parameters, BlockSink sink);

    Result<void> emit_chunk();
    Result<Child> make_leaf();
    Result<void> add(size_t level, Child child);
    Result<Child> make_parent(const std::vector<Child>& children);
    Result<Cid> emit(Codec codec, std::span<const uint8_t> block);

    ImportParameters m_parameters;
    BlockSink m_sink;
    std::vector<uint8_t> m_chunk;
    std::vector<std::vector<Child>> m_levels; // pending children at each height, leaves first
    uint64_t m_file_size = 0;
    bool m_chunk_emitted = false;
};

Result<Cid> import_bytes(std::span<const uint8_t> bytes, const ImportParameters& parameters, const BlockSink& sink);
Result<Cid> import_file(const std::filesystem::path& path, const ImportParameters& parameters, const BlockSink& sink);

} // namespace hashos::store
