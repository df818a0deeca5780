#include "cid.h"

namespace http_loader {

namespace {

// The longest CID handled: a version, a codec, a multihash code and length (a few bytes of
// varints each), and a 32-byte digest. Longer input is not sha2-256.
constexpr size_t k_max_bytes = 64;

struct Bytes {
    uint8_t data[k_max_bytes];
    size_t size = 0;
};

// RFC 4648, section 6: 5 bits per character, most significant first; the bits left over at the
// end must be fewer than 5 and zero (canonical encodings only). Multibase `b` is lower case, `B`
// upper case; mixed case is not base32.
bool decode_base32(const char* text, size_t size, bool upper, Bytes& out)
{
    char first = upper ? 'A' : 'a', last = upper ? 'Z' : 'z';
    uint32_t buffer = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < size; ++i) {
        char c = text[i];
        unsigned value;
        if (c >= first && c <= last)
            value = unsigned(c - first);
        else if (c >= '2' && c <= '7')
            value = unsigned(c - '2') + 26;
        else
            return false;
        buffer = (buffer << 5) | value;
        bits += 5;
        if (bits >= 8) {
            if (out.size == k_max_bytes)
                return false;
            bits -= 8;
            out.data[out.size++] = uint8_t(buffer >> bits);
            buffer &= (1u << bits) - 1;
        }
    }
    return bits < 5 && buffer == 0;
}

// base58btc (the Bitcoin alphabet): the text is a big-endian base-58 number; each leading '1'
// stands for a leading zero byte.
bool decode_base58(const char* text, size_t size, Bytes& out)
{
    static constexpr char k_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    size_t zeros = 0;
    while (zeros < size && text[zeros] == '1')
        ++zeros;
    // The number, little-endian, grown one character at a time: number = number * 58 + digit.
    uint8_t number[k_max_bytes] = {};
    size_t used = 0;
    for (size_t i = zeros; i < size; ++i) {
        int digit = -1;
        for (int d = 0; d < 58; ++d) {
            if (k_alphabet[d] == text[i])
                digit = d;
        }
        if (digit < 0)
            return false;
        uint32_t carry = uint32_t(digit);
        for (size_t j = 0; j < used; ++j) {
            carry += uint32_t(number[j]) * 58;
            number[j] = uint8_t(carry);
            carry >>= 8;
        }
        while (carry > 0) {
            if (used == k_max_bytes)
                return false;
            number[used++] = uint8_t(carry);
            carry >>= 8;
        }
    }
    if (zeros + used > k_max_bytes)
        return false;
    for (size_t i = 0; i < zeros; ++i)
        out.data[out.size++] = 0;
    for (size_t i = 0; i < used; ++i)
        out.data[out.size++] = number[used - 1 - i];
    return true;
}

// An unsigned LEB128 varint (multiformats' unsigned-varint: at most 9 bytes, minimal).
bool read_varint(const Bytes& bytes, size_t& position, uint64_t& value)
{
    value = 0;
    for (unsigned shift = 0; shift < 63 && position < bytes.size; shift += 7) {
        uint8_t byte = bytes.data[position++];
        value |= uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return byte != 0 || shift == 0;
    }
    return false;
}

// A multihash: code, digest length, digest; it must end the CID.
const char* read_multihash(const Bytes& bytes, size_t position, ContentId& out)
{
    uint64_t code = 0, length = 0;
    if (!read_varint(bytes, position, code) || !read_varint(bytes, position, length))
        return "truncated multihash";
    if (code != k_multihash_sha2_256)
        return "its multihash is not sha2-256, the only hash http-loader verifies";
    if (length != k_sha256_size)
        return "a sha2-256 multihash must hold 32 bytes";
    if (bytes.size - position != k_sha256_size)
        return "the multihash's length does not match its digest";
    for (size_t i = 0; i < k_sha256_size; ++i)
        out.digest[i] = bytes.data[position + i];
    return nullptr;
}

} // namespace

const char* parse_cid(const char* text, ContentId& out)
{
    size_t size = __builtin_strlen(text);
    Bytes bytes;
    // CIDv0: 46 base58btc characters starting "Qm", the bare multihash of a dag-pb block.
    if (size == 46 && text[0] == 'Q' && text[1] == 'm') {
        if (!decode_base58(text, size, bytes))
            return "not valid base58btc";
        out.version = 0;
        out.codec = k_codec_dag_pb;
        return read_multihash(bytes, 0, out);
    }
    if (size < 2)
        return "too short to be a CID";
    bool decoded = false;
    if (text[0] == 'b' || text[0] == 'B')
        decoded = decode_base32(text + 1, size - 1, text[0] == 'B', bytes);
    else if (text[0] == 'z')
        decoded = decode_base58(text + 1, size - 1, bytes);
    else
        return "not a CIDv0 (Qm…) nor a CIDv1 in base32 (b…) or base58btc (z…)";
    if (!decoded)
        return "its multibase text does not decode";
    size_t position = 0;
    uint64_t version = 0, codec = 0;
    if (!read_varint(bytes, position, version) || !read_varint(bytes, position, codec))
        return "truncated CID";
    if (version != 1)
        return "unknown CID version";
    if (codec != k_codec_raw && codec != k_codec_dag_pb)
        return "its codec is neither raw (0x55) nor dag-pb (0x70)";
    out.version = 1;
    out.codec = codec;
    return read_multihash(bytes, position, out);
}

} // namespace http_loader
