#include "store/cid.h"
#include "store/multibase.h"
#include "store/varint.h"

#include <cstdio>

namespace hashos::store {

namespace {

std::string hex_code(uint64_t code)
{
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(code));
    return text;
}

Result<Cid> parse_binary(std::span<const uint8_t> bytes)
{
    // https://github.com/multiformats/cid#decoding-algorithm: 34 bytes starting 0x12 0x20 are a
    // CIDv0; anything else starts with the version varint.
    if (bytes.size() == 34 && bytes[0] == 0x12 && bytes[1] == 0x20)
        return Cid::create(CidVersion::V0, Codec::DagPb, TRY(Multihash::from_bytes(bytes)));
    ByteReader reader(bytes);
    uint64_t version = TRY(read_multiformats_varint(reader));
    if (version == 0x12)
        return Error("CIDv0 must be a 32-byte sha2-256 multihash");
    if (version != 1)
        return Error("unsupported CID version " + std::to_string(version));
    uint64_t codec = TRY(read_multiformats_varint(reader));
    if (codec != uint64_t(Codec::Raw) && codec != uint64_t(Codec::DagPb))
        return Error("unsupported codec " + hex_code(codec) + " (hashos reads raw 0x55 and dag-pb 0x70)");
    auto multihash = TRY(Multihash::read(reader));
    if (!reader.at_end())
        return Error(std::to_string(reader.remaining()) + " stray byte(s) after the multihash");
    return Cid::v1(Codec(codec), multihash);
}

} // namespace

std::string_view name(Codec codec)
{
    switch (codec) {
    case Codec::Raw:
        return "raw";
    case Codec::DagPb:
        return "dag-pb";
    }
    return "unknown";
}

Result<Cid> Cid::create(CidVersion version, Codec codec, const Multihash& multihash)
{
    if (version == CidVersion::V0 && codec != Codec::DagPb)
        return Error(std::string("CIDv0 can only name dag-pb blocks, not ") + std::string(name(codec)));
    return Cid(version, codec, multihash);
}

Result<Cid> Cid::from_bytes(std::span<const uint8_t> bytes)
{
    auto cid = parse_binary(bytes);
    if (cid.is_error())
        return Error("invalid binary CID: " + cid.error().message());
    return cid;
}

Result<Cid> Cid::parse(std::string_view text)
{
    auto decode = [&]() -> Result<std::vector<uint8_t>> {
        if (text.empty())
            return Error("empty");
        if (text.size() == 46 && text.starts_with("Qm"))
            return decode_base58btc(text);
        switch (text[0]) {
        case 'b':
            return decode_base32(text.substr(1), LetterCase::Lower);
        case 'B':
            return decode_base32(text.substr(1), LetterCase::Upper);
        case 'z':
            return decode_base58btc(text.substr(1));
        default:
            return Error(std::string("unsupported multibase prefix '") + text[0]
                + "' (expected Qm… for CIDv0, or b, B or z for CIDv1)");
        }
    };
    auto bytes = decode();
    if (bytes.is_error())
        return Error("invalid CID '" + std::string(text) + "': " + bytes.error().message());
    auto cid = parse_binary(bytes.value());
    if (cid.is_error())
        return Error("invalid CID '" + std::string(text) + "': " + cid.error().message());
    // A CIDv0 in binary form is only ever written as bare base58btc, never behind a multibase
    // prefix, and a `Qm…` string must decode to a CIDv0.
    bool bare = text.starts_with("Qm") && text.size() == 46;
    if ((cid->version() == CidVersion::V0) != bare)
        return Error("invalid CID '" + std::string(text) + "': "
            + (bare ? "a Qm… string must be a CIDv0" : "a CIDv0 must be written as bare base58btc"));
    return cid;
}

std::vector<uint8_t> Cid::bytes() const
{
    if (m_version == CidVersion::V0)
        return m_multihash.bytes();
    std::vector<uint8_t> out;
    append_varint(out, 1);
    append_varint(out, uint64_t(m_codec));
    auto multihash = m_multihash.bytes();
    out.insert(out.end(), multihash.begin(), multihash.end());
    return out;
}

std::string Cid::to_string() const
{
    if (m_version == CidVersion::V0)
        return encode_base58btc(bytes());
    return "b" + encode_base32(bytes(), LetterCase::Lower);
}

} // namespace hashos::store
