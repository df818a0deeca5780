#include "wasi/provider.h"

#include "kernel/process.h"
#include "kernel/thread.h"
#include "wasi/functions.h"

namespace hashos::wasi {

namespace {

wasm::FuncType type_of(std::string_view params, bool returns_errno)
{
    wasm::FuncType type;
    for (char param : params)
        type.params.push_back(param == 'I' ? wasm::ValType::I64 : wasm::ValType::I32);
    if (returns_errno)
        type.results.push_back(wasm::ValType::I32);
    return type;
}

// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#proc_exit: terminates the
// process with the exit code; it never returns. Output already written has been answered (every
// fd_write waits for its answer), so none is lost.
wasm::HostOutcome proc_exit(wasm::HostCall& call)
{
    kernel::Thread* thread = kernel::Thread::current();
    if (!thread) {
        call.trap_message = "proc_exit called from outside the scheduler";
        return wasm::HostOutcome::Trap;
    }
    thread->suspend_for_exit(call.args[0].i32());
    return wasm::HostOutcome::Suspend;
}

class WasiImports final : public kernel::ProcessImports {
public:
    explicit WasiImports(kernel::Process& process)
        : m_process(process)
        , m_wasi(std::make_shared<WasiProcess>(process))
    {
    }

    Result<wasm::Function*> make_import(std::string_view name, const wasm::FuncType& type) override
    {
        auto fail = [&](std::string_view why) {
            return Error(std::string(why) + " import wasi_snapshot_preview1." + std::string(name));
        };
        if (name == "proc_exit") {
            if (type != type_of("i", false))
                return fail("wrong type for");
            return m_process.store().create_host_function(type, proc_exit);
        }
        for (auto group : { basic_functions(), fd_functions(), path_functions(), poll_functions() }) {
            for (const FunctionEntry& entry : group) {
                if (entry.name != name)
                    continue;
                if (type != type_of(entry.params, true))
                    return fail("wrong type for");
                // The state lives as long as the host functions, that is, the process's Store.
                return m_process.store().create_host_function(type,
                    [wasi = m_wasi, function = entry.function](wasm::HostCall& call) {
                        if (!kernel::Thread::current()) {
                            call.trap_message = "a WASI function called from outside the scheduler";
                            return wasm::HostOutcome::Trap;
                        }
                        WasiProcess::Outcome outcome = function(*wasi, call.args);
                        if (!outcome)
                            return wasm::HostOutcome::Suspend;
                        call.results[0] = wasm::Value::from_i32(*outcome);
                        return wasm::HostOutcome::Return;
                    });
            }
        }
        return fail("unknown");
    }

private:
    kernel::Process& m_process;
    std::shared_ptr<WasiProcess> m_wasi;
};

} // namespace

Result<std::unique_ptr<kernel::ProcessImports>> WasiProvider::bind(kernel::Process& process)
{
    return std::unique_ptr<kernel::ProcessImports>(std::make_unique<WasiImports>(process));
}

} // namespace hashos::wasi
