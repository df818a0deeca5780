// The header of a CARv1 file: a DAG-CBOR map {"roots": [CID, …], "version": 1}.
// https://ipld.io/specs/transport/car/carv1/#header
//
// Not a general CBOR codec: the header has one fixed shape, so the encoder writes its few bytes
// directly and the decoder accepts exactly that shape in DAG-CBOR's canonical form (definite
// lengths, minimal integers, keys "roots" then "version"), and nothing else.
// https://ipld.io/specs/codecs/dag-cbor/spec/#strictness
#pragma once

#include "base/result.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hashos::net {

// A header larger than this is refused before it is buffered: a CAR of a few roots needs
// well under a kilobyte.
constexpr size_t k_max_car_header_size = 64 * 1024;

struct CarHeader {
    // The roots as binary CIDs. Kept as bytes, not store::Cid: a CAR may name roots the store
    // cannot hold (the gateway probe names the identity CID `bafkqaaa`), and trustless-gateway
    // clients ignore roots anyway.
    std::vector<std::vector<uint8_t>> roots;
};

// The DAG-CBOR bytes of the header, without the varint length that precedes them in a CAR.
std::vector<uint8_t> encode_car_header(const CarHeader& header);
Result<CarHeader> decode_car_header(std::span<const uint8_t> bytes);

} // namespace hashos::net
