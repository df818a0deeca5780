// The module of the startup measurement (hashos-bench --startup): about 10 KiB, shaped like a real
// hashos program. Its bulk is code from the other workloads, linked in by bench/CMakeLists.txt;
// this file adds what a program built with the SDK also has: syscall imports, many small helper
// functions (varints, formatting, byte strings), a handler table called through function
// pointers (a table, an element segment, call_indirect) and a few constants in the data segment.
// Its `run` does next to nothing, so what is measured is decode + validate + compile + instantiate
// + one call. The imports are never called; the runner gives them host functions that return 0.
#include <stddef.h>
#include <stdint.h>

#define IMPORT(name) __attribute__((import_module("hashos"), import_name(#name)))
#define EXPORT(name) __attribute__((export_name(#name)))
// Kept out of line, as helpers from other compilation units (the SDK's) are in a real program.
#define HELPER static __attribute__((noinline))

IMPORT(emit_message) int32_t emit_message(const void* iface, const void* body, uint32_t body_len, uint32_t flags, uint64_t* out_id);
IMPORT(emit_answer) int32_t emit_answer(uint64_t message_id, const void* body, uint32_t body_len, uint32_t flags);
IMPORT(next_message) int32_t next_message(const void* filter, uint32_t filter_len, void* out, uint32_t out_cap, uint32_t flags);

static const uint8_t k_log_interface[32] = { 0x3a, 0x91, 0x0c, 0x5e, 0x77, 0x12, 0xa4, 0x09, 0x6b, 0xd0, 0x21, 0x8f, 0x44, 0xe3, 0x5a, 0x10,
    0x9c, 0x02, 0x7b, 0x61, 0xfe, 0x38, 0x0d, 0xc5, 0x53, 0x2e, 0x87, 0xb9, 0x16, 0x4f, 0xea, 0x73 };
static const char k_digits[] = "0123456789abcdef";

static uint8_t g_event[512];
static uint8_t g_body[256];
static uint32_t g_handled;

HELPER size_t str_length(const char* text)
{
    size_t length = 0;
    while (text[length])
        ++length;
    return length;
}

HELPER int bytes_equal(const uint8_t* a, const uint8_t* b, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        if (a[i] != b[i])
            return 0;
    }
    return 1;
}

HELPER size_t put_varint(uint8_t* out, uint64_t value)
{
    size_t used = 0;
    while (value >= 0x80) {
        out[used++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    out[used++] = (uint8_t)value;
    return used;
}

HELPER size_t get_varint(const uint8_t* in, size_t available, uint64_t* value)
{
    uint64_t result = 0;
    for (size_t i = 0; i < available && i < 10; ++i) {
        result |= (uint64_t)(in[i] & 0x7f) << (7 * i);
        if (!(in[i] & 0x80)) {
            *value = result;
            return i + 1;
        }
    }
    return 0;
}

HELPER size_t format_u32(char* out, uint32_t value, uint32_t base)
{
    char reversed[32];
    size_t count = 0;
    do {
        reversed[count++] = k_digits[value % base];
        value /= base;
    } while (value);
    for (size_t i = 0; i < count; ++i)
        out[i] = reversed[count - 1 - i];
    return count;
}

HELPER size_t put_field(uint8_t* out, uint32_t field, const void* bytes, size_t count)
{
    size_t used = put_varint(out, (uint64_t)field << 3 | 2);
    used += put_varint(out + used, count);
    __builtin_memcpy(out + used, bytes, count);
    return used + count;
}

HELPER int32_t log_text(const char* text)
{
    size_t used = put_varint(g_body, 1); // method 1: write
    used += put_field(g_body + used, 1, text, str_length(text));
    return emit_message(k_log_interface, g_body, (uint32_t)used, 0, 0);
}

HELPER int32_t log_number(const char* label, uint32_t value)
{
    char line[64];
    size_t used = str_length(label);
    __builtin_memcpy(line, label, used);
    line[used++] = '=';
    used += format_u32(line + used, value, 10);
    line[used] = 0;
    return log_text(line);
}

typedef int32_t (*Handler)(const uint8_t* body, uint32_t length, uint8_t* answer);

static int32_t on_ping(const uint8_t* body, uint32_t length, uint8_t* answer)
{
    return (int32_t)put_field(answer, 1, "pong", 4);
}

static int32_t on_echo(const uint8_t* body, uint32_t length, uint8_t* answer)
{
    return (int32_t)put_field(answer, 1, body, length);
}

static int32_t on_sum(const uint8_t* body, uint32_t length, uint8_t* answer)
{
    uint64_t sum = 0;
    uint64_t value;
    size_t used;
    for (size_t offset = 0; offset < length; offset += used) {
        used = get_varint(body + offset, length - offset, &value);
        if (!used)
            return -1;
        sum += value;
    }
    return (int32_t)put_varint(answer, sum);
}

static int32_t on_status(const uint8_t* body, uint32_t length, uint8_t* answer)
{
    char text[16];
    size_t count = format_u32(text, g_handled, 16);
    return (int32_t)put_field(answer, 2, text, count);
}

static Handler k_handlers[] = { on_ping, on_echo, on_sum, on_status };

// One turn of a handler's loop: take the next message, dispatch on its method, answer.
EXPORT(serve_one) int32_t serve_one(void)
{
    int32_t size = next_message(0, 0, g_event, sizeof g_event, 1);
    if (size < 56)
        return log_number("bad event", (uint32_t)size);
    if (!bytes_equal(g_event + 24, k_log_interface, 32))
        log_text("message for another interface");
    uint64_t method;
    size_t used = get_varint(g_event + 56, (size_t)size - 56, &method);
    if (!used || method >= sizeof k_handlers / sizeof k_handlers[0])
        return log_number("unknown method", (uint32_t)method);
    int32_t length = k_handlers[method](g_event + 56 + used, (uint32_t)(size - 56 - used), g_body);
    ++g_handled;
    uint64_t id;
    __builtin_memcpy(&id, g_event + 8, sizeof id);
    return emit_answer(id, g_body, length < 0 ? 0 : (uint32_t)length, length < 0);
}

EXPORT(run) int run(void)
{
    return 42;
}
