// CarReader: reads a CARv1 stream as its bytes arrive, and hands on only verified blocks.
// https://ipld.io/specs/transport/car/carv1/#format-description
//
//   varint(header length) | DAG-CBOR header | section* ;  section = varint(length) | CID | block
//
// The bytes come from peers, so nothing in them is trusted: every length is checked against a
// limit before anything is buffered for it (the header against k_max_car_header_size, a section
// against the store's largest block), varints must be minimal, each CID must parse, and each
// block must hash to its CID before the handler sees it. The first problem stops the reader for
// good; later calls repeat the error.
//
// Memory: the reader holds at most one incomplete section. A CarReader is used by one thread at
// a time.
#pragma once

#include "base/result.h"
#include "net/car_header.h"
#include "store/block_store.h"
#include "store/cid.h"
#include "store/verified_block.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace hashos::net {

// A binary CIDv1 of sha2-256 is 36 bytes; the limit leaves room without trusting a length.
constexpr size_t k_max_car_cid_size = 128;
constexpr size_t k_max_car_section_size = store::k_max_block_size + k_max_car_cid_size;

// Receives each block once it has been verified against its CID (the bytes are valid only during
// the call). An error stops the reader and is returned from feed() as it is.
using CarBlockHandler = std::function<Result<void>(const store::VerifiedBlock&)>;

class CarReader {
public:
    explicit CarReader(CarBlockHandler on_block) : m_on_block(std::move(on_block)) {}

    // Parses as much of the stream as `bytes` completes.
    Result<void> feed(std::span<const uint8_t> bytes);
    // The stream has ended: an error unless it ended after the header and a whole section.
    Result<void> finish();

    // Set once the header has been read.
    const std::optional<CarHeader>& header() const { return m_header; }
    uint64_t blocks_read() const { return m_blocks_read; }

private:
    // How much of `bytes` one header or section took; 0 when `bytes` holds only part of it.
    Result<size_t> parse_one(std::span<const uint8_t> bytes);
    Result<size_t> parse_all(std::span<const uint8_t> bytes);
    Result<void> parse_section(std::span<const uint8_t> section);
    Result<void> fail(Error error);
    void reserve_incomplete();

    CarBlockHandler m_on_block;
    std::optional<CarHeader> m_header;
    std::vector<uint8_t> m_pending; // the start of an incomplete header or section
    size_t m_incomplete_size = 0;   // its whole size, once its length varint has arrived
    std::optional<Error> m_error;
    uint64_t m_blocks_read = 0;
};

// Reads a whole CAR held in memory.
Result<CarHeader> read_car(std::span<const uint8_t> bytes, const CarBlockHandler& on_block);

} // namespace hashos::net
