#include "net/dag_blocks.h"

#include "store/dag_walk.h"

namespace hashos::net {

DagBlocks::DagBlocks(const store::BlockSource& source, const store::Cid& root, DagDepth depth)
    : m_source(source)
    , m_depth(depth)
    , m_stack { { root, 0 } }
{
}

Result<std::optional<DagBlock>> DagBlocks::next()
{
    while (!m_stack.empty()) {
        auto pending = m_stack.back();
        m_stack.pop_back();
        if (!m_sent.insert(pending.cid.multihash()).second)
            continue;
        if (pending.depth > store::k_max_dag_depth)
            return Error("DAG deeper than " + std::to_string(store::k_max_dag_depth) + " levels at " + pending.cid.to_string());
        auto bytes = TRY(m_source.get(pending.cid));
        if (m_depth == DagDepth::Whole) {
            auto links = TRY(store::block_links(pending.cid, bytes));
            // Pushed last to first, so the first link is visited next.
            for (auto link = links.rbegin(); link != links.rend(); ++link)
                m_stack.push_back({ *link, pending.depth + 1 });
        }
        return std::optional(DagBlock { pending.cid, std::move(bytes) });
    }
    return std::optional<DagBlock> {};
}

} // namespace hashos::net
