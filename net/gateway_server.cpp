#include "net/gateway_server.h"

#include "net/car_writer.h"
#include "net/dag_blocks.h"
#include "net/gateway_request.h"

#include <httplib.h>

#include <vector>

namespace hashos::net {

namespace {

// The identity CID bafkqaaa in binary: CIDv1, raw, identity multihash of no bytes.
const std::vector<uint8_t> k_probe_cid_bytes = { 0x01, 0x55, 0x00, 0x00 };

// Blocks never change, so caches may keep them for good (the path gateway spec's value).
constexpr const char* k_immutable_cache_control = "public, max-age=29030400, immutable";

void reject(httplib::Response& response, int status, const std::string& reason)
{
    response.status = status;
    response.set_content(reason + "\n", "text/plain; charset=utf-8");
}

// Headers every successful response carries.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/#response-headers
void set_common_headers(httplib::Response& response, const std::string& name, const std::string& extension,
    const std::string& etag)
{
    response.set_header("Content-Disposition", "attachment; filename=\"" + name + "." + extension + "\"");
    response.set_header("Etag", "\"" + etag + "\"");
    response.set_header("Cache-Control", k_immutable_cache_control);
    response.set_header("Vary", "Accept");
    response.set_header("X-Content-Type-Options", "nosniff");
}

std::string_view scope_name(DagScope scope)
{
    switch (scope) {
    case DagScope::All:
        return "all";
    case DagScope::Entity:
        return "entity";
    case DagScope::Block:
        return "block";
    }
    return "all";
}

// What the CAR stream of one response still has to send.
struct CarStream {
    CarStream(const store::BlockSource& source, const store::Cid& root, DagDepth depth)
        : blocks(source, root, depth)
        , header(car_header_bytes(CarHeader { { root.bytes() } }))
    {
    }

    DagBlocks blocks;
    std::vector<uint8_t> header;
    bool header_sent = false;
};

bool write(httplib::DataSink& sink, std::span<const uint8_t> bytes)
{
    return sink.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Sends the next piece of the CAR; false ends the response early (client gone or a block
// missing), which leaves the client an incomplete chunked body, as the spec wants.
bool send_next(CarStream& stream, httplib::DataSink& sink)
{
    if (!stream.header_sent) {
        stream.header_sent = true;
        return write(sink, stream.header);
    }
    auto block = stream.blocks.next();
    if (block.is_error())
        return false;
    if (!block.value()) {
        sink.done();
        return true;
    }
    auto const& [cid, bytes] = *block.value();
    return write(sink, car_section_prefix(cid, bytes.size())) && write(sink, bytes);
}

void serve_probe(const GatewayRequest& request, httplib::Response& response)
{
    std::string name(k_probe_cid);
    if (request.format == ResponseFormat::Raw) {
        set_common_headers(response, name, "bin", name + ".raw");
        response.set_content("", std::string(k_raw_media_type));
        return;
    }
    // The identity block itself may be left out of the CAR; its header names it as the root.
    auto car = car_header_bytes(CarHeader { { k_probe_cid_bytes } });
    set_common_headers(response, name, "car", name + ".car");
    response.set_content(std::string(car.begin(), car.end()), std::string(k_car_content_type));
}

} // namespace

GatewayServer::GatewayServer(store::BlockStore store)
    : m_store(std::move(store))
    , m_server(std::make_unique<httplib::Server>())
{
    install_routes();
}

GatewayServer::~GatewayServer() = default;

void GatewayServer::install_routes()
{
    // cpp-httplib answers HEAD with the GET handler and leaves out the body.
    m_server->Get(R"(/ipfs/(.*))", [this](const httplib::Request& http_request, httplib::Response& response) {
        std::string accept = http_request.has_header("Accept") ? http_request.get_header_value("Accept") : "";
        QueryParameters query(http_request.params.begin(), http_request.params.end());
        auto parsed = parse_gateway_request(http_request.matches[1].str(), query, accept);
        if (auto* rejection = std::get_if<GatewayRejection>(&parsed))
            return reject(response, rejection->status, rejection->reason);
        auto const& request = std::get<GatewayRequest>(parsed);
        if (!request.cid)
            return serve_probe(request, response);

        auto const& cid = *request.cid;
        auto name = cid.to_string();
        auto present = m_store.has(cid.multihash());
        if (present.is_error())
            return reject(response, 500, present.error().message());
        if (!present.value())
            return reject(response, 404, "block " + name + " is not in this node's store");

        if (request.format == ResponseFormat::Raw) {
            auto block = m_store.get(cid);
            if (block.is_error())
                return reject(response, 500, block.error().message());
            auto bytes = std::make_shared<std::vector<uint8_t>>(block.release_value());
            set_common_headers(response, name, "bin", name + ".raw");
            response.set_content_provider(bytes->size(), std::string(k_raw_media_type),
                [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                    return write(sink, std::span<const uint8_t>(*bytes).subspan(offset, length));
                });
            return;
        }

        // For a UnixFS file the entity is the whole file DAG, and hashos stores only files.
        // FIXME: a directory's entity scope would stop at the directory's own blocks.
        auto depth = request.scope == DagScope::Block ? DagDepth::RootOnly : DagDepth::Whole;
        auto stream = std::make_shared<CarStream>(m_store, cid, depth);
        set_common_headers(response, name, "car", name + ".car.dfs.n." + std::string(scope_name(request.scope)));
        response.set_chunked_content_provider(std::string(k_car_content_type),
            [stream](size_t, httplib::DataSink& sink) { return send_next(*stream, sink); });
    });
    m_server->set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        reject(response, 500, "internal error");
    });
    // Fetchers ask for many blocks over one connection.
    m_server->set_keep_alive_max_count(1000);
}

Result<int> GatewayServer::bind(const std::string& host, int port)
{
    if (port == 0) {
        int bound = m_server->bind_to_any_port(host);
        if (bound < 0)
            return Error("cannot listen on " + host + ":0");
        return bound;
    }
    if (!m_server->bind_to_port(host, port))
        return Error("cannot listen on " + host + ":" + std::to_string(port) + " (address in use or not local?)");
    return port;
}

Result<void> GatewayServer::run()
{
    if (!m_server->listen_after_bind())
        return Error("the gateway server stopped with an error");
    return {};
}

void GatewayServer::stop()
{
    m_server->stop();
}

} // namespace hashos::net
