// End to end: the built `hashos` executable on real files in temporary directories.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace hashos::store {
namespace {

using testing::pattern_bytes;
using testing::read_text_file;
using testing::run_command;
using testing::shell_quote;
using testing::TemporaryDirectory;

constexpr size_t KiB = 1024;
constexpr size_t MiB = 1024 * KiB;

class HashosCli : public ::testing::Test {
protected:
    // Runs `hashos ARGUMENTS` with the test's data directory in HASHOS_DATA_DIR; stderr goes to
    // m_stderr_path.
    testing::CommandResult hashos(const std::string& arguments, const std::string& environment = "")
    {
        auto command = "HASHOS_DATA_DIR=" + shell_quote(data_dir().string()) + " " + environment + " "
            + shell_quote(HASHOS_BINARY) + " " + arguments + " 2>" + shell_quote(stderr_path().string());
        return run_command(command);
    }
    std::string last_stderr() { return read_text_file(stderr_path()); }

    // Each error is one line on stderr and a non-zero exit.
    void expect_one_line_error(const std::string& arguments, const std::string& expected)
    {
        auto result = hashos(arguments);
        auto stderr_text = last_stderr();
        EXPECT_NE(result.exit_code, 0) << arguments;
        EXPECT_EQ(result.out, "") << arguments;
        EXPECT_NE(stderr_text.find(expected), std::string::npos) << stderr_text;
        EXPECT_EQ(std::count(stderr_text.begin(), stderr_text.end(), '\n'), 1) << stderr_text;
    }

    std::filesystem::path file(const std::string& name, std::span<const uint8_t> bytes)
    {
        auto path = m_files / name;
        testing::write_file(path, bytes);
        return path;
    }
    std::filesystem::path data_dir() const { return m_files / "data"; }
    std::filesystem::path stderr_path() const { return m_files / "stderr"; }

    TemporaryDirectory m_files;
};

TEST_F(HashosCli, CidPrintsTheIssueVectors)
{
    auto empty = file("empty", {});
    auto hello = file("hello", testing::as_bytes("hello world\n"));
    auto as = file("as", testing::as_bytes(std::string(1000, 'a')));
    EXPECT_EQ(hashos("cid " + empty.string()).out, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\n");
    EXPECT_EQ(hashos("cid " + hello.string()).out, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4\n");
    EXPECT_EQ(hashos("cid " + as.string()).out, "bafkreicb5xwoilld5dm36uk2totjglq4edf4t5nf2e2giww3lwy3s436um\n");
    EXPECT_EQ(hashos("cid --profile kubo-legacy " + hello.string()).out, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o\n");
    // `cid` stores nothing.
    EXPECT_FALSE(std::filesystem::exists(data_dir()));
}

TEST_F(HashosCli, AddThenCatRoundTripsEverySize)
{
    for (auto profile : { "helia", "kubo-legacy" }) {
        for (size_t size : { size_t(0), size_t(1), 256 * KiB, 256 * KiB + 1, MiB, MiB + 1, 5 * MiB }) {
            auto bytes = pattern_bytes(size);
            auto path = file("input", bytes);
            auto added = hashos(std::string("add --profile ") + profile + " " + path.string());
            ASSERT_EQ(added.exit_code, 0) << last_stderr();
            auto cid = added.out.substr(0, added.out.size() - 1);
            EXPECT_EQ(hashos(std::string("cid --profile ") + profile + " " + path.string()).out, added.out);
            auto output = m_files / "output";
            auto cat = run_command("HASHOS_DATA_DIR=" + shell_quote(data_dir().string()) + " " + shell_quote(HASHOS_BINARY)
                + " cat " + cid + " >" + shell_quote(output.string()));
            ASSERT_EQ(cat.exit_code, 0);
            EXPECT_TRUE(testing::read_whole_file(output) == bytes) << profile << " " << size;
        }
    }
}

TEST_F(HashosCli, LsPinGcLifecycle)
{
    auto big = file("big", pattern_bytes(2 * MiB + 3));
    auto small = file("small", testing::as_bytes("hello world\n"));
    auto big_cid = hashos("add " + big.string()).out;
    auto small_cid = hashos("add " + small.string()).out;
    big_cid.pop_back();
    small_cid.pop_back();

    auto listed = hashos("ls");
    EXPECT_EQ(listed.exit_code, 0);
    EXPECT_NE(listed.out.find(big_cid + "\t" + std::to_string(2 * MiB + 3) + "\n"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find(small_cid + "\t12\n"), std::string::npos) << listed.out;
    auto pins = hashos("pin ls").out;
    EXPECT_NE(pins.find(big_cid), std::string::npos);

    EXPECT_EQ(hashos("gc").out, "removed 0 block(s), freed 0 bytes\n");
    EXPECT_EQ(hashos("pin rm " + big_cid).exit_code, 0);
    EXPECT_EQ(hashos("ls").out, small_cid + "\t12\n");
    auto gc = hashos("gc");
    EXPECT_EQ(gc.exit_code, 0);
    EXPECT_EQ(gc.out.rfind("removed 4 block(s), freed ", 0), 0u) << gc.out;
    EXPECT_EQ(hashos("cat " + big_cid).exit_code, 1);
    EXPECT_NE(last_stderr().find("is not in the store"), std::string::npos);
    EXPECT_EQ(hashos("cat " + small_cid).out, "hello world\n");

    // Pinning again needs the blocks; re-adding restores them.
    EXPECT_EQ(hashos("pin add " + big_cid).exit_code, 1);
    EXPECT_EQ(hashos("add " + big.string()).out, big_cid + "\n");
    EXPECT_EQ(hashos("pin rm " + big_cid).exit_code, 0);
    EXPECT_EQ(hashos("pin add " + big_cid).exit_code, 0);
    EXPECT_NE(hashos("pin ls").out.find(big_cid), std::string::npos);
}

TEST_F(HashosCli, DataDirectoryOptionEnvironmentAndXdg)
{
    auto hello = file("hello", testing::as_bytes("hello world\n"));
    auto elsewhere = m_files / "elsewhere";
    auto option_before = run_command(shell_quote(HASHOS_BINARY) + " --data-dir " + shell_quote(elsewhere.string())
        + " add " + hello.string());
    EXPECT_EQ(option_before.exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(elsewhere / "pins" / "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"));
    auto option_after = run_command(shell_quote(HASHOS_BINARY) + " ls --data-dir " + shell_quote(elsewhere.string()));
    EXPECT_EQ(option_after.out, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4\t12\n");
    auto nested = run_command(shell_quote(HASHOS_BINARY) + " pin ls --data-dir " + shell_quote(elsewhere.string()));
    EXPECT_EQ(nested.out, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4\n");
    // The option wins over the environment.
    EXPECT_EQ(hashos("ls --data-dir " + shell_quote(elsewhere.string())).out, option_after.out);
    EXPECT_EQ(hashos("ls").out, "");

    auto xdg = m_files / "xdg";
    auto from_xdg = run_command("env -u HASHOS_DATA_DIR XDG_DATA_HOME=" + shell_quote(xdg.string()) + " "
        + shell_quote(HASHOS_BINARY) + " add " + hello.string());
    EXPECT_EQ(from_xdg.exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(xdg / "hashos" / "blocks"));
    auto home = m_files / "home";
    auto from_home = run_command("env -u HASHOS_DATA_DIR -u XDG_DATA_HOME HOME=" + shell_quote(home.string()) + " "
        + shell_quote(HASHOS_BINARY) + " add " + hello.string());
    EXPECT_EQ(from_home.exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(home / ".local" / "share" / "hashos" / "blocks"));
}

TEST_F(HashosCli, ErrorsAreOneClearLine)
{
    expect_one_line_error("cat bafkreinot-a-cid", "hashos cat: invalid CID 'bafkreinot-a-cid'");
    expect_one_line_error("cat Qm", "invalid CID 'Qm'");
    expect_one_line_error("cat bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
        "block bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4 is not in the store");
    expect_one_line_error("cid /nonexistent/file", "hashos cid: cannot open /nonexistent/file");
    expect_one_line_error("add /nonexistent/file", "hashos add: cannot open /nonexistent/file");
    auto hello = file("hello", testing::as_bytes("hello world\n"));
    expect_one_line_error("cid --profile kubo " + hello.string(), "unknown import profile 'kubo'");
    expect_one_line_error("pin rm bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
        "is not pinned");
    expect_one_line_error("pin add zzz", "hashos pin: invalid CID 'zzz'");
    // The empty UnixFS directory, inlined with the identity hash: a CID hashos cannot verify.
    expect_one_line_error("cat bafyaabakaieac", "unsupported multihash function 0x0");
}

TEST_F(HashosCli, CorruptBlockOnDiskFailsCat)
{
    auto path = file("input", pattern_bytes(3000));
    auto added = hashos("add " + path.string());
    ASSERT_EQ(added.exit_code, 0);
    auto cid = added.out.substr(0, added.out.size() - 1);
    for (auto const& entry : std::filesystem::recursive_directory_iterator(data_dir() / "blocks")) {
        if (!entry.is_regular_file())
            continue;
        std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
        auto bytes = testing::read_whole_file(entry.path());
        bytes[0] ^= 1;
        testing::write_file(entry.path(), bytes);
    }
    expect_one_line_error("cat " + cid, "is corrupt on disk");
    expect_one_line_error("gc", "is incomplete or damaged");
    // Adding the file again repairs the block.
    EXPECT_EQ(hashos("add " + path.string()).out, added.out);
    EXPECT_TRUE(hashos("cat " + cid).out == std::string(reinterpret_cast<const char*>(pattern_bytes(3000).data()), 3000));
}

} // namespace
} // namespace hashos::store
