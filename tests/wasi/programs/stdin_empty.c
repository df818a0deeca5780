// End of input at once: getchar returns EOF, read returns 0, and the stream says EOF.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buffer[16];
    printf("read: %zd\n", read(0, buffer, sizeof buffer));
    int at_end = getchar() == EOF;
    printf("getchar is EOF: %d, feof: %d\n", at_end, feof(stdin) != 0);
    return 0;
}
