// End-to-end tests of the host interfaces (tcp, udp, files) and of an interface taken over by a
// wasm program: the `hashos` binary as users run it, real programs (programs/httpd, echo-udp,
// files-demo; tests/e2e/programs), real sockets on 127.0.0.1, real temporary directories, and
// curl and wrk as the clients. Each test has a data directory of its own.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_text(const fs::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string program(const std::string& name) { return std::string(HASHOS_PROGRAMS_DIR) + "/" + name + ".wasm"; }
std::string test_program(const std::string& name) { return std::string(HASHOS_E2E_WASM_DIR) + "/e2e_" + name + ".wasm"; }

// The standard output of a shell command (curl, wrk).
std::string capture(const std::string& command)
{
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return output;
    char buffer[4096];
    size_t count;
    while ((count = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
        output.append(buffer, count);
    ::pclose(pipe);
    return output;
}

class HostIo : public ::testing::Test {
protected:
    HostIo()
    {
        std::random_device random;
        m_directory = fs::temp_directory_path() / ("hashos-hostio-" + std::to_string(random()));
        fs::create_directories(m_directory / "data");
    }
    ~HostIo() override
    {
        stop();
        fs::remove_all(m_directory);
    }

    // Starts `hashos --data-dir DIR ARGS...` in the background, its output (stdout and stderr)
    // into one file.
    void start(std::vector<std::string> args)
    {
        args.insert(args.begin(), { HASHOS_BINARY, "--data-dir", (m_directory / "data").string() });
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        m_output = m_directory / ("output-" + std::to_string(++m_runs));
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, m_output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        ASSERT_EQ(posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
    }

    // Waits (a minute at most) for the output to hold `text`; returns the output.
    std::string wait_for_output(const std::string& text)
    {
        auto deadline = std::chrono::steady_clock::now() + 60s;
        std::string output;
        while (std::chrono::steady_clock::now() < deadline) {
            output = read_text(m_output);
            if (output.find(text) != std::string::npos)
                return output;
            int status = 0;
            if (m_pid > 0 && waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return read_text(m_output);
            }
            std::this_thread::sleep_for(20ms);
        }
        return output;
    }

    // The port in "…HOST:PORT…" after `prefix` in the output.
    int port_after(const std::string& output, const std::string& prefix)
    {
        auto at = output.find(prefix);
        if (at == std::string::npos)
            return 0;
        return std::atoi(output.c_str() + at + prefix.size());
    }

    // Waits for the background hashos to exit (a minute at most); its exit code.
    int wait_exit()
    {
        if (m_pid <= 0)
            return m_last_exit;
        auto deadline = std::chrono::steady_clock::now() + 60s;
        int status = 0;
        while (waitpid(m_pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << "hashos did not finish within a minute";
                kill(m_pid, SIGKILL);
                waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(10ms);
        }
        m_pid = -1;
        m_last_exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return m_last_exit;
    }

    // Runs hashos to its end; its exit code, the output in output().
    int run(std::vector<std::string> args)
    {
        start(std::move(args));
        return wait_exit();
    }
    std::string output() const { return read_text(m_output); }

    void stop()
    {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            int status = 0;
            waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
    }

    // Starts httpd serving `site`; its port.
    int start_httpd(const fs::path& site)
    {
        start({ "run", "--allow", "tcp", "--dir", site.string() + ":/", program("httpd"), "--", "--listen", "127.0.0.1:0" });
        auto output = wait_for_output("on http://127.0.0.1:");
        int port = port_after(output, "on http://127.0.0.1:");
        EXPECT_GT(port, 0) << output;
        return port;
    }

    fs::path make_site()
    {
        fs::path site = m_directory / "site";
        fs::create_directories(site / "docs");
        write_text(site / "index.html", "<!doctype html><h1>hashos</h1>\n");
        write_text(site / "style.css", "h1 { color: teal }\n");
        // Over one 1 MiB read of the files interface, so the body goes out in pieces.
        std::string big(1'500'000, '\0');
        std::mt19937 bytes(6);
        for (auto& byte : big)
            byte = char(bytes());
        write_text(site / "docs" / "big.bin", big);
        return site;
    }

    fs::path m_directory;
    fs::path m_output;
    pid_t m_pid = -1;
    int m_runs = 0;
    int m_last_exit = -1;
};

TEST_F(HostIo, HttpdServesADirectory)
{
    fs::path site = make_site();
    int port = start_httpd(site);
    ASSERT_GT(port, 0);
    std::string base = "http://127.0.0.1:" + std::to_string(port);
    fs::path fetched = m_directory / "fetched";

    for (std::string path : { "/index.html", "/style.css", "/docs/big.bin" }) {
        std::string status = capture("curl -sS -o " + fetched.string() + " -w '%{http_code} %{content_type}' " + base + path);
        EXPECT_EQ(read_text(fetched), read_text(site / path.substr(1))) << path;
        EXPECT_EQ(status.substr(0, 3), "200") << path;
        if (path == "/style.css")
            EXPECT_EQ(status, "200 text/css; charset=utf-8");
    }
    // "/" is index.html; a directory without its slash is redirected to it.
    EXPECT_EQ(capture("curl -sS " + base + "/"), read_text(site / "index.html"));
    EXPECT_EQ(capture("curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' " + base + "/docs"), "301 " + base + "/docs/");
    EXPECT_EQ(capture("curl -sS -o /dev/null -w '%{http_code}' " + base + "/missing.html"), "404");
    EXPECT_EQ(capture("curl -sS -o /dev/null -w '%{http_code}' -X DELETE " + base + "/index.html"), "405");
    EXPECT_EQ(capture("curl -sS -o /dev/null -w '%{http_code}' --path-as-is " + base + "/../etc/passwd"), "400");
    // HEAD: the headers of GET, no body.
    std::string head = capture("curl -sS -I " + base + "/docs/big.bin");
    EXPECT_NE(head.find("Content-Length: 1500000"), std::string::npos) << head;
    EXPECT_NE(head.find("Content-Type: application/octet-stream"), std::string::npos) << head;
    // Keep-alive: curl fetches both over one connection.
    std::string connects = capture("curl -sS -o /dev/null -o /dev/null -w '%{num_connects} ' " + base + "/index.html " + base + "/style.css");
    EXPECT_EQ(connects, "1 0 ");
}

// httpd keeps recently served files open for a second or two (its open-file cache): a file
// changed in place is served changed at once; one replaced or removed, soon after.
TEST_F(HostIo, HttpdServesChangedFiles)
{
    fs::path site = make_site();
    int port = start_httpd(site);
    ASSERT_GT(port, 0);
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/index.html";
    EXPECT_EQ(capture("curl -sS " + url), read_text(site / "index.html"));
    EXPECT_EQ(capture("curl -sS " + url), read_text(site / "index.html")); // from the cache

    // In place, longer and then shorter: served as it is now, with its new length.
    write_text(site / "index.html", "<h1>changed in place, and longer than it was</h1>\n");
    EXPECT_EQ(capture("curl -sS " + url), "<h1>changed in place, and longer than it was</h1>\n");
    write_text(site / "index.html", "<p>short</p>\n");
    EXPECT_EQ(capture("curl -sS " + url), "<p>short</p>\n");

    // Replaced by a new file (a new inode at the path), then removed: seen within seconds.
    auto eventually = [&](const std::string& command, const std::string& expected) {
        std::string got;
        for (int attempt = 0; attempt < 200 && got != expected; ++attempt) {
            got = capture(command);
            if (got != expected)
                std::this_thread::sleep_for(100ms);
        }
        return got;
    };
    write_text(site / "replacement.tmp", "<p>replaced</p>\n");
    fs::rename(site / "replacement.tmp", site / "index.html");
    EXPECT_EQ(eventually("curl -sS " + url, "<p>replaced</p>\n"), "<p>replaced</p>\n");
    fs::remove(site / "index.html");
    EXPECT_EQ(eventually("curl -sS -o /dev/null -w '%{http_code}' " + url, "404"), "404");
}

TEST_F(HostIo, HttpdUnderWrkHasNoErrors)
{
    int port = start_httpd(make_site());
    ASSERT_GT(port, 0);
    // A bounded run; generous timeouts, since CI runs this under sanitizers on a busy machine.
    std::string report = capture("wrk -t1 -c4 -d3s --timeout 20s http://127.0.0.1:" + std::to_string(port) + "/index.html 2>&1");
    EXPECT_NE(report.find("Requests/sec"), std::string::npos) << report;
    EXPECT_EQ(report.find("Socket errors"), std::string::npos) << report;
    EXPECT_EQ(report.find("Non-2xx"), std::string::npos) << report;
    EXPECT_EQ(report.find(" 0 requests in"), std::string::npos) << report;
}

TEST_F(HostIo, TcpIsDeniedWithoutPermission)
{
    // No terminal to ask on: "ask" denies, and httpd says it cannot listen.
    EXPECT_EQ(run({ "run", "--dir", make_site().string() + ":/", program("httpd"), "--", "--listen", "127.0.0.1:0" }), 1);
    EXPECT_NE(output().find("cannot listen"), std::string::npos) << output();
}

TEST_F(HostIo, FilesDemoCopiesListsAndRenames)
{
    fs::path dir = m_directory / "files";
    fs::create_directories(dir / "sub");
    write_text(dir / "a.txt", "some text\n");
    std::string grant = dir.string() + ":/work";
    ASSERT_EQ(run({ "run", "--dir", grant, program("files-demo"), "--", "copy", "/work/a.txt", "/work/b.txt" }), 0) << output();
    EXPECT_EQ(read_text(dir / "b.txt"), "some text\n");
    ASSERT_EQ(run({ "run", "--dir", grant, program("files-demo"), "--", "rename", "/work/b.txt", "/work/sub/c.txt" }), 0) << output();
    EXPECT_FALSE(fs::exists(dir / "b.txt"));
    EXPECT_EQ(read_text(dir / "sub" / "c.txt"), "some text\n");
    ASSERT_EQ(run({ "run", "--dir", grant, program("files-demo"), "--", "list", "/work" }), 0) << output();
    EXPECT_NE(output().find("info: a.txt\n"), std::string::npos) << output();
    EXPECT_NE(output().find("info: sub/\n"), std::string::npos) << output();
    EXPECT_NE(output().find("info: 2 entries"), std::string::npos) << output();
    // Without --dir the program has no files at all.
    EXPECT_EQ(run({ "run", program("files-demo"), "--", "list", "/work" }), 1) << output();
    // Granted read-only (":ro"), the directory can be listed and read but not written to.
    std::string read_only = grant + ":ro";
    ASSERT_EQ(run({ "run", "--dir", read_only, program("files-demo"), "--", "list", "/work" }), 0) << output();
    EXPECT_NE(output().find("info: a.txt\n"), std::string::npos) << output();
    EXPECT_EQ(run({ "run", "--dir", read_only, program("files-demo"), "--", "copy", "/work/a.txt", "/work/d.txt" }), 1) << output();
    EXPECT_NE(output().find("granted read-only"), std::string::npos) << output();
    EXPECT_NE(output().find("errno 30"), std::string::npos) << output(); // EROFS
    EXPECT_FALSE(fs::exists(dir / "d.txt"));
    EXPECT_EQ(run({ "run", "--dir", read_only, program("files-demo"), "--", "rename", "/work/a.txt", "/work/e.txt" }), 1) << output();
    EXPECT_TRUE(fs::exists(dir / "a.txt"));
}

TEST_F(HostIo, AHostileProgramCannotLeaveItsRoot)
{
    fs::path dir = m_directory / "jail";
    fs::create_directories(dir / "data");
    fs::create_directories(dir / "outside");
    write_text(dir / "data" / "file", "mine");
    write_text(dir / "outside" / "secret", "not yours");
    int escapes = run({ "run", "--dir", (dir / "data").string() + ":/data", test_program("escape") });
    EXPECT_EQ(escapes, 0) << output();
    EXPECT_EQ(output().find("ESCAPED"), std::string::npos) << output();
    EXPECT_NE(output().find("0 escapes"), std::string::npos) << output();
    // Nothing outside changed.
    EXPECT_EQ(read_text(dir / "outside" / "secret"), "not yours");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "outside"), fs::directory_iterator()), 1);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
    EXPECT_EQ(read_text(dir / "data" / "file"), "mine");
}

TEST_F(HostIo, EchoUdpAnswersDatagrams)
{
    start({ "run", "--allow", "udp", program("echo-udp"), "--", "--listen", "127.0.0.1:0", "--count", "3" });
    auto output = wait_for_output("listening on 127.0.0.1:");
    int port = port_after(output, "listening on 127.0.0.1:");
    ASSERT_GT(port, 0) << output;

    int client = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(client, 0);
    timeval timeout { 20, 0 };
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in server {};
    server.sin_family = AF_INET;
    server.sin_port = htons(uint16_t(port));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (std::string datagram : { std::string("hello"), std::string(1200, 'x'), std::string("\0binary\xff", 8) }) {
        ASSERT_EQ(::sendto(client, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&server), sizeof(server)),
            ssize_t(datagram.size()));
        char answer[2048];
        ssize_t size = ::recv(client, answer, sizeof(answer), 0);
        ASSERT_EQ(size, ssize_t(datagram.size())) << read_text(m_output);
        EXPECT_EQ(std::string(answer, size_t(size)), datagram);
    }
    ::close(client);
    EXPECT_EQ(wait_exit(), 0) << read_text(m_output);
}

TEST_F(HostIo, AWasmProgramTakesOverTime)
{
    fs::path boot = m_directory / "boot.toml";
    write_text(boot, "main = \"reader\"\n"
                     "[[program]]\nname = \"clock\"\nfile = \"" + test_program("fake_clock") + "\"\nhandles = [\"time\"]\n"
                     "[[program]]\nname = \"reader\"\nfile = \"" + test_program("clock_reader") + "\"\n");
    EXPECT_EQ(run({ "boot", boot.string() }), 0) << output();
    EXPECT_NE(output().find("monotonic 42 ns, wall 1700000000000000000 ns"), std::string::npos) << output();
}

} // namespace
