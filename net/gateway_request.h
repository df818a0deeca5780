// What a trustless-gateway request asks for: which CID, which response format, which part of the
// DAG. Pure parsing, no I/O, so every status-code decision of the server is unit-tested here.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/
//
// Supported: GET/HEAD /ipfs/{cid} with `format=raw|car` or `Accept: application/vnd.ipld.raw` /
// `application/vnd.ipld.car` (CARv1, order=dfs, dups=n), `dag-scope=block|entity|all`, and the
// probe CID `bafkqaaa`. Refused, with the status the spec gives:
//   400  a malformed CID, a bad parameter value, no Accept header and no format (a strict
//        trustless gateway has no default format), `entity-bytes` (FIXME: not implemented)
//   406  a format or CAR variant the server does not produce (format=tar, dups=y, version=2…)
//   501  a content path after the CID (serving paths needs UnixFS directory resolution)
#pragma once

#include "store/cid.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hashos::net {

enum class ResponseFormat {
    Raw, // application/vnd.ipld.raw: the block itself
    Car, // application/vnd.ipld.car: a CARv1 of the DAG
};

// https://specs.ipfs.tech/http-gateways/trustless-gateway/#dag-scope-request-query-parameter
enum class DagScope {
    All,    // the whole DAG under the CID
    Entity, // the blocks of the UnixFS entity; for a file, the whole file DAG
    Block,  // the root block only
};

constexpr std::string_view k_raw_media_type = "application/vnd.ipld.raw";
constexpr std::string_view k_car_media_type = "application/vnd.ipld.car";
// The one CAR variant hashos writes, spelled out as the spec asks servers to.
constexpr std::string_view k_car_content_type = "application/vnd.ipld.car; version=1; order=dfs; dups=n";

// `bafkqaaa`, the empty identity CID that clients probe a gateway with.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/#dedicated-probe-paths
constexpr std::string_view k_probe_cid = "bafkqaaa";

struct GatewayRequest {
    std::optional<store::Cid> cid; // nullopt for the probe CID, which the store cannot name
    ResponseFormat format = ResponseFormat::Raw;
    DagScope scope = DagScope::All;
};

struct GatewayRejection {
    int status = 400;
    std::string reason;
};

using QueryParameters = std::multimap<std::string, std::string>;

// `path` is the URL path after `/ipfs/` (percent-decoded), `accept` the Accept header ("" when
// absent).
std::variant<GatewayRequest, GatewayRejection> parse_gateway_request(
    std::string_view path, const QueryParameters& query, std::string_view accept);

} // namespace hashos::net
