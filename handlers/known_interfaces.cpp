#include "handlers/known_interfaces.h"

#include "environment.interface.h"
#include "files.interface.h"
#include "interface.interface.h"
#include "loader.interface.h"
#include "log.interface.h"
#include "process.interface.h"
#include "random.interface.h"
#include "stdio.interface.h"
#include "tcp.interface.h"
#include "thread.interface.h"
#include "time.interface.h"
#include "udp.interface.h"

#include <array>
#include <optional>

namespace hashos::handlers {

namespace {

#define HASHOS_KNOWN_INTERFACE(id, prefix)                                                   \
    KnownInterface                                                                          \
    {                                                                                       \
        Shipped::id, prefix##_NAME, prefix##_FULL_NAME, prefix##_HASH_HEX,                  \
            kernel::InterfaceHash(kernel::InterfaceHash::Bytes(prefix##_HASH_BYTES))        \
    }

// In the order of their names, which is also the order of Shipped.
constexpr std::array<KnownInterface, 12> k_known = {
    HASHOS_KNOWN_INTERFACE(Environment, hashos_environment_Environment),
    HASHOS_KNOWN_INTERFACE(Files, hashos_files_Files),
    HASHOS_KNOWN_INTERFACE(Interface, hashos_interface_Interface),
    HASHOS_KNOWN_INTERFACE(Loader, hashos_loader_Loader),
    HASHOS_KNOWN_INTERFACE(Log, hashos_log_Log),
    HASHOS_KNOWN_INTERFACE(Process, hashos_process_Process),
    HASHOS_KNOWN_INTERFACE(Random, hashos_random_Random),
    HASHOS_KNOWN_INTERFACE(Stdio, hashos_stdio_Stdio),
    HASHOS_KNOWN_INTERFACE(Tcp, hashos_tcp_Tcp),
    HASHOS_KNOWN_INTERFACE(Thread, hashos_thread_Thread),
    HASHOS_KNOWN_INTERFACE(Time, hashos_time_Time),
    HASHOS_KNOWN_INTERFACE(Udp, hashos_udp_Udp),
};

#undef HASHOS_KNOWN_INTERFACE

constexpr bool indexed_by_shipped()
{
    for (size_t i = 0; i < k_known.size(); ++i) {
        if (size_t(k_known[i].id) != i)
            return false;
    }
    return true;
}
static_assert(indexed_by_shipped());

std::optional<uint8_t> hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return uint8_t(c - '0');
    if (c >= 'a' && c <= 'f')
        return uint8_t(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return uint8_t(c - 'A' + 10);
    return std::nullopt;
}

std::optional<kernel::InterfaceHash> parse_hex(std::string_view text)
{
    if (text.size() != 2 * kernel::InterfaceHash::size)
        return std::nullopt;
    kernel::InterfaceHash::Bytes bytes;
    for (size_t i = 0; i < bytes.size(); ++i) {
        auto high = hex_digit(text[2 * i]);
        auto low = hex_digit(text[2 * i + 1]);
        if (!high || !low)
            return std::nullopt;
        bytes[i] = uint8_t(*high << 4 | *low);
    }
    return kernel::InterfaceHash(bytes);
}

} // namespace

std::string KnownInterface::short_form() const { return std::string(name) + "@" + std::string(hash_hex.substr(0, 12)); }

std::span<const KnownInterface> known_interfaces() { return k_known; }

const KnownInterface& shipped(Shipped id) { return k_known[size_t(id)]; }

const KnownInterface* find_known_interface(const kernel::InterfaceHash& hash)
{
    for (auto const& known : k_known) {
        if (known.hash == hash)
            return &known;
    }
    return nullptr;
}

Result<kernel::InterfaceHash> parse_interface(std::string_view text)
{
    if (auto hash = parse_hex(text))
        return *hash;
    for (auto const& known : k_known) {
        if (text == known.name || text == known.short_form())
            return known.hash;
    }
    return Error("unknown interface '" + std::string(text)
        + "': give a shipped interface's name (see `hashos interfaces`) or an interface hash of 64 hex digits");
}

std::string interface_text(const kernel::InterfaceHash& hash)
{
    if (auto const* known = find_known_interface(hash))
        return known->short_form();
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex;
    for (uint8_t byte : hash.bytes()) {
        hex += k_digits[byte >> 4];
        hex += k_digits[byte & 15];
    }
    return hex;
}

} // namespace hashos::handlers
