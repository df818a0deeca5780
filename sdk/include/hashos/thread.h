/* Threads (docs/threads.md, docs/sdk.md "Threads"): start a thread running a function of this
 * program on the same memory, wait for it to end, and the wasm atomics underneath.
 *
 * Only for programs built for threads: hashos_sdk_program(... THREADS) compiles with -matomics
 * and links with a shared, imported memory (-Wl,--shared-memory -Wl,--import-memory), so that
 * every thread's instance sees the same memory. Each thread has its own stack (allocated here,
 * from the heap) and its own thread-local variables; malloc and the message functions
 * (hashos/message.h) may be used from every thread.
 *
 * The process ends when its main thread returns from main or any thread calls hashos_exit or
 * traps; its other threads end with it. */
#ifndef HASHOS_THREAD_H
#define HASHOS_THREAD_H

#include <stdint.h>

#include "thread.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hashos_thread hashos_thread;
typedef void (*hashos_thread_function)(void* argument);

/* The default stack of a thread (hashos_thread_spawn's stack_size 0): 64 KiB, as the main one. */
#define HASHOS_THREAD_DEFAULT_STACK (64u * 1024u)

/* Starts a thread running `function(argument)` with a stack of `stack_size` bytes (0: the
 * default). On success *out is the thread, to pass to hashos_thread_join exactly once.
 * Returns a status (hashos/message.h): HASHOS_E_NO_MEMORY, or the thread interface's error
 * (RESOURCE_EXHAUSTED at the process's thread limit; hashos_last_error() has the text). */
int32_t hashos_thread_spawn(hashos_thread** out, hashos_thread_function function, void* argument, uint32_t stack_size);

/* Waits until `thread`'s function has returned, then frees what spawn allocated. */
void hashos_thread_join(hashos_thread* thread);

/* The thread's id in its process (2, 3, …; the main thread is 1). */
uint32_t hashos_thread_id(const hashos_thread* thread);
/* The calling thread's id. */
uint32_t hashos_thread_self(void);

/* memory.atomic.wait32: if *address == expected, sleeps until a notify of `address` or until
 * `timeout_ns` nanoseconds pass (negative: no timeout). Returns 0 (woken), 1 (the value was not
 * `expected`) or 2 (timed out). Only this thread waits: the kernel runs the others meanwhile. */
static inline int32_t hashos_atomic_wait32(uint32_t* address, uint32_t expected, int64_t timeout_ns)
{
    return __builtin_wasm_memory_atomic_wait32((int32_t*)address, (int32_t)expected, timeout_ns);
}

/* memory.atomic.notify: wakes up to `count` threads waiting at `address`, oldest first;
 * returns how many it woke. */
static inline uint32_t hashos_atomic_notify(uint32_t* address, uint32_t count)
{
    return __builtin_wasm_memory_atomic_notify((int32_t*)address, count);
}

#ifdef __cplusplus
}
#endif

#endif
