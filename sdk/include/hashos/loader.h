/* Client of the `loader` interface (interfaces/loader.proto): content by CID, verified. */
#ifndef HASHOS_LOADER_H
#define HASHOS_LOADER_H

#include "hashos/message.h"

#include "loader.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the content named `cid` (CIDv1 text) into a malloc'd buffer `*content` of `*size` bytes,
 * which the caller frees. `max_size` 0 leaves the limit to the loader. */
int32_t hashos_loader_load(const char* cid, uint64_t max_size, uint8_t** content, size_t* size);

#ifdef __cplusplus
}
#endif

#endif
