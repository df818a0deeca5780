// Low-level file I/O: O_APPEND writes land at the end whatever the position, O_TRUNC empties,
// pread and pwrite leave the position alone, ftruncate cuts and extends.
// wasi-test: dir
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long long size_of(int fd)
{
    struct stat info;
    fstat(fd, &info);
    return (long long)info.st_size;
}

int main(int argc, char** argv)
{
    char path[512];
    snprintf(path, sizeof path, "%s/log.txt", argv[1]);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    close(fd);
    fd = open(path, O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "appended", 8);
    printf("size after append: %lld\n", size_of(fd));
    close(fd);

    fd = open(path, O_RDWR);
    char buffer[32] = { 0 };
    printf("pread: %zd ", pread(fd, buffer, 5, 3));
    printf("[%s] position %lld\n", buffer, (long long)lseek(fd, 0, SEEK_CUR));
    printf("pwrite: %zd\n", pwrite(fd, "AB", 2, 0));
    memset(buffer, 0, sizeof buffer);
    read(fd, buffer, sizeof buffer - 1);
    printf("content: [%s]\n", buffer);
    // One call per statement: C leaves the order of a call's arguments unspecified.
    int truncated = ftruncate(fd, 4);
    printf("ftruncate 4: %d size %lld\n", truncated, size_of(fd));
    truncated = ftruncate(fd, 8);
    printf("ftruncate 8: %d size %lld\n", truncated, size_of(fd));
    memset(buffer, 'x', sizeof buffer);
    printf("pread of the extension: %zd", pread(fd, buffer, sizeof buffer, 0));
    for (int i = 0; i < 8; ++i)
        printf(" %02x", (unsigned char)buffer[i]);
    printf("\n");
    printf("seek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    close(fd);
    fd = open(path, O_WRONLY | O_TRUNC);
    printf("after O_TRUNC: %lld\n", size_of(fd));
    close(fd);
    return 0;
}
