// A last line without a newline, read with getline, then scanf on the same stream.
// wasi-test: stdin no_newline.txt
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char* line = NULL;
    size_t capacity = 0;
    ssize_t length;
    while ((length = getline(&line, &capacity, stdin)) >= 0)
        printf("got %zd bytes: [%s]\n", length, line);
    free(line);
    int number;
    printf("scanf at EOF: %d\n", scanf("%d", &number));
    return 0;
}
