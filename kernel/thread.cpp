#include "kernel/thread.h"

#include "kernel/process.h"

namespace hashos::kernel {

namespace {
thread_local Thread* t_current = nullptr;
}

Thread::Thread(Process& process, Phase phase, wasm::ThreadLimits limits)
    : m_process(process)
    , m_engine(process.store(), limits)
    , m_phase(phase)
{
}

void Thread::resume(int32_t result)
{
    m_suspension = Suspension::None;
    wasm::Value value = wasm::Value::from_i32(result);
    m_engine.resume_host_call({ &value, 1 });
}

Thread* Thread::current() { return t_current; }
void Thread::set_current(Thread* thread) { t_current = thread; }

} // namespace hashos::kernel
