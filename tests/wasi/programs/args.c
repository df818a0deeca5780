// Arguments: the count, each one, and the program's own name (argv[0]'s base name).
// wasi-test: args one two three --flag=value 42
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv)
{
    const char* slash = strrchr(argv[0], '/');
    printf("name: %s\n", slash ? slash + 1 : argv[0]);
    printf("argc: %d\n", argc);
    for (int i = 1; i < argc; ++i)
        printf("argv[%d] = '%s' (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    if (argv[argc] != NULL)
        return 1;
    return argc;
}
