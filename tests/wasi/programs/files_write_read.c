// Files with stdio: write a new file, read it back, seek and tell, read an existing file, update
// in place with r+.
// wasi-test: dir
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv)
{
    char path[512];
    snprintf(path, sizeof path, "%s/new.txt", argv[1]);
    FILE* file = fopen(path, "w");
    if (!file)
        return 1;
    for (int i = 0; i < 100; ++i)
        fprintf(file, "row %d: %d\n", i, i * i);
    printf("fclose: %d\n", fclose(file));

    file = fopen(path, "r");
    char line[128];
    int rows = 0;
    while (fgets(line, sizeof line, file))
        ++rows;
    printf("rows: %d, size: %ld\n", rows, ftell(file));
    fseek(file, 10, SEEK_SET);
    fgets(line, sizeof line, file);
    printf("at 10: %s", line);
    fseek(file, -12, SEEK_END);
    fgets(line, sizeof line, file);
    printf("12 from the end: %s", line);
    rewind(file);
    printf("after rewind: %ld\n", ftell(file));
    fclose(file);

    file = fopen(path, "r+");
    fseek(file, 4, SEEK_SET);
    fputs("XX", file);
    fseek(file, 0, SEEK_SET);
    fgets(line, sizeof line, file);
    printf("updated: %s", line);
    fclose(file);

    snprintf(path, sizeof path, "%s/data.txt", argv[1]);
    file = fopen(path, "rb");
    char all[256] = { 0 };
    size_t got = fread(all, 1, sizeof all - 1, file);
    printf("data.txt (%zu bytes):\n%s", got, all);
    fclose(file);
    return 0;
}
