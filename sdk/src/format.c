/* hashos_format (include/hashos/runtime.h): the subset of snprintf that log lines need. */
#include "hashos/runtime.h"

#include <stdbool.h>

typedef struct {
    char* buffer;
    size_t capacity;
    size_t length; /* of the whole text, even past capacity */
} Output;

static void put(Output* output, char character)
{
    if (output->length + 1 < output->capacity)
        output->buffer[output->length] = character;
    ++output->length;
}

static void put_padded(Output* output, const char* text, size_t length, int width, bool left, char pad)
{
    size_t padding = width > 0 && (size_t)width > length ? (size_t)width - length : 0;
    /* Zero padding goes after the sign. */
    if (pad == '0' && length && (text[0] == '-')) {
        put(output, '-');
        ++text;
        --length;
    }
    for (size_t i = 0; !left && i < padding; ++i)
        put(output, pad);
    for (size_t i = 0; i < length; ++i)
        put(output, text[i]);
    for (size_t i = 0; left && i < padding; ++i)
        put(output, ' ');
}

/* Writes `value` in `base` at the end of `digits` (24 bytes), returns where the text starts. */
static char* unsigned_text(char* digits_end, unsigned long long value, unsigned base, bool upper)
{
    const char* symbols = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char* p = digits_end;
    do {
        *--p = symbols[value % base];
        value /= base;
    } while (value);
    return p;
}

int hashos_vformat(char* buffer, size_t capacity, const char* format, va_list arguments)
{
    Output output = { buffer, capacity, 0 };
    for (const char* p = format; *p; ++p) {
        if (*p != '%') {
            put(&output, *p);
            continue;
        }
        ++p;
        bool left = false;
        char pad = ' ';
        for (;; ++p) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                pad = '0';
            else
                break;
        }
        int width = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        int longs = 0;
        bool size_t_length = false;
        for (;; ++p) {
            if (*p == 'l')
                ++longs;
            else if (*p == 'z')
                size_t_length = true;
            else
                break;
        }
        if (left)
            pad = ' ';
        char digits[24];
        char* end = digits + sizeof(digits);
        switch (*p) {
        case 'd':
        case 'i': {
            long long value = longs >= 2 ? va_arg(arguments, long long)
                : longs == 1            ? va_arg(arguments, long)
                : size_t_length         ? (long long)va_arg(arguments, size_t)
                                        : va_arg(arguments, int);
            unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
            char* text = unsigned_text(end, magnitude, 10, false);
            if (value < 0)
                *--text = '-';
            put_padded(&output, text, (size_t)(end - text), width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long value = longs >= 2 ? va_arg(arguments, unsigned long long)
                : longs == 1                      ? va_arg(arguments, unsigned long)
                : size_t_length                   ? va_arg(arguments, size_t)
                                                  : va_arg(arguments, unsigned);
            char* text = unsigned_text(end, value, *p == 'u' ? 10 : 16, *p == 'X');
            put_padded(&output, text, (size_t)(end - text), width, left, pad);
            break;
        }
        case 'p': {
            char* text = unsigned_text(end, (uintptr_t)va_arg(arguments, void*), 16, false);
            *--text = 'x';
            *--text = '0';
            put_padded(&output, text, (size_t)(end - text), width, left, ' ');
            break;
        }
        case 'c': {
            char character = (char)va_arg(arguments, int);
            put_padded(&output, &character, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char* text = va_arg(arguments, const char*);
            if (!text)
                text = "(null)";
            put_padded(&output, text, strlen(text), width, left, ' ');
            break;
        }
        case '%':
            put(&output, '%');
            break;
        default:
            /* An unknown conversion is written as it stands, so the mistake shows in the text. */
            put(&output, '%');
            if (!*p)
                --p;
            else
                put(&output, *p);
            break;
        }
    }
    if (capacity)
        buffer[output.length < capacity ? output.length : capacity - 1] = '\0';
    return (int)output.length;
}

int hashos_format(char* buffer, size_t capacity, const char* format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    int length = hashos_vformat(buffer, capacity, format, arguments);
    va_end(arguments);
    return length;
}
