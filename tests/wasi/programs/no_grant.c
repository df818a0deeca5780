// A WASI program without --dir sees no files (WASI only): no preopened descriptor exists, so
// every path fails with ENOTCAPABLE and descriptor 3 is not open; stdio still works.
// wasi-test: expect
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    errno = 0;
    FILE* file = fopen("/etc/passwd", "r");
    printf("fopen absolute: %s\n", file ? "opened" : errno == ENOTCAPABLE ? "ENOTCAPABLE" : "other");
    errno = 0;
    int fd = open("relative.txt", O_RDONLY);
    printf("open relative: %s\n", fd >= 0 ? "opened" : errno == ENOTCAPABLE ? "ENOTCAPABLE" : "other");
    errno = 0;
    printf("fd 3: %s\n", fcntl(3, F_GETFL) >= 0 ? "open" : errno == EBADF ? "EBADF" : "other");
    return 0;
}
