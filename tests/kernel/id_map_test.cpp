// IdMap (kernel/id_map.h): the mailbox's table of pending and held messages. Checked against
// std::map through inserts and erasures that wrap around the table and shift entries back.
#include "kernel/id_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

using namespace hashos::kernel;

TEST(IdMap, FindsWhatWasInsertedAndForgetsWhatWasErased)
{
    IdMap<int> map;
    EXPECT_EQ(map.find(MessageId(1)), nullptr);
    EXPECT_FALSE(map.erase(MessageId(1)));
    map.insert(MessageId(1), 10);
    map.insert(MessageId(2), 20);
    ASSERT_NE(map.find(MessageId(1)), nullptr);
    EXPECT_EQ(*map.find(MessageId(2)), 20);
    int taken = 0;
    EXPECT_TRUE(map.erase(MessageId(1), &taken));
    EXPECT_EQ(taken, 10);
    EXPECT_FALSE(map.contains(MessageId(1)));
    EXPECT_TRUE(map.contains(MessageId(2)));
    EXPECT_EQ(map.size(), 1u);
}

TEST(IdMap, AgreesWithStdMapThroughManyInsertsAndErasures)
{
    IdMap<uint64_t> map;
    std::map<uint64_t, uint64_t> reference;
    std::mt19937_64 random(7);
    uint64_t next_id = 1;
    for (int step = 0; step < 20000; ++step) {
        // Mostly consecutive ids, as the kernel hands them out, some far apart.
        if (reference.size() < 300 && random() % 3 != 0) {
            uint64_t id = random() % 8 == 0 ? next_id + random() % 100000 : next_id;
            next_id = id + 1;
            map.insert(MessageId(id), id * 3);
            reference[id] = id * 3;
        } else if (!reference.empty()) {
            auto it = reference.begin();
            std::advance(it, random() % reference.size());
            uint64_t value = 0;
            ASSERT_TRUE(map.erase(MessageId(it->first), &value));
            EXPECT_EQ(value, it->second);
            reference.erase(it);
        }
        ASSERT_EQ(map.size(), reference.size());
    }
    for (auto [id, value] : reference) {
        ASSERT_NE(map.find(MessageId(id)), nullptr) << id;
        EXPECT_EQ(*map.find(MessageId(id)), value);
    }
    size_t visited = 0;
    map.erase_if([&](MessageId id, uint64_t& value) {
        ++visited;
        EXPECT_EQ(reference.at(id.value()), value);
        return id.value() % 2 == 0;
    });
    EXPECT_EQ(visited, reference.size());
    for (auto [id, value] : reference)
        EXPECT_EQ(map.contains(MessageId(id)), id % 2 != 0) << id;
}
