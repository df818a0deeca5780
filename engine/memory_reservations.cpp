// The pool of engine/memory_reservations.h.
#include "engine/memory_reservations.h"

#include <algorithm>
#include <mutex>
#include <sys/mman.h>
#include <vector>

namespace hashos::wasm {

namespace {

// Reservations kept: address space only (16 × 4 GiB of the 128 TiB there is); their pages are
// dropped before they are pooled.
constexpr size_t k_pool_capacity = 16;

struct Entry {
    MemoryReservation reservation;
    size_t writable_bytes = 0; // the prefix left readable and writable by earlier memories
};

struct Pool {
    std::mutex lock;
    std::vector<Entry> idle; // at most k_pool_capacity
    std::vector<Entry> lent; // recycled reservations in use: what their release must drop
};

Pool& pool()
{
    static Pool* instance = new Pool; // never destroyed: memories may die during static destruction
    return *instance;
}

} // namespace

MemoryReservation reserve_memory(size_t bytes)
{
    {
        Pool& shared = pool();
        std::lock_guard guard(shared.lock);
        for (size_t i = shared.idle.size(); i-- > 0;) {
            if (shared.idle[i].reservation.bytes == bytes) {
                Entry entry = shared.idle[i];
                shared.idle[i] = shared.idle.back();
                shared.idle.pop_back();
                shared.lent.push_back(entry);
                return entry.reservation;
            }
        }
    }
    void* base = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return {};
    return { static_cast<uint8_t*>(base), bytes };
}

void release_memory(MemoryReservation reservation, size_t committed_bytes)
{
    if (!reservation.base)
        return;
    Pool& shared = pool();
    size_t writable = committed_bytes;
    {
        std::lock_guard guard(shared.lock);
        auto lent = std::find_if(shared.lent.begin(), shared.lent.end(),
            [&](const Entry& entry) { return entry.reservation.base == reservation.base; });
        if (lent != shared.lent.end()) {
            writable = std::max(writable, lent->writable_bytes);
            *lent = shared.lent.back();
            shared.lent.pop_back();
        }
    }
    if (writable == 0 || madvise(reservation.base, writable, MADV_DONTNEED) == 0) {
        std::lock_guard guard(shared.lock);
        if (shared.idle.size() < k_pool_capacity) {
            shared.idle.push_back({ reservation, writable });
            return;
        }
    }
    munmap(reservation.base, reservation.bytes);
}

} // namespace hashos::wasm
