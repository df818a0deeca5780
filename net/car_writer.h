// Writing CARv1 streams piece by piece, so a server can send a DAG block by block without
// building the whole CAR in memory.
// https://ipld.io/specs/transport/car/carv1/#format-description
#pragma once

#include "net/car_header.h"
#include "store/cid.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hashos::net {

// varint(header length) followed by the header: the start of every CAR.
std::vector<uint8_t> car_header_bytes(const CarHeader& header);

// What precedes a block in its section: varint(CID length + block length), then the CID.
std::vector<uint8_t> car_section_prefix(const store::Cid& cid, size_t block_size);

void append_car_section(std::vector<uint8_t>& out, const store::Cid& cid, std::span<const uint8_t> block);

} // namespace hashos::net
