// Reading standard input line by line: a word, line and byte count like wc, and each line reversed.
// wasi-test: stdin words.txt
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[1024];
    int lines = 0, words = 0, bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t length = strlen(line);
        bytes += (int)length;
        ++lines;
        int in_word = 0;
        for (size_t i = 0; i < length; ++i) {
            if (isspace((unsigned char)line[i]))
                in_word = 0;
            else if (!in_word) {
                in_word = 1;
                ++words;
            }
        }
        if (length && line[length - 1] == '\n')
            line[--length] = '\0';
        printf("%2d: ", lines);
        for (size_t i = length; i > 0; --i)
            putchar(line[i - 1]);
        putchar('\n');
    }
    printf("%d %d %d\n", lines, words, bytes);
    return feof(stdin) ? 0 : 1;
}
