/* nanopb callbacks for the strings and bytes that the .options files leave unbounded (a log line,
 * random bytes, program content): they encode from, or decode into, memory the caller owns. */
#ifndef HASHOS_PB_CALLBACKS_H
#define HASHOS_PB_CALLBACKS_H

#include "hashos/nanopb_system.h"

#include <pb.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Encodes the NUL-terminated `text` as a string field. `text` must outlive the encode. */
pb_callback_t hashos_pb_string(const char* text);

/* Bytes to encode, or a buffer to decode into. */
typedef struct {
    void* data;
    size_t size;     /* encoding: how many bytes; decoding: how many were written */
    size_t capacity; /* decoding: the buffer's size; a longer field fails the decode */
} hashos_pb_bytes;

/* Encodes `bytes->size` bytes from `bytes->data`. */
pb_callback_t hashos_pb_bytes_out(hashos_pb_bytes* bytes);
/* Decodes a string or bytes field into `bytes->data` (at most `capacity` bytes). */
pb_callback_t hashos_pb_bytes_in(hashos_pb_bytes* bytes);
/* Decodes a string or bytes field into a malloc'd buffer (`data`, `size`), which the caller frees. */
pb_callback_t hashos_pb_bytes_allocated(hashos_pb_bytes* bytes);

#ifdef __cplusplus
}
#endif

#endif
