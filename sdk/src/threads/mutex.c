/* Mutex and condition variable (include/hashos/mutex.h). Compiled with -matomics. */
#include "hashos/mutex.h"

#include "hashos/thread.h"

/* Ulrich Drepper, "Futexes Are Tricky" (2011), mutex 3. */
static uint32_t compare_exchange(uint32_t* word, uint32_t expected, uint32_t desired)
{
    __atomic_compare_exchange_n(word, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected; /* the value seen */
}

bool hashos_mutex_try_lock(hashos_mutex* mutex)
{
    return compare_exchange(&mutex->state, 0, 1) == 0;
}

void hashos_mutex_lock(hashos_mutex* mutex)
{
    uint32_t seen = compare_exchange(&mutex->state, 0, 1);
    if (seen == 0)
        return;
    /* Contended: mark it "locked with waiters" and sleep until it is free; whoever takes it
     * from here takes it in state 2, since others may still be sleeping. */
    if (seen != 2)
        seen = __atomic_exchange_n(&mutex->state, 2, __ATOMIC_SEQ_CST);
    while (seen != 0) {
        hashos_atomic_wait32(&mutex->state, 2, -1);
        seen = __atomic_exchange_n(&mutex->state, 2, __ATOMIC_SEQ_CST);
    }
}

void hashos_mutex_unlock(hashos_mutex* mutex)
{
    if (__atomic_fetch_sub(&mutex->state, 1, __ATOMIC_SEQ_CST) != 1) {
        __atomic_store_n(&mutex->state, 0, __ATOMIC_SEQ_CST);
        hashos_atomic_notify(&mutex->state, 1);
    }
}

bool hashos_condvar_timed_wait(hashos_condvar* condvar, hashos_mutex* mutex, int64_t timeout_ns)
{
    uint32_t sequence = __atomic_load_n(&condvar->sequence, __ATOMIC_SEQ_CST);
    hashos_mutex_unlock(mutex);
    /* A signal after the load changed the sequence: the wait returns 1 ("not-equal") at once. */
    int32_t result = hashos_atomic_wait32(&condvar->sequence, sequence, timeout_ns);
    hashos_mutex_lock(mutex);
    return result != 2;
}

void hashos_condvar_wait(hashos_condvar* condvar, hashos_mutex* mutex)
{
    hashos_condvar_timed_wait(condvar, mutex, -1);
}

void hashos_condvar_signal(hashos_condvar* condvar)
{
    __atomic_fetch_add(&condvar->sequence, 1, __ATOMIC_SEQ_CST);
    hashos_atomic_notify(&condvar->sequence, 1);
}

void hashos_condvar_broadcast(hashos_condvar* condvar)
{
    __atomic_fetch_add(&condvar->sequence, 1, __ATOMIC_SEQ_CST);
    hashos_atomic_notify(&condvar->sequence, UINT32_MAX);
}
