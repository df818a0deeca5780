#include "store/varint.h"

namespace hashos::store {

void append_varint(std::vector<uint8_t>& out, uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(uint8_t(value) | 0x80);
        value >>= 7;
    }
    out.push_back(uint8_t(value));
}

Result<uint64_t> read_multiformats_varint(ByteReader& reader)
{
    uint64_t value = 0;
    for (unsigned index = 0; index < 9; ++index) {
        uint8_t byte = TRY(reader.read_u8());
        value |= uint64_t(byte & 0x7f) << (7 * index);
        if (!(byte & 0x80)) {
            // A zero last byte after the first means the same number had a shorter encoding.
            if (byte == 0 && index > 0)
                return Error("varint is not minimally encoded");
            return value;
        }
    }
    return Error("varint longer than 9 bytes");
}

Result<uint64_t> read_protobuf_varint(ByteReader& reader)
{
    uint64_t value = 0;
    for (unsigned index = 0; index < 10; ++index) {
        uint8_t byte = TRY(reader.read_u8());
        // The tenth byte holds only bit 63.
        if (index == 9 && byte > 1)
            return Error("varint overflows 64 bits");
        value |= uint64_t(byte & 0x7f) << (7 * index);
        if (!(byte & 0x80))
            return value;
    }
    return Error("varint longer than 10 bytes");
}

} // namespace hashos::store
