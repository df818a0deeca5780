/* The SDK's allocator (include/hashos/runtime.h): first fit over one free list, blocks split on
 * allocation and merged with free neighbours on release, the heap grown with memory.grow.
 *
 * A program's heap is small and its life short, so the simplest allocator that reuses freed
 * memory well is enough; a free list keeps the memory a process touches (its cost in the kernel)
 * close to what it uses, which size classes would not.
 *
 * Layout: every block starts with an 8-byte header {previous block's size, this block's size with
 * bit 0 set when in use}; the payload follows, 16-byte aligned, so headers sit at 8 mod 16 and
 * sizes are multiples of 16. A free block keeps the free list's links in its payload. The heap
 * ends with a sentinel header (size 0, in use) so that merging never runs past it. */
#include "hashos/runtime.h"

#define HEADER_SIZE 8u
#define ALIGNMENT 16u
#define MINIMUM_BLOCK 16u /* a header and two free-list links */
#define PAGE_SIZE 65536u
#define USED 1u

typedef struct Block {
    uint32_t previous_size;
    uint32_t size_and_flags;
    /* Only while the block is free: */
    struct Block* next_free;
    struct Block* previous_free;
} Block;

extern unsigned char __heap_base;

/* The heap's lock: no-ops here; a program that uses threads links the strong definitions of
 * src/threads/thread.c, a mutex. */
__attribute__((weak)) void hashos_heap_lock(void) {}
__attribute__((weak)) void hashos_heap_unlock(void) {}

static Block* g_first;       /* the first block; NULL before the first allocation */
static Block* g_sentinel;    /* the header after the last block */
static uintptr_t g_memory_end; /* the end of the memory the heap owns */
static Block* g_free_list;
static size_t g_used;

static uint32_t block_size(const Block* block) { return block->size_and_flags & ~(ALIGNMENT - 1); }
static int is_used(const Block* block) { return block->size_and_flags & USED; }
static Block* next_block(Block* block) { return (Block*)((char*)block + block_size(block)); }
static void* payload(Block* block) { return (char*)block + HEADER_SIZE; }
static uintptr_t align_up(uintptr_t value, uintptr_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

static void unlink_free(Block* block)
{
    if (block->previous_free)
        block->previous_free->next_free = block->next_free;
    else
        g_free_list = block->next_free;
    if (block->next_free)
        block->next_free->previous_free = block->previous_free;
}

static void push_free(Block* block)
{
    block->previous_free = NULL;
    block->next_free = g_free_list;
    if (g_free_list)
        g_free_list->previous_free = block;
    g_free_list = block;
}

static void set_size(Block* block, uint32_t size, uint32_t flags)
{
    block->size_and_flags = size | flags;
    next_block(block)->previous_size = size;
}

/* Marks `block` free, merges it with free neighbours and puts the result on the free list. */
static void release(Block* block)
{
    uint32_t size = block_size(block);
    Block* next = next_block(block);
    if (!is_used(next)) {
        unlink_free(next);
        size += block_size(next);
    }
    if (block->previous_size) {
        Block* previous = (Block*)((char*)block - block->previous_size);
        if (!is_used(previous)) {
            unlink_free(previous);
            size += block_size(previous);
            block = previous;
        }
    }
    set_size(block, size, 0);
    push_free(block);
}

/* Extends the heap up to g_memory_end: the sentinel becomes a free block and a new sentinel is
 * written in the memory's last 8 bytes (g_memory_end is page-aligned, so that address is 8 mod 16,
 * as a header's must be). */
static void extend_to_memory_end(void)
{
    uintptr_t end = g_memory_end - HEADER_SIZE;
    if (end < (uintptr_t)g_sentinel + MINIMUM_BLOCK)
        return;
    Block* block = g_sentinel;
    g_sentinel = (Block*)end;
    g_sentinel->size_and_flags = USED;
    set_size(block, (uint32_t)(end - (uintptr_t)block), USED);
    release(block);
}

static int initialize(void)
{
    uintptr_t first = align_up((uintptr_t)&__heap_base + HEADER_SIZE, ALIGNMENT) - HEADER_SIZE;
    g_memory_end = __builtin_wasm_memory_size(0) * (uintptr_t)PAGE_SIZE;
    if (first + HEADER_SIZE > g_memory_end) {
        if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1)
            return 0;
        g_memory_end += PAGE_SIZE;
    }
    g_first = (Block*)first;
    g_sentinel = g_first;
    g_sentinel->previous_size = 0;
    g_sentinel->size_and_flags = USED;
    extend_to_memory_end();
    return 1;
}

/* Grows memory so that a block of `size` bytes fits at the end of the heap. */
static int grow(uint32_t size)
{
    size_t pages = (size + 2 * ALIGNMENT + PAGE_SIZE - 1) / PAGE_SIZE;
    size_t old_pages = __builtin_wasm_memory_grow(0, pages);
    if (old_pages == (size_t)-1)
        return 0;
    uintptr_t old_end = old_pages * (uintptr_t)PAGE_SIZE;
    if (old_end != g_memory_end) {
        /* Someone else grew the memory since (a direct memory.grow): those pages are theirs.
         * The sentinel becomes a block in use that spans them, never handed out. */
        Block* gap = g_sentinel;
        uintptr_t next = align_up(old_end + HEADER_SIZE, ALIGNMENT) - HEADER_SIZE;
        g_sentinel = (Block*)next;
        g_sentinel->size_and_flags = USED;
        set_size(gap, (uint32_t)(next - (uintptr_t)gap), USED);
    }
    g_memory_end = old_end + pages * (uintptr_t)PAGE_SIZE;
    extend_to_memory_end();
    return 1;
}

/* Takes `size` bytes of the free block `block`, returning the rest to the free list. */
static void* take(Block* block, uint32_t size)
{
    unlink_free(block);
    uint32_t available = block_size(block);
    if (available - size >= MINIMUM_BLOCK) {
        set_size(block, size, USED);
        Block* rest = next_block(block);
        set_size(rest, available - size, 0);
        push_free(rest);
    } else {
        set_size(block, available, USED);
    }
    g_used += block_size(block);
    return payload(block);
}

/* The block size for a request of `size` bytes, or 0 when it cannot exist in wasm32. */
static uint32_t needed_size(size_t size)
{
    if (size > 0x7fff0000u)
        return 0;
    uint32_t needed = (uint32_t)align_up(size + HEADER_SIZE, ALIGNMENT);
    return needed < MINIMUM_BLOCK ? MINIMUM_BLOCK : needed;
}

static void* allocate(size_t size)
{
    uint32_t needed = needed_size(size);
    if (!needed || (!g_first && !initialize()))
        return NULL;
    for (int attempt = 0; attempt < 2; ++attempt) {
        for (Block* block = g_free_list; block; block = block->next_free) {
            if (block_size(block) >= needed)
                return take(block, needed);
        }
        if (attempt == 0 && !grow(needed))
            return NULL;
    }
    return NULL;
}

void* malloc(size_t size)
{
    hashos_heap_lock();
    void* pointer = allocate(size);
    hashos_heap_unlock();
    return pointer;
}

void* calloc(size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total))
        return NULL;
    void* pointer = malloc(total);
    if (pointer)
        memset(pointer, 0, total);
    return pointer;
}

static void deallocate(void* pointer)
{
    if (!pointer)
        return;
    Block* block = (Block*)((char*)pointer - HEADER_SIZE);
    /* A double free or a pointer the allocator never gave out: stop here, not later. */
    if (!is_used(block) || block_size(block) == 0)
        __builtin_trap();
    g_used -= block_size(block);
    release(block);
}

void free(void* pointer)
{
    hashos_heap_lock();
    deallocate(pointer);
    hashos_heap_unlock();
}

static void* reallocate(void* pointer, size_t size)
{
    if (!pointer)
        return allocate(size);
    if (size == 0) {
        deallocate(pointer);
        return NULL;
    }
    uint32_t needed = needed_size(size);
    if (!needed)
        return NULL;
    Block* block = (Block*)((char*)pointer - HEADER_SIZE);
    uint32_t current = block_size(block);
    if (current >= needed)
        return pointer;
    /* Grow in place when the next block is free and large enough: no copy. */
    Block* next = next_block(block);
    if (!is_used(next) && current + block_size(next) >= needed) {
        uint32_t available = current + block_size(next);
        unlink_free(next);
        g_used -= current;
        set_size(block, available, 0);
        block->next_free = block->previous_free = NULL;
        push_free(block);
        return take(block, needed);
    }
    void* moved = allocate(size);
    if (!moved)
        return NULL;
    memcpy(moved, pointer, current - HEADER_SIZE);
    deallocate(pointer);
    return moved;
}

void* realloc(void* pointer, size_t size)
{
    hashos_heap_lock();
    void* moved = reallocate(pointer, size);
    hashos_heap_unlock();
    return moved;
}

size_t hashos_heap_size(void)
{
    return g_first ? (size_t)((char*)g_sentinel - (char*)g_first) : 0;
}

size_t hashos_heap_used(void) { return g_used; }
