// dag-pb: the protobuf codec of UnixFS blocks (multicodec 0x70).
// https://ipld.io/specs/codecs/dag-pb/spec/
//
//   message PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }
//   message PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }
//
// The encoder writes the canonical form (links sorted by name, Links before Data, as go-codec-dagpb
// and @ipld/dag-pb emit), so a node has exactly one encoding and one CID. The decoder takes
// untrusted bytes and accepts only what the spec's strict decoder accepts: no unknown fields,
// fields in order, no duplicates, every link with a valid Hash.
#pragma once

#include "base/result.h"
#include "store/cid.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hashos::store {

struct PbLink {
    Cid hash;
    std::optional<std::string> name;
    // The size of the whole DAG below the link: the child block plus its own links' Tsize.
    std::optional<uint64_t> tsize;
};

struct PbNode {
    std::vector<PbLink> links;
    std::optional<std::vector<uint8_t>> data;
};

std::vector<uint8_t> encode_dag_pb(const PbNode& node);
Result<PbNode> decode_dag_pb(std::span<const uint8_t> bytes);

} // namespace hashos::store
