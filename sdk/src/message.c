/* Messages and answers (include/hashos/message.h). */
#include "hashos/message.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include "hashos/interface.h"

/* Bodies up to this size are encoded on the stack; larger ones in a malloc'd buffer. */
#define STACK_BODY_SIZE 512u
#define INITIAL_INBOX_SIZE 1024u

/* Per thread in a program built with threads (hashos/thread.h): each thread waits for its own
 * answers. The SDK compiles this file twice: with -matomics for libhashos-threads.a, without for
 * libhashos.a, where thread-local storage cannot be linked. wasm-ld supports only the
 * local-exec model (LLVM 14). */
#if defined(__wasm_atomics__)
static _Thread_local hashos_inbox g_answers __attribute__((tls_model("local-exec")));
static _Thread_local hashos_Error g_last_error __attribute__((tls_model("local-exec")));
#else
static hashos_inbox g_answers;
static hashos_Error g_last_error;
#endif

void hashos_message_thread_exit(void) { hashos_inbox_free(&g_answers); }

/* Out of line: kept off the hot paths it would otherwise be inlined into. Under the interpreter,
 * every call copies the callee's frame image (its locals and constants), so a hot function that
 * carries a cold path's locals pays for them on each call (bench/ipc). */
#define COLD __attribute__((noinline, cold))

/* hashos_receive() when the inbox is new or the event did not fit: grows it as needed. */
static COLD int32_t receive_growing(hashos_inbox* inbox, const uint64_t* filter, uint32_t filter_len, uint32_t flags)
{
    for (;;) {
        if (inbox->capacity < INITIAL_INBOX_SIZE) {
            uint8_t* data = realloc(inbox->data, INITIAL_INBOX_SIZE);
            if (!data)
                return HASHOS_E_NO_MEMORY;
            inbox->data = data;
            inbox->capacity = INITIAL_INBOX_SIZE;
        }
        int32_t result = hashos_next_message(filter, filter_len, inbox->data, inbox->capacity, flags);
        if (result != HASHOS_E_BUFFER_TOO_SMALL)
            return result;
        /* The header was written (the capacity is over 56): it tells the size needed. Nothing
         * was consumed, so asking again gets the same event. */
        uint32_t needed = HASHOS_EVENT_HEADER_SIZE + hashos_inbox_event(inbox)->body_len;
        uint8_t* data = realloc(inbox->data, needed);
        if (!data)
            return HASHOS_E_NO_MEMORY;
        inbox->data = data;
        inbox->capacity = needed;
    }
}

int32_t hashos_receive(hashos_inbox* inbox, const uint64_t* filter, uint32_t filter_len, uint32_t flags)
{
    if (inbox->capacity >= INITIAL_INBOX_SIZE) {
        int32_t result = hashos_next_message(filter, filter_len, inbox->data, inbox->capacity, flags);
        if (result != HASHOS_E_BUFFER_TOO_SMALL)
            return result;
    }
    return receive_growing(inbox, filter, filter_len, flags);
}

void hashos_inbox_free(hashos_inbox* inbox)
{
    free(inbox->data);
    inbox->data = NULL;
    inbox->capacity = 0;
}

/* The codec of a bare nanopb descriptor (the pb_msgdesc_t functions): nanopb alone. */
#define NANOPB_CODEC(fields) { (fields), NULL, NULL, 0 }

static int decode_body(const hashos_codec* codec, const uint8_t* bytes, uint32_t size, void* out)
{
    if (codec->decode)
        return codec->decode(bytes, size, out);
    pb_istream_t stream = pb_istream_from_buffer(bytes, size);
    return pb_decode(&stream, codec->fields, out);
}

/* The common case: the body fits the caller's stack buffer, so encode once, straight into it. */
static int encode_body_on_stack(uint32_t method, const pb_msgdesc_t* fields, const void* message,
    uint8_t stack[STACK_BODY_SIZE], uint32_t* out_size)
{
    pb_ostream_t stream = pb_ostream_from_buffer(stack, STACK_BODY_SIZE);
    if (method && !pb_encode_varint(&stream, method))
        return 0;
    if (fields && !pb_encode(&stream, fields, message))
        return 0;
    *out_size = (uint32_t)stream.bytes_written;
    return 1;
}

/* encode_body() for the messages nanopb encodes. */
static COLD int32_t encode_body_nanopb(uint32_t method, const hashos_codec* codec, const void* message,
    uint8_t stack[STACK_BODY_SIZE], uint8_t** out, uint32_t* out_size);

/* The body for `method` and `message` (a NULL codec: an empty message), with the method number
 * first when `method` is not 0 (answers have none). `*out` is `stack` or a malloc'd buffer. */
static inline __attribute__((always_inline)) int32_t encode_body(uint32_t method, const hashos_codec* codec,
    const void* message, uint8_t stack[STACK_BODY_SIZE], uint8_t** out, uint32_t* out_size)
{
    /* A message of scalars: hashos-idl's direct encoder, after the method's varint (5 bytes at most). */
    if (codec && codec->encode && codec->max_size <= STACK_BODY_SIZE - 5) {
        uint8_t* end = method ? hashos_codec_put_varint(stack, method) : stack;
        end += codec->encode(message, end);
        *out = stack;
        *out_size = (uint32_t)(end - stack);
        return HASHOS_OK;
    }
    return encode_body_nanopb(method, codec, message, stack, out, out_size);
}

static int32_t encode_body_nanopb(uint32_t method, const hashos_codec* codec, const void* message,
    uint8_t stack[STACK_BODY_SIZE], uint8_t** out, uint32_t* out_size)
{
    const pb_msgdesc_t* fields = codec ? codec->fields : NULL;
    if (encode_body_on_stack(method, fields, message, stack, out_size)) {
        *out = stack;
        return HASHOS_OK;
    }
    /* Too big for the stack buffer (or not encodable: sizing then says so): size it, then
     * encode into the heap. Field callbacks run again on this path. */
    size_t message_size = 0;
    if (fields && !pb_get_encoded_size(&message_size, fields, message))
        return HASHOS_E_ENCODE;
    uint8_t prefix[5];
    pb_ostream_t prefix_stream = pb_ostream_from_buffer(prefix, sizeof(prefix));
    if (method && !pb_encode_varint(&prefix_stream, method))
        return HASHOS_E_ENCODE;
    size_t total = prefix_stream.bytes_written + message_size;
    if (total > HASHOS_MAX_BODY_SIZE)
        return HASHOS_E_TOO_LARGE;
    uint8_t* body = total <= STACK_BODY_SIZE ? stack : malloc(total);
    if (!body)
        return HASHOS_E_NO_MEMORY;
    memcpy(body, prefix, prefix_stream.bytes_written);
    pb_ostream_t stream = pb_ostream_from_buffer(body + prefix_stream.bytes_written, message_size);
    /* Callbacks run a second time here; one that writes a different size fails the encode. */
    if (fields && (!pb_encode(&stream, fields, message) || stream.bytes_written != message_size)) {
        if (body != stack)
            free(body);
        return HASHOS_E_ENCODE;
    }
    *out = body;
    *out_size = (uint32_t)total;
    return HASHOS_OK;
}

int32_t hashos_send(const uint8_t* interface_hash, uint32_t method, const pb_msgdesc_t* request_fields,
    const void* request, uint32_t flags, uint64_t* out_id)
{
    hashos_codec codec = NANOPB_CODEC(request_fields);
    return hashos_send_codec(interface_hash, method, request_fields ? &codec : NULL, request, flags, out_id);
}

int32_t hashos_send_codec(const uint8_t* interface_hash, uint32_t method, const hashos_codec* request_codec,
    const void* request, uint32_t flags, uint64_t* out_id)
{
    uint8_t stack[STACK_BODY_SIZE];
    uint8_t* body;
    uint32_t size;
    int32_t status = encode_body(method, request_codec, request, stack, &body, &size);
    if (status != HASHOS_OK)
        return status;
    status = hashos_emit_message(interface_hash, body, size, flags, out_id);
    if (body != stack)
        free(body);
    return status;
}

/* The status for an ERROR_ANSWER event: its code, with the text kept for hashos_last_error(). */
static COLD int32_t error_answer_status(const hashos_event* event)
{
    hashos_Error error = hashos_Error_init_zero;
    pb_istream_t stream = pb_istream_from_buffer(hashos_event_body(event), event->body_len);
    if (!pb_decode(&stream, hashos_Error_fields, &error)) {
        error.code = hashos_ErrorCode_ERROR_CODE_INTERNAL;
        memcpy(error.message, "the error answer did not decode as hashos.Error", 48);
    }
    if (error.code <= 0)
        error.code = hashos_ErrorCode_ERROR_CODE_INTERNAL;
    g_last_error = error;
    return (int32_t)error.code;
}

int32_t hashos_answer_status(const hashos_event* event, const pb_msgdesc_t* response_fields, void* response)
{
    hashos_codec codec = NANOPB_CODEC(response_fields);
    return hashos_answer_status_codec(event, response_fields ? &codec : NULL, response);
}

int32_t hashos_answer_status_codec(const hashos_event* event, const hashos_codec* response_codec, void* response)
{
    if (event->kind == HASHOS_EVENT_ERROR_ANSWER)
        return error_answer_status(event);
    if (response_codec && response && !decode_body(response_codec, hashos_event_body(event), event->body_len, response))
        return HASHOS_E_DECODE;
    return HASHOS_OK;
}

int32_t hashos_wait(uint64_t message_id, const pb_msgdesc_t* response_fields, void* response)
{
    hashos_codec codec = NANOPB_CODEC(response_fields);
    return hashos_wait_codec(message_id, response_fields ? &codec : NULL, response);
}

int32_t hashos_wait_codec(uint64_t message_id, const hashos_codec* response_codec, void* response)
{
    int32_t result = hashos_receive(&g_answers, &message_id, 1, HASHOS_NEXT_BLOCK);
    if (result < 0)
        return result;
    return hashos_answer_status_codec(hashos_inbox_event(&g_answers), response_codec, response);
}

int32_t hashos_call_finish(uint64_t message_id, int32_t result, const hashos_event* event,
    const hashos_codec* response_codec, void* response)
{
    /* Too big for the caller's buffer: nothing was taken, so this receives the same event. */
    if (result == HASHOS_E_BUFFER_TOO_SMALL)
        return hashos_wait_codec(message_id, response_codec, response);
    if (result < 0)
        return result;
    return hashos_answer_status_codec(event, response_codec, response);
}

int32_t hashos_call(const uint8_t* interface_hash, uint32_t method, const pb_msgdesc_t* request_fields,
    const void* request, const pb_msgdesc_t* response_fields, void* response, uint32_t flags)
{
    hashos_codec request_codec = NANOPB_CODEC(request_fields);
    hashos_codec response_codec = NANOPB_CODEC(response_fields);
    return hashos_call_codec(interface_hash, method, request_fields ? &request_codec : NULL, request,
        response_fields ? &response_codec : NULL, response, flags);
}

int32_t hashos_call_codec(const uint8_t* interface_hash, uint32_t method, const hashos_codec* request_codec,
    const void* request, const hashos_codec* response_codec, void* response, uint32_t flags)
{
    uint64_t id = 0;
    int32_t status = hashos_send_codec(interface_hash, method, request_codec, request,
        flags | HASHOS_EMIT_ANSWER_WANTED, &id);
    if (status != HASHOS_OK)
        return status;
    return hashos_wait_codec(id, response_codec, response);
}

const hashos_Error* hashos_last_error(void) { return &g_last_error; }

const char* hashos_status_name(int32_t status)
{
    switch (status) {
    case HASHOS_OK: return "ok";
    case HASHOS_E_BAD_POINTER: return "HASHOS_E_BAD_POINTER";
    case HASHOS_E_INVALID: return "HASHOS_E_INVALID";
    case HASHOS_E_NO_HANDLER: return "HASHOS_E_NO_HANDLER";
    case HASHOS_E_DENIED: return "HASHOS_E_DENIED";
    case HASHOS_E_QUEUE_FULL: return "HASHOS_E_QUEUE_FULL";
    case HASHOS_E_UNKNOWN_MESSAGE: return "HASHOS_E_UNKNOWN_MESSAGE";
    case HASHOS_E_LIMIT: return "HASHOS_E_LIMIT";
    case HASHOS_E_WOULD_BLOCK: return "HASHOS_E_WOULD_BLOCK";
    case HASHOS_E_TOO_LARGE: return "HASHOS_E_TOO_LARGE";
    case HASHOS_E_BUFFER_TOO_SMALL: return "HASHOS_E_BUFFER_TOO_SMALL";
    case HASHOS_E_ENCODE: return "HASHOS_E_ENCODE";
    case HASHOS_E_DECODE: return "HASHOS_E_DECODE";
    case HASHOS_E_NO_MEMORY: return "HASHOS_E_NO_MEMORY";
    case hashos_ErrorCode_ERROR_CODE_CANCELLED: return "CANCELLED";
    case hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case hashos_ErrorCode_ERROR_CODE_NOT_FOUND: return "NOT_FOUND";
    case hashos_ErrorCode_ERROR_CODE_ALREADY_EXISTS: return "ALREADY_EXISTS";
    case hashos_ErrorCode_ERROR_CODE_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case hashos_ErrorCode_ERROR_CODE_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case hashos_ErrorCode_ERROR_CODE_UNIMPLEMENTED: return "UNIMPLEMENTED";
    case hashos_ErrorCode_ERROR_CODE_INTERNAL: return "INTERNAL";
    case hashos_ErrorCode_ERROR_CODE_UNAVAILABLE: return "UNAVAILABLE";
    default: return status > 0 ? "error answer" : "unknown error";
    }
}

int32_t hashos_request_from_event(const hashos_event* event, hashos_request* request)
{
    request->id = event->message_id;
    request->sender = event->sender;
    memcpy(request->interface_hash, event->interface_hash, HASHOS_INTERFACE_HASH_SIZE);
    request->answer_wanted = (event->flags & HASHOS_EVENT_ANSWER_WANTED) != 0;
    request->method = 0;
    request->body = hashos_event_body(event);
    request->body_len = 0;
    const uint8_t* end = hashos_event_body(event) + event->body_len;
    uint64_t method = 0;
    const uint8_t* body = hashos_codec_get_varint(hashos_event_body(event), end, &method);
    if (!body || method == 0 || method > UINT32_MAX)
        return HASHOS_E_DECODE;
    request->method = (uint32_t)method;
    request->body = body;
    request->body_len = (uint32_t)(end - body);
    return HASHOS_OK;
}

int32_t hashos_decode_request(const hashos_request* request, const pb_msgdesc_t* fields, void* out)
{
    hashos_codec codec = NANOPB_CODEC(fields);
    return hashos_decode_request_codec(request, &codec, out);
}

int32_t hashos_decode_request_codec(const hashos_request* request, const hashos_codec* codec, void* out)
{
    return decode_body(codec, request->body, request->body_len, out) ? HASHOS_OK : HASHOS_E_DECODE;
}

int32_t hashos_answer(const hashos_request* request, const pb_msgdesc_t* fields, const void* response)
{
    hashos_codec codec = NANOPB_CODEC(fields);
    return hashos_answer_codec(request, fields ? &codec : NULL, response);
}

int32_t hashos_answer_codec(const hashos_request* request, const hashos_codec* codec, const void* response)
{
    if (!request->answer_wanted)
        return HASHOS_OK;
    uint8_t stack[STACK_BODY_SIZE];
    uint8_t* body;
    uint32_t size;
    int32_t status = encode_body(0, codec, response, stack, &body, &size);
    if (status != HASHOS_OK)
        return status;
    status = hashos_emit_answer(request->id, body, size, 0);
    if (body != stack)
        free(body);
    return status;
}

int32_t hashos_answer_error(const hashos_request* request, hashos_ErrorCode code, const char* format, ...)
{
    if (!request->answer_wanted)
        return HASHOS_OK;
    hashos_Error error = hashos_Error_init_zero;
    error.code = code;
    va_list arguments;
    va_start(arguments, format);
    hashos_vformat(error.message, sizeof(error.message), format, arguments);
    va_end(arguments);
    uint8_t body[hashos_Error_size];
    pb_ostream_t stream = pb_ostream_from_buffer(body, sizeof(body));
    if (!pb_encode(&stream, hashos_Error_fields, &error))
        return HASHOS_E_ENCODE;
    return hashos_emit_answer(request->id, body, (uint32_t)stream.bytes_written, HASHOS_ANSWER_ERROR);
}

static const hashos_service* find_service(const hashos_service* services, uint32_t count, const uint8_t* hash)
{
    for (uint32_t i = 0; i < count; ++i) {
        if (memcmp(services[i].interface_hash, hash, HASHOS_INTERFACE_HASH_SIZE) == 0)
            return &services[i];
    }
    return NULL;
}

int32_t hashos_serve(const hashos_service* services, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) {
        int32_t status = hashos_interface_register(services[i].interface_hash);
        if (status != HASHOS_OK)
            return status;
    }
    hashos_inbox inbox = { 0 };
    for (;;) {
        int32_t result = hashos_receive(&inbox, NULL, 0, HASHOS_NEXT_BLOCK);
        if (result < 0) {
            hashos_inbox_free(&inbox);
            return result;
        }
        const hashos_event* event = hashos_inbox_event(&inbox);
        if (event->kind == HASHOS_EVENT_SENDER_EXITED) {
            for (uint32_t i = 0; i < count; ++i) {
                if (services[i].sender_exited)
                    services[i].sender_exited(event->sender, services[i].context);
            }
            continue;
        }
        if (event->kind != HASHOS_EVENT_MESSAGE)
            continue; /* an answer to a message sent without waiting for it: nobody asked */
        hashos_request request;
        const hashos_service* service = find_service(services, count, event->interface_hash);
        if (hashos_request_from_event(event, &request) != HASHOS_OK)
            hashos_answer_error(&request, hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, "no method number");
        else if (!service)
            hashos_answer_error(&request, hashos_ErrorCode_ERROR_CODE_UNIMPLEMENTED, "interface not served");
        else
            service->handle(&request, service->context);
    }
}
