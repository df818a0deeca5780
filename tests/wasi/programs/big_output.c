// Output larger than any one message: 3 MB through printf and 2 MB in a single fwrite.
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    for (int i = 0; i < 60000; ++i)
        printf("line %06d: the quick brown fox jumps over\n", i);
    size_t size = 2u << 20;
    char* block = malloc(size);
    for (size_t i = 0; i < size; ++i)
        block[i] = (char)('a' + i % 26);
    block[size - 1] = '\n';
    size_t written = fwrite(block, 1, size, stdout);
    fprintf(stderr, "fwrite wrote %zu\n", written);
    free(block);
    return 0;
}
