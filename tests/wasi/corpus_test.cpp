// The WASI corpus: every tests/wasi/programs/NAME.c runs natively and as NAME.wasm under
// `hashos run`, and both must print the same stdout and stderr and exit with the same code.
// A program says what it needs in header lines:
//     // wasi-test: args ONE TWO      arguments (split at spaces)
//     // wasi-test: env NAME=value    an environment variable (repeatable); nothing else is set
//     // wasi-test: stdin FILE        standard input from tests/wasi/inputs/FILE (else /dev/null)
//     // wasi-test: dir               a fresh directory holding data.txt and sub/inner.txt, passed
//                                     as the first argument: its host path natively, /sandbox
//                                     (granted with --dir) under hashos
//     // wasi-test: expect            WASI only (escape attempts, no grant): stdout must equal
//                                     NAME.expected beside the source, stderr be empty, exit 0
// Clock and random programs check plausibility themselves and print only the verdict.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Spec {
    std::string name;
    std::vector<std::string> arguments;
    std::vector<std::string> environment;
    std::string stdin_file;
    bool directory = false;
    bool expect = false;
};

// gtest prints a parameter with this (its name), not as bytes.
void PrintTo(const Spec& spec, std::ostream* out) { *out << spec.name; }

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read_text(const fs::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> split(const std::string& text)
{
    std::vector<std::string> words;
    std::istringstream stream(text);
    for (std::string word; stream >> word;)
        words.push_back(word);
    return words;
}

Spec read_spec(const fs::path& source)
{
    Spec spec;
    spec.name = source.stem().string();
    std::ifstream file(source);
    const std::string marker = "// wasi-test:";
    for (std::string line; std::getline(file, line);) {
        if (line.rfind(marker, 0) != 0)
            continue;
        auto words = split(line.substr(marker.size()));
        if (words.empty())
            continue;
        std::string key = words[0];
        words.erase(words.begin());
        if (key == "args")
            spec.arguments = words;
        else if (key == "env")
            spec.environment.insert(spec.environment.end(), words.begin(), words.end());
        else if (key == "stdin" && !words.empty())
            spec.stdin_file = std::string(HASHOS_WASI_INPUTS_DIR) + "/" + words[0];
        else if (key == "dir")
            spec.directory = true;
        else if (key == "expect")
            spec.expect = true;
    }
    return spec;
}

std::vector<Spec> corpus()
{
    std::vector<Spec> specs;
    for (auto const& entry : fs::directory_iterator(HASHOS_WASI_SOURCES_DIR)) {
        if (entry.path().extension() == ".c")
            specs.push_back(read_spec(entry.path()));
    }
    std::sort(specs.begin(), specs.end(), [](const Spec& a, const Spec& b) { return a.name < b.name; });
    return specs;
}

// Runs `argv` with `envp`, stdin from `input`, output into files of `scratch`; kills it after
// two minutes (a loaded CI machine with ASan is slow, but never that slow).
Outcome run(std::vector<std::string> argv, const std::vector<std::string>& envp, const std::string& input, const fs::path& scratch)
{
    std::vector<char*> args;
    for (auto& arg : argv)
        args.push_back(arg.data());
    args.push_back(nullptr);
    std::vector<std::string> environment = envp;
    std::vector<char*> env;
    for (auto& variable : environment)
        env.push_back(variable.data());
    env.push_back(nullptr);
    auto out_path = scratch / "stdout", err_path = scratch / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, input.empty() ? "/dev/null" : input.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0) << argv[0];
    Outcome outcome;
    if (spawned != 0)
        return outcome;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << argv[0] << " did not finish within two minutes";
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.out = read_text(out_path);
    outcome.err = read_text(err_path);
    return outcome;
}

// The directory of a `dir` program: the same files each time.
void populate(const fs::path& directory)
{
    fs::create_directories(directory / "sub");
    std::ofstream(directory / "data.txt") << "first line\nsecond line\nthird line\n";
    std::ofstream(directory / "sub" / "inner.txt") << "inner\n";
}

class WasiCorpus : public ::testing::TestWithParam<Spec> {
protected:
    WasiCorpus()
    {
        std::random_device random;
        m_scratch = fs::temp_directory_path() / ("hashos-wasi-" + std::to_string(random()));
        fs::create_directories(m_scratch / "data");
    }
    ~WasiCorpus() override { fs::remove_all(m_scratch); }

    Outcome run_native(const Spec& spec)
    {
        fs::path directory = m_scratch / "native-dir";
        std::vector<std::string> argv { std::string(HASHOS_WASI_CORPUS_DIR) + "/native/" + spec.name };
        if (spec.directory) {
            populate(directory);
            argv.push_back(directory.string());
        }
        argv.insert(argv.end(), spec.arguments.begin(), spec.arguments.end());
        fs::create_directories(m_scratch / "native-out");
        return run(argv, spec.environment, spec.stdin_file, m_scratch / "native-out");
    }

    Outcome run_wasi(const Spec& spec)
    {
        fs::path directory = m_scratch / "wasi-dir";
        std::vector<std::string> argv { HASHOS_BINARY, "--data-dir", (m_scratch / "data").string(), "run",
            std::string(HASHOS_WASI_CORPUS_DIR) + "/" + spec.name + ".wasm" };
        for (auto const& variable : spec.environment) {
            argv.push_back("--env");
            argv.push_back(variable);
        }
        if (spec.directory) {
            populate(directory);
            argv.push_back("--dir");
            argv.push_back(directory.string() + ":/sandbox");
        }
        argv.push_back("--");
        if (spec.directory)
            argv.push_back("/sandbox");
        argv.insert(argv.end(), spec.arguments.begin(), spec.arguments.end());
        std::vector<std::string> environment;
        for (char** variable = environ; *variable; ++variable)
            environment.push_back(*variable);
        fs::create_directories(m_scratch / "wasi-out");
        return run(argv, environment, spec.stdin_file, m_scratch / "wasi-out");
    }

    fs::path m_scratch;
};

TEST_P(WasiCorpus, SameAsNative)
{
    const Spec& spec = GetParam();
    Outcome wasi = run_wasi(spec);
    if (spec.expect) {
        EXPECT_EQ(wasi.out, read_text(fs::path(HASHOS_WASI_SOURCES_DIR) / (spec.name + ".expected")));
        EXPECT_EQ(wasi.err, "");
        EXPECT_EQ(wasi.exit_code, 0);
        return;
    }
    Outcome native = run_native(spec);
    EXPECT_EQ(wasi.out, native.out);
    EXPECT_EQ(wasi.err, native.err);
    EXPECT_EQ(wasi.exit_code, native.exit_code);
}

INSTANTIATE_TEST_SUITE_P(Corpus, WasiCorpus, ::testing::ValuesIn(corpus()),
    [](const ::testing::TestParamInfo<Spec>& info) { return info.param.name; });

} // namespace
