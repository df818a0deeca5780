/* hog: grows its memory one page at a time until the kernel refuses (memory.grow returns -1 at
 * the process's memory limit), then exits with the number of 64 KiB pages it ended with. */
__attribute__((export_name("_start"))) int start(void)
{
    while (__builtin_wasm_memory_grow(0, 1) != (__SIZE_TYPE__)-1) {
    }
    return (int)__builtin_wasm_memory_size(0);
}
