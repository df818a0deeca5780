// Escape attempts from a granted directory (WASI only: natively nothing confines the program).
// Every way out — "..", an absolute path, a symbolic link to an absolute path or up and out, a
// rename or a link across the root — fails with ENOTCAPABLE, WASI's errno for a path the
// program holds no capability for (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#errno),
// while the same calls inside the root work.
// wasi-test: dir
// wasi-test: expect
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* name(int error)
{
    switch (error) {
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ENOENT: return "ENOENT";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EXDEV: return "EXDEV";
    case ELOOP: return "ELOOP";
    default: return "other";
    }
}

static void attempt(const char* label, int result)
{
    printf("%-34s %s\n", label, result >= 0 ? "allowed" : name(errno));
}

int main(int argc, char** argv)
{
    errno = 0;
    attempt("open ../ from the root", open("/sandbox/../etc/passwd", O_RDONLY));
    attempt("open sub/../../", open("/sandbox/sub/../../etc/passwd", O_RDONLY));
    attempt("open an absolute path outside", open("/etc/passwd", O_RDONLY));
    attempt("symlink to an absolute path", symlink("/etc", "/sandbox/absolute"));
    attempt("open through it", open("/sandbox/absolute/passwd", O_RDONLY));
    attempt("symlink up and out", symlink("../../../../etc", "/sandbox/sub/up"));
    attempt("open through it", open("/sandbox/sub/up/passwd", O_RDONLY));
    attempt("stat through it", ({ struct stat info; stat("/sandbox/sub/up/passwd", &info); }));
    attempt("mkdir outside", mkdir("/sandbox/../made-outside", 0755));
    attempt("rename out of the root", rename("/sandbox/data.txt", "/sandbox/../stolen.txt"));
    attempt("link out of the root", link("/sandbox/data.txt", "/sandbox/sub/../../linked.txt"));
    attempt("open inside", open("/sandbox/sub/../data.txt", O_RDONLY));
    attempt("symlink inside, followed", symlink("data.txt", "/sandbox/inside"));
    attempt("open through it", open("/sandbox/inside", O_RDONLY));
    return 0;
}
