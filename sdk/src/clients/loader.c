/* Client of the `loader` interface (include/hashos/loader.h). */
#include "hashos/loader.h"

#include "hashos/pb_callbacks.h"

int32_t hashos_loader_load(const char* cid, uint64_t max_size, uint8_t** content, size_t* size)
{
    *content = NULL;
    *size = 0;
    hashos_loader_LoadRequest request = hashos_loader_LoadRequest_init_zero;
    if (strlen(cid) >= sizeof(request.cid))
        return HASHOS_E_ENCODE;
    memcpy(request.cid, cid, strlen(cid) + 1);
    request.max_size = max_size;
    hashos_loader_LoadResponse response = hashos_loader_LoadResponse_init_zero;
    hashos_pb_bytes bytes;
    response.content = hashos_pb_bytes_allocated(&bytes);
    int32_t status = HASHOS_CALL(hashos_loader_Loader, Load, &request, &response, 0);
    if (status != HASHOS_OK) {
        free(bytes.data);
        return status;
    }
    /* An empty content field is not on the wire at all: give an empty buffer all the same. */
    if (!bytes.data && !(bytes.data = malloc(1)))
        return HASHOS_E_NO_MEMORY;
    *content = bytes.data;
    *size = bytes.size;
    return HASHOS_OK;
}
