// WasiProcess: the WASI state of one process — its descriptor table (0–2 the `stdio` streams,
// then the preopened roots of `files`, then what it opens), its start-up context once fetched
// from `environment` — and the way its host functions talk to interfaces: call() sends a
// request as the process and continues with the reply, suspending the wasm thread meanwhile
// (kernel/host_wait.h).
//
// Threads: only on the worker that runs the process (host functions and their continuations);
// the process runs one thread at a time, so no lock is needed.
#pragma once

#include "engine/store.h"
#include "kernel/guest_memory.h"
#include "kernel/ids.h"
#include "kernel/messages.h"
#include "wasi/abi.h"

#include <pb.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hashos::kernel {
class Process;
}

namespace hashos::wasi {

// An interface's answer, as a continuation sees it.
struct Reply {
    bool ok = false;
    std::vector<uint8_t> body; // the response (ok) or the hashos.Error (not ok)
    uint32_t code = 0;         // error: the hashos.ErrorCode
    uint32_t posix_error = 0;  // error: the host errno behind it, if the handler said
    // Decodes an ok reply's body into a nanopb struct; false if it does not decode.
    bool decode(const pb_msgdesc_t* fields, void* response) const;
};

struct Descriptor {
    enum class Kind : uint8_t { Input, Output, Error, Directory, File };
    Kind kind = Kind::File;
    uint64_t handle = 0;     // the `files` handle; 0 for a stdio stream or a preopened root
    std::string root;        // a preopened root: its guest path ("/site")
    FileType type = FileType::Unknown;
    uint64_t rights_base = 0;
    uint64_t rights_inheriting = 0;
    uint16_t flags = 0;      // fdflags
    bool described = false;  // a stdio stream: type and rights come from stdio.Describe, once
};

struct Startup {
    std::vector<std::string> arguments; // argv: the program name first
    std::vector<std::string> variables; // "NAME=value"
};

class WasiProcess {
public:
    explicit WasiProcess(kernel::Process& process);

    kernel::Process& process() { return m_process; }
    kernel::GuestMemory memory() const;

    // What the host function returns: its errno now, or a suspension.
    using Outcome = std::optional<int32_t>;
    // The next step with a reply: the errno, or nullopt after calling call() again.
    using Then = std::function<Outcome(Reply&&)>;

    // Sends `method` with `request` (nanopb `fields`) to `interface` and runs `then` with the reply.
    Outcome call(const kernel::InterfaceHash& interface, uint64_t method, const pb_msgdesc_t* fields,
        const void* request, Then then);
    // Sends several requests at once; `then` runs with the first reply and the index of its
    // request; the others are cancelled (poll_oneoff).
    using Request = std::pair<kernel::InterfaceHash, std::vector<uint8_t>>;
    Outcome call_first(std::vector<Request> requests, std::function<Outcome(size_t index, Reply&&)> then);
    // The body of `method` with `request`.
    static std::vector<uint8_t> encode_request(uint64_t method, const pb_msgdesc_t* fields, const void* request);

    // --- Descriptors ---------------------------------------------------------------------------
    // The descriptor `fd`, or null (EBADF).
    Descriptor* find(uint32_t fd);
    // Makes sure the preopened roots are in the table (asks `files` once); then runs `then`.
    Outcome with_roots(std::function<Outcome()> then);
    // The lowest free number from 3 up.
    uint32_t add(Descriptor descriptor);
    void remove(uint32_t fd);
    void renumber(uint32_t from, uint32_t to);
    // Whether the program may use `files` at all without asking the user: a WASI program without
    // --dir sees no files, and starting one must not ask about them.
    bool files_allowed();

    // --- Start-up context ------------------------------------------------------------------------
    Outcome with_startup(std::function<Outcome(const Startup&)> then);

private:
    kernel::Process& m_process;
    std::map<uint32_t, Descriptor> m_descriptors;
    bool m_roots_loaded = false;
    std::optional<Startup> m_startup;
};

// The WASI errno for an error reply: the host errno when the handler gave one, else by its code.
Errno errno_of(const Reply& reply);
// Linux errno → WASI errno.
Errno errno_from_posix(uint32_t posix_error);

constexpr int32_t result(Errno error) { return int32_t(error); }

} // namespace hashos::wasi
