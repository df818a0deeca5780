/* The hashos SDK for C programs compiled to wasm32: everything at once. docs/sdk.md is the tour. */
#ifndef HASHOS_HASHOS_H
#define HASHOS_HASHOS_H

#include "hashos/syscalls.h"   /* the raw syscalls (docs/abi.md) */
#include "hashos/runtime.h"    /* memcpy, strlen, malloc, hashos_format: what libc would give */
#include "hashos/message.h"    /* send and wait, receive and answer, error answers */
#include "hashos/pb_callbacks.h"
#include "hashos/environment.h" /* the clients of the shipped interfaces */
#include "hashos/files.h"
#include "hashos/interface.h"
#include "hashos/loader.h"
#include "hashos/log.h"
#include "hashos/process.h"
#include "hashos/random.h"
#include "hashos/tcp.h"
#include "hashos/time.h"
#include "hashos/udp.h"

#endif
