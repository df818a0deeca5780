#include "store/importer.h"
#include "store/dag_pb.h"
#include "store/unixfs.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace hashos::store {

Result<ImportProfile> parse_import_profile(std::string_view text)
{
    if (text == "helia")
        return ImportProfile::Helia;
    if (text == "kubo-legacy")
        return ImportProfile::KuboLegacy;
    return Error("unknown import profile '" + std::string(text) + "' (expected helia or kubo-legacy)");
}

std::string_view name(ImportProfile profile)
{
    switch (profile) {
    case ImportProfile::Helia:
        return "helia";
    case ImportProfile::KuboLegacy:
        return "kubo-legacy";
    }
    return "unknown";
}

ImportParameters ImportParameters::for_profile(ImportProfile profile)
{
    switch (profile) {
    case ImportProfile::KuboLegacy:
        return { 256 * 1024, 174, CidVersion::V0, LeafFormat::DagPbFile };
    case ImportProfile::Helia:
        break;
    }
    return { 1024 * 1024, 1024, CidVersion::V1, LeafFormat::Raw };
}

FileImporter::FileImporter(const ImportParameters& parameters, BlockSink sink)
    : m_parameters(parameters)
    , m_sink(std::move(sink))
{
    m_chunk.reserve(parameters.chunk_size);
}

Result<FileImporter> FileImporter::create(const ImportParameters& parameters, BlockSink sink)
{
    if (parameters.chunk_size == 0)
        return Error("chunk size must be positive");
    if (parameters.max_links < 2)
        return Error("a node needs room for at least 2 links");
    if (parameters.cid_version == CidVersion::V0 && parameters.leaf_format == LeafFormat::Raw)
        return Error("raw leaves need CIDv1");
    return FileImporter(parameters, std::move(sink));
}

Result<Cid> FileImporter::emit(Codec codec, std::span<const uint8_t> block)
{
    auto cid = TRY(Cid::create(codec == Codec::Raw ? CidVersion::V1 : m_parameters.cid_version, codec,
        Multihash::sha2_256(block)));
    TRY(m_sink(cid, block));
    return cid;
}

Result<void> FileImporter::write(std::span<const uint8_t> bytes)
{
    m_file_size += bytes.size();
    while (!bytes.empty()) {
        size_t take = std::min(bytes.size(), m_parameters.chunk_size - m_chunk.size());
        m_chunk.insert(m_chunk.end(), bytes.begin(), bytes.begin() + take);
        bytes = bytes.subspan(take);
        if (m_chunk.size() == m_parameters.chunk_size)
            TRY(emit_chunk());
    }
    return {};
}

Result<void> FileImporter::emit_chunk()
{
    auto leaf = TRY(make_leaf());
    m_chunk.clear();
    m_chunk_emitted = true;
    return add(0, leaf);
}

Result<FileImporter::Child> FileImporter::make_leaf()
{
    uint64_t size = m_chunk.size();
    if (m_parameters.leaf_format == LeafFormat::Raw)
        return Child { .cid = TRY(emit(Codec::Raw, m_chunk)), .file_size = size, .tree_size = size };
    // Importers leave Data out of an empty file's node, and always write filesize.
    UnixFsData unixfs { .type = UnixFsType::File, .data = {}, .file_size = size, .block_sizes = {} };
    if (!m_chunk.empty())
        unixfs.data = m_chunk;
    auto block = encode_dag_pb(PbNode { .links = {}, .data = encode_unixfs(unixfs) });
    return Child { .cid = TRY(emit(Codec::DagPb, block)), .file_size = size, .tree_size = block.size() };
}

Result<void> FileImporter::add(size_t level, Child child)
{
    if (m_levels.size() <= level)
        m_levels.resize(level + 1);
    m_levels[level].push_back(child);
    // A full group becomes a parent at once, so memory stays at max_links per level.
    if (m_levels[level].size() == m_parameters.max_links) {
        auto parent = TRY(make_parent(m_levels[level]));
        m_levels[level].clear();
        TRY(add(level + 1, parent));
    }
    return {};
}

Result<FileImporter::Child> FileImporter::make_parent(const std::vector<Child>& children)
{
    UnixFsData unixfs { .type = UnixFsType::File, .data = {}, .file_size = 0, .block_sizes = {} };
    PbNode node;
    uint64_t tree_size = 0;
    for (auto const& child : children) {
        unixfs.block_sizes.push_back(child.file_size);
        *unixfs.file_size += child.file_size;
        // Importers write an empty Name on every file link, and the canonical form keeps it.
        node.links.push_back(PbLink { .hash = child.cid, .name = std::string(), .tsize = child.tree_size });
        tree_size += child.tree_size;
    }
    node.data = encode_unixfs(unixfs);
    auto block = encode_dag_pb(node);
    auto cid = TRY(emit(Codec::DagPb, block));
    return Child { .cid = cid, .file_size = *unixfs.file_size, .tree_size = tree_size + block.size() };
}

Result<Cid> FileImporter::finish()
{
    // Even an empty file has one (empty) chunk: its CID is that of the empty leaf.
    if (!m_chunk.empty() || !m_chunk_emitted)
        TRY(emit_chunk());
    // Close the partial group of each level, lowest first, exactly as a batch-wise balanced
    // layout does: a level's leftovers become one more parent unless they are the lone root.
    for (size_t level = 0; level < m_levels.size(); ++level) {
        bool higher_levels_pending = false;
        for (size_t above = level + 1; above < m_levels.size(); ++above)
            higher_levels_pending |= !m_levels[above].empty();
        auto pending = std::move(m_levels[level]);
        m_levels[level].clear();
        if (pending.empty())
            continue;
        if (pending.size() == 1 && !higher_levels_pending)
            return pending.front().cid;
        TRY(add(level + 1, TRY(make_parent(pending))));
    }
    return Error("importer finished without a root"); // unreachable: the loop always ends at a lone root
}

Result<Cid> import_bytes(std::span<const uint8_t> bytes, const ImportParameters& parameters, const BlockSink& sink)
{
    auto importer = TRY(FileImporter::create(parameters, sink));
    TRY(importer.write(bytes));
    return importer.finish();
}

Result<Cid> import_file(const std::filesystem::path& path, const ImportParameters& parameters, const BlockSink& sink)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return Error("cannot open " + path.string() + ": " + std::strerror(errno));
    auto importer = TRY(FileImporter::create(parameters, sink));
    std::vector<uint8_t> buffer(parameters.chunk_size);
    while (file) {
        file.read(reinterpret_cast<char*>(buffer.data()), std::streamsize(buffer.size()));
        TRY(importer.write(std::span(buffer).first(size_t(file.gcount()))));
    }
    if (file.bad())
        return Error("cannot read " + path.string() + ": " + std::strerror(errno));
    return importer.finish();
}

} // namespace hashos::store
