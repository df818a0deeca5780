#include "net/fetcher.h"

#include "net/car_reader.h"
#include "net/gateway_request.h"
#include "net/http_transfers.h"
#include "store/block_batch.h"
#include "store/dag_pb.h"
#include "store/dag_walk.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <memory>
#include <set>

namespace hashos::net {

namespace {

// The CAR variant hashos asks for and reads: CARv1, depth-first, no duplicate blocks.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/#car-format-signaling-in-request
constexpr std::string_view k_car_accept = k_car_content_type;

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

enum class Standing { Good, Dead, Dropped };

// One fetch: the peers' standing, the blocks wanted and in flight, the report. Lives on the
// stack of Fetcher::fetch.
class FetchSession {
public:
    FetchSession(const std::vector<std::string>& peers, const FetchOptions& options, const store::BlockStore& store,
        const ProgressCallback& progress, HttpTransfers transfers)
        : m_peers(peers)
        , m_standing(peers.size(), Standing::Good)
        , m_options(options)
        , m_store(store)
        , m_progress_callback(progress)
        , m_transfers(std::move(transfers))
    {
    }

    Result<FetchReport> run(const store::Cid& root);

private:
    // A raw-block request and its retries over the peers.
    struct BlockJob {
        store::Cid cid;
        size_t depth = 0;
        size_t peer = 0;
        std::vector<uint8_t> body;
        bool oversized = false;
    };

    Result<void> fetch_car(const store::Cid& root);
    Result<void> fetch_missing(const store::Cid& root);
    void pump();
    void start(std::shared_ptr<BlockJob> job);
    void finish(std::shared_ptr<BlockJob> job, const TransferResult& result);
    void retry(std::shared_ptr<BlockJob> job);

    // Stores a verified block; returns the blocks it links to.
    Result<std::vector<store::Cid>> keep(const store::VerifiedBlock& block);
    Result<void> fetch_all(const store::Cid& root);
    void fail(Error error);
    void report(size_t peer, PeerProblem::Kind kind, std::string message);
    void received(size_t peer, size_t bytes);
    void notify();
    std::string url(size_t peer, const store::Cid& cid, std::string_view query) const;
    std::optional<size_t> good_peer_from(size_t peer) const;
    Error no_peer_error(const store::Cid& cid) const;

    const std::vector<std::string>& m_peers;
    std::vector<Standing> m_standing;
    FetchOptions m_options;
    const store::BlockStore& m_store;
    const ProgressCallback& m_progress_callback;
    HttpTransfers m_transfers;
    // Where fetched blocks go: written as they arrive, made durable together (store/block_batch.h).
    std::optional<store::BlockBatch> m_batch;

    std::optional<store::Multihash> m_root;
    std::deque<std::pair<store::Cid, size_t>> m_queue; // CIDs to look at, with their depth
    std::set<store::Multihash> m_seen;
    size_t m_in_flight = 0;
    std::optional<Error> m_fatal;
    FetchProgress m_progress;
    FetchReport m_report;
};

std::string FetchSession::url(size_t peer, const store::Cid& cid, std::string_view query) const
{
    std::string base = m_peers[peer];
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/ipfs/" + cid.to_string() + "?" + std::string(query);
}

std::optional<size_t> FetchSession::good_peer_from(size_t peer) const
{
    for (; peer < m_peers.size(); ++peer) {
        if (m_standing[peer] == Standing::Good)
            return peer;
    }
    return std::nullopt;
}

void FetchSession::report(size_t peer, PeerProblem::Kind kind, std::string message)
{
    // Requests already in flight to a peer that died or lied fail too: say so once.
    if (m_standing[peer] != Standing::Good && kind != PeerProblem::Kind::Unhelpful)
        return;
    if (kind == PeerProblem::Kind::Dead)
        m_standing[peer] = Standing::Dead;
    if (kind == PeerProblem::Kind::Dropped)
        m_standing[peer] = Standing::Dropped;
    m_report.problems.push_back({ m_peers[peer], kind, std::move(message) });
}

void FetchSession::fail(Error error)
{
    if (!m_fatal)
        m_fatal = std::move(error);
    m_transfers.request_stop();
    m_queue.clear();
}

void FetchSession::notify()
{
    if (m_progress_callback)
        m_progress_callback(m_progress);
}

void FetchSession::received(size_t peer, size_t bytes)
{
    m_progress.bytes_received += bytes;
    m_report.bytes_received += bytes;
    if (m_progress.peer != m_peers[peer])
        m_progress.peer = m_peers[peer];
    notify();
}

Error FetchSession::no_peer_error(const store::Cid& cid) const
{
    // The latest word from each peer says why it could not help.
    std::map<std::string, std::string> last;
    for (auto const& problem : m_report.problems)
        last[problem.peer] = std::string(name(problem.kind)) + ": " + problem.message;
    std::string message = "no peer could provide block " + cid.to_string();
    if (m_peers.empty())
        return Error(message + " (no peers configured: pass --peer URL or list peers in the config)");
    for (auto const& peer : m_peers)
        message += "\n  " + peer + ": " + (last.contains(peer) ? last[peer] : "not asked");
    return Error(message);
}

Result<std::vector<store::Cid>> FetchSession::keep(const store::VerifiedBlock& verified)
{
    auto const& cid = verified.cid();
    auto block = verified.bytes();
    TRY(m_batch->add(verified));
    ++m_report.blocks_stored;
    ++m_progress.blocks_stored;
    std::vector<store::Cid> links;
    uint64_t tree_size = block.size();
    if (cid.codec() == store::Codec::DagPb) {
        auto node = store::decode_dag_pb(block);
        if (node.is_error())
            return Error("block " + cid.to_string() + " is not valid dag-pb: " + node.error().message());
        for (auto const& link : node->links) {
            links.push_back(link.hash);
            tree_size += link.tsize.value_or(0);
        }
    }
    if (m_root && cid.multihash() == *m_root)
        m_progress.total_bytes = tree_size;
    notify();
    return links;
}

Result<void> FetchSession::fetch_car(const store::Cid& root)
{
    for (size_t peer = 0; peer < m_peers.size(); ++peer) {
        if (m_standing[peer] != Standing::Good)
            continue;
        // Only blocks the DAG links to are stored: a CAR may carry anything.
        std::set<store::Multihash> wanted { root.multihash() };
        bool car_started = false;
        CarReader reader([&](const store::VerifiedBlock& block) -> Result<void> {
            if (wanted.erase(block.cid().multihash()) == 0)
                return {};
            auto links = keep(block);
            if (links.is_error()) {
                fail(links.error()); // our store or the DAG itself, not the peer
                return links.release_error();
            }
            for (auto const& link : links.value())
                wanted.insert(link.multihash());
            return {};
        });
        uint64_t stored_before = m_report.blocks_stored;
        TransferHandlers handlers;
        handlers.on_response = [&](long status, std::string_view content_type) -> Result<void> {
            if (status != 200)
                return Error("HTTP " + std::to_string(status) + " for the CAR of " + root.to_string());
            auto type = lowercase(content_type);
            if (!type.starts_with(k_car_media_type))
                return Error("answered a CAR request with Content-Type '" + std::string(content_type) + "'");
            if (type.find("version=") != std::string::npos && type.find("version=1") == std::string::npos)
                return Error("answered with a CAR version other than 1: '" + std::string(content_type) + "'");
            car_started = true;
            return {};
        };
        handlers.on_body = [&](std::span<const uint8_t> bytes) -> Result<void> {
            received(peer, bytes.size());
            return reader.feed(bytes);
        };
        handlers.on_done = [&](const TransferResult& result) {
            if (m_fatal)
                return;
            switch (result.kind) {
            case TransferResult::Kind::Complete:
                if (auto end = reader.finish(); end.is_error())
                    report(peer, PeerProblem::Kind::Unhelpful, "incomplete CAR: " + end.error().message());
                else if (!wanted.empty())
                    report(peer, PeerProblem::Kind::Unhelpful, "its CAR lacked " + std::to_string(wanted.size()) + " block(s)");
                break;
            case TransferResult::Kind::Rejected:
                // Once the CAR has started, a refusal is the reader's: wrong bytes or a bad CAR.
                report(peer, car_started ? PeerProblem::Kind::Dropped : PeerProblem::Kind::Unhelpful, result.message);
                break;
            case TransferResult::Kind::NetworkError:
                report(peer, result.timed_out || result.body_bytes == 0 ? PeerProblem::Kind::Dead : PeerProblem::Kind::Unhelpful,
                    result.message);
                break;
            }
        };
        TRY(m_transfers.start(url(peer, root, "format=car&dag-scope=all"), std::string(k_car_accept), std::move(handlers)));
        TRY(m_transfers.run());
        if (m_fatal)
            return *m_fatal;
        // Whatever is still missing is fetched block by block, rather than as another whole CAR.
        if (m_report.blocks_stored > stored_before)
            return {};
    }
    return {};
}

void FetchSession::start(std::shared_ptr<BlockJob> job)
{
    auto peer = good_peer_from(job->peer);
    if (!peer)
        return fail(no_peer_error(job->cid));
    job->peer = *peer;
    job->body.clear();
    job->oversized = false;
    TransferHandlers handlers;
    handlers.on_response = [job](long status, std::string_view content_type) -> Result<void> {
        if (status != 200)
            return Error("HTTP " + std::to_string(status) + " for block " + job->cid.to_string());
        auto type = lowercase(content_type);
        // Some gateways label blocks as plain bytes; the hash decides either way.
        if (!type.empty() && !type.starts_with(k_raw_media_type) && !type.starts_with("application/octet-stream"))
            return Error("answered a raw block request with Content-Type '" + std::string(content_type) + "'");
        return {};
    };
    handlers.on_body = [this, job](std::span<const uint8_t> bytes) -> Result<void> {
        received(job->peer, bytes.size());
        if (job->body.size() + bytes.size() > store::k_max_block_size) {
            job->oversized = true;
            return Error("sent more than " + std::to_string(store::k_max_block_size) + " bytes for block " + job->cid.to_string());
        }
        job->body.insert(job->body.end(), bytes.begin(), bytes.end());
        return {};
    };
    handlers.on_done = [this, job](const TransferResult& result) { finish(job, result); };
    auto started = m_transfers.start(url(job->peer, job->cid, "format=raw"), std::string(k_raw_media_type), std::move(handlers));
    if (started.is_error())
        return fail(started.release_error());
    ++m_in_flight;
}

void FetchSession::retry(std::shared_ptr<BlockJob> job)
{
    ++job->peer;
    start(std::move(job));
}

void FetchSession::finish(std::shared_ptr<BlockJob> job, const TransferResult& result)
{
    --m_in_flight;
    if (m_fatal)
        return;
    switch (result.kind) {
    case TransferResult::Kind::Complete: {
        auto verified = store::VerifiedBlock::verify(job->cid, job->body);
        if (verified.is_error()) {
            report(job->peer, PeerProblem::Kind::Dropped,
                "sent " + std::to_string(job->body.size()) + " bytes for block " + job->cid.to_string() + " that do not match its CID");
            return retry(std::move(job));
        }
        auto links = keep(verified.value());
        if (links.is_error())
            return fail(links.release_error());
        for (auto& link : links.value())
            m_queue.emplace_back(std::move(link), job->depth + 1);
        break;
    }
    case TransferResult::Kind::Rejected:
        report(job->peer, job->oversized ? PeerProblem::Kind::Dropped : PeerProblem::Kind::Unhelpful, result.message);
        return retry(std::move(job));
    case TransferResult::Kind::NetworkError:
        report(job->peer, PeerProblem::Kind::Dead, result.message);
        return retry(std::move(job));
    }
    pump();
}

void FetchSession::pump()
{
    while (!m_fatal && m_in_flight < std::max<size_t>(1, m_options.parallel_blocks) && !m_queue.empty()) {
        auto [cid, depth] = std::move(m_queue.front());
        m_queue.pop_front();
        if (!m_seen.insert(cid.multihash()).second)
            continue;
        if (depth > store::k_max_dag_depth)
            return fail(Error("DAG deeper than " + std::to_string(store::k_max_dag_depth) + " levels at " + cid.to_string()));
        auto present = m_store.has(cid.multihash());
        if (present.is_error())
            return fail(present.release_error());
        if (present.value()) {
            if (cid.codec() == store::Codec::Raw)
                continue;
            // A stored dag-pb node is read for its links; one that fails its hash on disk is
            // fetched again, and put() replaces the bad copy.
            if (auto block = m_store.get(cid); !block.is_error()) {
                auto links = store::block_links(cid, block.value());
                if (links.is_error())
                    return fail(links.release_error());
                if (m_root && cid.multihash() == *m_root && !m_progress.total_bytes) {
                    // Known from the root; shown by the progress bar.
                    auto node = store::decode_dag_pb(block.value());
                    uint64_t total = block->size();
                    for (auto const& link : node->links)
                        total += link.tsize.value_or(0);
                    m_progress.total_bytes = total;
                }
                for (auto& link : links.value())
                    m_queue.emplace_back(std::move(link), depth + 1);
                continue;
            }
        }
        start(std::make_shared<BlockJob>(BlockJob { cid, depth, 0, {}, false }));
    }
}

Result<void> FetchSession::fetch_missing(const store::Cid& root)
{
    m_queue.emplace_back(root, 0);
    pump();
    TRY(m_transfers.run());
    if (m_fatal)
        return *m_fatal;
    return {};
}

Result<void> FetchSession::fetch_all(const store::Cid& root)
{
    if (root.codec() == store::Codec::DagPb && !TRY(m_store.has(root.multihash()))) {
        TRY(fetch_car(root));
        // The walk below looks for blocks in the store.
        TRY(m_batch->commit());
    }
    TRY(fetch_missing(root));
    return m_batch->commit();
}

Result<FetchReport> FetchSession::run(const store::Cid& root)
{
    m_root = root.multihash();
    // Also holds gc off for the whole fetch.
    m_batch.emplace(TRY(store::BlockBatch::begin(m_store)));
    if (auto fetched = fetch_all(root); fetched.is_error()) {
        // The verified blocks that did arrive spare the next attempt their transfer.
        (void)m_batch->commit();
        return fetched.release_error();
    }
    if (!m_progress.total_bytes && m_progress.blocks_stored > 0)
        m_progress.total_bytes = m_progress.bytes_received;
    notify();
    return m_report;
}

} // namespace

std::string_view name(PeerProblem::Kind kind)
{
    switch (kind) {
    case PeerProblem::Kind::Dead:
        return "dead";
    case PeerProblem::Kind::Dropped:
        return "dropped";
    case PeerProblem::Kind::Unhelpful:
        return "unhelpful";
    }
    return "unknown";
}

Result<Fetcher> Fetcher::create(std::vector<std::string> peers, const FetchOptions& options)
{
    for (auto const& peer : peers) {
        if (!peer.starts_with("http://") && !peer.starts_with("https://"))
            return Error("peer '" + peer + "' is not an http:// or https:// URL");
        if (peer.find_first_of("?#") != std::string::npos)
            return Error("peer '" + peer + "' must be a base URL, without query or fragment");
    }
    return Fetcher(std::move(peers), options);
}

Result<FetchReport> Fetcher::fetch(const store::Cid& root, const store::BlockStore& store, const ProgressCallback& progress) const
{
    TransferOptions transfer_options;
    transfer_options.connect_timeout = m_options.connect_timeout;
    transfer_options.stall_timeout = m_options.stall_timeout;
    auto transfers = TRY(HttpTransfers::create(transfer_options));
    FetchSession session(m_peers, m_options, store, progress, std::move(transfers));
    auto report = session.run(root);
    if (report.is_error())
        return Error("fetching " + root.to_string() + ": " + report.error().message());
    return report;
}

} // namespace hashos::net
