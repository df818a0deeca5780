// WireReader: just enough protobuf to read the small requests of the interfaces the kernel
// handles itself (interface, thread) after their method number: kernel/ may not depend on
// interfaces/' generated decoders. https://protobuf.dev/programming-guides/encoding/
// A plain value over borrowed bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace hashos::kernel {

class WireReader {
public:
    explicit WireReader(std::span<const uint8_t> bytes) : m_bytes(bytes) {}
    bool at_end() const { return m_offset >= m_bytes.size(); }

    std::optional<uint64_t> varint()
    {
        uint64_t value = 0;
        for (unsigned shift = 0; shift < 64 && m_offset < m_bytes.size(); shift += 7) {
            uint8_t byte = m_bytes[m_offset++];
            value |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        return std::nullopt;
    }
    std::optional<std::span<const uint8_t>> bytes(uint64_t length)
    {
        if (length > m_bytes.size() - m_offset)
            return std::nullopt;
        auto span = m_bytes.subspan(m_offset, length);
        m_offset += length;
        return span;
    }
    // Skips a field of `wire_type`; false if the type is unknown or the input ends.
    bool skip(uint64_t wire_type)
    {
        switch (wire_type) {
        case 0:
            return varint().has_value();
        case 1:
            return bytes(8).has_value();
        case 2: {
            auto length = varint();
            return length && bytes(*length);
        }
        case 5:
            return bytes(4).has_value();
        }
        return false;
    }

private:
    std::span<const uint8_t> m_bytes;
    size_t m_offset = 0;
};

} // namespace hashos::kernel
