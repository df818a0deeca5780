// How a process ended. A plain value.
#pragma once

#include <cstdint>
#include <string>

namespace hashos::kernel {

struct ExitStatus {
    enum class Kind : uint8_t {
        Exited,  // its entry returned or it called exit(code)
        Trapped, // one of its threads trapped; `message` says why
        Killed,  // the kernel ended it (kill, shutdown); `message` says why
    };
    Kind kind = Kind::Exited;
    int32_t code = 0;     // Exited: the exit code
    std::string message;  // Trapped, Killed: one line with the facts

    static ExitStatus exited(int32_t code) { return { Kind::Exited, code, {} }; }
    static ExitStatus trapped(std::string message) { return { Kind::Trapped, 0, std::move(message) }; }
    static ExitStatus killed(std::string message) { return { Kind::Killed, 0, std::move(message) }; }
};

} // namespace hashos::kernel
