// The interfaces hashos ships (interfaces/*.proto), with the hashes the build computed from their
// definitions (the generated NAME.interface.h headers): the one place native code learns them.
// Also how users name an interface on the command line and in configuration files.
// Constant data: use it from any thread.
#pragma once

#include "base/result.h"
#include "kernel/ids.h"

#include <span>
#include <string>
#include <string_view>

namespace hashos::handlers {

enum class Shipped : uint8_t { Environment, Files, Interface, Loader, Log, Process, Random, Stdio, Tcp, Thread, Time, Udp };

struct KnownInterface {
    Shipped id;
    std::string_view name;      // `log`
    std::string_view full_name; // `hashos.log.Log`
    std::string_view hash_hex;  // 64 hex digits
    kernel::InterfaceHash hash;

    // `log@c0c2d43776d9`, the human form (docs/interfaces.md).
    std::string short_form() const;
};

// In the order of their names.
std::span<const KnownInterface> known_interfaces();
const KnownInterface& shipped(Shipped id);
const KnownInterface* find_known_interface(const kernel::InterfaceHash& hash);

// An interface as a user writes it: a shipped interface's name (`tcp`), its short form
// (`log@c0c2d43776d9`), or any interface's 64 hex digits.
Result<kernel::InterfaceHash> parse_interface(std::string_view text);
// The way back: the short form of a shipped interface, else its 64 hex digits.
std::string interface_text(const kernel::InterfaceHash& hash);

} // namespace hashos::handlers
