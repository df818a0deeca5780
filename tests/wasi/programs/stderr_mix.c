// stdout and stderr: unbuffered stderr, fully or line buffered stdout, fflush, and write(2).
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    fprintf(stderr, "error 1\n");
    printf("out 1\n");
    fflush(stdout);
    fputs("error 2 without newline", stderr);
    fputc('\n', stderr);
    const char* raw = "raw write to fd 1\n";
    write(1, raw, strlen(raw));
    write(2, "raw write to fd 2\n", 18);
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("unbuffered out\n");
    return 0;
}
