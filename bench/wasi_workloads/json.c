// A JSON parse/serialize loop written for hashos: builds a document of nested objects, arrays,
// strings with escapes and numbers, serializes it, parses the text back into a tree, serializes
// that again and checks that both texts are equal — ROUNDS times. Prints the text's size and a
// checksum, the same on every engine.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ROUNDS
#define ROUNDS 40
#endif

typedef enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } Kind;

typedef struct Value {
    Kind kind;
    double number;
    int boolean;
    char* string; // J_STRING: the text; in an object's member: the key
    struct Value* child; // first element or member
    struct Value* next;  // next sibling
    char* key;
} Value;

typedef struct {
    char* data;
    size_t size, capacity;
} Buffer;

static void put(Buffer* buffer, const char* text, size_t length)
{
    if (buffer->size + length + 1 > buffer->capacity) {
        while (buffer->size + length + 1 > buffer->capacity)
            buffer->capacity = buffer->capacity ? buffer->capacity * 2 : 4096;
        buffer->data = realloc(buffer->data, buffer->capacity);
    }
    memcpy(buffer->data + buffer->size, text, length);
    buffer->size += length;
    buffer->data[buffer->size] = '\0';
}

static Value* make(Kind kind)
{
    Value* value = calloc(1, sizeof(Value));
    value->kind = kind;
    return value;
}

static void release(Value* value)
{
    while (value) {
        Value* next = value->next;
        release(value->child);
        free(value->string);
        free(value->key);
        free(value);
        value = next;
    }
}

static void write_string(Buffer* out, const char* text)
{
    put(out, "\"", 1);
    for (const char* c = text; *c; ++c) {
        if (*c == '"' || *c == '\\') {
            char escaped[2] = { '\\', *c };
            put(out, escaped, 2);
        } else if (*c == '\n') {
            put(out, "\\n", 2);
        } else if ((unsigned char)*c < 0x20) {
            char escaped[8];
            int n = snprintf(escaped, sizeof escaped, "\\u%04x", *c);
            put(out, escaped, (size_t)n);
        } else {
            put(out, c, 1);
        }
    }
    put(out, "\"", 1);
}

static void serialize(Buffer* out, const Value* value)
{
    char number[32];
    switch (value->kind) {
    case J_NULL: put(out, "null", 4); break;
    case J_BOOL: put(out, value->boolean ? "true" : "false", value->boolean ? 4 : 5); break;
    case J_NUMBER: put(out, number, (size_t)snprintf(number, sizeof number, "%.17g", value->number)); break;
    case J_STRING: write_string(out, value->string); break;
    case J_ARRAY:
    case J_OBJECT:
        put(out, value->kind == J_ARRAY ? "[" : "{", 1);
        for (const Value* child = value->child; child; child = child->next) {
            if (value->kind == J_OBJECT) {
                write_string(out, child->key);
                put(out, ":", 1);
            }
            serialize(out, child);
            if (child->next)
                put(out, ",", 1);
        }
        put(out, value->kind == J_ARRAY ? "]" : "}", 1);
        break;
    }
}

static const char* skip(const char* p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        ++p;
    return p;
}

static char* parse_string(const char** p)
{
    const char* start = ++*p;
    size_t length = 0;
    char* text = malloc(strlen(start) + 1);
    while (**p != '"') {
        if (**p == '\\') {
            ++*p;
            switch (**p) {
            case 'n': text[length++] = '\n'; break;
            case 'u': text[length++] = (char)strtol((char[5]) { (*p)[1], (*p)[2], (*p)[3], (*p)[4], 0 }, NULL, 16); *p += 4; break;
            default: text[length++] = **p;
            }
        } else {
            text[length++] = **p;
        }
        ++*p;
    }
    ++*p;
    text[length] = '\0';
    (void)start;
    return realloc(text, length + 1);
}

static Value* parse(const char** p)
{
    *p = skip(*p);
    Value* value;
    if (**p == '{' || **p == '[') {
        int object = **p == '{';
        value = make(object ? J_OBJECT : J_ARRAY);
        ++*p;
        Value** tail = &value->child;
        *p = skip(*p);
        while (**p != '}' && **p != ']') {
            char* key = NULL;
            if (object) {
                key = parse_string(p);
                *p = skip(*p) + 1; // ':'
            }
            Value* child = parse(p);
            child->key = key;
            *tail = child;
            tail = &child->next;
            *p = skip(*p);
            if (**p == ',')
                *p = skip(*p + 1);
        }
        ++*p;
    } else if (**p == '"') {
        value = make(J_STRING);
        value->string = parse_string(p);
    } else if (**p == 't' || **p == 'f') {
        value = make(J_BOOL);
        value->boolean = **p == 't';
        *p += value->boolean ? 4 : 5;
    } else if (**p == 'n') {
        value = make(J_NULL);
        *p += 4;
    } else {
        value = make(J_NUMBER);
        char* end;
        value->number = strtod(*p, &end);
        *p = end;
    }
    return value;
}

static Value* build(uint32_t* seed, int depth)
{
    *seed = *seed * 1664525u + 1013904223u;
    int kind = depth > 3 ? 2 + (int)(*seed >> 28) % 3 : (int)(*seed >> 28) % 6;
    Value* value;
    char text[64];
    switch (kind) {
    case 0:
    case 1:
        value = make(kind == 0 ? J_OBJECT : J_ARRAY);
        {
            Value** tail = &value->child;
            int count = 2 + (int)(*seed >> 8) % 6;
            for (int i = 0; i < count; ++i) {
                Value* child = build(seed, depth + 1);
                if (kind == 0) {
                    snprintf(text, sizeof text, "key_%d_%u", i, *seed % 1000);
                    child->key = strdup(text);
                }
                *tail = child;
                tail = &child->next;
            }
        }
        break;
    case 2:
        value = make(J_NUMBER);
        value->number = (double)(int32_t)*seed / 1024.0;
        break;
    case 3:
        value = make(J_STRING);
        snprintf(text, sizeof text, "text \"%u\"\nwith\\escapes\t%u", *seed % 97, *seed % 13);
        value->string = strdup(text);
        break;
    default:
        value = make((*seed >> 4) & 1 ? J_BOOL : J_NULL);
        value->boolean = (*seed >> 5) & 1;
    }
    return value;
}

int main(void)
{
    uint32_t checksum = 0;
    size_t size = 0;
    for (int round = 0; round < ROUNDS; ++round) {
        uint32_t seed = (uint32_t)round * 7919u + 1;
        Value* document = make(J_ARRAY);
        Value** tail = &document->child;
        for (int i = 0; i < 60; ++i) {
            *tail = build(&seed, 0);
            tail = &(*tail)->next;
        }
        Buffer first = { 0 }, second = { 0 };
        serialize(&first, document);
        const char* cursor = first.data;
        Value* parsed = parse(&cursor);
        serialize(&second, parsed);
        if (first.size != second.size || memcmp(first.data, second.data, first.size) != 0) {
            printf("round %d: the text changed in the round trip\n", round);
            return 1;
        }
        for (size_t i = 0; i < second.size; i += 7)
            checksum = checksum * 33 + (uint8_t)second.data[i];
        size += second.size;
        release(document);
        release(parsed);
        free(first.data);
        free(second.data);
    }
    printf("json %zu bytes, checksum %08x\n", size, checksum);
    return 0;
}
