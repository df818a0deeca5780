// ProcessManager: the kernel-native handler of `process` (interfaces/process.proto), and the
// table of the processes it started, which the CLI uses too.
//   Spawn: asks whoever handles `loader` for the program's bytes (a message like any other, so a
//          wasm loader can replace the native one), then spawns it in the kernel, as a child of
//          the sender. Its permissions follow its own CID.
//   Wait:  answers when a child ends (at once if it has); a status is collected once, and is
//          forgotten when the parent ends.
//   List:  the running processes it started, in order of id.
// It also names senders for the log handler: "hello" for a process it started, else
// "process 12".
//
// Threads: every method from any thread except name_of(…, NameWait::Yes), which may wait briefly
// for a spawn in progress and so must not run on a kernel worker (the log handler calls it from
// the event loop); List waits the same way, on the event loop's blocking pool. Loading and spawning run on the event loop's blocking pool; answers come from there or
// from the io thread (exits).
#pragma once

#include "handlers/event_loop.h"
#include "handlers/exit_watcher.h"
#include "handlers/log.h"
#include "kernel/kernel.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hashos::handlers {

struct SpawnSpec {
    std::string cid;  // the program's CID, as text
    std::string name; // what humans see; empty: the CID, shortened
    std::vector<std::string> arguments;
    kernel::SenderId parent; // 0: the embedder
    // The program's bytes when the caller has them already: the loader is not asked. For
    // starting a wasm loader itself, which cannot load its own bytes.
    std::optional<std::vector<uint8_t>> program;
    // Environment variables, "NAME=value" each (the `environment` interface gives them back).
    std::vector<std::string> environment;
};

class ProcessManager final : public kernel::Handler, public std::enable_shared_from_this<ProcessManager> {
public:
    using AnswerCallback = std::function<void(kernel::Answer)>;

    struct Config {
        kernel::InterfaceHash loader_interface;
        // Processes started by this manager and still running, or starting, at once.
        size_t max_processes = 4096;
    };

    ProcessManager(kernel::Kernel& kernel, EventLoop& loop, Config config);

    kernel::Delivery deliver(kernel::Message&& message) override;
    void cancel(kernel::MessageId id) override;
    void sender_exited(kernel::SenderId sender) override;
    std::string description() const override { return "the kernel's process handler"; }

    // The methods for native callers: `done` receives what a message would, a SpawnResponse or
    // WaitResponse (or an error answer), on whichever thread finishes the work.
    void spawn(SpawnSpec spec, AnswerCallback done);
    void wait(kernel::SenderId waiter, kernel::ProcessId process, AnswerCallback done);

    // The LogHandler's NameLookup (handlers/log.h).
    std::optional<std::string> name_of(kernel::SenderId sender, NameWait wait) const;

    // What a process it started was given, for the `environment` handler (handlers/environment.h):
    // nullopt for a sender it did not start, or, with NameWait::No, one still being entered.
    struct StartupContext {
        std::string program_name; // the name given to start(), else the CID
        std::vector<std::string> arguments;
        std::vector<std::string> environment;
    };
    std::optional<StartupContext> startup_context(kernel::SenderId sender, NameWait wait) const;

    // The program (its canonical CID) a process it started runs, for handlers whose grants are
    // per program (handlers/files.h): nullopt for a sender it did not start.
    std::optional<kernel::ProgramId> program_of(kernel::SenderId sender, NameWait wait) const;

private:
    struct Waiter {
        kernel::SenderId sender;
        kernel::MessageId message; // 0 for native callers
        AnswerCallback done;
    };
    struct Entry {
        std::string cid;
        std::string name;
        kernel::SenderId parent;
        StartupContext startup; // read by the `environment` handler
        std::optional<kernel::ExitStatus> status;
        bool parent_gone = false;
        std::vector<Waiter> waiters;
    };

    void handle(kernel::Message message);
    void add_waiter(kernel::ProcessId process, Waiter waiter);
    void start(const std::string& cid, const SpawnSpec& spec, std::span<const uint8_t> program, AnswerCallback done);
    void ended(kernel::ProcessId process, const kernel::ExitStatus& status);
    void release_slot();
    kernel::Answer list() const;
    // The entry of `process`, waiting up to a second (NameWait::Yes) for a spawn still inside the
    // kernel to enter it; nullptr if there is none. `lock` holds m_lock.
    const Entry* entry_of(kernel::ProcessId process, NameWait wait, std::unique_lock<std::mutex>& lock) const;

    kernel::Kernel& m_kernel;
    EventLoop& m_loop;
    Config m_config;
    std::shared_ptr<ExitWatcher> m_watcher;

    mutable std::mutex m_lock;
    // Signalled when a kernel spawn finishes, for name_of.
    mutable std::condition_variable m_spawned;
    std::map<kernel::ProcessId, Entry> m_entries;
    size_t m_running = 0;  // entries without a status
    size_t m_starting = 0; // spawns accepted and not finished
    size_t m_in_kernel = 0; // of those, inside Kernel::spawn (their process may already run)
};

} // namespace hashos::handlers
