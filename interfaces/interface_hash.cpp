#include "interfaces/interface_hash.h"

#include <openssl/evp.h>

namespace hashos::interfaces {

namespace {

constexpr char k_hex_digits[] = "0123456789abcdef";

int hex_value(char digit)
{
    if (digit >= '0' && digit <= '9')
        return digit - '0';
    if (digit >= 'a' && digit <= 'f')
        return digit - 'a' + 10;
    if (digit >= 'A' && digit <= 'F')
        return digit - 'A' + 10;
    return -1;
}

} // namespace

Result<InterfaceHash> InterfaceHash::of_canonical_form(std::string_view canonical_form)
{
    Bytes digest {};
    unsigned int digest_size = 0;
    if (EVP_Digest(canonical_form.data(), canonical_form.size(), digest.data(), &digest_size,
            EVP_sha256(), nullptr)
            != 1
        || digest_size != size)
        return Error("SHA-256 of the canonical form failed (OpenSSL EVP_Digest)");
    return InterfaceHash(digest);
}

Result<InterfaceHash> InterfaceHash::from_hex(std::string_view hex)
{
    if (hex.size() != 2 * size)
        return Error("an interface hash is 64 hex digits, got " + std::to_string(hex.size())
            + " characters: '" + std::string(hex) + "'");
    Bytes bytes {};
    for (size_t i = 0; i < size; ++i) {
        int high = hex_value(hex[2 * i]);
        int low = hex_value(hex[2 * i + 1]);
        if (high < 0 || low < 0)
            return Error("not a hex digit at offset " + std::to_string(high < 0 ? 2 * i : 2 * i + 1)
                + " of interface hash '" + std::string(hex) + "'");
        bytes[i] = static_cast<uint8_t>(high << 4 | low);
    }
    return InterfaceHash(bytes);
}

std::string InterfaceHash::hex() const
{
    std::string out;
    out.reserve(2 * size);
    for (uint8_t byte : m_bytes) {
        out += k_hex_digits[byte >> 4];
        out += k_hex_digits[byte & 0xf];
    }
    return out;
}

std::string InterfaceHash::short_form(std::string_view name) const
{
    return std::string(name) + "@" + hex().substr(0, 12);
}

} // namespace hashos::interfaces
