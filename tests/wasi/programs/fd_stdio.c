// The standard descriptors at the lowest level: isatty (none is a terminal here), fstat types,
// read(0) of a file, lseek on stdin, fcntl flags.
// wasi-test: stdin words.txt
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
    char buffer[10];
    ssize_t got = read(0, buffer, sizeof buffer);
    printf("read %zd: %.*s\n", got, (int)got, buffer);
    int flags = fcntl(1, F_GETFL);
    printf("stdout writable: %d\n", (flags & O_ACCMODE) != O_RDONLY);
    const char message[] = "written with write(2)\n";
    printf("write returned %zd\n", write(2, message, strlen(message)));
    return 0;
}
