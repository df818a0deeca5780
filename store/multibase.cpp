#include "store/multibase.h"

#include <algorithm>

namespace hashos::store {

namespace {

constexpr std::string_view k_base32_lower = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view k_base32_upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view k_base58btc = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int digit_value(std::string_view alphabet, char character)
{
    auto position = alphabet.find(character);
    return position == std::string_view::npos ? -1 : int(position);
}

} // namespace

std::string encode_base32(std::span<const uint8_t> bytes, LetterCase letter_case)
{
    auto alphabet = letter_case == LetterCase::Lower ? k_base32_lower : k_base32_upper;
    std::string text;
    text.reserve((bytes.size() * 8 + 4) / 5);
    uint32_t buffer = 0;
    unsigned bits = 0;
    for (uint8_t byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            text.push_back(alphabet[(buffer >> bits) & 31]);
        }
    }
    if (bits > 0)
        text.push_back(alphabet[(buffer << (5 - bits)) & 31]);
    return text;
}

Result<std::vector<uint8_t>> decode_base32(std::string_view text, LetterCase letter_case)
{
    auto alphabet = letter_case == LetterCase::Lower ? k_base32_lower : k_base32_upper;
    // 1, 3 or 6 characters past a multiple of 8 cannot end a whole number of bytes.
    switch (text.size() % 8) {
    case 1:
    case 3:
    case 6:
        return Error("base32 text has an impossible length " + std::to_string(text.size()));
    }
    std::vector<uint8_t> bytes;
    bytes.reserve(text.size() * 5 / 8);
    uint32_t buffer = 0;
    unsigned bits = 0;
    for (char character : text) {
        int value = digit_value(alphabet, character);
        if (value < 0)
            return Error(std::string("invalid base32 character '") + character + "'");
        buffer = (buffer << 5) | uint32_t(value);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(uint8_t(buffer >> bits));
        }
    }
    if (buffer & ((1u << bits) - 1))
        return Error("base32 text has non-zero padding bits");
    return bytes;
}

// Base conversion by repeated multiply-add over a big-endian digit array: quadratic, which is
// fine for the 34 to 40 bytes of a CID.
std::string encode_base58btc(std::span<const uint8_t> bytes)
{
    size_t leading_zeros = 0;
    while (leading_zeros < bytes.size() && bytes[leading_zeros] == 0)
        ++leading_zeros;
    std::vector<uint8_t> digits; // base 58, least significant first
    for (size_t index = leading_zeros; index < bytes.size(); ++index) {
        uint32_t carry = bytes[index];
        for (auto& digit : digits) {
            carry += uint32_t(digit) << 8;
            digit = uint8_t(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits.push_back(uint8_t(carry % 58));
            carry /= 58;
        }
    }
    std::string text(leading_zeros, '1');
    for (auto digit = digits.rbegin(); digit != digits.rend(); ++digit)
        text.push_back(k_base58btc[*digit]);
    return text;
}

Result<std::vector<uint8_t>> decode_base58btc(std::string_view text)
{
    size_t leading_ones = 0;
    while (leading_ones < text.size() && text[leading_ones] == '1')
        ++leading_ones;
    std::vector<uint8_t> bytes; // base 256, least significant first
    for (size_t index = leading_ones; index < text.size(); ++index) {
        int value = digit_value(k_base58btc, text[index]);
        if (value < 0)
            return Error(std::string("invalid base58btc character '") + text[index] + "'");
        uint32_t carry = uint32_t(value);
        for (auto& byte : bytes) {
            carry += uint32_t(byte) * 58;
            byte = uint8_t(carry);
            carry >>= 8;
        }
        while (carry > 0) {
            bytes.push_back(uint8_t(carry));
            carry >>= 8;
        }
    }
    std::vector<uint8_t> result(leading_ones, 0);
    result.insert(result.end(), bytes.rbegin(), bytes.rend());
    return result;
}

} // namespace hashos::store
