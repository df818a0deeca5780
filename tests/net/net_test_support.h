// Helpers of the net tests: blocks of test DAGs, servers on 127.0.0.1 (the real gateway server
// and a lying one, in this process), ports where nobody answers, and `hashos` processes.
// Files, temporary directories and commands come from the store tests' helpers.
#pragma once

#include "../store/test_support.h"
#include "net/car_writer.h"
#include "net/dag_blocks.h"
#include "net/gateway_server.h"
#include "store/block_store.h"
#include "store/file_reader.h"
#include "store/importer.h"
#include "store/multibase.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace hashos::net::testing {

using store::testing::as_bytes;
using store::testing::expect_value;
using store::testing::pattern_bytes;
using store::testing::read_whole_file;
using store::testing::run_command;
using store::testing::shell_quote;
using store::testing::TemporaryDirectory;
using store::testing::write_file;

inline store::ImportParameters helia()
{
    return store::ImportParameters::for_profile(store::ImportProfile::Helia);
}

// Imports `bytes` into `store` as hashos add does; returns the root.
inline store::Cid add_bytes(const store::BlockStore& store, std::span<const uint8_t> bytes)
{
    auto put = [&](const store::Cid& cid, std::span<const uint8_t> block) { return store.put(cid, block); };
    auto root = expect_value(store::import_bytes(bytes, helia(), put));
    expect_value(store.pin(root));
    return root;
}

// The file bytes a DAG in `store` holds.
inline std::vector<uint8_t> read_back(const store::BlockSource& store, const store::Cid& root)
{
    std::vector<uint8_t> bytes;
    auto sink = [&](std::span<const uint8_t> piece) -> Result<void> {
        bytes.insert(bytes.end(), piece.begin(), piece.end());
        return {};
    };
    expect_value(store::read_file(store, root, sink));
    return bytes;
}

// Every block file under a store's directory, read raw and hashed here, temporary files
// included: proof that nothing unverified was ever written.
inline void expect_only_good_blocks(const std::filesystem::path& store_directory)
{
    size_t files = 0;
    for (auto const& entry : std::filesystem::recursive_directory_iterator(store_directory / "blocks")) {
        if (!entry.is_regular_file())
            continue;
        ++files;
        auto name = entry.path().filename().string();
        ASSERT_TRUE(name.ends_with(".data")) << "stray file " << entry.path();
        auto multihash = expect_value(store::Multihash::from_bytes(
            expect_value(store::decode_base32(name.substr(0, name.size() - 5), store::LetterCase::Upper))));
        EXPECT_TRUE(multihash.matches(read_whole_file(entry.path()))) << entry.path() << " does not match its name";
    }
    EXPECT_GT(files, 0u);
}

// The real gateway server on 127.0.0.1, on a thread of this process.
class ServerThread {
public:
    explicit ServerThread(const std::filesystem::path& store_directory)
        : m_server(expect_value(store::BlockStore::open(store_directory)))
    {
        m_port = expect_value(m_server.bind("127.0.0.1", 0));
        m_thread = std::thread([this] { (void)m_server.run(); });
    }
    ~ServerThread()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int port() const { return m_port; }

private:
    GatewayServer m_server;
    int m_port = 0;
    std::thread m_thread;
};

// A gateway that has the blocks of `store_directory` but flips a byte of each one it sends,
// as raw blocks and in CARs; CARs keep the honest CIDs. `honest_blocks` blocks of a CAR go out
// intact first, so a fetcher has stored some before the lie.
class LyingGateway {
public:
    explicit LyingGateway(const std::filesystem::path& store_directory, size_t honest_blocks = 0)
        : m_store(expect_value(store::BlockStore::open(store_directory)))
        , m_honest_blocks(honest_blocks)
    {
        m_server.Get(R"(/ipfs/([^/?]+))", [this](const httplib::Request& request, httplib::Response& response) {
            ++m_requests;
            auto cid = store::Cid::parse(request.matches[1].str());
            if (cid.is_error() || !m_store.has(cid->multihash()).value()) {
                response.status = 404;
                return;
            }
            bool car = request.get_param_value("format") == "car";
            std::vector<uint8_t> body;
            if (car) {
                body = car_header_bytes(CarHeader { { cid->bytes() } });
                DagBlocks blocks(m_store, cid.value(), DagDepth::Whole);
                size_t sent = 0;
                while (auto block = expect_value(blocks.next())) {
                    if (sent++ >= m_honest_blocks)
                        corrupt(block->bytes);
                    append_car_section(body, block->cid, block->bytes);
                }
            } else {
                body = expect_value(m_store.get(cid.value()));
                corrupt(body);
            }
            response.set_content(std::string(body.begin(), body.end()),
                car ? "application/vnd.ipld.car; version=1; order=dfs; dups=n" : "application/vnd.ipld.raw");
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        // Bound means listening already: connections wait in the backlog until the thread accepts.
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~LyingGateway()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    size_t requests() const { return m_requests; }

    static void corrupt(std::vector<uint8_t>& block)
    {
        if (block.empty())
            block.push_back(0x2a);
        else
            block[block.size() / 2] ^= 0x5a;
    }

private:
    store::BlockStore m_store;
    size_t m_honest_blocks;
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::atomic<size_t> m_requests = 0;
};

// A socket bound to a 127.0.0.1 port: while it lives, nobody else takes the port. Listening,
// it accepts connections into its backlog and never answers (a stalled peer); not listening,
// connections to it are refused (a dead peer).
class Port {
public:
    enum class Mode { Refuse, Stall };
    explicit Port(Mode mode)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&address), size) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
            throw std::runtime_error("cannot bind a test port");
        if (mode == Mode::Stall && ::listen(m_fd, 16) != 0)
            throw std::runtime_error("cannot listen on a test port");
        m_port = ntohs(address.sin_port);
    }
    ~Port() { ::close(m_fd); }
    Port(const Port&) = delete;
    Port& operator=(const Port&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    int m_fd = -1;
    int m_port = 0;
};

} // namespace hashos::net::testing
