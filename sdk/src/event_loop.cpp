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
        int32_t result = hashos_receive(&m_inbox, nullptr, 0, HASHOS_NEXT_BLOCK);
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

void EventLoop::dispatch(const hashos_event& event)
{
    hashos_request request;
    if (hashos_request_from_event(&event, &request) != HASHOS_OK) {
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
