// The kernel's strong id types. Plain values: copy them freely, use them from any thread.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

namespace hashos::kernel {

// A strong integer id: a ProcessId cannot be passed where a MessageId is expected.
template<typename Tag>
class Id {
public:
    constexpr Id() = default;
    constexpr explicit Id(uint64_t value) : m_value(value) {}
    constexpr uint64_t value() const { return m_value; }
    constexpr bool is_null() const { return m_value == 0; }
    constexpr auto operator<=>(const Id&) const = default;

private:
    uint64_t m_value = 0;
};

// A process, for the kernel's own bookkeeping (never reused while the kernel runs).
using ProcessId = Id<struct ProcessIdTag>;
// A message, as the sender and the handler both see it (docs/abi.md: never 0, never reused).
using MessageId = Id<struct MessageIdTag>;
// The opaque id of a sender as handlers see it; 0 for the kernel and native senders.
using SenderId = Id<struct SenderIdTag>;

// A program as permissions know it: its CID (`bafkrei…`) or, for programs not from the store,
// a name the embedder chose. The kernel never parses it.
class ProgramId {
public:
    ProgramId() = default;
    explicit ProgramId(std::string text) : m_text(std::move(text)) {}
    const std::string& text() const { return m_text; }
    auto operator<=>(const ProgramId&) const = default;

private:
    std::string m_text;
};

// The 32-byte name of an interface. The kernel only compares and prints it: computing it from a
// .proto service is interfaces/' job, which the kernel does not depend on (DESIGN.md's layering).
class InterfaceHash {
public:
    static constexpr size_t size = 32;
    using Bytes = std::array<uint8_t, size>;

    constexpr InterfaceHash() = default;
    constexpr explicit InterfaceHash(const Bytes& bytes) : m_bytes(bytes) {}
    static InterfaceHash from(const uint8_t* bytes)
    {
        InterfaceHash hash;
        std::memcpy(hash.m_bytes.data(), bytes, size);
        return hash;
    }

    const Bytes& bytes() const { return m_bytes; }
    bool is_zero() const { return m_bytes == Bytes {}; }
    // The first 12 hex digits, for messages: `3f2a9c…`.
    std::string short_hex() const;
    bool operator==(const InterfaceHash&) const = default;

private:
    Bytes m_bytes {};
};

} // namespace hashos::kernel

template<typename Tag>
struct std::hash<hashos::kernel::Id<Tag>> {
    size_t operator()(hashos::kernel::Id<Tag> id) const { return std::hash<uint64_t> {}(id.value()); }
};

template<>
struct std::hash<hashos::kernel::InterfaceHash> {
    size_t operator()(const hashos::kernel::InterfaceHash& hash) const
    {
        // The bytes of a SHA-256 are uniformly distributed: any eight make a good hash.
        size_t value;
        std::memcpy(&value, hash.bytes().data(), sizeof(value));
        return value;
    }
};

template<>
struct std::hash<hashos::kernel::ProgramId> {
    size_t operator()(const hashos::kernel::ProgramId& id) const { return std::hash<std::string> {}(id.text()); }
};
