// hashos::EventLoop (include/hashos/hashos.hpp): one next_message loop that hands each incoming
// message to its handler and each answer to the coroutine waiting for it.
#include "hashos/hashos.hpp"

namespace hashos {

static EventLoop* g_current = nullptr;

// Two interface hashes compared as four words, inline: a call to memcmp costs more than the
// compare under the interpreter, and dispatch does one per served method.
static inline bool same_hash(const uint8_t* a, const uint8_t* b)
{
    uint64_t x[4];
    uint64_t y[4];
    __builtin_memcpy(x, a, sizeof(x));
    __builtin_memcpy(y, b, sizeof(y));
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

EventLoop::EventLoop() { g_current = this; }

EventLoop::~EventLoop()
{
    while (m_handlers) {
        detail::HandlerBase* next = m_handlers->next;
        delete m_handlers;
        m_handlers = next;
    }
    hashos_inbox_free(&m_inbox);
    if (g_current == this)
        g_current = nullptr;
}

EventLoop& EventLoop::current()
{
    // Awaiting a call with no loop to deliver its answer would wait forever: fail loudly.
    if (!g_current)
        __builtin_trap();
    return *g_current;
}

void EventLoop::add(detail::HandlerBase* handler)
{
    handler->next = m_handlers;
    m_handlers = handler;
}

void EventLoop::wait_for(detail::PendingCall* call)
{
    call->next = m_pending;
    m_pending = call;
}

void EventLoop::stop(int32_t exit_code)
{
    m_exit_code = exit_code;
    m_stopped = true;
}

int32_t EventLoop::run()
{
    // Each interface once, however many of its methods are served.
    for (detail::HandlerBase* handler = m_handlers; handler; handler = handler->next) {
        bool seen = false;
        for (detail::HandlerBase* earlier = m_handlers; earlier != handler; earlier = earlier->next)
            seen = seen || memcmp(earlier->interface_hash, handler->interface_hash, HASHOS_INTERFACE_HASH_SIZE) == 0;
        if (seen)
            continue;
        int32_t status = hashos_interface_register(handler->interface_hash);
        if (status != HASHOS_OK)
            return status;
    }
    while (!m_stopped && (m_handlers || m_pending)) {
        // hashos_receive's common case inline: the inbox is big enough (it grows when it is not).
        int32_t result = m_inbox.capacity ? hashos_next_message(nullptr, 0, m_inbox.data, m_inbox.capacity, HASHOS_NEXT_BLOCK)
                                          : HASHOS_E_BUFFER_TOO_SMALL;
        if (result == HASHOS_E_BUFFER_TOO_SMALL)
            result = hashos_receive(&m_inbox, nullptr, 0, HASHOS_NEXT_BLOCK);
        if (result < 0)
            return result;
        const hashos_event& event = *hashos_inbox_event(&m_inbox);
        if (event.kind == HASHOS_EVENT_MESSAGE)
            dispatch(event);
        else if (event.kind == HASHOS_EVENT_ANSWER || event.kind == HASHOS_EVENT_ERROR_ANSWER)
            answered(event);
    }
    return m_exit_code;
}

// hashos_request_from_event, inline: it runs for every message.
static inline bool request_from_event(const hashos_event& event, hashos_request& request)
{
    request.id = event.message_id;
    request.sender = event.sender;
    __builtin_memcpy(request.interface_hash, event.interface_hash, HASHOS_INTERFACE_HASH_SIZE);
    request.answer_wanted = (event.flags & HASHOS_EVENT_ANSWER_WANTED) != 0;
    const uint8_t* body = reinterpret_cast<const uint8_t*>(&event + 1);
    const uint8_t* end = body + event.body_len;
    uint64_t method = 0;
    const uint8_t* rest = hashos_codec_get_varint(body, end, &method);
    if (!rest || method == 0 || method > UINT32_MAX) {
        request.method = 0;
        request.body = body;
        request.body_len = 0;
        return false;
    }
    request.method = uint32_t(method);
    request.body = rest;
    request.body_len = uint32_t(end - rest);
    return true;
}

void EventLoop::dispatch(const hashos_event& event)
{
    hashos_request request;
    if (!request_from_event(event, request)) {
        hashos_answer_error(&request, hashos_ErrorCode_ERROR_CODE_INVALID_ARGUMENT, "no method number");
        return;
    }
    bool known_interface = false;
    for (detail::HandlerBase* handler = m_handlers; handler; handler = handler->next) {
        if (!same_hash(handler->interface_hash, request.interface_hash))
            continue;
        known_interface = true;
        if (handler->method == request.method) {
            handler->dispatch(request);
            return;
        }
    }
    hashos_answer_error(&request, hashos_ErrorCode_ERROR_CODE_UNIMPLEMENTED,
        known_interface ? "unknown method %u" : "interface not served (method %u)", request.method);
}

void EventLoop::answered(const hashos_event& event)
{
    detail::PendingCall** link = &m_pending;
    while (*link && (*link)->id != event.message_id)
        link = &(*link)->next;
    detail::PendingCall* call = *link;
    if (!call)
        return; // a Call that was never awaited: nobody wants its answer
    *link = call->next;
    call->status = hashos_answer_status_codec(&event, call->response_codec, call->response);
    call->waiter.resume();
}

} // namespace hashos
