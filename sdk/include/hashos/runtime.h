/* The freestanding runtime of the hashos SDK: what a wasm32 program would otherwise take from a
 * libc, under the standard names so that clang's own calls (it emits memcpy and memset for struct
 * copies) and nanopb find them. memcpy, memmove and memset compile to the bulk-memory
 * instructions memory.copy and memory.fill, which the engine runs at native speed.
 *
 * The allocator may be used from every thread of a program built with threads (hashos/thread.h:
 * a lock is linked in then). */
#ifndef HASHOS_RUNTIME_H
#define HASHOS_RUNTIME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void* memcpy(void* destination, const void* source, size_t size);
void* memmove(void* destination, const void* source, size_t size);
void* memset(void* destination, int value, size_t size);
int memcmp(const void* left, const void* right, size_t size);
void* memchr(const void* bytes, int value, size_t size);
size_t strlen(const char* text);
size_t strnlen(const char* text, size_t max_size);
int strcmp(const char* left, const char* right);
int strncmp(const char* left, const char* right, size_t size);
char* strchr(const char* text, int character);

/* A first-fit allocator with coalescing, on memory.grow; blocks are 16-byte aligned.
 * malloc returns NULL once the process's memory limit refuses to grow. */
void* malloc(size_t size);
void* calloc(size_t count, size_t size);
void* realloc(void* pointer, size_t size);
void free(void* pointer);

/* Bytes the allocator holds from memory.grow, and those of it handed out (for tests and stats). */
size_t hashos_heap_size(void);
size_t hashos_heap_used(void);

/* snprintf for the common conversions: %d %i %u %x %X %c %s %p %%, the length modifiers l, ll and
 * z, a field width and the flags '0' and '-'. Writes at most `capacity` bytes with the NUL and
 * returns the length the whole text has (as snprintf does, so truncation can be detected). */
int hashos_format(char* buffer, size_t capacity, const char* format, ...) __attribute__((format(printf, 3, 4)));
int hashos_vformat(char* buffer, size_t capacity, const char* format, va_list arguments);

#ifdef __cplusplus
}
#endif

#endif
