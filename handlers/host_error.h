// Error answers for the interfaces over the host's system calls (files, tcp, udp): an errno(3)
// value becomes a hashos.Error whose `code` says the kind of failure and whose `posix_error`
// keeps the errno itself (interfaces/error.proto), so a POSIX or WASI layer can be exact.
// Plain functions: use them from any thread.
#pragma once

#include "kernel/messages.h"

#include <string_view>

namespace hashos::handlers {

// The hashos.Error code for an errno value (files.proto's table).
kernel::ErrorCode error_code_for_errno(int error);

// "open index.html: No such file or directory": `what` then strerror, with the errno kept.
kernel::Answer errno_answer(int error, std::string_view what);
// An error answer with an explicit code and errno (0: none).
kernel::Answer host_error(kernel::ErrorCode code, int error, std::string_view message);

} // namespace hashos::handlers
