// What C++ code compiled for wasm32 needs from a C++ runtime, over the SDK's C runtime.
#include "hashos/runtime.h"

// Allocation (coroutine frames, EventLoop handlers) over malloc. Without exceptions a failed
// allocation cannot throw: it traps, as an uncaught bad_alloc would end the program anyway.
void* operator new(size_t size)
{
    void* pointer = malloc(size ? size : 1);
    if (!pointer)
        __builtin_trap();
    return pointer;
}

void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* pointer) noexcept { free(pointer); }
void operator delete[](void* pointer) noexcept { free(pointer); }
void operator delete(void* pointer, size_t) noexcept { free(pointer); }
void operator delete[](void* pointer, size_t) noexcept { free(pointer); }

// clang registers the destructors of global objects with __cxa_atexit. A hashos program ends all
// at once (docs/abi.md: its memory goes with it), so there is nothing to run them for.
extern "C" {
void* __dso_handle = nullptr;
int __cxa_atexit(void (*destructor)(void*), void* object, void* dso_handle) { return 0; }
}
