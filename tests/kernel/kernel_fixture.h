// Shared by the kernel tests: the interface hashes the test programs use
// (tests/kernel/programs/common.h has the same bytes) and loading those programs.
#pragma once

#include "kernel/kernel.h"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace hashos::kernel::testing {

inline InterfaceHash filled_hash(uint8_t byte)
{
    InterfaceHash::Bytes bytes;
    bytes.fill(byte);
    return InterfaceHash(bytes);
}

inline const InterfaceHash k_interface_interface = filled_hash(0x11);
inline const InterfaceHash k_ping_interface = filled_hash(0x22);
inline const InterfaceHash k_denied_interface = filled_hash(0x33);
inline const InterfaceHash k_unhandled_interface = filled_hash(0x44);
inline const InterfaceHash k_trap_interface = filled_hash(0x55);
inline const InterfaceHash k_observer_interface = filled_hash(0x66);
inline const InterfaceHash k_thread_interface = filled_hash(0x77); // tests/kernel/programs/threads_*.wat

// The bytes of tests/kernel/programs/NAME.c as built (HASHOS_KERNEL_TEST_WASM_DIR/NAME.wasm).
inline std::vector<uint8_t> program(const std::string& name)
{
    std::ifstream stream(std::string(HASHOS_KERNEL_TEST_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
    return { std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>() };
}

inline KernelConfig test_config(size_t workers = 2)
{
    KernelConfig config;
    config.interface_interface = k_interface_interface;
    config.thread_interface = k_thread_interface;
    config.scheduler.workers = workers;
    return config;
}

} // namespace hashos::kernel::testing
