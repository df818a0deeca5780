// Content identifiers as http-loader accepts them: CIDv1 (multibase base32 `b…`/`B…` or base58btc
// `z…`) and CIDv0 (`Qm…`, base58btc, always dag-pb), naming a raw or dag-pb block hashed with
// sha2-256 — what IPFS and `hashos add` make. Specs: https://github.com/multiformats/cid,
// multibase, multihash, multicodec's table; base32 is RFC 4648 section 6 without padding.
// No I/O, no standard library (tested natively in tests/net/http_loader_parts_test.cpp).
#pragma once

#include "sha256.h"

namespace http_loader {

constexpr uint64_t k_codec_raw = 0x55;
constexpr uint64_t k_codec_dag_pb = 0x70;
constexpr uint64_t k_multihash_sha2_256 = 0x12;

struct ContentId {
    uint8_t version = 1;
    uint64_t codec = k_codec_raw;
    uint8_t digest[k_sha256_size] = {};
};

// Parses the CID text `text` (NUL-terminated); nullptr on success, else why it is not one this
// loader can verify (a static string).
const char* parse_cid(const char* text, ContentId& out);

} // namespace http_loader
