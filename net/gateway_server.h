// GatewayServer: answers the IPFS trustless gateway protocol from a BlockStore, so hashos nodes
// fetch from each other and any IPFS client can fetch from us.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/
//
// GET and HEAD /ipfs/{cid}: a raw block (application/vnd.ipld.raw), or a CARv1 of the DAG
// (application/vnd.ipld.car) streamed block by block in depth-first order, never built in memory.
// Status codes follow net/gateway_request.h, plus 404 when the root block is not in the store.
// A child block missing halfway through a CAR ends the stream early, as the spec asks
// (the status line is long gone), and the client sees an incomplete CAR.
//
// Threads: run() blocks the calling thread and serves requests on cpp-httplib's thread pool;
// stop() may be called from any other thread and makes run() return.
#pragma once

#include "base/result.h"
#include "store/block_store.h"

#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace hashos::net {

class GatewayServer {
public:
    explicit GatewayServer(store::BlockStore store);
    ~GatewayServer();
    GatewayServer(const GatewayServer&) = delete;
    GatewayServer& operator=(const GatewayServer&) = delete;

    // Binds `host:port`; port 0 picks a free port. Returns the port bound.
    Result<int> bind(const std::string& host, int port);
    // Serves until stop(). Call after bind().
    Result<void> run();
    void stop();

private:
    void install_routes();

    store::BlockStore m_store;
    std::unique_ptr<httplib::Server> m_server;
};

} // namespace hashos::net
