// The protobuf wire format, just what dag-pb and UnixFS need.
// https://protobuf.dev/programming-guides/encoding/
//
// Not libprotobuf: its serializer writes fields in field-number order, but dag-pb's canonical
// form writes PBNode.Links (field 2) before PBNode.Data (field 1), and the decoder must reject
// the orders and duplicates a generic parser silently accepts
// (https://ipld.io/specs/codecs/dag-pb/spec/#strictness). Both sides are a few dozen lines here.
#pragma once

#include "base/byte_reader.h"
#include "base/result.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hashos::store {

enum class WireType : uint8_t {
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
};

class ProtobufWriter {
public:
    void varint_field(uint32_t number, uint64_t value);
    void bytes_field(uint32_t number, std::span<const uint8_t> bytes);

    const std::vector<uint8_t>& bytes() const { return m_bytes; }
    std::vector<uint8_t> release_bytes() { return std::move(m_bytes); }

private:
    void tag(uint32_t number, WireType type);

    std::vector<uint8_t> m_bytes;
};

struct ProtobufField {
    uint32_t number = 0;
    WireType type = WireType::Varint;
    uint64_t varint = 0;              // Varint, Fixed64 and Fixed32 fields
    std::span<const uint8_t> bytes;   // LengthDelimited fields: a view into the message
};

// Reads fields one by one from a message; the spans it returns point into `message`.
class ProtobufReader {
public:
    explicit ProtobufReader(std::span<const uint8_t> message) : m_reader(message) {}

    bool at_end() const { return m_reader.at_end(); }
    Result<ProtobufField> next();

private:
    ByteReader m_reader;
};

} // namespace hashos::store
