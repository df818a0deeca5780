// InterfaceHash: the 32-byte name of an interface, SHA-256 of its canonical form
// (interfaces/canonical_form.h, docs/interfaces.md). Messages are addressed by it, the registry is
// keyed by it, and humans see it as 64 hex digits or as `NAME@` + the first 12.
// A plain value type: copy it freely, use it from any thread.
#pragma once

#include "base/result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

namespace hashos::interfaces {

class InterfaceHash {
public:
    static constexpr size_t size = 32;
    using Bytes = std::array<uint8_t, size>;

    explicit InterfaceHash(const Bytes& bytes) : m_bytes(bytes) {}

    // SHA-256 of `canonical_form`, computed with OpenSSL. Fails only if OpenSSL cannot allocate.
    static Result<InterfaceHash> of_canonical_form(std::string_view canonical_form);
    // Parses exactly 64 hex digits, either case.
    static Result<InterfaceHash> from_hex(std::string_view hex);

    const Bytes& bytes() const { return m_bytes; }
    // 64 lowercase hex digits.
    std::string hex() const;
    // `NAME@` + the first 12 hex digits, the form for human output: `log@3f2a…`.
    std::string short_form(std::string_view name) const;

    bool operator==(const InterfaceHash&) const = default;

private:
    Bytes m_bytes;
};

} // namespace hashos::interfaces

template<>
struct std::hash<hashos::interfaces::InterfaceHash> {
    size_t operator()(const hashos::interfaces::InterfaceHash& hash) const
    {
        // The bytes are already uniformly distributed: any eight of them make a good hash.
        size_t value;
        std::memcpy(&value, hash.bytes().data(), sizeof(value));
        return value;
    }
};
