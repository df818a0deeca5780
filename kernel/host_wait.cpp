#include "kernel/host_wait.h"

#include "kernel/process.h"

#include <limits>

namespace hashos::kernel {

namespace {

// Takes the first answer to one of `filter`, or registers `thread` to be woken for it. The whole
// event is taken whatever its size: it goes to C++, not into guest memory.
std::optional<Event> take_answer(Thread& thread, std::span<const MessageId> filter)
{
    TakeResult taken = thread.process().mailbox().take(filter, std::numeric_limits<uint32_t>::max(), Wait::Yes, &thread);
    if (taken.status != Taken::Event)
        return std::nullopt;
    return std::move(taken.event);
}

} // namespace

std::optional<int32_t> await_answers(Thread& thread, std::vector<MessageId> ids, AnswerContinuation then)
{
    if (auto answer = take_answer(thread, ids))
        return then(std::move(*answer));
    thread.suspend_for_answers({ std::move(ids), std::move(then) });
    return std::nullopt;
}

bool retry_host_wait(Thread& thread)
{
    auto answer = take_answer(thread, thread.answer_wait().filter);
    if (!answer)
        return false;
    // The continuation may await again, which replaces the wait: move it out first.
    Thread::AnswerWait wait = std::move(thread.answer_wait());
    std::optional<int32_t> result = wait.then(std::move(*answer));
    if (!result)
        return false;
    thread.resume(*result);
    return true;
}

} // namespace hashos::kernel
