// _Exit skips atexit handlers and stdio buffers: only what write() sent reaches stdout.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void never(void) { printf("atexit must not run\n"); }

int main(void)
{
    atexit(never);
    write(1, "unbuffered\n", 11);
    printf("buffered, lost");
    _Exit(3);
}
