// The address space of linear memories, recycled. A memory is reserved at its maximum (often the
// whole 4 GiB), and mapping and unmapping a fresh reservation cost ~15 µs on our VMs per
// instance, as much as decoding 5 KiB of code. A released reservation is therefore kept for the
// next memory of the same reserved size, after dropping every page it made writable
// (MADV_DONTNEED: the OS zero-fills a page on its next touch), so no byte of one program's
// memory is ever visible to the next.
//
// The dropped range stays readable and writable (changing its protection back would split and
// merge the mapping again, the cost saved). Pages past the next memory's size are therefore
// accessible to the host, never to wasm: every access is bounds-checked against the memory's
// size (engine/interpreter.cpp), and grow() commits its pages as before. Safe to call from any
// OS thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hashos::wasm {

struct MemoryReservation {
    uint8_t* base = nullptr; // null: the address space is exhausted
    size_t bytes = 0;
};

// `bytes` of address space, zero-filled, PROT_NONE except a prefix that a recycled reservation
// left readable and writable; from the pool or a new mapping.
MemoryReservation reserve_memory(size_t bytes);

// Gives a reservation back; its first `committed_bytes` are the ones grow() made writable.
void release_memory(MemoryReservation reservation, size_t committed_bytes);

} // namespace hashos::wasm
