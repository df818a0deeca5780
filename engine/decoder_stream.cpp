#include "engine/decoder_stream.h"

#include "engine/limits.h"

#include <string>

namespace hashos::wasm {

Error DecoderStream::error_at(size_t offset, std::string_view message) const
{
    return Error(std::string(message) + " at offset " + std::to_string(offset));
}

// ByteReader says "unexpected end"; the reference interpreter says it longer, and the spec tests
// accept both as a prefix, so use the longer text everywhere. Like the reference interpreter, an
// unexpected end is reported at the end of the module.
Error DecoderStream::unexpected_end() const
{
    return error_at(size(), "unexpected end of section or function");
}

template<typename T, typename Read>
Result<T> DecoderStream::read_with(Read read)
{
    ByteReader reader(m_bytes.subspan(m_position));
    auto result = read(reader);
    // A failed read still consumed the bytes it looked at: errors are reported after them.
    m_position += reader.position();
    if (result.is_error()) {
        if (result.error().message() == "unexpected end")
            return unexpected_end();
        return error(result.error().message());
    }
    return T(result.release_value());
}

Result<uint32_t> DecoderStream::read_u32_le()
{
    return read_with<uint32_t>([](ByteReader& reader) { return reader.read_u32_le(); });
}
Result<uint64_t> DecoderStream::read_u64_le()
{
    return read_with<uint64_t>([](ByteReader& reader) { return reader.read_u64_le(); });
}
Result<uint32_t> DecoderStream::read_u32_slow()
{
    // The five-byte form is common too (the linker pads relocated function indices and addresses
    // to it): valid when the last byte ends the encoding and carries no bits above the value's 32.
    // Anything else is left to ByteReader for its error.
    if (remaining() >= 5) {
        const uint8_t* bytes = m_bytes.data() + m_position;
        uint8_t last = bytes[4];
        if ((bytes[0] & bytes[1] & bytes[2] & bytes[3] & 0x80) && (last & 0xF0) == 0) {
            uint32_t value = uint32_t(bytes[0] & 0x7f) | uint32_t(bytes[1] & 0x7f) << 7 | uint32_t(bytes[2] & 0x7f) << 14
                | uint32_t(bytes[3] & 0x7f) << 21 | uint32_t(last) << 28;
            m_position += 5;
            return value;
        }
    }
    return read_with<uint32_t>([](ByteReader& reader) { return reader.read_leb_u32(); });
}
Result<int32_t> DecoderStream::read_s32_slow()
{
    // The five-byte form is common (large constants): valid when the last byte ends the
    // encoding and its bits above the value's 32 are copies of the sign bit (bits 3 to 6 all
    // equal). Anything else is left to ByteReader for its error.
    if (remaining() >= 5) {
        const uint8_t* bytes = m_bytes.data() + m_position;
        uint8_t last = bytes[4];
        if ((bytes[0] & bytes[1] & bytes[2] & bytes[3] & 0x80) && !(last & 0x80)
            && ((last & 0x78) == 0 || (last & 0x78) == 0x78)) {
            uint32_t value = uint32_t(bytes[0] & 0x7f) | uint32_t(bytes[1] & 0x7f) << 7 | uint32_t(bytes[2] & 0x7f) << 14
                | uint32_t(bytes[3] & 0x7f) << 21 | uint32_t(last & 0x0f) << 28;
            m_position += 5;
            return int32_t(value);
        }
    }
    return read_with<int32_t>([](ByteReader& reader) { return reader.read_leb_s32(); });
}
Result<int64_t> DecoderStream::read_s33()
{
    return read_with<int64_t>([](ByteReader& reader) { return reader.read_leb_s33(); });
}
Result<int64_t> DecoderStream::read_s64_slow()
{
    return read_with<int64_t>([](ByteReader& reader) { return reader.read_leb_s64(); });
}

Result<std::span<const uint8_t>> DecoderStream::read_bytes(size_t count)
{
    if (count > remaining())
        return unexpected_end();
    auto slice = m_bytes.subspan(m_position, count);
    m_position += count;
    return slice;
}

Result<void> DecoderStream::skip(size_t count)
{
    TRY(read_bytes(count));
    return {};
}

// https://webassembly.github.io/spec/core/binary/conventions.html#vectors
Result<uint32_t> DecoderStream::read_length()
{
    size_t start = position();
    uint32_t length = TRY(read_u32());
    // Counted from before the length itself, as the reference interpreter does.
    if (length > size() - start)
        return error_at(start, "length out of bounds");
    return length;
}

Result<uint32_t> DecoderStream::read_count(uint32_t limit, std::string_view what)
{
    size_t start = position();
    uint32_t count = TRY(read_length());
    if (count > limit) {
        return error_at(start, "implementation limit exceeded: " + std::to_string(count) + " " + std::string(what) +
                                   " (at most " + std::to_string(limit) + ")");
    }
    return count;
}

// https://webassembly.github.io/spec/core/binary/values.html#names
Result<std::string> DecoderStream::read_name()
{
    size_t start = position();
    uint32_t length = TRY(read_length());
    if (length > limits::k_max_name_length) {
        return error_at(start, "implementation limit exceeded: name of " + std::to_string(length) +
                                   " bytes (at most " + std::to_string(limits::k_max_name_length) + ")");
    }
    auto bytes = TRY(read_bytes(length));
    if (!is_valid_utf8(bytes))
        return error_at(start, "malformed UTF-8 encoding");
    return std::string(bytes.begin(), bytes.end());
}

Result<void> DecoderStream::read_zero_byte()
{
    // A single byte, not a LEB128 zero: "\80\00" is malformed too.
    uint8_t byte = TRY(read_u8());
    if (byte != 0)
        return error_at(position() - 1, "zero byte expected");
    return {};
}

Result<bool> DecoderStream::read_flag()
{
    // A LEB128 u1: the payload must fit one bit, and the first byte must be the last.
    uint8_t byte = TRY(read_u8());
    if ((byte & 0x7f) > 1)
        return error_at(position() - 1, "integer too large");
    if (byte & 0x80)
        return error("integer representation too long");
    return byte == 1;
}

// https://webassembly.github.io/spec/core/binary/types.html#value-types
Result<ValType> DecoderStream::read_value_type()
{
    uint8_t byte = TRY(read_u8());
    switch (byte) {
    case 0x7f:
    case 0x7e:
    case 0x7d:
    case 0x7c:
    case 0x70:
    case 0x6f:
        return static_cast<ValType>(byte);
    case 0x7b:
        return error_at(position() - 1, "malformed value type: v128 (SIMD is not supported)");
    default:
        // Types are a signed LEB128 s7: a continuation bit makes the encoding too long.
        if (byte & 0x80)
            return error("integer representation too long");
        return error_at(position() - 1, "malformed value type");
    }
}

// https://webassembly.github.io/spec/core/binary/types.html#reference-types
Result<ValType> DecoderStream::read_ref_type()
{
    uint8_t byte = TRY(read_u8());
    if (byte == 0x70 || byte == 0x6f)
        return static_cast<ValType>(byte);
    if (byte & 0x80)
        return error("integer representation too long");
    return error_at(position() - 1, "malformed reference type");
}

// https://webassembly.github.io/spec/core/binary/types.html#limits
Result<Limits> DecoderStream::read_limits()
{
    Limits limits;
    bool has_max = TRY(read_flag());
    limits.min = TRY(read_u32());
    if (has_max)
        limits.max = TRY(read_u32());
    return limits;
}

Result<TableType> DecoderStream::read_table_type()
{
    TableType type;
    type.element = TRY(read_ref_type());
    type.limits = TRY(read_limits());
    return type;
}

// Threads proposal: the limits flag of a memory may also be 0x03, shared with a maximum.
// 0x02 (shared without a maximum) is not an encoding: a shared memory must have a maximum.
// https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#spec-changes
Result<MemoryType> DecoderStream::read_memory_type()
{
    MemoryType type;
    // A one-byte LEB128 u32, as read_flag() reads the flag of other limits.
    uint8_t byte = TRY(read_u8());
    uint8_t flags = byte & 0x7f;
    if (flags != 0x00 && flags != 0x01 && flags != 0x03)
        return error_at(position() - 1, "integer too large");
    if (byte & 0x80)
        return error("integer representation too long");
    type.shared = flags == 0x03;
    type.limits.min = TRY(read_u32());
    if (flags & 0x01)
        type.limits.max = TRY(read_u32());
    return type;
}

// https://webassembly.github.io/spec/core/binary/types.html#global-types
Result<GlobalType> DecoderStream::read_global_type()
{
    GlobalType type;
    type.type = TRY(read_value_type());
    uint8_t mutability = TRY(read_u8());
    if (mutability > 1)
        return error_at(position() - 1, "malformed mutability");
    type.mutability = static_cast<Mutability>(mutability);
    return type;
}

bool is_valid_utf8(std::span<const uint8_t> bytes)
{
    size_t i = 0;
    while (i < bytes.size()) {
        uint8_t lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        size_t length;
        uint32_t code_point;
        uint32_t minimum; // smaller values would be overlong
        if ((lead & 0xe0) == 0xc0) {
            length = 2;
            code_point = lead & 0x1f;
            minimum = 0x80;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3;
            code_point = lead & 0x0f;
            minimum = 0x800;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4;
            code_point = lead & 0x07;
            minimum = 0x10000;
        } else {
            return false; // a continuation byte or 0xf8..0xff as lead
        }
        if (bytes.size() - i < length)
            return false;
        for (size_t k = 1; k < length; ++k) {
            uint8_t continuation = bytes[i + k];
            if ((continuation & 0xc0) != 0x80)
                return false;
            code_point = (code_point << 6) | (continuation & 0x3f);
        }
        if (code_point < minimum || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff))
            return false;
        i += length;
    }
    return true;
}

} // namespace hashos::wasm
