// ByteReader: a bounds-checked cursor over a byte span, with the LEB128 readers the
// WebAssembly binary format needs (https://webassembly.github.io/spec/core/binary/values.html).
// Every read returns a Result; reading past the end is an error ("unexpected end"), never UB.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace hashos {

class ByteReader {
public:
    explicit ByteReader(std::span<const uint8_t> bytes) : m_bytes(bytes) {}

    size_t position() const { return m_position; }
    size_t remaining() const { return m_bytes.size() - m_position; }
    bool at_end() const { return m_position == m_bytes.size(); }
    std::span<const uint8_t> bytes() const { return m_bytes; }

    Result<uint8_t> read_u8();
    Result<std::span<const uint8_t>> read_bytes(size_t count);
    Result<uint32_t> read_u32_le();
    Result<uint64_t> read_u64_le();

    // LEB128 with the spec's rules: at most ceil(N/7) bytes, and unused bits of the
    // last byte must be zero (unsigned) or a sign extension (signed).
    Result<uint32_t> read_leb_u32();
    Result<int32_t> read_leb_s32();
    Result<int64_t> read_leb_s33();
    Result<int64_t> read_leb_s64();

    // Returns a sub-reader over the next `count` bytes and advances past them.
    Result<ByteReader> sub_reader(size_t count);

private:
    Result<uint64_t> read_leb_unsigned(unsigned bits);
    Result<int64_t> read_leb_signed(unsigned bits);

    std::span<const uint8_t> m_bytes;
    size_t m_position = 0;
};

} // namespace hashos
