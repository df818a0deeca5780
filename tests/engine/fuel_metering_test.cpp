// FuelMetering (engine/store.h): the same code compiled with and without fuel accounting computes
// the same result; only metered code stops OutOfFuel. bench/engine measures what metering costs.
#include "engine/instance.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;

namespace {

Function* instantiate_checksum(Store& store)
{
    std::ifstream stream(std::string(HASHOS_TEST_WASM_DIR) + "/resumable_checksum.wasm", std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto module = decode(bytes);
    EXPECT_FALSE(module.is_error());
    auto valid = validate(std::move(module.value()));
    EXPECT_FALSE(valid.is_error());
    auto instance = store.instantiate(valid.value(), {});
    EXPECT_FALSE(instance.is_error());
    auto found = instance.value()->find_export("checksum");
    return found && found->kind == ExternKind::Function ? found->function : nullptr;
}

// Runs checksum(n) in slices of `slice` fuel; returns the result and counts the slices.
uint64_t run_sliced(Thread& thread, Function* function, uint32_t n, uint64_t slice, int& slices)
{
    Value args[] = { Value::from_u32(n) };
    EXPECT_FALSE(thread.start(function, args).is_error());
    slices = 1;
    RunState state = thread.run(slice);
    while (state == RunState::OutOfFuel) {
        ++slices;
        state = thread.run(slice);
    }
    EXPECT_EQ(state, RunState::Finished);
    return thread.results().empty() ? 0 : thread.results()[0].u64();
}

} // namespace

TEST(FuelMetering, OffGivesTheSameResultWithoutStopping)
{
    Store metered_store;
    Function* metered = instantiate_checksum(metered_store);
    Store unmetered_store;
    unmetered_store.set_fuel_metering(FuelMetering::Off);
    Function* unmetered = instantiate_checksum(unmetered_store);
    ASSERT_TRUE(metered && unmetered);

    Thread metered_thread(metered_store);
    Thread unmetered_thread(unmetered_store);
    int metered_slices = 0, unmetered_slices = 0;
    uint64_t expected = run_sliced(metered_thread, metered, 100'000, 1'000, metered_slices);
    EXPECT_EQ(run_sliced(unmetered_thread, unmetered, 100'000, 1'000, unmetered_slices), expected);
    EXPECT_GT(metered_slices, 100);
    EXPECT_EQ(unmetered_slices, 1);
    EXPECT_EQ(unmetered_thread.fuel_consumed(), 0u);
}
