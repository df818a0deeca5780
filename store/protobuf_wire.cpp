#include "store/protobuf_wire.h"
#include "store/varint.h"

#include <string>

namespace hashos::store {

void ProtobufWriter::tag(uint32_t number, WireType type)
{
    append_varint(m_bytes, (uint64_t(number) << 3) | uint64_t(type));
}

void ProtobufWriter::varint_field(uint32_t number, uint64_t value)
{
    tag(number, WireType::Varint);
    append_varint(m_bytes, value);
}

void ProtobufWriter::bytes_field(uint32_t number, std::span<const uint8_t> bytes)
{
    tag(number, WireType::LengthDelimited);
    append_varint(m_bytes, bytes.size());
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
}

Result<ProtobufField> ProtobufReader::next()
{
    uint64_t key = TRY(read_protobuf_varint(m_reader));
    ProtobufField field;
    uint64_t number = key >> 3;
    if (number == 0 || number > (1u << 29) - 1)
        return Error("protobuf field number " + std::to_string(number) + " out of range");
    field.number = uint32_t(number);
    switch (key & 7) {
    case 0:
        field.type = WireType::Varint;
        field.varint = TRY(read_protobuf_varint(m_reader));
        break;
    case 1:
        field.type = WireType::Fixed64;
        field.varint = TRY(m_reader.read_u64_le());
        break;
    case 2: {
        field.type = WireType::LengthDelimited;
        uint64_t size = TRY(read_protobuf_varint(m_reader));
        if (size > m_reader.remaining())
            return Error("protobuf field " + std::to_string(number) + " claims " + std::to_string(size)
                + " bytes, only " + std::to_string(m_reader.remaining()) + " left");
        field.bytes = TRY(m_reader.read_bytes(size_t(size)));
        break;
    }
    case 5:
        field.type = WireType::Fixed32;
        field.varint = TRY(m_reader.read_u32_le());
        break;
    default:
        // 3 and 4 are the deprecated groups, 6 and 7 do not exist.
        return Error("protobuf wire type " + std::to_string(key & 7) + " is not supported");
    }
    return field;
}

} // namespace hashos::store
