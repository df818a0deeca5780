// Running the `hashos` binary as users do, for the end-to-end tests: one command to completion in
// a data directory, its exit code and output captured.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace hashos::e2e {

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string read_text(const std::filesystem::path& path)
{
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// A program the build made from programs/, and one it made from tests/e2e/programs.
inline std::string program(const std::string& name) { return std::string(HASHOS_PROGRAMS_DIR) + "/" + name + ".wasm"; }
inline std::string test_program(const std::string& name)
{
    return std::string(HASHOS_E2E_WASM_DIR) + "/e2e_" + name + ".wasm";
}

// Runs `hashos --data-dir DIRECTORY ARGS...` with stdin from /dev/null, its stdout and stderr
// kept in files of DIRECTORY; a run longer than `limit` is a test failure and is killed.
inline Outcome run_hashos(const std::filesystem::path& directory, std::vector<std::string> args,
    std::chrono::seconds limit = std::chrono::seconds(60))
{
    args.insert(args.begin(), { HASHOS_BINARY, "--data-dir", directory.string() });
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    auto out_path = directory / "stdout", err_path = directory / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0);
    if (spawned != 0)
        return {};
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << "hashos did not finish within " << limit.count() << " s";
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return { WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_text(out_path), read_text(err_path) };
}

} // namespace hashos::e2e
