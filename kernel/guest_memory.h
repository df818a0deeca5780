// GuestMemory: the only way the kernel touches a program's linear memory. A syscall turns each
// (pointer, length) argument into a GuestSpan through span(), which checks the whole range
// against the memory's current size once; copies then go through the span and cannot stray.
// A memory never shrinks or moves (engine/store.h), so a span stays valid while its process
// lives. docs/abi.md, "Pointers".
//
// Threads: on any worker running a thread of the process. The size is read once, when the
// GuestMemory is made; another thread may grow the memory meanwhile, never shrink it, so every
// span checked against it stays valid. The bytes may be changed by the process's other threads
// while the kernel copies them, as any shared memory may: the copy is what the kernel uses.
#pragma once

#include "engine/instance.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

namespace hashos::kernel {

static_assert(std::endian::native == std::endian::little, "guest memory is little-endian, like the host must be");

class GuestSpan {
public:
    uint32_t size() const { return uint32_t(m_bytes.size()); }
    std::vector<uint8_t> copy_in() const { return { m_bytes.begin(), m_bytes.end() }; }
    // Writes `bytes` at `offset` within the span; the caller keeps offset + size within size().
    void copy_out(uint32_t offset, std::span<const uint8_t> bytes) const
    {
        if (!bytes.empty())
            std::memcpy(m_bytes.data() + offset, bytes.data(), bytes.size());
    }
    template<typename T>
    T read(uint32_t offset) const
    {
        T value;
        std::memcpy(&value, m_bytes.data() + offset, sizeof(T));
        return value;
    }
    template<typename T>
    void write(uint32_t offset, T value) const { std::memcpy(m_bytes.data() + offset, &value, sizeof(T)); }
    const uint8_t* data() const { return m_bytes.data(); }
    std::span<const uint8_t> bytes() const { return m_bytes; }

private:
    friend class GuestMemory;
    explicit GuestSpan(std::span<uint8_t> bytes) : m_bytes(bytes) {}
    std::span<uint8_t> m_bytes;
};

class GuestMemory {
public:
    // The caller's memory 0; a module without a memory has an empty one.
    explicit GuestMemory(const wasm::Instance* caller)
    {
        if (caller && caller->memory_count() > 0) {
            m_base = caller->memory(0)->data();
            m_size = caller->memory(0)->size_in_bytes();
        }
    }

    // The bytes [pointer, pointer + length), or nullopt if any of them lies outside the memory.
    std::optional<GuestSpan> span(uint32_t pointer, uint32_t length) const
    {
        if (uint64_t(pointer) + length > m_size)
            return std::nullopt;
        return GuestSpan({ m_base + pointer, length });
    }

private:
    uint8_t* m_base = nullptr;
    uint64_t m_size = 0;
};

} // namespace hashos::kernel
