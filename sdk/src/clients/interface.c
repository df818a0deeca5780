/* Client of the `interface` interface (include/hashos/interface.h). */
#include "hashos/interface.h"

int32_t hashos_interface_register(const uint8_t* hash)
{
    hashos_interface_RegisterRequest request = hashos_interface_RegisterRequest_init_zero;
    memcpy(request.hash, hash, sizeof(request.hash));
    return HASHOS_CALL(hashos_interface_Interface, Register, &request, NULL, 0);
}

int32_t hashos_interface_unregister(const uint8_t* hash)
{
    hashos_interface_UnregisterRequest request = hashos_interface_UnregisterRequest_init_zero;
    memcpy(request.hash, hash, sizeof(request.hash));
    return HASHOS_CALL(hashos_interface_Interface, Unregister, &request, NULL, 0);
}
