#include "tests/spec/wast_conversion.h"

#include <cerrno>
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

Result<TemporaryDirectory> TemporaryDirectory::create(const char* prefix)
{
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data()))
        return Error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    return TemporaryDirectory(fs::path(buffer.data()));
}

TemporaryDirectory::TemporaryDirectory(TemporaryDirectory&& other) noexcept
    : m_path(std::move(other.m_path))
{
    other.m_path.clear();
}

TemporaryDirectory::~TemporaryDirectory()
{
    if (m_path.empty())
        return;
    std::error_code ignored; // a leftover temporary directory is not worth failing a test run
    fs::remove_all(m_path, ignored);
}

Result<fs::path> convert_wast(const fs::path& wast, const fs::path& out_dir, const std::string& wast2json)
{
    fs::path json = out_dir / (wast.stem().string() + ".json");
    fs::path diagnostics = out_dir / "wast2json.stderr";

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
    int spawn_error = posix_spawnp(&pid, tool.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
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
