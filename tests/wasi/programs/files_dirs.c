// Directories: mkdir (nested), listing with opendir/readdir (sorted, without . and ..), rmdir of
// a full and an empty directory.
// wasi-test: dir
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* path)
{
    DIR* directory = opendir(path);
    if (!directory) {
        printf("opendir failed\n");
        return;
    }
    char* names[256];
    int count = 0;
    struct dirent* entry;
    while ((entry = readdir(directory)) && count < 256) {
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            names[count++] = strdup(entry->d_name);
    }
    closedir(directory);
    qsort(names, count, sizeof(char*), compare);
    printf("%d entries:", count);
    for (int i = 0; i < count; ++i) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(int argc, char** argv)
{
    char path[512];
    list(argv[1]);
    snprintf(path, sizeof path, "%s/made", argv[1]);
    printf("mkdir: %d\n", mkdir(path, 0755));
    snprintf(path, sizeof path, "%s/made/deeper", argv[1]);
    printf("mkdir nested: %d\n", mkdir(path, 0755));
    for (int i = 0; i < 40; ++i) {
        snprintf(path, sizeof path, "%s/made/file-%02d-with-a-longer-name.txt", argv[1], i);
        FILE* file = fopen(path, "w");
        fprintf(file, "%d\n", i);
        fclose(file);
    }
    snprintf(path, sizeof path, "%s/made", argv[1]);
    list(path);
    list(argv[1]);
    int removed = rmdir(path);
    printf("rmdir of a full directory: %d %s\n", removed, errno == ENOTEMPTY ? "ENOTEMPTY" : "other");
    snprintf(path, sizeof path, "%s/made/deeper", argv[1]);
    printf("rmdir empty: %d\n", rmdir(path));
    snprintf(path, sizeof path, "%s/sub", argv[1]);
    list(path);
    return 0;
}
