/* hog: grows its memory one page at a time until refused; exits with the number of pages it
 * ended with. */
__attribute__((export_name("_start"))) int start(void)
{
    while (__builtin_wasm_memory_grow(0, 1) != (__SIZE_TYPE__)-1) {
    }
    return (int)__builtin_wasm_memory_size(0);
}
