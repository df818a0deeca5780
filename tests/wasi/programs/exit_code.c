// exit() with a code: buffered output is flushed first, then the code is the process's.
#include <stdio.h>
#include <stdlib.h>

static void goodbye(void) { printf("atexit handler ran\n"); }

int main(void)
{
    atexit(goodbye);
    printf("exiting with 42");
    exit(42);
}
