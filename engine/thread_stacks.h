// The address space of a Thread's two stacks (values and frames): one read-write mapping, touched
// lazily by the OS, and recycled. Mapping, first-touch faults and unmapping cost ~20 µs per
// Thread on our VMs, as much as decoding a 10 KiB module, so a released mapping is kept for the
// next Thread instead: only its first k_kept_bytes of each stack stay resident (the rest is
// dropped with MADV_DONTNEED, zero-filled again on next touch), so a pool entry pins at most
// 2 × k_kept_bytes of memory whatever depth its last thread reached.
//
// What stays is stale data of an earlier thread, possibly another program's. No wasm code can
// read it: every slot the interpreter reads was written by the current call (arguments by the
// caller, the other locals and constants by the frame image, operand slots by the instruction
// that pushed them, as validation proved), and a frame record only after its call pushed it.
// Safe to call from any OS thread.
#pragma once

#include <cstddef>

namespace hashos::wasm {

struct ThreadStacks {
    void* values = nullptr; // value_bytes, at the mapping's base
    void* frames = nullptr; // frame_bytes, right after
    size_t value_bytes = 0;
    size_t frame_bytes = 0;

    // Stacks of these sizes (rounded up to pages), from the pool or a new mapping; values is
    // null when the address space is exhausted.
    static ThreadStacks acquire(size_t value_bytes, size_t frame_bytes);
    // Gives the stacks back (to the pool, or unmapped when it is full); no effect when empty.
    void release();
};

// Resident bytes kept at the base of each stack of a pooled mapping: the depth of most calls.
constexpr size_t k_kept_stack_bytes = 64 * 1024;

} // namespace hashos::wasm
