/* Threads (include/hashos/thread.h). Compiled with -matomics; pulled into a program's link only
 * when it uses them. */
#include "hashos/thread.h"

#include "hashos/message.h"
#include "hashos/mutex.h"
#include "hashos/runtime.h"

/* What a thread's instance starts from: hashos_thread_start (thread_start.S) reads the first
 * field, so it must stay first. */
struct hashos_thread {
    uint32_t stack_top; /* the initial __stack_pointer: the stack grows down from here */
    uint32_t id;
    uint32_t done; /* 0 while the function runs, 1 once it returned: join waits on it */
    hashos_thread_function function;
    void* argument;
    void* tls; /* this thread's thread-local variables, initialised by __wasm_init_tls */
};

/* From wasm-ld for a shared memory: copies the thread-local initial values to `block` and
 * points __tls_base at it. */
void __wasm_init_tls(void* block);
/* thread_start.S: the export the kernel calls for each new thread. */
void hashos_thread_start(uint32_t id, hashos_thread* thread);
/* message.c: frees the calling thread's answer buffer. */
void hashos_message_thread_exit(void);

/* Keeps thread_start.S in every link that uses threads (the archive member is otherwise only
 * reached through the export). */
__attribute__((used)) static void (*const g_keep_start)(uint32_t, hashos_thread*) = hashos_thread_start;

/* wasm-ld supports only the local-exec model (LLVM 14). */
static _Thread_local uint32_t t_self __attribute__((tls_model("local-exec"))) = 1;

/* Called by hashos_thread_start once the stack pointer is set. */
void hashos_thread_main(uint32_t id, hashos_thread* thread)
{
    if (__builtin_wasm_tls_size() > 0)
        __wasm_init_tls(thread->tls);
    t_self = id;
    __atomic_store_n(&thread->id, id, __ATOMIC_SEQ_CST);
    thread->function(thread->argument);
    hashos_message_thread_exit();
    /* After this store the joiner may free the thread, stack included: nothing below touches
     * memory (notify only names the address). */
    __atomic_store_n(&thread->done, 1, __ATOMIC_SEQ_CST);
    hashos_atomic_notify(&thread->done, 1);
}

static uintptr_t align_up(uintptr_t value, uintptr_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

int32_t hashos_thread_spawn(hashos_thread** out, hashos_thread_function function, void* argument, uint32_t stack_size)
{
    *out = NULL;
    if (stack_size == 0)
        stack_size = HASHOS_THREAD_DEFAULT_STACK;
    stack_size = (uint32_t)align_up(stack_size, 16);
    size_t tls_size = __builtin_wasm_tls_size();
    size_t tls_align = __builtin_wasm_tls_align();
    if (tls_align < 16)
        tls_align = 16;
    /* [thread][stack, 16-aligned, growing down to the thread][thread-local block] */
    size_t total = align_up(sizeof(hashos_thread), 16) + stack_size + tls_size + tls_align;
    char* memory = malloc(total);
    if (!memory)
        return HASHOS_E_NO_MEMORY;
    hashos_thread* thread = (hashos_thread*)memory;
    uintptr_t stack_top = align_up((uintptr_t)memory + sizeof(hashos_thread), 16) + stack_size;
    thread->stack_top = (uint32_t)stack_top;
    thread->id = 0;
    thread->done = 0;
    thread->function = function;
    thread->argument = argument;
    thread->tls = (void*)align_up(stack_top, tls_align);

    hashos_thread_SpawnRequest request = hashos_thread_SpawnRequest_init_zero;
    request.argument = (int32_t)(uintptr_t)thread;
    hashos_thread_SpawnResponse response = hashos_thread_SpawnResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_thread_Thread, Spawn, &request, &response, 0);
    if (status != 0) {
        free(memory);
        return status;
    }
    __atomic_store_n(&thread->id, response.thread, __ATOMIC_SEQ_CST);
    *out = thread;
    return 0;
}

void hashos_thread_join(hashos_thread* thread)
{
    while (__atomic_load_n(&thread->done, __ATOMIC_SEQ_CST) == 0)
        hashos_atomic_wait32(&thread->done, 0, -1);
    free(thread);
}

uint32_t hashos_thread_id(const hashos_thread* thread) { return __atomic_load_n(&thread->id, __ATOMIC_SEQ_CST); }

uint32_t hashos_thread_self(void) { return t_self; }

/* malloc.c's lock (weak no-ops there): in a program that uses threads, one mutex for the heap. */
static hashos_mutex g_heap = HASHOS_MUTEX_INIT;
void hashos_heap_lock(void) { hashos_mutex_lock(&g_heap); }
void hashos_heap_unlock(void) { hashos_mutex_unlock(&g_heap); }
