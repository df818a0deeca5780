// DecoderStream: the decoder's cursor over a whole module binary, with the readers for the
// binary format's values (https://webassembly.github.io/spec/core/binary/values.html) and types
// (https://webassembly.github.io/spec/core/binary/types.html). Internal to engine/decoder*.cpp.
//
// Errors carry the message of the spec's reference interpreter first ("unexpected end of section
// or function", "length out of bounds", "integer too large", …), so that the spec suite's
// assert_malformed texts are a prefix of ours, then " at offset N".
//
// Like the reference interpreter, the stream spans the whole module: a section or function body
// that reads past its declared size is detected afterwards ("section size mismatch"), which is
// what the spec tests expect. Every read is still bounds-checked against the module's end.
#pragma once

#include "base/byte_reader.h"
#include "base/result.h"
#include "engine/types.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hashos::wasm {

class DecoderStream {
public:
    explicit DecoderStream(std::span<const uint8_t> bytes) : m_bytes(bytes) {}

    size_t position() const { return m_position; }
    size_t size() const { return m_bytes.size(); }
    size_t remaining() const { return m_bytes.size() - m_position; }
    bool at_end() const { return m_position == m_bytes.size(); }
    std::optional<uint8_t> peek() const
    {
        if (at_end())
            return std::nullopt;
        return m_bytes[m_position];
    }

    // An error with `message` first, then where it happened.
    Error error(std::string_view message) const { return error_at(position(), message); }
    Error error_at(size_t offset, std::string_view message) const;

    // The readers every instruction uses are inline, with a fast path for the common encoding
    // (one LEB128 byte); anything else takes the out-of-line path through base/byte_reader.h,
    // which owns the encoding's rules and error messages.
    Result<uint8_t> read_u8()
    {
        if (at_end())
            return unexpected_end();
        return m_bytes[m_position++];
    }
    Result<uint32_t> read_u32_le();
    Result<uint64_t> read_u64_le();
    // An encoding shorter than the longest one its type allows cannot break the spec's rules on
    // the last byte, so it is decoded here; the longest form (and an encoding cut off by the end
    // of the module) takes the slow path, which checks those rules.
    Result<uint32_t> read_u32() // LEB128 u32
    {
        uint64_t bits;
        if (read_short_leb<5>(bits))
            return uint32_t(bits);
        return read_u32_slow();
    }
    Result<int32_t> read_s32() // LEB128 s32
    {
        uint64_t bits;
        if (unsigned used = read_short_leb<5>(bits))
            return int32_t(int64_t(bits << (64 - used)) >> (64 - used));
        return read_s32_slow();
    }
    Result<int64_t> read_s33(); // LEB128 s33 (block type indices)
    Result<int64_t> read_s64()  // LEB128 s64
    {
        uint64_t bits;
        if (unsigned used = read_short_leb<10>(bits))
            return int64_t(bits << (64 - used)) >> (64 - used);
        return read_s64_slow();
    }
    Result<std::span<const uint8_t>> read_bytes(size_t count);
    Result<void> skip(size_t count);

    // A byte length or vector count: a u32 that must not exceed the bytes left in the module
    // (every element takes at least one byte), else "length out of bounds".
    Result<uint32_t> read_length();
    // A vector count: read_length, then at most `limit` (an engine/limits.h figure) of `what`.
    Result<uint32_t> read_count(uint32_t limit, std::string_view what);

    // A name: a length-prefixed string that must be valid UTF-8.
    Result<std::string> read_name();

    // The single byte 0x00 that stands for memory index 0 ("zero byte expected").
    Result<void> read_zero_byte();
    // A one-bit LEB128 flag, as limits use it.
    Result<bool> read_flag();

    Result<ValType> read_value_type();
    Result<ValType> read_ref_type();
    Result<Limits> read_limits();
    Result<TableType> read_table_type();
    Result<MemoryType> read_memory_type();
    Result<GlobalType> read_global_type();

private:
    // Reads a LEB128 of fewer than `max_bytes` bytes into `bits` and returns the number of value
    // bits it carried (7 per byte); returns 0 and consumes nothing when the encoding is longer or
    // runs past the end.
    template<unsigned max_bytes>
    unsigned read_short_leb(uint64_t& bits)
    {
        size_t available = std::min<size_t>(remaining(), max_bytes - 1);
        const uint8_t* bytes = m_bytes.data() + m_position;
        uint64_t value = 0;
        for (size_t i = 0; i < available; ++i) {
            value |= uint64_t(bytes[i] & 0x7f) << (7 * i);
            if (!(bytes[i] & 0x80)) {
                m_position += i + 1;
                bits = value;
                return unsigned(7 * (i + 1));
            }
        }
        return 0;
    }
    Error unexpected_end() const;
    Result<uint32_t> read_u32_slow();
    Result<int32_t> read_s32_slow();
    Result<int64_t> read_s64_slow();
    // Runs one ByteReader read at the current position, advances past what it consumed and puts
    // the spec's wording on its error.
    template<typename T, typename Read>
    Result<T> read_with(Read read);

    std::span<const uint8_t> m_bytes;
    size_t m_position = 0;
};

// Whether `bytes` is well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// https://webassembly.github.io/spec/core/binary/values.html#names
bool is_valid_utf8(std::span<const uint8_t> bytes);

} // namespace hashos::wasm
