// File metadata and names: stat and fstat sizes and types, rename, unlink, access, a symbolic
// link inside the directory followed and read back.
// wasi-test: dir
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void describe(const char* label, const char* path)
{
    struct stat info;
    if (stat(path, &info) != 0) {
        printf("%s: stat failed, %s\n", label, errno == ENOENT ? "ENOENT" : "other");
        return;
    }
    printf("%s: size %lld, %s, links %d\n", label, (long long)info.st_size,
        S_ISDIR(info.st_mode) ? "directory" : S_ISREG(info.st_mode) ? "file" : "other", (int)info.st_nlink);
}

int main(int argc, char** argv)
{
    char a[512], b[512], link[512];
    snprintf(a, sizeof a, "%s/data.txt", argv[1]);
    snprintf(b, sizeof b, "%s/renamed.txt", argv[1]);
    snprintf(link, sizeof link, "%s/link.txt", argv[1]);
    describe("data.txt", a);
    describe("directory", argv[1]);
    int fd = open(a, O_RDONLY);
    struct stat info;
    fstat(fd, &info);
    printf("fstat size %lld regular %d\n", (long long)info.st_size, S_ISREG(info.st_mode));
    close(fd);
    printf("rename: %d\n", rename(a, b));
    describe("old name", a);
    describe("new name", b);
    printf("symlink: %d\n", symlink("renamed.txt", link));
    char target[128] = { 0 };
    printf("readlink: %zd %s\n", readlink(link, target, sizeof target - 1), target);
    describe("through the link", link);
    struct stat own;
    lstat(link, &own);
    printf("lstat is a link: %d\n", S_ISLNK(own.st_mode));
    printf("access existing: %d\n", access(b, F_OK));
    printf("unlink link: %d, unlink file: %d\n", unlink(link), unlink(b));
    describe("after unlink", b);
    return 0;
}
