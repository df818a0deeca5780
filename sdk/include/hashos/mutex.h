/* A mutex and a condition variable for threads (hashos/thread.h), futex-style on
 * memory.atomic.wait32/notify: neither sleeps in the kernel unless it has to.
 *
 * hashos_mutex is the three-state mutex of Ulrich Drepper's "Futexes Are Tricky" (mutex 3):
 * 0 unlocked, 1 locked, 2 locked with waiters, so an uncontended lock and unlock are one atomic
 * each and unlock notifies only when someone may wait. hashos_condvar is a sequence counter:
 * a waiter reads it, unlocks the mutex, and waits for it to change, so a signal between the
 * unlock and the wait is never lost. Both are plain words: zero-initialise them (or use the
 * _INIT macros); they need no destroy. */
#ifndef HASHOS_MUTEX_H
#define HASHOS_MUTEX_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t state;
} hashos_mutex;

typedef struct {
    uint32_t sequence;
} hashos_condvar;

#define HASHOS_MUTEX_INIT { 0 }
#define HASHOS_CONDVAR_INIT { 0 }

void hashos_mutex_lock(hashos_mutex* mutex);
/* Takes the mutex if it is free; true if it did. */
bool hashos_mutex_try_lock(hashos_mutex* mutex);
void hashos_mutex_unlock(hashos_mutex* mutex);

/* Unlocks `mutex`, sleeps until a signal or broadcast (or, rarely, spuriously: check the
 * condition in a loop), and locks `mutex` again. */
void hashos_condvar_wait(hashos_condvar* condvar, hashos_mutex* mutex);
/* As hashos_condvar_wait, giving up after `timeout_ns` nanoseconds: returns false if it timed
 * out (the mutex is locked again either way). */
bool hashos_condvar_timed_wait(hashos_condvar* condvar, hashos_mutex* mutex, int64_t timeout_ns);
/* Wakes one waiter / every waiter. */
void hashos_condvar_signal(hashos_condvar* condvar);
void hashos_condvar_broadcast(hashos_condvar* condvar);

#ifdef __cplusplus
}
#endif

#endif
