// The pool of engine/thread_stacks.h.
#include "engine/thread_stacks.h"

#include <algorithm>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

namespace hashos::wasm {

namespace {

// Enough for the threads a busy kernel starts and ends at once; each entry holds at most
// 2 × k_kept_stack_bytes of memory and its address space (~10 MB with the default limits).
constexpr size_t k_pool_capacity = 16;

struct Pool {
    std::mutex lock;
    ThreadStacks entries[k_pool_capacity];
    size_t count = 0;
};

Pool& pool()
{
    static Pool* instance = new Pool; // never destroyed: threads may end during static destruction
    return *instance;
}

size_t round_to_pages(size_t bytes)
{
    static const size_t page = size_t(sysconf(_SC_PAGESIZE));
    return (std::max<size_t>(bytes, 1) + page - 1) / page * page;
}

// Drops what lies beyond the first k_kept_stack_bytes of a stack: zero-filled on next touch.
void trim(void* stack, size_t bytes)
{
    if (bytes > k_kept_stack_bytes)
        madvise(static_cast<char*>(stack) + k_kept_stack_bytes, bytes - k_kept_stack_bytes, MADV_DONTNEED);
}

} // namespace

ThreadStacks ThreadStacks::acquire(size_t value_bytes, size_t frame_bytes)
{
    value_bytes = round_to_pages(value_bytes);
    frame_bytes = round_to_pages(frame_bytes);
    {
        Pool& shared = pool();
        std::lock_guard guard(shared.lock);
        for (size_t i = shared.count; i-- > 0;) {
            ThreadStacks& entry = shared.entries[i];
            if (entry.value_bytes == value_bytes && entry.frame_bytes == frame_bytes) {
                ThreadStacks found = entry;
                entry = shared.entries[--shared.count];
                return found;
            }
        }
    }
    void* base = mmap(nullptr, value_bytes + frame_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return {};
    return { base, static_cast<char*>(base) + value_bytes, value_bytes, frame_bytes };
}

void ThreadStacks::release()
{
    if (!values)
        return;
    trim(values, value_bytes);
    trim(frames, frame_bytes);
    {
        Pool& shared = pool();
        std::lock_guard guard(shared.lock);
        if (shared.count < k_pool_capacity) {
            shared.entries[shared.count++] = *this;
            *this = {};
            return;
        }
    }
    munmap(values, value_bytes + frame_bytes);
    *this = {};
}

} // namespace hashos::wasm
