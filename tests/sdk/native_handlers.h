// Native handlers of `log` and `time` for the SDK's tests and bench/ipc, registered through
// kernel/handler.h until handlers/ has the real ones: the log keeps its lines for the test to
// read, the time reads std::chrono::steady_clock / system_clock and answers sleeps at once.
// Threads: any (a mutex guards the lines).
#pragma once

#include "kernel/kernel.h"

#include <mutex>
#include <string>
#include <vector>

namespace hashos::sdk_testing {

class TestLog final : public kernel::Handler {
public:
    kernel::Delivery deliver(kernel::Message&& message) override;
    std::string description() const override { return "test log"; }
    std::vector<std::string> lines() const;

private:
    mutable std::mutex m_lock;
    std::vector<std::string> m_lines;
};

class TestTime final : public kernel::Handler {
public:
    kernel::Delivery deliver(kernel::Message&& message) override;
    std::string description() const override { return "test time"; }
};

// A kernel configured as `hashos run` will: the real hash of `interface`, every interface allowed,
// and the two handlers above registered.
struct TestKernel {
    explicit TestKernel(size_t workers = 2);
    std::shared_ptr<TestLog> log = std::make_shared<TestLog>();
    std::shared_ptr<TestTime> time = std::make_shared<TestTime>();
    kernel::Kernel kernel;
};

// The bytes of a .wasm file.
std::vector<uint8_t> read_file(const std::string& path);

} // namespace hashos::sdk_testing
