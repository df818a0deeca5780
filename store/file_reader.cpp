#include "store/file_reader.h"
#include "store/dag_pb.h"
#include "store/dag_walk.h"
#include "store/unixfs.h"

#include <numeric>

namespace hashos::store {

namespace {

struct FileNode {
    PbNode node;
    UnixFsData unixfs;
};

Result<FileNode> decode_file_node(const Cid& cid, std::span<const uint8_t> block)
{
    auto decoded = decode_dag_pb(block);
    if (decoded.is_error())
        return Error(cid.to_string() + ": " + decoded.error().message());
    auto node = decoded.release_value();
    if (!node.data)
        return Error(cid.to_string() + " is a dag-pb node without UnixFS data");
    auto unixfs = decode_unixfs(*node.data);
    if (unixfs.is_error())
        return Error(cid.to_string() + ": " + unixfs.error().message());
    if (unixfs->type != UnixFsType::File && unixfs->type != UnixFsType::Raw)
        return Error(cid.to_string() + " is a UnixFS " + std::string(name(unixfs->type)) + ", not a file");
    if (unixfs->block_sizes.size() != node.links.size())
        return Error(cid.to_string() + " has " + std::to_string(node.links.size()) + " links but "
            + std::to_string(unixfs->block_sizes.size()) + " blocksizes");
    uint64_t total = unixfs->data ? unixfs->data->size() : 0;
    for (uint64_t size : unixfs->block_sizes) {
        if (__builtin_add_overflow(total, size, &total))
            return Error(cid.to_string() + " has blocksizes that overflow");
    }
    if (unixfs->file_size && *unixfs->file_size != total)
        return Error(cid.to_string() + " says filesize " + std::to_string(*unixfs->file_size) + " but holds "
            + std::to_string(total) + " bytes");
    return FileNode { std::move(node), unixfs.release_value() };
}

Result<uint64_t> read_node(const BlockSource& source, const Cid& cid, const ByteSink& sink, size_t depth)
{
    if (depth > k_max_dag_depth)
        return Error("file DAG deeper than " + std::to_string(k_max_dag_depth) + " levels at " + cid.to_string());
    auto block = TRY(source.get(cid));
    if (cid.codec() == Codec::Raw) {
        TRY(sink(block));
        return block.size();
    }
    auto file = TRY(decode_file_node(cid, block));
    uint64_t written = 0;
    if (file.unixfs.data && !file.unixfs.data->empty()) {
        TRY(sink(*file.unixfs.data));
        written += file.unixfs.data->size();
    }
    for (size_t index = 0; index < file.node.links.size(); ++index) {
        auto const& child = file.node.links[index].hash;
        uint64_t child_size = TRY(read_node(source, child, sink, depth + 1));
        if (child_size != file.unixfs.block_sizes[index])
            return Error(child.to_string() + " holds " + std::to_string(child_size) + " bytes but its parent "
                + cid.to_string() + " promises " + std::to_string(file.unixfs.block_sizes[index]));
        written += child_size;
    }
    return written;
}

} // namespace

Result<uint64_t> read_file(const BlockSource& source, const Cid& root, const ByteSink& sink)
{
    return read_node(source, root, sink, 0);
}

Result<uint64_t> file_size(const BlockSource& source, const Cid& root)
{
    auto block = TRY(source.get(root));
    if (root.codec() == Codec::Raw)
        return block.size();
    auto file = TRY(decode_file_node(root, block));
    uint64_t size = file.unixfs.data ? file.unixfs.data->size() : 0;
    return std::accumulate(file.unixfs.block_sizes.begin(), file.unixfs.block_sizes.end(), size);
}

} // namespace hashos::store
