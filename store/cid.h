// Cid: a content identifier, the name of a block in IPFS and in hashos.
// https://github.com/multiformats/cid
//
// CIDv0 is a bare sha2-256 multihash of a dag-pb block, written in base58btc (`Qm…`).
// CIDv1 is `varint(1) varint(codec) multihash`, written with a multibase prefix; hashos prints
// base32 lowercase (`b…`) as IPFS does and also parses base32 uppercase (`B…`) and
// base58btc (`z…`). Only the codecs a file DAG uses are accepted: raw (0x55) and dag-pb (0x70).
// The two versions of one dag-pb block name the same bytes: the store keys blocks by multihash.
#pragma once

#include "base/result.h"
#include "store/multihash.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::store {

// https://github.com/multiformats/multicodec/blob/master/table.csv
enum class Codec : uint64_t {
    Raw = 0x55,
    DagPb = 0x70,
};

enum class CidVersion : uint8_t {
    V0 = 0,
    V1 = 1,
};

std::string_view name(Codec codec);

class Cid {
public:
    // CIDv0 exists only for dag-pb: creating one with another codec is an error.
    static Result<Cid> create(CidVersion version, Codec codec, const Multihash& multihash);
    static Cid v1(Codec codec, const Multihash& multihash) { return Cid(CidVersion::V1, codec, multihash); }

    // The text form: `Qm…` (v0) or a multibase string (v1).
    static Result<Cid> parse(std::string_view text);
    // The binary form, as dag-pb links and CAR files hold it; `bytes` must hold exactly one CID.
    static Result<Cid> from_bytes(std::span<const uint8_t> bytes);

    CidVersion version() const { return m_version; }
    Codec codec() const { return m_codec; }
    const Multihash& multihash() const { return m_multihash; }

    std::vector<uint8_t> bytes() const;
    std::string to_string() const;

    // The same block named by a CIDv1 (identity for a CIDv1).
    Cid to_v1() const { return Cid(CidVersion::V1, m_codec, m_multihash); }

    bool operator==(const Cid&) const = default;
    auto operator<=>(const Cid&) const = default;

private:
    Cid(CidVersion version, Codec codec, const Multihash& multihash)
        : m_version(version)
        , m_codec(codec)
        , m_multihash(multihash)
    {
    }

    CidVersion m_version;
    Codec m_codec;
    Multihash m_multihash;
};

} // namespace hashos::store
