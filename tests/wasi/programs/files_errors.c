// The errno of failing file calls, by name (libcs word strerror differently): missing files,
// O_EXCL on an existing file, a file as a directory, a directory as a file, removing what is
// not empty or not there, writing a read-only descriptor, closing twice.
// wasi-test: dir
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* name(int error)
{
    switch (error) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case ESPIPE: return "ESPIPE";
    default: return "other";
    }
}

#define TRY(label, call)                                                                           \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long result = (long)(call);                                                                \
        printf("%-28s %3ld %s\n", label, result, result < 0 ? name(errno) : "");                  \
    } while (0)

int main(int argc, char** argv)
{
    char missing[512], data[512], sub[512], under_file[512], fresh[512];
    snprintf(missing, sizeof missing, "%s/missing.txt", argv[1]);
    snprintf(data, sizeof data, "%s/data.txt", argv[1]);
    snprintf(sub, sizeof sub, "%s/sub", argv[1]);
    snprintf(under_file, sizeof under_file, "%s/data.txt/below", argv[1]);
    snprintf(fresh, sizeof fresh, "%s/fresh", argv[1]);
    TRY("open missing", open(missing, O_RDONLY));
    TRY("open O_EXCL existing", open(data, O_WRONLY | O_CREAT | O_EXCL, 0644));
    TRY("open under a file", open(under_file, O_RDONLY));
    TRY("open a directory to write", open(sub, O_WRONLY));
    TRY("open a file as directory", open(data, O_RDONLY | O_DIRECTORY));
    TRY("mkdir existing", mkdir(sub, 0755));
    TRY("rmdir not empty", rmdir(sub));
    TRY("rmdir missing", rmdir(fresh));
    TRY("unlink missing", unlink(missing));
    TRY("rmdir a file", rmdir(data));
    int fd = open(data, O_RDONLY);
    TRY("write read-only fd", write(fd, "x", 1));
    TRY("close", close(fd));
    TRY("close again", close(fd));
    TRY("read a bad fd", read(999, data, 1));
    TRY("lseek on a pipe-less fd", lseek(12345, 0, SEEK_SET));
    return 0;
}
