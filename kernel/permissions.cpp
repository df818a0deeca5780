#include "kernel/permissions.h"

#include <cstring>

namespace hashos::kernel {

void Permissions::set(const ProgramId& program, const InterfaceHash& interface, Decision decision)
{
    std::lock_guard lock(m_lock);
    m_rules[Key { program, interface }] = decision;
    m_generation.fetch_add(1, std::memory_order_release);
}

void Permissions::set_default(const InterfaceHash& interface, Decision decision)
{
    std::lock_guard lock(m_lock);
    m_defaults[interface] = decision;
    m_generation.fetch_add(1, std::memory_order_release);
}

void Permissions::set_fallback(Decision decision)
{
    std::lock_guard lock(m_lock);
    m_fallback = decision;
    m_generation.fetch_add(1, std::memory_order_release);
}

void Permissions::set_asker(std::shared_ptr<PermissionAsker> asker)
{
    std::lock_guard lock(m_lock);
    m_asker = std::move(asker);
}

Decision Permissions::check(const ProgramId& program, const InterfaceHash& interface) const
{
    std::lock_guard lock(m_lock);
    if (auto rule = m_rules.find(Key { program, interface }); rule != m_rules.end())
        return rule->second;
    if (auto rule = m_defaults.find(interface); rule != m_defaults.end())
        return rule->second;
    return m_fallback;
}

void Permissions::ask(const ProgramId& program, const InterfaceHash& interface, std::function<void(Decision)> done)
{
    Key key { program, interface };
    std::shared_ptr<PermissionAsker> asker;
    {
        std::lock_guard lock(m_lock);
        auto& waiting = m_asking[key];
        waiting.push_back(std::move(done));
        if (waiting.size() > 1)
            return; // the question is already on the user's screen
        asker = m_asker;
    }
    if (!asker) {
        answered(key, Decision::Deny, Remember::No);
        return;
    }
    asker->ask(program, interface, [this, key](Decision decision, Remember remember) {
        answered(key, decision == Decision::Allow ? Decision::Allow : Decision::Deny, remember);
    });
}

void Permissions::answered(const Key& key, Decision decision, Remember remember)
{
    std::vector<std::function<void(Decision)>> waiting;
    {
        std::lock_guard lock(m_lock);
        if (remember == Remember::Yes) {
            m_rules[key] = decision;
            m_generation.fetch_add(1, std::memory_order_release);
        }
        auto it = m_asking.find(key);
        if (it != m_asking.end()) {
            waiting = std::move(it->second);
            m_asking.erase(it);
        }
    }
    for (auto& done : waiting)
        done(decision);
}

namespace {

// Four word compares inline: operator== calls memcmp, which costs more than the compare here.
bool same_interface(const InterfaceHash& a, const InterfaceHash& b)
{
    uint64_t x[4];
    uint64_t y[4];
    std::memcpy(x, a.bytes().data(), sizeof(x));
    std::memcpy(y, b.bytes().data(), sizeof(y));
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

} // namespace

Decision PermissionCache::check(const Permissions& permissions, const ProgramId& program, const InterfaceHash& interface)
{
    uint64_t generation = permissions.generation();
    {
        std::lock_guard lock(m_lock);
        if (generation != m_generation) {
            m_decisions.clear();
            m_has_last = false;
            m_generation = generation;
        }
        if (m_has_last && same_interface(m_last_interface, interface))
            return m_last_decision;
        if (auto cached = m_decisions.find(interface); cached != m_decisions.end()) {
            m_has_last = true;
            m_last_interface = interface;
            m_last_decision = cached->second;
            return cached->second;
        }
    }
    Decision decision = permissions.check(program, interface);
    if (decision == Decision::Ask)
        return decision;
    std::lock_guard lock(m_lock);
    // Kept only if the rules have not changed meanwhile (the next check would drop it anyway).
    if (m_generation == generation)
        m_decisions.emplace(interface, decision);
    return decision;
}

std::string Permissions::denial_reason(const ProgramId& program, const InterfaceHash& interface)
{
    return "program " + program.text() + ": interface " + interface.short_hex() + " denied";
}

} // namespace hashos::kernel
