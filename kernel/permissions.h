// Permissions: may program P send messages to interface I? Allow, deny, or ask the user
// (DESIGN.md, "Permissions"). Rules are per program and interface, then per interface (the
// defaults, e.g. log/time/random allowed), then a fallback (ask). "Ask" goes to a pluggable
// PermissionAsker (a terminal prompt in the CLI); without one, asking denies.
//
// Threads: every method may be called from any thread. The asker is called without locks held
// and may answer later from any thread; concurrent questions about one pair are asked once.
// FIXME: an asker must answer before the Permissions object is destroyed (Kernel::shutdown does
// not wait for pending questions yet).
#pragma once

#include "kernel/ids.h"
#include "kernel/spin_lock.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace hashos::kernel {

enum class Decision : uint8_t { Allow, Deny, Ask };
enum class Remember : uint8_t { No, Yes };

class PermissionAsker {
public:
    virtual ~PermissionAsker() = default;
    // Asks whether `program` may use `interface`; calls `answer` exactly once, from any thread,
    // now or later, with Allow or Deny, and whether to remember it for the kernel's lifetime.
    virtual void ask(const ProgramId& program, const InterfaceHash& interface,
        std::function<void(Decision, Remember)> answer) = 0;
};

class Permissions {
public:
    void set(const ProgramId& program, const InterfaceHash& interface, Decision decision);
    void set_default(const InterfaceHash& interface, Decision decision);
    void set_fallback(Decision decision);
    void set_asker(std::shared_ptr<PermissionAsker> asker);

    // The decision as it stands; Ask means the user must be asked (see ask()).
    Decision check(const ProgramId& program, const InterfaceHash& interface) const;

    // Asks the user (once for concurrent questions) and calls `done` with Allow or Deny.
    void ask(const ProgramId& program, const InterfaceHash& interface, std::function<void(Decision)> done);

    // Changes whenever a rule, default, fallback or remembered answer changes (for caches).
    uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }

    // "program bafkrei…: interface 3f2a9c… denied", the reason given to the program.
    static std::string denial_reason(const ProgramId& program, const InterfaceHash& interface);

private:
    struct Key {
        ProgramId program;
        InterfaceHash interface;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& key) const
        {
            return std::hash<ProgramId> {}(key.program) ^ (std::hash<InterfaceHash> {}(key.interface) * 31);
        }
    };
    void answered(const Key& key, Decision decision, Remember remember);

    mutable std::mutex m_lock;
    std::unordered_map<Key, Decision, KeyHash> m_rules;
    std::unordered_map<InterfaceHash, Decision> m_defaults;
    Decision m_fallback = Decision::Ask;
    std::shared_ptr<PermissionAsker> m_asker;
    std::unordered_map<Key, std::vector<std::function<void(Decision)>>, KeyHash> m_asking;
    std::atomic<uint64_t> m_generation { 1 };
};

// A process's memory of Permissions::check, so that a message does not pay for a mutex and two
// string-keyed lookups; any change to the permissions empties it. Ask is never cached.
// Threads: any; the threads of a process may send at once, so it takes a spin lock (free, an
// exchange and a store), never held while Permissions is asked.
class PermissionCache {
public:
    Decision check(const Permissions& permissions, const ProgramId& program, const InterfaceHash& interface);

private:
    SpinLock m_lock;
    uint64_t m_generation = 0;
    std::unordered_map<InterfaceHash, Decision> m_decisions;
    // The last decision taken from m_decisions: a program mostly sends to one interface at a
    // time, and this spares the hash table on every message (bench/ipc).
    bool m_has_last = false;
    InterfaceHash m_last_interface;
    Decision m_last_decision = Decision::Deny;
};

} // namespace hashos::kernel
