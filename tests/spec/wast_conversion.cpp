#include "tests/spec/wast_conversion.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace hashos::spec {

namespace fs = std::filesystem;

Result<fs::path> convert_wast(const fs::path& wast, const fs::path& out_dir, const std::string& wast2json)
{
    fs::path json = out_dir / (wast.stem().string() + ".json");
    fs::path diagnostics = out_dir / "wast2json.stderr";

    // The child starts with no signals blocked, whatever this process blocks (see
    // TemporaryDirectory): ^C must still stop wast2json.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t no_signals;
    sigemptyset(&no_signals);
    posix_spawnattr_setsigmask(&attributes, &no_signals);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, diagnostics.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    std::string wast_text = wast.string();
    std::string json_text = json.string();
    std::string tool = wast2json;
    std::string output_flag = "-o";
    char* argv[] = { tool.data(), wast_text.data(), output_flag.data(), json_text.data(), nullptr };

    pid_t pid = 0;
    int spawn_error = posix_spawnp(&pid, tool.c_str(), &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawn_error != 0)
        return Error("cannot run " + tool + ": " + std::strerror(spawn_error));

    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return Error("waitpid: " + std::string(std::strerror(errno)));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::ifstream stream(diagnostics);
        std::stringstream text;
        text << stream.rdbuf();
        return Error(tool + " failed on " + wast_text + ":\n" + text.str());
    }
    return json;
}

} // namespace hashos::spec
