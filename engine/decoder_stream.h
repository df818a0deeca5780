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

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hashos::wasm {

class DecoderStream {
public:
    explicit DecoderStream(std::span<const uint8_t> bytes) : m_reader(bytes) {}

    size_t position() const { return m_reader.position(); }
    size_t size() const { return m_reader.bytes().size(); }
    size_t remaining() const { return m_reader.remaining(); }
    bool at_end() const { return m_reader.at_end(); }
    std::optional<uint8_t> peek() const;

    // An error with `message` first, then where it happened.
    Error error(std::string_view message) const { return error_at(position(), message); }
    Error error_at(size_t offset, std::string_view message) const;

    Result<uint8_t> read_u8();
    Result<uint32_t> read_u32_le();
    Result<uint64_t> read_u64_le();
    Result<uint32_t> read_u32();  // LEB128 u32
    Result<int32_t> read_s32();   // LEB128 s32
    Result<int64_t> read_s33();   // LEB128 s33 (block type indices)
    Result<int64_t> read_s64();   // LEB128 s64
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
    // Puts the spec's wording on a ByteReader error and adds the offset.
    Error translate(const Error& error) const;
    template<typename T>
    Result<T> checked(Result<T> result) const
    {
        if (result.is_error())
            return translate(result.error());
        return result;
    }

    ByteReader m_reader;
};

// Whether `bytes` is well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// https://webassembly.github.io/spec/core/binary/values.html#names
bool is_valid_utf8(std::span<const uint8_t> bytes);

} // namespace hashos::wasm
