/* Client of the `environment` interface (interfaces/environment.proto): the program's own
 * start-up context — the name it was started under, its arguments and its environment variables
 * (`hashos run PROGRAM --env NAME=value -- ARGUMENTS`). What C's argc/argv and getenv give a
 * native program; WASI programs get the same through args_get and environ_get (docs/wasi.md). */
#ifndef HASHOS_ENVIRONMENT_H
#define HASHOS_ENVIRONMENT_H

#include "hashos/message.h"

#include "environment.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char* program_name;     /* argv[0]: the file's stem, or the program's CID */
    uint32_t argument_count;      /* the arguments after the name */
    const char* const* arguments; /* argument_count strings, then NULL */
    uint32_t variable_count;
    const char* const* variables; /* "NAME=value" each, variable_count strings, then NULL */
} hashos_environment;

/* Asks the `environment` interface once and writes the context at `*out`: one malloc'd block that
 * hashos_environment_free() releases. An argument holding a NUL byte (which C strings cannot
 * carry) is cut there. */
int32_t hashos_environment_get(hashos_environment** out);
void hashos_environment_free(hashos_environment* environment);

/* The value of the variable `name` ("PORT" → "8080"), or NULL when it is not set. */
const char* hashos_environment_lookup(const hashos_environment* environment, const char* name);

#ifdef __cplusplus
}
#endif

#endif
