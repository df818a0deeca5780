// Environment variables: getenv, the whole environ in order, setenv and unsetenv.
// wasi-test: env GREETING=hello EMPTY= PATH_LIKE=/a:/b:/c SPACES=has_no_spaces NUMBER=42
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

int main(void)
{
    const char* names[] = { "GREETING", "EMPTY", "PATH_LIKE", "NUMBER", "MISSING" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        const char* value = getenv(names[i]);
        printf("%s: %s\n", names[i], value ? value : "(unset)");
    }
    int count = 0;
    for (char** variable = environ; *variable; ++variable)
        printf("environ[%d] = %s\n", count++, *variable);
    setenv("ADDED", "yes", 1);
    unsetenv("GREETING");
    printf("after: ADDED=%s GREETING=%s\n", getenv("ADDED"), getenv("GREETING") ? getenv("GREETING") : "(unset)");
    printf("number + 1 = %d\n", atoi(getenv("NUMBER")) + 1);
    return 0;
}
