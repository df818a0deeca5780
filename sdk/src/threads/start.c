/* The entry point of an SDK program built with threads (sdk/wasm.cmake THREADS), in place of
 * src/start.c: wasm-ld (LLVM 14) leaves the main thread's thread-local block unset for a shared
 * memory (__tls_base is 0, .tdata not copied), so _start gives it one before main runs, as
 * hashos_thread_main does for every other thread. */
#include <stddef.h>
#include <stdint.h>

int main(void);
void* malloc(size_t size);
void __wasm_init_tls(void* block);

__attribute__((export_name("_start"))) int hashos_start(void)
{
    size_t align = __builtin_wasm_tls_align() < 16 ? 16 : __builtin_wasm_tls_align();
    char* block = malloc(__builtin_wasm_tls_size() + align);
    if (!block)
        __builtin_trap(); /* the heap cannot give a few hundred bytes: nothing can run */
    __wasm_init_tls((void*)(((uintptr_t)block + align - 1) & ~(uintptr_t)(align - 1)));
    return main();
}
