// Fetcher: makes a DAG named by a CID present in a BlockStore, fetching what is missing from
// peers and gateways over the IPFS trustless gateway protocol.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/
//
// How: a dag-pb root is first asked for as one CAR stream (`?format=car&dag-scope=all`) from each
// peer in turn until one sends something; then the DAG is walked in the store and every block
// still missing is asked for as a raw block (`?format=raw`), several at a time, each from the
// first peer still in good standing. A raw root is one raw-block request.
//
// Trust: none. Every block is hashed against its CID before it reaches the store, and a CAR's
// blocks are stored only if the DAG walked so far links to them. A peer that sends bytes that do
// not match, or a malformed CAR, is dropped for the rest of the fetch; a peer that cannot be
// reached or stalls is marked dead for the rest of the fetch; a peer that lacks a block (404) is
// simply passed over for that block. The fetch fails only when no peer provides some block.
//
// Threads: fetch() runs on the calling thread (libcurl's multi interface, no threads of its own)
// and may be called from several threads at once; the progress callback runs on that thread.
#pragma once

#include "base/result.h"
#include "store/block_store.h"
#include "store/cid.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hashos::net {

struct FetchOptions {
    // A peer that has not accepted the connection by then is dead for this fetch.
    std::chrono::milliseconds connect_timeout { 1500 };
    // A transfer slower than 1 KiB/s for this long is abandoned and its peer marked dead.
    std::chrono::milliseconds stall_timeout { 5000 };
    // Raw-block requests in flight at once.
    size_t parallel_blocks = 8;
};

struct FetchProgress {
    uint64_t bytes_received = 0; // body bytes from every peer, accepted or not
    uint64_t blocks_stored = 0;
    // The DAG's size in bytes as its root block states it (not verified until the end), once
    // the root is in; the fetch may take fewer bytes when some blocks were already stored.
    std::optional<uint64_t> total_bytes;
    std::string peer; // where the latest bytes came from
};

using ProgressCallback = std::function<void(const FetchProgress&)>;

struct PeerProblem {
    enum class Kind {
        Dead,     // unreachable or stalled: not asked again during this fetch
        Dropped,  // sent bytes that do not match their CID, or a malformed CAR: not asked again
        Unhelpful // lacked a block or answered with an error: asked again for other blocks
    };
    std::string peer;
    Kind kind;
    std::string message;
};

struct FetchReport {
    uint64_t blocks_stored = 0; // blocks this fetch stored (0: the DAG was already complete)
    uint64_t bytes_received = 0;
    std::vector<PeerProblem> problems; // in the order they happened
};

class Fetcher {
public:
    // `peers` are base URLs (`http://127.0.0.1:8080`, `https://trustless-gateway.link`), tried in
    // this order. No peers is allowed: a fetch then succeeds only if the DAG is already stored.
    static Result<Fetcher> create(std::vector<std::string> peers, const FetchOptions& options = {});

    const std::vector<std::string>& peers() const { return m_peers; }

    // Returns once the whole DAG under `root` is in `store`. Keeps gc away while it runs; the
    // caller pins the root (holding store.hold_off_gc() across fetch and pin) to keep the DAG.
    Result<FetchReport> fetch(const store::Cid& root, const store::BlockStore& store,
        const ProgressCallback& progress = {}) const;

private:
    Fetcher(std::vector<std::string> peers, const FetchOptions& options)
        : m_peers(std::move(peers))
        , m_options(options)
    {
    }

    std::vector<std::string> m_peers;
    FetchOptions m_options;
};

std::string_view name(PeerProblem::Kind kind);

} // namespace hashos::net
