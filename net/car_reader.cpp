#include "net/car_reader.h"

#include "base/byte_reader.h"
#include "store/varint.h"

#include <algorithm>
#include <string>

namespace hashos::net {

namespace {

// multiformats varints are at most 9 bytes (store/varint.h).
constexpr size_t k_max_varint_size = 9;

struct Prefixed {
    uint64_t length;      // the length the varint states
    size_t varint_size;   // bytes the varint itself takes
};

// The varint at the start of `bytes`, or nullopt when `bytes` ends before its last byte.
Result<std::optional<Prefixed>> read_length(std::span<const uint8_t> bytes)
{
    auto window = bytes.first(std::min(bytes.size(), k_max_varint_size));
    bool complete = std::any_of(window.begin(), window.end(), [](uint8_t byte) { return !(byte & 0x80); });
    if (!complete && bytes.size() < k_max_varint_size)
        return std::optional<Prefixed> {};
    ByteReader reader(bytes);
    uint64_t length = TRY(store::read_multiformats_varint(reader));
    return std::optional(Prefixed { length, reader.position() });
}

// The length of the binary CID at the start of a section: the CID is not length-prefixed, so
// its own structure says where the block starts.
// https://github.com/multiformats/cid#decoding-algorithm
Result<size_t> cid_length(std::span<const uint8_t> section)
{
    if (section.size() >= 2 && section[0] == 0x12 && section[1] == 0x20)
        return size_t(34); // CIDv0: a bare sha2-256 multihash
    ByteReader reader(section.first(std::min(section.size(), k_max_car_cid_size)));
    TRY(store::read_multiformats_varint(reader)); // version
    TRY(store::read_multiformats_varint(reader)); // codec
    TRY(store::Multihash::read(reader));
    return reader.position();
}

} // namespace

Result<void> CarReader::fail(Error error)
{
    m_error = error;
    return error;
}

Result<void> CarReader::parse_section(std::span<const uint8_t> section)
{
    auto size = cid_length(section);
    if (size.is_error())
        return Error("section " + std::to_string(m_blocks_read) + ": invalid CID: " + size.error().message());
    if (size.value() > section.size())
        return Error("section " + std::to_string(m_blocks_read) + " is shorter than its CID");
    auto cid = store::Cid::from_bytes(section.first(size.value()));
    if (cid.is_error())
        return Error("section " + std::to_string(m_blocks_read) + ": " + cid.error().message());
    auto block = TRY(store::VerifiedBlock::verify(cid.value(), section.subspan(size.value())));
    ++m_blocks_read;
    return m_on_block(block);
}

Result<size_t> CarReader::parse_one(std::span<const uint8_t> bytes)
{
    auto prefix = TRY(read_length(bytes));
    if (!prefix)
        return size_t(0);
    bool is_header = !m_header;
    uint64_t limit = is_header ? k_max_car_header_size : k_max_car_section_size;
    if (prefix->length == 0)
        return Error(is_header ? "empty CAR header" : "empty CAR section");
    if (prefix->length > limit)
        return Error((is_header ? "CAR header of " : "CAR section of ") + std::to_string(prefix->length)
            + " bytes (at most " + std::to_string(limit) + ")");
    size_t total = prefix->varint_size + size_t(prefix->length);
    if (bytes.size() < total) {
        m_incomplete_size = total;
        return size_t(0);
    }
    auto body = bytes.subspan(prefix->varint_size, size_t(prefix->length));
    if (is_header)
        m_header = TRY(decode_car_header(body));
    else
        TRY(parse_section(body));
    return total;
}

void CarReader::reserve_incomplete()
{
    // The incomplete section's length is known and bounded by now: reserve it once rather than
    // grow the buffer step by step as its bytes trickle in.
    if (m_incomplete_size > m_pending.capacity())
        m_pending.reserve(m_incomplete_size);
    m_incomplete_size = 0;
}

Result<size_t> CarReader::parse_all(std::span<const uint8_t> bytes)
{
    size_t consumed = 0;
    while (consumed < bytes.size()) {
        size_t taken = TRY(parse_one(bytes.subspan(consumed)));
        if (taken == 0)
            break;
        consumed += taken;
    }
    return consumed;
}

Result<void> CarReader::feed(std::span<const uint8_t> bytes)
{
    if (m_error)
        return *m_error;
    if (m_pending.empty()) {
        // The common case on a fast stream: whole sections straight from the caller's buffer.
        auto consumed = parse_all(bytes);
        if (consumed.is_error())
            return fail(consumed.release_error());
        reserve_incomplete();
        m_pending.insert(m_pending.end(), bytes.begin() + consumed.value(), bytes.end());
        return {};
    }
    m_pending.insert(m_pending.end(), bytes.begin(), bytes.end());
    auto consumed = parse_all(m_pending);
    if (consumed.is_error())
        return fail(consumed.release_error());
    // Only a completed section moves the rest down, so each byte moves at most once.
    if (consumed.value() > 0)
        m_pending.erase(m_pending.begin(), m_pending.begin() + consumed.value());
    reserve_incomplete();
    return {};
}

Result<void> CarReader::finish()
{
    if (m_error)
        return *m_error;
    if (!m_header)
        return fail(Error(m_pending.empty() ? "empty CAR stream" : "CAR stream ended inside its header"));
    if (!m_pending.empty())
        return fail(Error("CAR stream ended inside a section (" + std::to_string(m_pending.size()) + " bytes)"));
    return {};
}

Result<CarHeader> read_car(std::span<const uint8_t> bytes, const CarBlockHandler& on_block)
{
    CarReader reader(on_block);
    TRY(reader.feed(bytes));
    TRY(reader.finish());
    return *reader.header();
}

} // namespace hashos::net
