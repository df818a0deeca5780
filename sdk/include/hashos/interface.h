/* Client of the `interface` interface (interfaces/interface.proto), which the kernel handles:
 * becoming the handler of an interface, and giving it up. */
#ifndef HASHOS_INTERFACE_H
#define HASHOS_INTERFACE_H

#include "hashos/message.h"

#include "interface.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* From the answer on, messages sent to `hash` (32 bytes) arrive here as MESSAGE events.
 * ALREADY_EXISTS when another process handles it, PERMISSION_DENIED when the user says no. */
int32_t hashos_interface_register(const uint8_t* hash);
int32_t hashos_interface_unregister(const uint8_t* hash);

#ifdef __cplusplus
}
#endif

#endif
