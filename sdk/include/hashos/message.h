/* Messages and answers over the raw syscalls (hashos/syscalls.h; docs/abi.md): the body encoding
 * of docs/interfaces.md (the method number as a varint, then the request in protobuf, by nanopb),
 * sending and waiting for the answer, receiving requests and answering them, error answers with a
 * hashos.Error body.
 *
 * Status values: every function here returns an int32_t that is
 *   0   success;
 *   < 0 the call failed in this process: a syscall error (HASHOS_E_*) or one of the SDK's below;
 *   > 0 the handler, or the kernel on its behalf, answered with an error: the hashos_ErrorCode
 *       (never 0: an unspecified code reads as INTERNAL), whose text hashos_last_error() holds.
 * hashos_status_name() names any of them, for log lines.
 *
 * Threads (hashos/thread.h): the buffer for answers and the last error are per thread, so every
 * thread may call and wait; an inbox is the caller's, for one thread at a time. */
#ifndef HASHOS_MESSAGE_H
#define HASHOS_MESSAGE_H

#include <stdbool.h>

#include "hashos/nanopb_system.h"
#include "hashos/syscalls.h"

#include <pb.h>

#include "error.interface.h" /* hashos_codec, error.pb.h */

#ifdef __cplusplus
extern "C" {
#endif

#define HASHOS_E_ENCODE (-100)    /* a request or response did not encode (its callback failed) */
#define HASHOS_E_DECODE (-101)    /* a body did not decode as the expected message */
#define HASHOS_E_NO_MEMORY (-102) /* malloc failed */

/* A growable buffer that next_message writes events into. Zero-initialise it; free it with
 * hashos_inbox_free(). The event it holds stays valid until the next receive into it. */
typedef struct {
    uint8_t* data;
    uint32_t capacity;
} hashos_inbox;

/* next_message into `inbox`, growing it when the event does not fit. Returns the event's size or
 * a HASHOS_E_* error; the event is then hashos_inbox_event(inbox). */
int32_t hashos_receive(hashos_inbox* inbox, const uint64_t* filter, uint32_t filter_len, uint32_t flags);
static inline const hashos_event* hashos_inbox_event(const hashos_inbox* inbox)
{
    return (const hashos_event*)inbox->data;
}
void hashos_inbox_free(hashos_inbox* inbox);

/* --- Sending ------------------------------------------------------------------------------- */

/* Encodes `request` (of type `request_fields`, NULL for an empty one) after `method` and sends it
 * to `interface_hash`. `flags` are emit_message's; with HASHOS_EMIT_ANSWER_WANTED the message id
 * is written at `out_id`. */
int32_t hashos_send(const uint8_t* interface_hash, uint32_t method, const pb_msgdesc_t* request_fields,
    const void* request, uint32_t flags, uint64_t* out_id);

/* Waits for the answer to `message_id` and decodes it into `response` (of type
 * `response_fields`; both may be NULL to ignore the body). Other events stay queued. */
int32_t hashos_wait(uint64_t message_id, const pb_msgdesc_t* response_fields, void* response);

/* The status of an ANSWER or ERROR_ANSWER event, its response decoded into `response` (of type
 * `response_fields`; both may be NULL), an error answer's text kept for hashos_last_error(). */
int32_t hashos_answer_status(const hashos_event* event, const pb_msgdesc_t* response_fields, void* response);

/* hashos_send with an answer wanted, then hashos_wait. `flags` may add HASHOS_EMIT_WAIT_FOR_HANDLER. */
int32_t hashos_call(const uint8_t* interface_hash, uint32_t method, const pb_msgdesc_t* request_fields,
    const void* request, const pb_msgdesc_t* response_fields, void* response, uint32_t flags);

/* The same functions with hashos-idl's codecs (SERVICE_METHOD_Request_codec, …) in place of
 * nanopb descriptors: a message of scalars is then encoded and decoded by generated straight-line
 * code instead of nanopb's descriptor walk (much faster, the same bytes); others by nanopb. A NULL
 * codec is an empty message, as a NULL descriptor is above. */
int32_t hashos_send_codec(const uint8_t* interface_hash, uint32_t method, const hashos_codec* request_codec,
    const void* request, uint32_t flags, uint64_t* out_id);
int32_t hashos_wait_codec(uint64_t message_id, const hashos_codec* response_codec, void* response);
int32_t hashos_answer_status_codec(const hashos_event* event, const hashos_codec* response_codec, void* response);
int32_t hashos_call_codec(const uint8_t* interface_hash, uint32_t method, const hashos_codec* request_codec,
    const void* request, const hashos_codec* response_codec, void* response, uint32_t flags);

/* hashos_call by the names hashos-idl generates: HASHOS_CALL(hashos_time_Time, MonotonicNow,
 * &request, &response, 0) for the service hashos.time.Time. */
#define HASHOS_CALL(service, method, request, response, flags)                                        \
    hashos_call_inline(service##_hash, service##_METHOD_##method, service##_##method##_Request_codec, \
        (request), service##_##method##_Response_codec, (response), (flags))

/* The largest direct encoding hashos-idl generates (interfaces/tool/direct_codec.cpp), and so the
 * largest body the inline paths below build on the stack: a method's varint and the message. */
#define HASHOS_DIRECT_MAX_SIZE 256u
#define HASHOS_DIRECT_BODY_SIZE (5u + HASHOS_DIRECT_MAX_SIZE)

/* What hashos_call_inline does after next_message when the event is not an answer that fitted
 * its buffer: an error answer, an answer too big (received again, into the thread's inbox), or
 * a failed syscall (`result` < 0). */
int32_t hashos_call_finish(uint64_t message_id, int32_t result, const hashos_event* event,
    const hashos_codec* response_codec, void* response);

/* hashos_call_codec, inlined where it is called with hashos-idl's codec constants (HASHOS_CALL):
 * their direct encoder and decoder are then called straight, not through the codec's pointers,
 * and the answer is read into a buffer on the stack. Other codecs take hashos_call_codec. The
 * same bytes, statuses and hashos_last_error() as hashos_call_codec. (Under the interpreter a
 * call costs far more than in native code: a round trip of bench/ipc made 22 before this.) */
static inline __attribute__((always_inline)) int32_t hashos_call_inline(const uint8_t* interface_hash, uint32_t method,
    const hashos_codec* request_codec, const void* request, const hashos_codec* response_codec, void* response, uint32_t flags)
{
    if (!request_codec || !request_codec->encode || request_codec->max_size > HASHOS_DIRECT_MAX_SIZE || !response_codec
        || !response_codec->decode || response_codec->max_size > HASHOS_DIRECT_MAX_SIZE || !response)
        return hashos_call_codec(interface_hash, method, request_codec, request, response_codec, response, flags);
    uint8_t body[HASHOS_DIRECT_BODY_SIZE];
    uint8_t* end = hashos_codec_put_varint(body, method);
    end += request_codec->encode(request, end);
    uint64_t id = 0;
    int32_t status = hashos_emit_message(interface_hash, body, (uint32_t)(end - body), flags | HASHOS_EMIT_ANSWER_WANTED, &id);
    if (status != HASHOS_OK)
        return status;
    union {
        hashos_event event;
        uint8_t bytes[HASHOS_EVENT_HEADER_SIZE + HASHOS_DIRECT_MAX_SIZE];
    } answer;
    int32_t result = hashos_next_message(&id, 1, answer.bytes, sizeof(answer.bytes), HASHOS_NEXT_BLOCK);
    if (result < 0 || answer.event.kind != HASHOS_EVENT_ANSWER)
        return hashos_call_finish(id, result, &answer.event, response_codec, response);
    return response_codec->decode(answer.bytes + HASHOS_EVENT_HEADER_SIZE, answer.event.body_len, response) ? HASHOS_OK
                                                                                                             : HASHOS_E_DECODE;
}

/* The hashos.Error of the last error answer hashos_wait received (code and text). */
const hashos_Error* hashos_last_error(void);

/* A short name for a status: "ok", "HASHOS_E_NO_HANDLER", "UNAVAILABLE", … */
const char* hashos_status_name(int32_t status);

/* --- Handling ------------------------------------------------------------------------------ */

/* A message received for an interface this process handles. `body` and `body_len` are the
 * request after the method number; they point into the inbox it came from. */
typedef struct {
    uint64_t id;
    uint64_t sender;
    uint8_t interface_hash[HASHOS_INTERFACE_HASH_SIZE];
    bool answer_wanted;
    uint32_t method;
    const uint8_t* body;
    uint32_t body_len;
} hashos_request;

/* Reads a MESSAGE event as a request. HASHOS_E_DECODE when the method number does not decode
 * (the request still names its message, so it can be answered with an error). */
int32_t hashos_request_from_event(const hashos_event* event, hashos_request* request);

/* Decodes the request's body into `out` (of type `fields`). */
int32_t hashos_decode_request(const hashos_request* request, const pb_msgdesc_t* fields, void* out);
int32_t hashos_decode_request_codec(const hashos_request* request, const hashos_codec* codec, void* out);

/* Answers with `response` (of type `fields`; NULL for an empty one). Does nothing when the sender
 * wants no answer. */
int32_t hashos_answer(const hashos_request* request, const pb_msgdesc_t* fields, const void* response);
int32_t hashos_answer_codec(const hashos_request* request, const hashos_codec* codec, const void* response);

/* hashos_decode_request_codec and hashos_answer_codec inlined: a codec with a direct decoder or
 * encoder is called without the SDK function around it (the C++ EventLoop's handlers). */
static inline __attribute__((always_inline)) int32_t hashos_decode_request_inline(const hashos_request* request,
    const hashos_codec* codec, void* out)
{
    if (codec && codec->decode)
        return codec->decode(request->body, request->body_len, out) ? HASHOS_OK : HASHOS_E_DECODE;
    return hashos_decode_request_codec(request, codec, out);
}
static inline __attribute__((always_inline)) int32_t hashos_answer_inline(const hashos_request* request,
    const hashos_codec* codec, const void* response)
{
    if (!request->answer_wanted)
        return HASHOS_OK;
    if (!codec || !codec->encode || codec->max_size > HASHOS_DIRECT_MAX_SIZE)
        return hashos_answer_codec(request, codec, response);
    uint8_t body[HASHOS_DIRECT_MAX_SIZE];
    return hashos_emit_answer(request->id, body, codec->encode(response, body), 0);
}

/* Answers with a hashos.Error: `code` and a line formatted as by hashos_format (cut at 255 bytes). */
int32_t hashos_answer_error(const hashos_request* request, hashos_ErrorCode code, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

/* A handler loop for C programs: each service names an interface and what to do with its
 * messages. hashos_serve registers every interface (hashos.interface.Register), then handles
 * messages until a syscall fails, which it returns. A message for an interface not listed is
 * answered UNIMPLEMENTED; `handle` answers the others (hashos_answer, hashos_answer_error).
 * `sender_exited` (may be NULL) hears of every sender that exits, whichever service it used. */
typedef struct {
    const uint8_t* interface_hash;
    void (*handle)(const hashos_request* request, void* context);
    void (*sender_exited)(uint64_t sender, void* context);
    void* context;
} hashos_service;

int32_t hashos_serve(const hashos_service* services, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif
