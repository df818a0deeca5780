/* Memory and string functions of the freestanding runtime (include/hashos/runtime.h).
 *
 * With -mbulk-memory, clang lowers __builtin_memcpy/memmove/memset of a size it does not know to
 * one memory.copy or memory.fill instruction, never to a call, so these do not recurse. */
#include "hashos/runtime.h"

void* memcpy(void* destination, const void* source, size_t size)
{
    return __builtin_memcpy(destination, source, size);
}

void* memmove(void* destination, const void* source, size_t size)
{
    return __builtin_memmove(destination, source, size);
}

void* memset(void* destination, int value, size_t size)
{
    return __builtin_memset(destination, value, size);
}

int memcmp(const void* left, const void* right, size_t size)
{
    const unsigned char* a = left;
    const unsigned char* b = right;
    /* Eight bytes at a time while they are equal (interface hashes are 32 bytes, compared on
     * every message); the byte loop below finds the first difference. */
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word_a;
        uint64_t word_b;
        __builtin_memcpy(&word_a, a + i, 8);
        __builtin_memcpy(&word_b, b + i, 8);
        if (word_a != word_b)
            break;
    }
    for (; i < size; ++i) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

void* memchr(const void* bytes, int value, size_t size)
{
    const unsigned char* p = bytes;
    for (size_t i = 0; i < size; ++i) {
        if (p[i] == (unsigned char)value)
            return (void*)(p + i);
    }
    return NULL;
}

size_t strlen(const char* text)
{
    const char* end = text;
    while (*end)
        ++end;
    return (size_t)(end - text);
}

size_t strnlen(const char* text, size_t max_size)
{
    size_t size = 0;
    while (size < max_size && text[size])
        ++size;
    return size;
}

int strcmp(const char* left, const char* right)
{
    while (*left && *left == *right) {
        ++left;
        ++right;
    }
    return (unsigned char)*left - (unsigned char)*right;
}

int strncmp(const char* left, const char* right, size_t size)
{
    for (size_t i = 0; i < size; ++i) {
        if (left[i] != right[i] || !left[i])
            return (unsigned char)left[i] - (unsigned char)right[i];
    }
    return 0;
}

char* strchr(const char* text, int character)
{
    for (;; ++text) {
        if (*text == (char)character)
            return (char*)text;
        if (!*text)
            return NULL;
    }
}
