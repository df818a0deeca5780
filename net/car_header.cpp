#include "net/car_header.h"

#include "base/byte_reader.h"

#include <string>
#include <string_view>

namespace hashos::net {

namespace {

// https://www.rfc-editor.org/rfc/rfc8949#section-3.1
enum class Major : uint8_t {
    Unsigned = 0,
    Bytes = 2,
    Text = 3,
    Array = 4,
    Map = 5,
    Tag = 6,
};

// A CID in DAG-CBOR is tag 42 around a byte string: 0x00 (the identity multibase prefix), then
// the binary CID. https://ipld.io/specs/codecs/dag-cbor/spec/#links
constexpr uint64_t k_cid_tag = 42;
constexpr uint8_t k_cid_multibase_prefix = 0x00;
constexpr std::string_view k_roots_key = "roots";
constexpr std::string_view k_version_key = "version";

// A CBOR item head with the shortest argument encoding, as DAG-CBOR requires.
void append_head(std::vector<uint8_t>& out, Major major, uint64_t value)
{
    uint8_t type = uint8_t(uint8_t(major) << 5);
    if (value < 24) {
        out.push_back(type | uint8_t(value));
        return;
    }
    unsigned size = value <= 0xff ? 1 : value <= 0xffff ? 2 : value <= 0xffffffff ? 4 : 8;
    out.push_back(type | uint8_t(size == 1 ? 24 : size == 2 ? 25 : size == 4 ? 26 : 27));
    for (unsigned index = size; index-- > 0;)
        out.push_back(uint8_t(value >> (8 * index)));
}

void append_text(std::vector<uint8_t>& out, std::string_view text)
{
    append_head(out, Major::Text, text.size());
    out.insert(out.end(), text.begin(), text.end());
}

struct Head {
    Major major;
    uint64_t value;
};

Result<Head> read_head(ByteReader& reader)
{
    uint8_t initial = TRY(reader.read_u8());
    uint8_t major = initial >> 5;
    uint8_t additional = initial & 0x1f;
    if (major == 1 || major == 7)
        return Error("unexpected negative integer, float or simple value");
    if (additional < 24)
        return Head { Major(major), additional };
    if (additional > 27)
        return Error("indefinite lengths are not allowed in DAG-CBOR");
    unsigned size = 1u << (additional - 24);
    uint64_t value = 0;
    for (auto byte : TRY(reader.read_bytes(size)))
        value = value << 8 | byte;
    // The smallest encoding that holds the value, or the header had more than one encoding.
    uint64_t smallest = size == 1 ? 24 : size == 2 ? 0x100 : size == 4 ? 0x10000 : 0x100000000;
    if (value < smallest)
        return Error("integer not minimally encoded");
    return Head { Major(major), value };
}

Result<uint64_t> read_expected(ByteReader& reader, Major major, std::string_view what)
{
    auto head = TRY(read_head(reader));
    if (head.major != major)
        return Error("expected " + std::string(what));
    return head.value;
}

Result<void> read_key(ByteReader& reader, std::string_view key)
{
    auto size = TRY(read_expected(reader, Major::Text, "a text key"));
    if (size > reader.remaining())
        return Error("key runs past the header");
    auto bytes = TRY(reader.read_bytes(size));
    if (std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()) != key)
        return Error("expected the key \"" + std::string(key) + "\"");
    return {};
}

Result<std::vector<uint8_t>> read_cid(ByteReader& reader)
{
    if (TRY(read_expected(reader, Major::Tag, "a CID (tag 42)")) != k_cid_tag)
        return Error("expected a CID (tag 42)");
    auto size = TRY(read_expected(reader, Major::Bytes, "a CID's bytes"));
    if (size > reader.remaining())
        return Error("CID runs past the header");
    auto bytes = TRY(reader.read_bytes(size));
    if (bytes.size() < 2 || bytes[0] != k_cid_multibase_prefix)
        return Error("a CID in DAG-CBOR must be 0x00 followed by the binary CID");
    return std::vector<uint8_t>(bytes.begin() + 1, bytes.end());
}

Result<CarHeader> decode(ByteReader& reader)
{
    auto entries = TRY(read_expected(reader, Major::Map, "a map"));
    if (entries == 1) {
        // CARv2 starts with the pragma {"version": 2}, a map of one entry.
        // https://ipld.io/specs/transport/car/carv2/#pragma
        TRY(read_key(reader, k_version_key));
        auto version = TRY(read_expected(reader, Major::Unsigned, "a version number"));
        return Error("CAR version " + std::to_string(version) + " (only CARv1 is supported)");
    }
    if (entries != 2)
        return Error("expected a map of two entries, roots and version");
    TRY(read_key(reader, k_roots_key));
    auto count = TRY(read_expected(reader, Major::Array, "an array of roots"));
    // Each root takes several bytes, so a count beyond the bytes left is a lie, caught before
    // anything is reserved for it.
    if (count > reader.remaining())
        return Error("more roots than bytes in the header");
    CarHeader header;
    for (uint64_t index = 0; index < count; ++index)
        header.roots.push_back(TRY(read_cid(reader)));
    TRY(read_key(reader, k_version_key));
    auto version = TRY(read_expected(reader, Major::Unsigned, "a version number"));
    if (version != 1)
        return Error("CAR version " + std::to_string(version) + " (only CARv1 is supported)");
    if (!reader.at_end())
        return Error(std::to_string(reader.remaining()) + " stray byte(s) after the header map");
    return header;
}

} // namespace

std::vector<uint8_t> encode_car_header(const CarHeader& header)
{
    std::vector<uint8_t> out;
    append_head(out, Major::Map, 2);
    // DAG-CBOR orders map keys by length first, so "roots" comes before "version".
    append_text(out, k_roots_key);
    append_head(out, Major::Array, header.roots.size());
    for (auto const& root : header.roots) {
        append_head(out, Major::Tag, k_cid_tag);
        append_head(out, Major::Bytes, root.size() + 1);
        out.push_back(k_cid_multibase_prefix);
        out.insert(out.end(), root.begin(), root.end());
    }
    append_text(out, k_version_key);
    append_head(out, Major::Unsigned, 1);
    return out;
}

Result<CarHeader> decode_car_header(std::span<const uint8_t> bytes)
{
    ByteReader reader(bytes);
    auto header = decode(reader);
    if (header.is_error())
        return Error("invalid CAR header: " + header.error().message());
    return header;
}

} // namespace hashos::net
