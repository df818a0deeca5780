// The smallest program: a line on stdout through printf and puts.
#include <stdio.h>

int main(void)
{
    printf("hello, %s!\n", "wasi");
    puts("second line");
    return 0;
}
