// IdMap: a map from message id to a value, for the mailbox's pending and held messages, which
// every message adds and removes. std::unordered_map allocates a node per insert; this keeps the
// values in one open-addressing table (linear probing, deletion by backward shift, so there are
// no tombstones), which allocates only when it grows. Message ids are never 0, so 0 marks a free
// slot. Not thread-safe: its owner locks.
#pragma once

#include "kernel/ids.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hashos::kernel {

template<class Value>
class IdMap {
public:
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    Value* find(MessageId id)
    {
        if (m_slots.empty())
            return nullptr;
        for (size_t i = index_of(id);; i = (i + 1) & mask()) {
            if (m_slots[i].id == id)
                return &m_slots[i].value;
            if (m_slots[i].id.is_null())
                return nullptr;
        }
    }
    bool contains(MessageId id) { return find(id) != nullptr; }

    // Adds `id` (which must not be present) with `value`.
    void insert(MessageId id, Value value)
    {
        if ((m_size + 1) * 2 > m_slots.size())
            grow();
        size_t i = index_of(id);
        while (!m_slots[i].id.is_null())
            i = (i + 1) & mask();
        m_slots[i].id = id;
        m_slots[i].value = std::move(value);
        ++m_size;
    }

    // Removes `id`; false if it was not there. With `out`, the value is moved there first.
    bool erase(MessageId id, Value* out = nullptr)
    {
        if (m_slots.empty())
            return false;
        size_t i = index_of(id);
        while (m_slots[i].id != id) {
            if (m_slots[i].id.is_null())
                return false;
            i = (i + 1) & mask();
        }
        if (out)
            *out = std::move(m_slots[i].value);
        remove_at(i);
        return true;
    }

    // Calls `visit(id, value)` once for each entry, then removes those for which it returned true
    // (afterwards: removing shifts entries, which a single pass could then meet twice).
    template<class Visit>
    void erase_if(Visit visit)
    {
        std::vector<MessageId> doomed;
        for (Slot& slot : m_slots) {
            if (!slot.id.is_null() && visit(slot.id, slot.value))
                doomed.push_back(slot.id);
        }
        for (MessageId id : doomed)
            erase(id);
    }

    void clear()
    {
        m_slots.clear();
        m_size = 0;
    }

private:
    struct Slot {
        MessageId id;
        Value value {};
    };

    size_t mask() const { return m_slots.size() - 1; }
    // Ids are consecutive numbers: Fibonacci hashing spreads them over the table.
    size_t index_of(MessageId id) const { return size_t((id.value() * 0x9E3779B97F4A7C15ull) >> 32) & mask(); }

    void remove_at(size_t hole)
    {
        // Backward shift: move up each following entry that may live at the hole (its home slot
        // is not cyclically between the hole and itself), so that no lookup meets a gap.
        for (size_t next = (hole + 1) & mask(); !m_slots[next].id.is_null(); next = (next + 1) & mask()) {
            size_t home = index_of(m_slots[next].id);
            bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
            if (stays)
                continue;
            m_slots[hole] = std::move(m_slots[next]);
            hole = next;
        }
        m_slots[hole].id = MessageId();
        m_slots[hole].value = Value {};
        --m_size;
    }

    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots = std::vector<Slot>(old.empty() ? 8 : old.size() * 2);
        m_size = 0;
        for (Slot& slot : old) {
            if (!slot.id.is_null())
                insert(slot.id, std::move(slot.value));
        }
    }

    std::vector<Slot> m_slots; // a power of two in size, at most half full
    size_t m_size = 0;
};

} // namespace hashos::kernel
