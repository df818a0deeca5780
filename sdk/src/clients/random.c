/* Client of the `random` interface (include/hashos/random.h). */
#include "hashos/random.h"

#include "hashos/pb_callbacks.h"

#define MAX_FILL 65536u /* random.proto's limit per request */

int32_t hashos_random_fill(void* buffer, size_t size)
{
    uint8_t* out = buffer;
    while (size) {
        uint32_t piece = size < MAX_FILL ? (uint32_t)size : MAX_FILL;
        hashos_random_FillRequest request = hashos_random_FillRequest_init_zero;
        request.size = piece;
        hashos_random_FillResponse response = hashos_random_FillResponse_init_zero;
        hashos_pb_bytes bytes = { out, 0, piece };
        response.data = hashos_pb_bytes_in(&bytes);
        int32_t status = HASHOS_CALL(hashos_random_Random, Fill, &request, &response, 0);
        if (status != HASHOS_OK)
            return status;
        if (bytes.size != piece)
            return HASHOS_E_DECODE; /* the handler broke its promise of exactly `size` bytes */
        out += piece;
        size -= piece;
    }
    return HASHOS_OK;
}
