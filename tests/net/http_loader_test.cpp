// programs/http-loader end to end: node A adds a program and serves it (`hashos serve`); node B,
// whose store is empty and which has no peers, boots with http-loader as its `loader` and runs
// the program by CID. Gateways that lie (wrong bytes), stall or refuse come first and are
// skipped; a gateway that frames its answer in chunks works; a CID no gateway has, a DAG and a
// refusing-only list end in clear errors. Every server listens on a random 127.0.0.1 port.
#include "hashos_node.h"

#include <condition_variable>
#include <mutex>
#include <set>

namespace hashos::net {
namespace {

using namespace testing;

// An honest gateway that sends raw blocks from a store with chunked transfer coding (no
// Content-Length), in small chunks, on a thread of this process.
class ChunkedGateway {
public:
    explicit ChunkedGateway(const std::filesystem::path& store_directory)
        : m_store(expect_value(store::BlockStore::open(store_directory)))
    {
        m_server.Get(R"(/ipfs/([^/?]+))", [this](const httplib::Request& request, httplib::Response& response) {
            auto cid = store::Cid::parse(request.matches[1].str());
            if (cid.is_error() || !m_store.has(cid->multihash()).value() || request.get_param_value("format") != "raw") {
                response.status = 404;
                return;
            }
            auto body = std::make_shared<std::vector<uint8_t>>(expect_value(m_store.get(cid.value())));
            response.set_chunked_content_provider("application/vnd.ipld.raw", [body](size_t offset, httplib::DataSink& sink) {
                if (offset >= body->size()) {
                    sink.done();
                    return true;
                }
                size_t size = std::min<size_t>(1000, body->size() - offset);
                return sink.write(reinterpret_cast<const char*>(body->data() + offset), size);
            });
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~ChunkedGateway()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    store::BlockStore m_store;
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
};

// An honest gateway that holds each request for one of `gathered` until requests for all of
// them are in flight together (or 20 s pass), then answers them: it counts how many requests a
// client keeps in flight at once. Other CIDs are answered at once.
class GatheringGateway {
public:
    GatheringGateway(const std::filesystem::path& store_directory, std::set<std::string> gathered)
        : m_store(expect_value(store::BlockStore::open(store_directory)))
        , m_gathered(std::move(gathered))
    {
        m_server.Get(R"(/ipfs/([^/?]+))", [this](const httplib::Request& request, httplib::Response& response) {
            bool gathered = m_gathered.contains(request.matches[1].str());
            if (gathered) {
                std::unique_lock lock(m_lock);
                m_most = std::max(m_most, ++m_in_flight);
                m_changed.notify_all();
                m_changed.wait_for(lock, std::chrono::seconds(20), [&] { return m_most >= m_gathered.size(); });
            }
            auto cid = store::Cid::parse(request.matches[1].str());
            if (cid.is_error() || !m_store.has(cid->multihash()).value()) {
                response.status = 404;
            } else {
                auto body = expect_value(m_store.get(cid.value()));
                response.set_content(std::string(body.begin(), body.end()), "application/vnd.ipld.raw");
            }
            if (gathered) {
                std::lock_guard lock(m_lock);
                --m_in_flight;
            }
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~GatheringGateway()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    size_t most_in_flight()
    {
        std::lock_guard lock(m_lock);
        return m_most;
    }

private:
    store::BlockStore m_store;
    std::set<std::string> m_gathered;
    std::mutex m_lock;
    std::condition_variable m_changed;
    size_t m_in_flight = 0;
    size_t m_most = 0;
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
};

std::string add(const Node& node, const std::filesystem::path& file)
{
    auto result = run_command(node.hashos("add " + shell_quote(file.string())));
    EXPECT_EQ(result.exit_code, 0);
    return result.out.substr(0, result.out.find('\n'));
}

struct Booted {
    int exit_code;
    std::string output; // stdout and stderr: hashos's messages and the programs' log lines
};

// Boots `node` with http-loader (given `gateways` and `extra` arguments) handling `loader`, then
// the main program that `main_program` describes (a [[program]] named "program").
Booted boot(const Node& node, const std::vector<std::string>& gateways, const std::string& main_program,
    const std::vector<std::string>& extra = {})
{
    std::filesystem::copy_file(HASHOS_HTTP_LOADER_WASM, node.path("http-loader.wasm"), std::filesystem::copy_options::overwrite_existing);
    std::string arguments;
    for (auto const& gateway : gateways)
        arguments += "\"--gateway\", \"" + gateway + "\", ";
    for (auto const& argument : extra)
        arguments += "\"" + argument + "\", ";
    std::string toml = "main = \"program\"\n"
                       "[[program]]\n"
                       "name = \"http-loader\"\n"
                       "file = \"http-loader.wasm\"\n"
                       "handles = [\"loader\"]\n"
                       "allow = [\"tcp\"]\n"
                       "arguments = ["
        + arguments + "]\n"
                      "[[program]]\n"
                      "name = \"program\"\n"
        + main_program;
    write_file(node.path("boot.toml"), as_bytes(toml));
    auto output = node.path("boot.out");
    // `timeout`: a hang fails this test instead of stalling the suite.
    auto result = run_command("timeout 120 " + node.hashos("boot " + shell_quote(node.path("boot.toml").string())) + " >"
        + shell_quote(output.string()) + " 2>&1");
    return { result.exit_code, store::testing::read_text_file(output) };
}

// Boots `node` with http-loader handling `loader`, then runs `cid` as the main program.
Booted boot_with_http_loader(const Node& node, const std::vector<std::string>& gateways, const std::string& cid,
    const std::vector<std::string>& extra = {})
{
    return boot(node, gateways, "cid = \"" + cid + "\"\n", extra);
}

TEST(HttpLoader, RunsAProgramByCidFromAGatewayAfterSkippingALiar)
{
    std::signal(SIGPIPE, SIG_IGN);
    Node a, b;
    auto program = add(a, HASHOS_HELLO_WASM);
    ASSERT_TRUE(program.starts_with("bafkrei")) << program;
    ServeProcess serve_a(a);
    LyingGateway liar(a.directory.path());

    auto booted = boot_with_http_loader(b, { liar.url(), serve_a.url() }, program);
    ASSERT_EQ(booted.exit_code, 0) << booted.output;
    EXPECT_NE(booted.output.find("hello from hashos"), std::string::npos) << booted.output;
    // The liar was asked, caught and passed over.
    EXPECT_GE(liar.requests(), 1u);
    EXPECT_NE(booted.output.find("from gateway " + liar.url() + ": sent"), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find("do not match the CID"), std::string::npos) << booted.output;
    EXPECT_EQ(serve_a.stop(), 0);
}

TEST(HttpLoader, ReadsChunkedAnswersAndGivesUpOnAStalledGateway)
{
    std::signal(SIGPIPE, SIG_IGN);
    Node a, b;
    auto program = add(a, HASHOS_HELLO_WASM);
    Port stalled(Port::Mode::Stall);
    Port dead(Port::Mode::Refuse);
    ChunkedGateway chunked(a.directory.path());

    auto booted = boot_with_http_loader(b, { dead.url(), stalled.url(), chunked.url() }, program, { "--timeout-ms", "1500" });
    ASSERT_EQ(booted.exit_code, 0) << booted.output;
    EXPECT_NE(booted.output.find("hello from hashos"), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find(dead.url() + ": cannot connect"), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find(stalled.url() + ": no complete answer within 1500 ms"), std::string::npos) << booted.output;
}

TEST(HttpLoader, ServesSeveralLoadsAtOnce)
{
    std::signal(SIGPIPE, SIG_IGN);
    Node a, b;
    std::string arguments;
    std::set<std::string> contents;
    for (size_t i = 0; i < 3; ++i) {
        auto file = a.path("content" + std::to_string(i));
        write_file(file, pattern_bytes(1000 + 70'000 * i));
        auto cid = add(a, file);
        contents.insert(cid);
        arguments += "\"" + cid + "\", \"" + std::to_string(1000 + 70'000 * i) + "\", ";
    }
    // The client itself is loaded by http-loader too, from the same gateway.
    auto client = add(a, HASHOS_LOAD_MANY_WASM);
    GatheringGateway gateway(a.directory.path(), contents);
    auto booted = boot(b, { gateway.url() },
        "cid = \"" + client + "\"\nallow = [\"loader\"]\narguments = [" + arguments + "]\n");
    ASSERT_EQ(booted.exit_code, 0) << booted.output;
    EXPECT_EQ(gateway.most_in_flight(), 3u) << booted.output;
    EXPECT_NE(booted.output.find("bytes"), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find("141000 bytes"), std::string::npos) << booted.output;
}

TEST(HttpLoader, FailsClearlyWhenNoGatewayHasTheProgram)
{
    std::signal(SIGPIPE, SIG_IGN);
    Node a, b;
    ServeProcess serve_a(a);
    LyingGateway liar(a.directory.path());
    auto missing = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(as_bytes("nobody has this"))).to_string();

    auto booted = boot_with_http_loader(b, { serve_a.url(), liar.url() }, missing);
    EXPECT_EQ(booted.exit_code, 125) << booted.output;
    EXPECT_NE(booted.output.find("cannot load " + missing), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find("http-loader: no gateway provided " + missing), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find(serve_a.url() + ": HTTP 404"), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find(liar.url() + ": HTTP 404"), std::string::npos) << booted.output;
}

TEST(HttpLoader, RefusesADagWithAClearError)
{
    Node a, b;
    write_file(a.path("big.bin"), pattern_bytes(1024 * 1024 + 1));
    auto dag = add(a, a.path("big.bin"));
    ASSERT_TRUE(dag.starts_with("bafybei")) << dag;
    ServeProcess serve_a(a);

    auto booted = boot_with_http_loader(b, { serve_a.url() }, dag);
    EXPECT_EQ(booted.exit_code, 125) << booted.output;
    EXPECT_NE(booted.output.find("DAG not supported by http-loader"), std::string::npos) << booted.output;
}

TEST(HttpLoader, RefusesBadArguments)
{
    Node b;
    auto booted = boot_with_http_loader(b, { "https://gateway.example" }, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    EXPECT_NE(booted.exit_code, 0) << booted.output;
    EXPECT_NE(booted.output.find("plain HTTP"), std::string::npos) << booted.output;
    EXPECT_NE(booted.output.find("ended before it handled loader"), std::string::npos) << booted.output;
}

} // namespace
} // namespace hashos::net
