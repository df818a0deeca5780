/* nanopb callbacks over caller-owned memory (include/hashos/pb_callbacks.h). */
#include "hashos/pb_callbacks.h"

#include <pb_decode.h>
#include <pb_encode.h>

static bool encode_string(pb_ostream_t* stream, const pb_field_t* field, void* const* argument)
{
    const char* text = *argument;
    return pb_encode_tag_for_field(stream, field) && pb_encode_string(stream, (const pb_byte_t*)text, strlen(text));
}

pb_callback_t hashos_pb_string(const char* text)
{
    pb_callback_t callback;
    callback.funcs.encode = encode_string;
    callback.arg = (void*)text;
    return callback;
}

static bool encode_bytes(pb_ostream_t* stream, const pb_field_t* field, void* const* argument)
{
    const hashos_pb_bytes* bytes = *argument;
    return pb_encode_tag_for_field(stream, field) && pb_encode_string(stream, bytes->data, bytes->size);
}

pb_callback_t hashos_pb_bytes_out(hashos_pb_bytes* bytes)
{
    pb_callback_t callback;
    callback.funcs.encode = encode_bytes;
    callback.arg = bytes;
    return callback;
}

static bool decode_into(pb_istream_t* stream, const pb_field_t* field, void** argument)
{
    hashos_pb_bytes* bytes = *argument;
    if (stream->bytes_left > bytes->capacity)
        PB_RETURN_ERROR(stream, "field larger than its buffer");
    bytes->size = stream->bytes_left;
    return pb_read(stream, bytes->data, stream->bytes_left);
}

pb_callback_t hashos_pb_bytes_in(hashos_pb_bytes* bytes)
{
    pb_callback_t callback;
    callback.funcs.decode = decode_into;
    callback.arg = bytes;
    bytes->size = 0;
    return callback;
}

static bool decode_allocated(pb_istream_t* stream, const pb_field_t* field, void** argument)
{
    hashos_pb_bytes* bytes = *argument;
    /* A field may repeat on the wire (the last one wins): drop the earlier copy. */
    free(bytes->data);
    bytes->size = stream->bytes_left;
    bytes->capacity = stream->bytes_left;
    /* At least one byte, so that an empty field is a pointer the caller can free like any other. */
    bytes->data = malloc(bytes->size ? bytes->size : 1);
    if (!bytes->data)
        PB_RETURN_ERROR(stream, "out of memory");
    return pb_read(stream, bytes->data, bytes->size);
}

pb_callback_t hashos_pb_bytes_allocated(hashos_pb_bytes* bytes)
{
    pb_callback_t callback;
    callback.funcs.decode = decode_allocated;
    callback.arg = bytes;
    bytes->data = NULL;
    bytes->size = 0;
    return callback;
}
