/* Client of the `random` interface (interfaces/random.proto): bytes from the host's CSPRNG. */
#ifndef HASHOS_RANDOM_H
#define HASHOS_RANDOM_H

#include "hashos/message.h"

#include "random.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills `buffer` with `size` random bytes, asking in pieces of at most 65536. */
int32_t hashos_random_fill(void* buffer, size_t size);

#ifdef __cplusplus
}
#endif

#endif
