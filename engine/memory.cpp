// Linear memories and tables.
// https://webassembly.github.io/spec/core/exec/modules.html#growing-memories
#include "engine/store.h"

#include "engine/memory_reservations.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

namespace hashos::wasm {

namespace {

// Not from the spec: an implementation limit on table elements, so that table.grow with a huge
// delta fails (returns -1) instead of allocating gigabytes.
constexpr uint32_t k_max_table_elements = 10'000'000;

} // namespace

// The whole reservation is mapped PROT_NONE once, so the base never moves; grow makes more of it
// readable and writable. Even a memory of zero pages maps one page, so data() is never null.
Result<void> Memory::initialize(MemoryType type, uint32_t reserved_pages)
{
    m_type = type;
    m_reserved_pages = reserved_pages;
    m_reserved_bytes = std::max<size_t>(size_t(reserved_pages) * k_page_size, k_page_size);
    // Recycled when it can be (engine/memory_reservations.h): zero-filled either way.
    MemoryReservation reservation = reserve_memory(m_reserved_bytes);
    if (!reservation.base)
        return Error("cannot reserve " + std::to_string(m_reserved_bytes) + " bytes for a memory: " + std::strerror(errno));
    m_base = reservation.base;
    if (type.limits.min > 0 && !grow(type.limits.min))
        return Error("cannot commit " + std::to_string(type.limits.min) + " pages of memory");
    return {};
}

Memory::~Memory()
{
    if (m_base)
        release_memory({ m_base, m_reserved_bytes }, size_in_bytes());
}

// Threads proposal: two threads may grow a shared memory at once; each gets its own old size.
// The pages are committed before the new size is published (release), so another thread that
// reads the size (acquire, e.g. the interpreter's bounds-check slow path) can use them at once.
std::optional<uint32_t> Memory::grow(uint32_t delta_pages)
{
    std::lock_guard lock(m_grow_lock);
    uint32_t old_pages = m_pages.load(std::memory_order_relaxed);
    uint64_t new_pages = uint64_t(old_pages) + delta_pages;
    if (new_pages > m_type.limits.max.value_or(k_max_pages) || new_pages > m_reserved_pages)
        return std::nullopt;
    if (delta_pages != 0) {
        if (mprotect(m_base + uint64_t(old_pages) * k_page_size, size_t(delta_pages) * k_page_size, PROT_READ | PROT_WRITE) != 0)
            return std::nullopt;
    }
    m_pages.store(uint32_t(new_pages), std::memory_order_release);
    return old_pages;
}

std::optional<uint32_t> Table::grow(uint32_t delta, Value init)
{
    uint64_t new_size = uint64_t(m_elements.size()) + delta;
    if (new_size > m_type.limits.max.value_or(0xFFFF'FFFFu) || new_size > k_max_table_elements)
        return std::nullopt;
    uint32_t old_size = size();
    m_elements.resize(new_size, init);
    return old_size;
}

Result<Memory*> Store::create_memory(MemoryType type)
{
    uint32_t reserved = std::min(type.limits.max.value_or(k_max_pages), m_memory_page_limit);
    if (type.limits.min > reserved)
        return Error("memory of " + std::to_string(type.limits.min) + " pages exceeds the limit of " + std::to_string(reserved) + " pages");
    std::unique_ptr<Memory> memory(new Memory);
    TRY(memory->initialize(type, reserved));
    m_memories.push_back(std::move(memory));
    return m_memories.back().get();
}

Result<Table*> Store::create_table(TableType type, Value init)
{
    if (type.limits.min > k_max_table_elements)
        return Error("table of " + std::to_string(type.limits.min) + " elements exceeds the limit of " + std::to_string(k_max_table_elements));
    auto table = std::make_unique<Table>();
    table->m_type = type;
    table->m_elements.assign(type.limits.min, init);
    m_tables.push_back(std::move(table));
    return m_tables.back().get();
}

} // namespace hashos::wasm
