// Per-process limits (DESIGN.md, "Limits per process"), with defaults that suit ordinary
// programs. Each is enforced in exactly one place, named next to it. A plain value.
#pragma once

#include <cstdint>

namespace hashos::kernel {

struct Limits {
    // Linear memory, in 64 KiB pages: Store::set_memory_page_limit (memory.grow returns -1
    // beyond it; a module whose minimum is over it fails to spawn). Default 1 GiB; the memory is
    // reserved, not committed, so ten thousand processes cost address space only.
    uint32_t memory_pages = 16384;
    // wasm threads alive at once, the main thread included: Process::spawn_thread.
    uint32_t threads = 64;
    // Messages sent with an answer wanted whose answer was not taken yet: Mailbox::add_pending.
    uint32_t pending_messages = 1024;
    // Messages queued for this process as a handler, not yet taken: Mailbox::offer.
    uint32_t queued_messages = 1024;
    // Interfaces this process handles at once: InterfaceHandler (the `interface` interface).
    uint32_t interfaces = 64;
    // Operand stack slots and call depth of each wasm thread (engine ThreadLimits).
    uint32_t stack_slots = 1 << 20;
    uint32_t call_depth = 100'000;
};

} // namespace hashos::kernel
