// Booting the kernel for `hashos run` and `hashos boot`: the block store and the peers of the
// data directory (cli/data_dir.h, cli/config.h), the user's permission rules
// (cli/permissions_config.h), a terminal to ask on when there is one, and the native handlers
// (handlers/system.h). Also turning a FILE into a CID by adding it to the store.
#pragma once

#include "base/result.h"
#include "cli/terminal_asker.h"
#include "handlers/system.h"
#include "store/cid.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace hashos::cli {

// A booted system and its terminal asker, taken down in the order they need: the asker answers
// what it was still asking before the kernel goes.
class BootedSystem {
public:
    BootedSystem(std::shared_ptr<TerminalAsker> asker, std::unique_ptr<handlers::System> system)
        : m_asker(std::move(asker))
        , m_system(std::move(system))
    {
    }
    ~BootedSystem() { shutdown(); }
    BootedSystem(const BootedSystem&) = delete;
    BootedSystem& operator=(const BootedSystem&) = delete;

    handlers::System& operator*() { return *m_system; }
    handlers::System* operator->() { return m_system.get(); }

    // Idempotent. After it, every log line the programs sent has been written.
    void shutdown()
    {
        if (m_asker)
            m_asker->close();
        m_system->shutdown();
    }

private:
    std::shared_ptr<TerminalAsker> m_asker;
    std::unique_ptr<handlers::System> m_system;
};

// `first_peers` (from --peer) are tried before the config's peers when the loader fetches.
Result<std::unique_ptr<BootedSystem>> boot_system(std::vector<handlers::HandlerAssignment> assignments,
    const std::vector<std::string>& first_peers = {});

// This run only: `program` may (`allowed`) or may not (`denied`) use these interfaces, whatever
// the permissions file says.
void override_permissions(handlers::System& system, const kernel::ProgramId& program,
    const std::vector<kernel::InterfaceHash>& allowed, const std::vector<kernel::InterfaceHash>& denied);

// Interfaces as the user named them (handlers/known_interfaces.h).
Result<std::vector<kernel::InterfaceHash>> parse_interfaces(const std::vector<std::string>& names);

// Adds the file to the block store and pins it, as `hashos add` does.
Result<store::Cid> add_file(const std::filesystem::path& path);

// The exit code of `hashos run` and `hashos boot` for a program that trapped or was killed
// (as a native program that aborts), and for one that could not be started at all.
constexpr int k_exit_abnormal = 134;
constexpr int k_exit_not_started = 125;

} // namespace hashos::cli
