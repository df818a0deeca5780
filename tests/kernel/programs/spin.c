/* spin: an endless loop that never makes a syscall. */
__attribute__((export_name("_start"))) void start(void)
{
    for (volatile int i = 0;; ++i) {
    }
}
