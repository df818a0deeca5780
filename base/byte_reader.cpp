#include "base/byte_reader.h"

namespace hashos {

Result<uint8_t> ByteReader::read_u8()
{
    if (at_end())
        return Error("unexpected end");
    return m_bytes[m_position++];
}

Result<std::span<const uint8_t>> ByteReader::read_bytes(size_t count)
{
    if (count > remaining())
        return Error("unexpected end");
    auto slice = m_bytes.subspan(m_position, count);
    m_position += count;
    return slice;
}

Result<uint32_t> ByteReader::read_u32_le()
{
    auto bytes = TRY(read_bytes(4));
    uint32_t value;
    std::memcpy(&value, bytes.data(), 4);
    return value;
}

Result<uint64_t> ByteReader::read_u64_le()
{
    auto bytes = TRY(read_bytes(8));
    uint64_t value;
    std::memcpy(&value, bytes.data(), 8);
    return value;
}

Result<uint64_t> ByteReader::read_leb_unsigned(unsigned bits)
{
    uint64_t result = 0;
    unsigned shift = 0;
    unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0; i < max_bytes; ++i) {
        uint8_t byte = TRY(read_u8());
        result |= uint64_t(byte & 0x7f) << shift;
        if (i == max_bytes - 1) {
            // The last byte may only carry the bits that fit. Checked before the continuation
            // bit, as the spec's reference interpreter does, so that its messages match.
            unsigned used = bits - shift;
            if (used < 7 && ((byte & 0x7f) >> used) != 0)
                return Error("integer too large");
            if (byte & 0x80)
                return Error("integer representation too long");
            return result;
        }
        if (!(byte & 0x80))
            return result;
        shift += 7;
    }
    return Error("integer representation too long");
}

Result<int64_t> ByteReader::read_leb_signed(unsigned bits)
{
    int64_t result = 0;
    unsigned shift = 0;
    unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0; i < max_bytes; ++i) {
        uint8_t byte = TRY(read_u8());
        result |= int64_t(uint64_t(byte & 0x7f) << shift);
        if (i == max_bytes - 1) {
            // Bits above the value's width must all equal its sign bit (checked before the
            // continuation bit, as the spec's reference interpreter does).
            unsigned used = bits - shift; // value bits in this byte, sign bit included
            if (used < 7) {
                int sign_and_above = int8_t(byte << 1) >> (used);
                if (sign_and_above != 0 && sign_and_above != -1)
                    return Error("integer too large");
            }
            if (byte & 0x80)
                return Error("integer representation too long");
            if (shift + 7 < 64 && (byte & 0x40))
                result |= int64_t(~uint64_t(0) << (shift + 7));
            return result;
        }
        shift += 7;
        if (!(byte & 0x80)) {
            if (shift < 64 && (byte & 0x40))
                result |= int64_t(~uint64_t(0) << shift);
            return result;
        }
    }
    return Error("integer representation too long");
}

Result<uint32_t> ByteReader::read_leb_u32() { return uint32_t(TRY(read_leb_unsigned(32))); }
Result<int32_t> ByteReader::read_leb_s32() { return int32_t(TRY(read_leb_signed(32))); }
Result<int64_t> ByteReader::read_leb_s33() { return TRY(read_leb_signed(33)); }
Result<int64_t> ByteReader::read_leb_s64() { return TRY(read_leb_signed(64)); }

Result<ByteReader> ByteReader::sub_reader(size_t count)
{
    auto bytes = TRY(read_bytes(count));
    return ByteReader(bytes);
}

} // namespace hashos
