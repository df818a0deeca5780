// Which format and status each request gets, without sockets.
#include "net/gateway_request.h"

#include <gtest/gtest.h>

namespace hashos::net {
namespace {

constexpr std::string_view k_raw = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

GatewayRequest accepted(std::string_view path, const QueryParameters& query, std::string_view accept)
{
    auto parsed = parse_gateway_request(path, query, accept);
    if (auto* rejection = std::get_if<GatewayRejection>(&parsed))
        ADD_FAILURE() << "rejected with " << rejection->status << ": " << rejection->reason;
    return std::get<GatewayRequest>(parsed);
}

int status(std::string_view path, const QueryParameters& query, std::string_view accept)
{
    auto parsed = parse_gateway_request(path, query, accept);
    if (auto* rejection = std::get_if<GatewayRejection>(&parsed))
        return rejection->status;
    return 200;
}

TEST(GatewayRequest, FormatComesFromTheQueryOrTheAcceptHeader)
{
    EXPECT_EQ(accepted(k_raw, { { "format", "raw" } }, "").format, ResponseFormat::Raw);
    EXPECT_EQ(accepted(k_raw, { { "format", "car" } }, "").format, ResponseFormat::Car);
    EXPECT_EQ(accepted(k_raw, {}, "application/vnd.ipld.raw").format, ResponseFormat::Raw);
    EXPECT_EQ(accepted(k_raw, {}, "application/vnd.ipld.car").format, ResponseFormat::Car);
    EXPECT_EQ(accepted(k_raw, {}, "Application/VND.ipld.CAR; version=1; order=dfs; dups=n").format, ResponseFormat::Car);
    // The query wins over Accept.
    EXPECT_EQ(accepted(k_raw, { { "format", "raw" } }, "application/vnd.ipld.car").format, ResponseFormat::Raw);
    // Weights: the most wanted supported type wins; the first one on a tie.
    EXPECT_EQ(accepted(k_raw, {}, "application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car").format, ResponseFormat::Car);
    EXPECT_EQ(accepted(k_raw, {}, "text/html, application/vnd.ipld.raw, application/vnd.ipld.car").format, ResponseFormat::Raw);
    // An unsupported CAR variant is passed over for a supported one.
    EXPECT_EQ(accepted(k_raw, {}, "application/vnd.ipld.car;dups=y, application/vnd.ipld.raw;q=0.1").format, ResponseFormat::Raw);
}

TEST(GatewayRequest, StatusCodes)
{
    EXPECT_EQ(status("not-a-cid", { { "format", "raw" } }, ""), 400);
    EXPECT_EQ(status("bafyfoo", { { "format", "raw" } }, ""), 400);
    EXPECT_EQ(status(k_raw, {}, ""), 400); // strict trustless: no Accept, no format
    EXPECT_EQ(status(k_raw, { { "format", "tar" } }, ""), 406);
    EXPECT_EQ(status(k_raw, { { "format", "dag-json" } }, "application/vnd.ipld.raw"), 406);
    EXPECT_EQ(status(k_raw, {}, "text/html"), 406);
    EXPECT_EQ(status(k_raw, {}, "*/*"), 406);
    EXPECT_EQ(status(k_raw, {}, "application/vnd.ipld.car; version=2"), 406);
    EXPECT_EQ(status(k_raw, {}, "application/vnd.ipld.car; dups=y"), 406);
    EXPECT_EQ(status(k_raw, {}, "application/vnd.ipld.car; order=weird"), 406);
    EXPECT_EQ(status(k_raw, { { "format", "car" }, { "car-dups", "y" } }, ""), 406);
    EXPECT_EQ(status(k_raw, {}, "application/vnd.ipld.raw;q=0"), 406);
    EXPECT_EQ(status(k_raw, { { "format", "car" }, { "dag-scope", "everything" } }, ""), 400);
    EXPECT_EQ(status(k_raw, { { "format", "car" }, { "entity-bytes", "0:*" } }, ""), 400);
    EXPECT_EQ(status(std::string(k_raw) + "/a/path", { { "format", "raw" } }, ""), 400);
    EXPECT_EQ(status(std::string(k_raw) + "/a/path", { { "format", "car" } }, ""), 501);
    EXPECT_EQ(status(k_raw, { { "format", "car" }, { "car-version", "1" }, { "car-order", "dfs" } }, ""), 200);
}

TEST(GatewayRequest, DagScope)
{
    EXPECT_EQ(accepted(k_raw, { { "format", "car" } }, "").scope, DagScope::All);
    EXPECT_EQ(accepted(k_raw, { { "format", "car" }, { "dag-scope", "block" } }, "").scope, DagScope::Block);
    EXPECT_EQ(accepted(k_raw, { { "format", "car" }, { "dag-scope", "entity" } }, "").scope, DagScope::Entity);
    EXPECT_EQ(accepted(k_raw, { { "format", "car" }, { "dag-scope", "all" } }, "").scope, DagScope::All);
    // dag-scope means nothing to a raw block and is ignored there.
    EXPECT_EQ(status(k_raw, { { "format", "raw" }, { "dag-scope", "nonsense" } }, ""), 200);
}

TEST(GatewayRequest, ProbeCidAndVersions)
{
    auto probe = accepted("bafkqaaa", { { "format", "raw" } }, "");
    EXPECT_FALSE(probe.cid.has_value());
    auto v0 = accepted("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", { { "format", "raw" } }, "");
    ASSERT_TRUE(v0.cid.has_value());
    EXPECT_EQ(v0.cid->version(), store::CidVersion::V0);
}

} // namespace
} // namespace hashos::net
