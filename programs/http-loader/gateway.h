// The gateways http-loader fetches from, as the user names them (`--gateway 127.0.0.1:8080`,
// `http://gateway.example:8080/base`), and the request it sends each: the IPFS trustless gateway
// protocol's raw-block request (https://specs.ipfs.tech/http-gateways/trustless-gateway/),
// `GET /ipfs/{cid}?format=raw` with `Accept: application/vnd.ipld.raw`, over plain HTTP/1.1.
// No I/O, no standard library (tested natively in tests/net/http_loader_parts_test.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace http_loader {

struct Gateway {
    char host[256] = {};      // a name or an IP literal, IPv6 without its brackets
    uint32_t port = 80;
    char base_path[256] = {}; // "" or "/base", never ending in '/'
    char name[600] = {};      // http://HOST:PORT/base, for messages
};

// Parses `[http://]HOST[:PORT][/BASE]` (HOST may be `[IPv6]`); nullptr on success, else why not.
const char* parse_gateway(const char* text, Gateway& out);

// The request for the raw block `cid` (CID text of base32 or base58 characters only), into
// `out`; its length, 0 if it does not fit.
size_t format_block_request(const Gateway& gateway, const char* cid, char* out, size_t capacity);

} // namespace http_loader
