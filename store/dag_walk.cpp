#include "store/dag_walk.h"
#include "store/dag_pb.h"

#include <set>

namespace hashos::store {

namespace {

Result<void> walk(const BlockSource& source, const Cid& cid, const BlockVisitor& visit, std::set<Multihash>& seen,
    size_t depth)
{
    if (depth > k_max_dag_depth)
        return Error("DAG deeper than " + std::to_string(k_max_dag_depth) + " levels at " + cid.to_string());
    // A block shared by several parents (identical chunks) is visited once.
    if (!seen.insert(cid.multihash()).second)
        return {};
    auto block = TRY(source.get(cid));
    TRY(visit(cid, block.size()));
    for (auto const& link : TRY(block_links(cid, block)))
        TRY(walk(source, link, visit, seen, depth + 1));
    return {};
}

} // namespace

Result<std::vector<Cid>> block_links(const Cid& cid, std::span<const uint8_t> block)
{
    if (cid.codec() == Codec::Raw)
        return std::vector<Cid> {};
    auto node = decode_dag_pb(block);
    if (node.is_error())
        return Error(cid.to_string() + ": " + node.error().message());
    std::vector<Cid> links;
    for (auto const& link : node->links)
        links.push_back(link.hash);
    return links;
}

Result<void> walk_dag(const BlockSource& source, const Cid& root, const BlockVisitor& visit)
{
    std::set<Multihash> seen;
    return walk(source, root, visit, seen, 0);
}

} // namespace hashos::store
