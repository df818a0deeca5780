/* spin: an endless loop that never makes a syscall. The scheduler must preempt it (fuel slices)
 * so that it cannot delay other programs by more than a few milliseconds. */
__attribute__((export_name("_start"))) void start(void)
{
    for (volatile int i = 0;; ++i) {
    }
}
