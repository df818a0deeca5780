// End to end, with real `hashos` processes on 127.0.0.1, each node with its own data directory
// and port: A adds a program and serves it; B, configured with A as its peer, fetches it;
// C, configured with a dead peer, a lying peer and then B, still fetches it, and nothing the liar
// sent reaches C's store. A 5 MiB file goes add -> serve -> fetch as a CAR with the same CID.
#include "hashos_node.h"

namespace hashos::net {
namespace {

using namespace testing;

// A minimal WebAssembly module with one custom section, as "the program".
std::vector<uint8_t> program_bytes()
{
    std::vector<uint8_t> bytes = { 0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x04, 'n', 'o', 't', 'e' };
    for (char c : std::string_view("hashos"))
        bytes.push_back(uint8_t(c));
    return bytes;
}

std::string peers_toml(const std::vector<std::string>& peers)
{
    std::string toml = "peers = [";
    for (auto const& peer : peers)
        toml += "\"" + peer + "\", ";
    return toml + "]\n[fetch]\nconnect_timeout_ms = 1000\nstall_timeout_ms = 1000\n";
}

std::string add(const Node& node, const std::filesystem::path& file)
{
    auto result = run_command(node.hashos("add " + shell_quote(file.string())));
    EXPECT_EQ(result.exit_code, 0);
    return result.out.substr(0, result.out.find('\n'));
}

struct Fetched {
    int exit_code;
    std::string errors;
};

Fetched fetch(const Node& node, const std::string& arguments)
{
    auto errors = node.path("fetch.err");
    auto result = run_command(node.hashos("fetch " + arguments) + " 2>" + shell_quote(errors.string()));
    return { result.exit_code, store::testing::read_text_file(errors) };
}

std::vector<uint8_t> cat(const Node& node, const std::string& cid)
{
    auto result = run_command(node.hashos("cat " + cid));
    EXPECT_EQ(result.exit_code, 0);
    return { result.out.begin(), result.out.end() };
}

TEST(ThreeNodes, ProgramAndBigFileTravelFromAThroughBToCPastADeadAndALyingPeer)
{
    std::signal(SIGPIPE, SIG_IGN);
    Node a, b, c;
    write_file(a.path("program.wasm"), program_bytes());
    auto big = pattern_bytes(5 * 1024 * 1024);
    write_file(a.path("big.bin"), big);
    auto program = add(a, a.path("program.wasm"));
    auto big_cid = add(a, a.path("big.bin"));
    ASSERT_TRUE(program.starts_with("bafkrei")) << program;
    ASSERT_TRUE(big_cid.starts_with("bafybei")) << big_cid;

    ServeProcess serve_a(a);
    b.configure(peers_toml({ serve_a.url() }));
    for (auto const& cid : { program, big_cid }) {
        auto fetched = fetch(b, cid);
        ASSERT_EQ(fetched.exit_code, 0) << fetched.errors;
    }
    EXPECT_EQ(cat(b, program), program_bytes());
    EXPECT_EQ(cat(b, big_cid), big);
    // The fetched programs are pinned: gc keeps them.
    EXPECT_EQ(run_command(b.hashos("gc")).exit_code, 0);
    EXPECT_EQ(cat(b, big_cid), big);

    ServeProcess serve_b(b);
    Port dead(Port::Mode::Refuse);
    LyingGateway liar(a.directory.path());
    c.configure(peers_toml({ dead.url(), liar.url(), serve_b.url() }));
    for (auto const& cid : { program, big_cid }) {
        auto fetched = fetch(c, cid);
        ASSERT_EQ(fetched.exit_code, 0) << fetched.errors;
        EXPECT_NE(fetched.errors.find("dropped peer " + liar.url()), std::string::npos) << fetched.errors;
        EXPECT_NE(fetched.errors.find("dead peer " + dead.url()), std::string::npos) << fetched.errors;
    }
    EXPECT_GE(liar.requests(), 2u);
    EXPECT_EQ(cat(c, program), program_bytes());
    EXPECT_EQ(cat(c, big_cid), big);
    expect_only_good_blocks(c.directory.path());

    EXPECT_EQ(serve_b.stop(), 0);
    EXPECT_EQ(serve_a.stop(), 0);
}

TEST(Fetch, PeersFromTheCommandLineComeFirstAndMergeWithTheConfig)
{
    Node a, b;
    write_file(a.path("program.wasm"), program_bytes());
    auto program = add(a, a.path("program.wasm"));
    ServeProcess serve_a(a);
    Port dead(Port::Mode::Refuse);
    b.configure(peers_toml({ dead.url() }));
    auto fetched = fetch(b, "--peer " + serve_a.url() + " " + program);
    ASSERT_EQ(fetched.exit_code, 0) << fetched.errors;
    // The --peer had it, so the config's dead peer was never tried.
    EXPECT_EQ(fetched.errors.find("dead peer"), std::string::npos) << fetched.errors;
    EXPECT_EQ(cat(b, program), program_bytes());

    Node c;
    c.configure(peers_toml({ serve_a.url() }));
    fetched = fetch(c, "--peer " + dead.url() + " " + program);
    ASSERT_EQ(fetched.exit_code, 0) << fetched.errors;
    EXPECT_NE(fetched.errors.find("dead peer " + dead.url()), std::string::npos) << fetched.errors;
}

TEST(Run, FetchesAMissingProgramFromThePeersGivenWithPeerThenThoseOfTheConfig)
{
    Node a, b;
    auto program = add(a, HASHOS_HELLO_WASM);
    ASSERT_TRUE(program.starts_with("bafkrei")) << program;
    ServeProcess serve_a(a);
    Port dead(Port::Mode::Refuse);
    // --peer URLs are tried in order: the dead one, then A; the config's dead peer is never asked.
    Port dead_in_config(Port::Mode::Refuse);
    b.configure(peers_toml({ dead_in_config.url() }));
    auto errors = b.path("run.err");
    // The program's log lines and hashos's own messages, together.
    auto ran = run_command(b.hashos("run --peer " + dead.url() + " --peer " + serve_a.url() + " " + program) + " >"
        + shell_quote(errors.string()) + " 2>&1");
    auto output = store::testing::read_text_file(errors);
    ASSERT_EQ(ran.exit_code, 0) << output;
    EXPECT_NE(output.find("hello from hashos"), std::string::npos) << output;
    EXPECT_NE(output.find("dead peer " + dead.url()), std::string::npos) << output;
    EXPECT_EQ(output.find(dead_in_config.url()), std::string::npos) << output;
    // Fetched, verified, stored and pinned: it survives gc and runs again with no peer at all.
    EXPECT_EQ(run_command(b.hashos("gc")).exit_code, 0);
    b.configure("");
    ran = run_command(b.hashos("run " + program) + " 2>" + shell_quote(errors.string()));
    EXPECT_EQ(ran.exit_code, 0) << store::testing::read_text_file(errors);

    // Without --peer, the config's peers are used; with neither, the error says what to do.
    Node c;
    c.configure(peers_toml({ serve_a.url() }));
    EXPECT_EQ(run_command(c.hashos("run " + program) + " 2>/dev/null").exit_code, 0);
    Node d;
    ran = run_command(d.hashos("run " + program) + " 2>" + shell_quote(errors.string()));
    EXPECT_EQ(ran.exit_code, 125);
    EXPECT_NE(store::testing::read_text_file(errors).find(program), std::string::npos);
}

TEST(Fetch, FailsClearlyWhenNoPeerHasIt)
{
    Node a, b;
    ServeProcess serve_a(a);
    auto missing = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(as_bytes("nobody has this"))).to_string();
    auto fetched = fetch(b, "--peer " + serve_a.url() + " " + missing);
    EXPECT_EQ(fetched.exit_code, 1);
    EXPECT_NE(fetched.errors.find("no peer could provide block " + missing), std::string::npos) << fetched.errors;
    EXPECT_NE(fetched.errors.find("HTTP 404"), std::string::npos) << fetched.errors;
    EXPECT_EQ(fetch(b, "not-a-cid").exit_code, 1);
}

TEST(Config, UnknownKeysAndBadValuesAreErrors)
{
    Node node;
    node.configure("peer = [\"http://127.0.0.1:1\"]\n");
    auto fetched = fetch(node, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    EXPECT_EQ(fetched.exit_code, 1);
    EXPECT_NE(fetched.errors.find("unknown key peer"), std::string::npos) << fetched.errors;
    node.configure("peers = [\"127.0.0.1:1\"]\n");
    fetched = fetch(node, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    EXPECT_NE(fetched.errors.find("http:// or https://"), std::string::npos) << fetched.errors;
    node.configure("[fetch]\nparallel_blocks = 0\n");
    fetched = fetch(node, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    EXPECT_NE(fetched.errors.find("parallel_blocks"), std::string::npos) << fetched.errors;
    node.configure("peers = [\n");
    fetched = fetch(node, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    EXPECT_NE(fetched.errors.find("config.toml:"), std::string::npos) << fetched.errors;
}

TEST(Serve, AnswersStatusCodesAndStopsCleanlyOnSigterm)
{
    Node a;
    write_file(a.path("program.wasm"), program_bytes());
    auto program = add(a, a.path("program.wasm"));
    ServeProcess serve(a);
    httplib::Client client("127.0.0.1", serve.port());
    auto status = [&](const std::string& target, const std::string& accept) {
        httplib::Headers headers;
        if (!accept.empty())
            headers.emplace("Accept", accept);
        auto response = client.Get(target, headers);
        return response ? response->status : -1;
    };
    EXPECT_EQ(status("/ipfs/" + program, "application/vnd.ipld.raw"), 200);
    EXPECT_EQ(status("/ipfs/" + program + "?format=car", ""), 200);
    EXPECT_EQ(status("/ipfs/bafybeigarbage?format=raw", ""), 400);
    EXPECT_EQ(status("/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku?format=raw", ""), 404);
    EXPECT_EQ(status("/ipfs/" + program + "?format=tar", ""), 406);
    EXPECT_EQ(status("/ipfs/" + program, "text/html"), 406);
    EXPECT_EQ(serve.stop(), 0);
}

TEST(Serve, RefusesABadListenAddress)
{
    Node a;
    EXPECT_EQ(run_command(a.hashos("serve --listen nonsense 2>/dev/null")).exit_code, 1);
    EXPECT_EQ(run_command(a.hashos("serve --listen 127.0.0.1:99999 2>/dev/null")).exit_code, 1);
}

} // namespace
} // namespace hashos::net
