// Returning from main: the result is the exit code (modulo 256).
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "returning 7\n");
    return 7;
}
