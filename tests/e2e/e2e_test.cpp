// End-to-end: the `hashos` binary as users run it, on real wasm programs, each test in a data
// directory of its own, with no terminal (so "ask" denies).
#include "ping.interface.h"

#include "hashos_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

namespace {

using namespace hashos::e2e;

size_t line_count(const std::string& text) { return size_t(std::count(text.begin(), text.end(), '\n')); }

class E2e : public ::testing::Test {
protected:
    E2e()
    {
        std::random_device random;
        m_directory = std::filesystem::temp_directory_path() / ("hashos-e2e-" + std::to_string(random()));
        std::filesystem::create_directories(m_directory);
    }
    ~E2e() override { std::filesystem::remove_all(m_directory); }

    // Runs `hashos --data-dir DIR ARGS...` with stdin from /dev/null; kills it after a minute.
    Outcome hashos(std::vector<std::string> args) { return run_hashos(m_directory, std::move(args)); }

    std::string add(const std::string& file)
    {
        auto added = hashos({ "add", file });
        EXPECT_EQ(added.exit_code, 0) << added.err;
        return added.out.substr(0, added.out.find('\n'));
    }

    std::filesystem::path m_directory;
};

TEST_F(E2e, HelloRunsByItsCidFromTheStore)
{
    auto cid = add(program("hello"));
    ASSERT_TRUE(cid.starts_with("bafkrei")) << cid;
    auto run = hashos({ "run", cid });
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::string name = cid.substr(0, 14) + "…";
    EXPECT_NE(run.out.find(name + ": info: hello from hashos\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find(name + ": info: monotonic clock: "), std::string::npos) << run.out;
    EXPECT_EQ(run.err, "");
}

TEST_F(E2e, AFileIsAddedToTheStoreFirst)
{
    auto run = hashos({ "run", program("hello") });
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("hello: info: hello from hashos\n"), std::string::npos) << run.out;
    auto listed = hashos({ "ls" });
    auto cid = hashos({ "cid", program("hello") }).out;
    EXPECT_NE(listed.out.find(cid.substr(0, cid.size() - 1)), std::string::npos);
}

TEST_F(E2e, ExitsWithTheProgramsExitCode)
{
    EXPECT_EQ(hashos({ "run", test_program("exit_three") }).exit_code, 3);
}

TEST_F(E2e, ATrapIsOneLineAndCode134)
{
    auto run = hashos({ "run", test_program("trap") });
    EXPECT_EQ(run.exit_code, 134);
    EXPECT_EQ(run.out, "e2e_trap: info: about to trap\n");
    EXPECT_TRUE(run.err.starts_with("hashos run: e2e_trap trapped: ")) << run.err;
    EXPECT_EQ(line_count(run.err), 1u) << run.err;
}

TEST_F(E2e, DeniedInterfaceGetsAnErrorAnswerAndTheProgramGoesOn)
{
    EXPECT_EQ(hashos({ "run", test_program("random_user") }).exit_code, 0);
    auto denied = hashos({ "run", test_program("random_user"), "--deny", "random" });
    EXPECT_EQ(denied.exit_code, 4);
    EXPECT_NE(denied.err.find("e2e_random_user: warning: random refused: program bafkrei"), std::string::npos) << denied.err;
    // `--allow x --deny x` denies.
    EXPECT_EQ(hashos({ "run", "--allow", "random", "--deny", "random", test_program("random_user") }).exit_code, 4);
}

TEST_F(E2e, AskingWithoutATerminalDenies)
{
    // `process` is neither allowed nor denied by default: it is asked, and there is no terminal.
    EXPECT_EQ(hashos({ "run", test_program("lister") }).exit_code, 4);
    auto allowed = hashos({ "run", "--allow", "process", test_program("lister") });
    EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
    EXPECT_EQ(allowed.out, "e2e_lister: info: 1 process(es) running\n");
}

TEST_F(E2e, SavedPermissionsApplyUntilReset)
{
    auto cid = add(test_program("lister"));
    EXPECT_EQ(hashos({ "perms", "set", cid, "process", "allow" }).exit_code, 0);
    auto listed = hashos({ "perms" });
    EXPECT_EQ(listed.out, cid + "  process@535181a015b3  allow\n");
    EXPECT_EQ(hashos({ "run", cid }).exit_code, 0);
    EXPECT_EQ(hashos({ "perms", "reset", cid }).out, "removed 1 rule(s)\n");
    EXPECT_EQ(hashos({ "run", cid }).exit_code, 4);
    auto bad = hashos({ "perms", "set", cid, "process", "perhaps" });
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_EQ(line_count(bad.err), 1u);
}

TEST_F(E2e, PingPongThroughAWasmHandler)
{
    std::ofstream(m_directory / "boot.toml") << "main = \"ping\"\n"
                                             << "[[program]]\nfile = \"" << program("pong") << "\"\n"
                                             << "handles = [\"" << example_ping_Ping_HASH_HEX << "\"]\n"
                                             << "[[program]]\nfile = \"" << program("ping") << "\"\n"
                                             << "allow = [\"" << example_ping_Ping_HASH_HEX << "\"]\n";
    auto boot = hashos({ "boot", (m_directory / "boot.toml").string() });
    EXPECT_EQ(boot.exit_code, 0) << boot.err;
    EXPECT_NE(boot.out.find("ping: info: ping: 1000 round trips"), std::string::npos) << boot.out;
}

TEST_F(E2e, ErrorsAreOneLineWithANonZeroCode)
{
    for (auto const& args : std::vector<std::vector<std::string>> {
             { "run", "--bogus", program("hello") },
             { "run" },
             { "run", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" },
             { "run", "no-such-file.wasm" },
             { "run", "--allow", "nonsense", program("hello") },
             { "boot", "no-such-boot.toml" },
         }) {
        auto outcome = hashos(args);
        EXPECT_NE(outcome.exit_code, 0) << args[1];
        EXPECT_EQ(line_count(outcome.err), 1u) << outcome.err;
        EXPECT_EQ(outcome.out, "");
    }
    auto missing = hashos({ "run", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" });
    EXPECT_EQ(missing.exit_code, 125);
    EXPECT_NE(missing.err.find("is not in the store"), std::string::npos) << missing.err;
}

TEST_F(E2e, InterfacesListsTheShippedOnes)
{
    auto listed = hashos({ "interfaces" });
    EXPECT_EQ(listed.exit_code, 0);
    EXPECT_EQ(line_count(listed.out), 12u);
    EXPECT_NE(listed.out.find("log@c0c2d43776d9"), std::string::npos);
    EXPECT_NE(listed.out.find("hashos.log.Log"), std::string::npos);
    EXPECT_NE(listed.out.find("c0c2d43776d9c817258706899481fbc8de71ff204815539f5a9701fb78ab34f7"), std::string::npos);
}

} // namespace
