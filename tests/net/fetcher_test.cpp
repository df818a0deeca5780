// The fetcher against real servers on 127.0.0.1: good peers, peers that refuse connections, that
// stall, that lie (raw blocks and CARs), that lack blocks, and a DAG partly stored already.
#include "net/fetcher.h"
#include "net_test_support.h"

#include <csignal>

namespace hashos::net {
namespace {

using namespace testing;

constexpr size_t k_big_size = 5 * 1024 * 1024 + 3;

FetchOptions quick_options()
{
    FetchOptions options;
    options.connect_timeout = std::chrono::milliseconds(1000);
    options.stall_timeout = std::chrono::milliseconds(1000);
    return options;
}

class FetcherTest : public ::testing::Test {
protected:
    FetcherTest()
        : m_source_store(expect_value(store::BlockStore::open(m_source.path())))
        , m_target_store(expect_value(store::BlockStore::open(m_target.path())))
    {
        // httplib's client side of a dropped connection must not kill the test process.
        std::signal(SIGPIPE, SIG_IGN);
        m_small = add_bytes(m_source_store, as_bytes("a small program"));
        m_big = add_bytes(m_source_store, pattern_bytes(k_big_size));
    }

    Result<FetchReport> fetch(const std::vector<std::string>& peers, const store::Cid& root)
    {
        auto fetcher = expect_value(Fetcher::create(peers, quick_options()));
        return fetcher.fetch(root, m_target_store, [&](const FetchProgress& progress) { m_last_progress = progress; });
    }

    size_t kind_count(const FetchReport& report, PeerProblem::Kind kind)
    {
        return std::count_if(report.problems.begin(), report.problems.end(), [&](auto const& problem) { return problem.kind == kind; });
    }

    TemporaryDirectory m_source;
    TemporaryDirectory m_target;
    store::BlockStore m_source_store;
    store::BlockStore m_target_store;
    std::optional<store::Cid> m_small;
    std::optional<store::Cid> m_big;
    FetchProgress m_last_progress;
};

TEST_F(FetcherTest, FetchesARawBlock)
{
    ServerThread server(m_source.path());
    auto report = expect_value(fetch({ server.url() }, *m_small));
    EXPECT_EQ(report.blocks_stored, 1u);
    EXPECT_TRUE(report.problems.empty());
    EXPECT_EQ(read_back(m_target_store, *m_small), std::vector<uint8_t>(as_bytes("a small program").begin(), as_bytes("a small program").end()));
    EXPECT_EQ(m_last_progress.blocks_stored, 1u);
    EXPECT_EQ(m_last_progress.peer, server.url());
}

TEST_F(FetcherTest, FetchesAWholeDagAsACar)
{
    ServerThread server(m_source.path());
    auto report = expect_value(fetch({ server.url() + "/" }, *m_big));
    EXPECT_EQ(report.blocks_stored, 7u); // a root and six leaves
    EXPECT_TRUE(report.problems.empty());
    EXPECT_EQ(read_back(m_target_store, *m_big), pattern_bytes(k_big_size));
    ASSERT_TRUE(m_last_progress.total_bytes.has_value());
    EXPECT_GE(*m_last_progress.total_bytes, k_big_size);
    // Everything is there now: a second fetch asks nobody.
    auto again = expect_value(fetch({ "http://127.0.0.1:1" }, *m_big));
    EXPECT_EQ(again.blocks_stored, 0u);
    EXPECT_TRUE(again.problems.empty());
}

TEST_F(FetcherTest, SkipsDeadAndStalledPeers)
{
    Port refused(Port::Mode::Refuse);
    Port stalled(Port::Mode::Stall);
    ServerThread server(m_source.path());
    auto start = std::chrono::steady_clock::now();
    auto report = expect_value(fetch({ refused.url(), stalled.url(), server.url() }, *m_big));
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(read_back(m_target_store, *m_big), pattern_bytes(k_big_size));
    EXPECT_EQ(kind_count(report, PeerProblem::Kind::Dead), 2u);
    // The stalled peer costs about its stall timeout (1 s; libcurl checks once a second).
    EXPECT_LT(seconds, 6.0);
}

TEST_F(FetcherTest, DropsALyingPeerAndStoresNoneOfItsBytes)
{
    LyingGateway liar(m_source.path());
    ServerThread server(m_source.path());
    for (auto const& root : { *m_small, *m_big }) {
        auto report = expect_value(fetch({ liar.url(), server.url() }, root));
        EXPECT_EQ(kind_count(report, PeerProblem::Kind::Dropped), 1u);
        EXPECT_EQ(report.problems.front().peer, liar.url());
    }
    EXPECT_GE(liar.requests(), 2u);
    EXPECT_EQ(read_back(m_target_store, *m_small), std::vector<uint8_t>(as_bytes("a small program").begin(), as_bytes("a small program").end()));
    EXPECT_EQ(read_back(m_target_store, *m_big), pattern_bytes(k_big_size));
    expect_only_good_blocks(m_target.path());
}

TEST_F(FetcherTest, KeepsTheGoodStartOfALyingCarAndFetchesTheRestByBlock)
{
    LyingGateway liar(m_source.path(), 3); // the root and two leaves are honest
    ServerThread server(m_source.path());
    auto report = expect_value(fetch({ liar.url(), server.url() }, *m_big));
    EXPECT_EQ(kind_count(report, PeerProblem::Kind::Dropped), 1u);
    EXPECT_EQ(report.blocks_stored, 7u);
    // After the liar, one raw request per missing leaf and none to the liar.
    EXPECT_EQ(liar.requests(), 1u);
    EXPECT_EQ(read_back(m_target_store, *m_big), pattern_bytes(k_big_size));
    expect_only_good_blocks(m_target.path());
}

TEST_F(FetcherTest, FetchesOnlyTheMissingBlocks)
{
    // The target already has the root and some leaves (as after an interrupted fetch).
    DagBlocks blocks(m_source_store, *m_big, DagDepth::Whole);
    size_t index = 0;
    while (auto block = expect_value(blocks.next())) {
        if (index++ % 2 == 0)
            expect_value(m_target_store.put(block->cid, block->bytes));
    }
    ServerThread server(m_source.path());
    auto report = expect_value(fetch({ server.url() }, *m_big));
    EXPECT_EQ(report.blocks_stored, 3u);
    EXPECT_EQ(read_back(m_target_store, *m_big), pattern_bytes(k_big_size));
}

TEST_F(FetcherTest, TakesEachBlockFromWhicheverPeerHasIt)
{
    // Peer one has only the root and half the leaves; peer two has everything.
    TemporaryDirectory partial;
    auto partial_store = expect_value(store::BlockStore::open(partial.path()));
    DagBlocks blocks(m_source_store, *m_big, DagDepth::Whole);
    size_t index = 0;
    while (auto block = expect_value(blocks.next())) {
        if (index++ % 2 == 0)
            expect_value(partial_store.put(block->cid, block->bytes));
    }
    ServerThread first(partial.path());
    ServerThread second(m_source.path());
    auto report = expect_value(fetch({ first.url(), second.url() }, *m_big));
    EXPECT_EQ(read_back(m_target_store, *m_big), pattern_bytes(k_big_size));
    EXPECT_EQ(kind_count(report, PeerProblem::Kind::Dropped), 0u);
    EXPECT_EQ(kind_count(report, PeerProblem::Kind::Dead), 0u);
}

TEST_F(FetcherTest, FailsWithEveryPeersReasonWhenNobodyHasTheBlock)
{
    TemporaryDirectory empty;
    ServerThread server(empty.path());
    Port refused(Port::Mode::Refuse);
    auto report = fetch({ refused.url(), server.url() }, *m_small);
    ASSERT_TRUE(report.is_error());
    auto const& message = report.error().message();
    EXPECT_NE(message.find("no peer could provide block " + m_small->to_string()), std::string::npos) << message;
    EXPECT_NE(message.find(refused.url() + ": dead"), std::string::npos) << message;
    EXPECT_NE(message.find(server.url() + ": unhelpful: HTTP 404"), std::string::npos) << message;

    auto none = fetch({}, *m_small);
    ASSERT_TRUE(none.is_error());
    EXPECT_NE(none.error().message().find("no peers"), std::string::npos);
}

TEST(Fetcher, RefusesPeersThatAreNotHttpUrls)
{
    EXPECT_TRUE(Fetcher::create({ "ftp://example.org" }).is_error());
    EXPECT_TRUE(Fetcher::create({ "127.0.0.1:8080" }).is_error());
    EXPECT_TRUE(Fetcher::create({ "http://example.org/?x=1" }).is_error());
    EXPECT_FALSE(Fetcher::create({ "http://127.0.0.1:8080", "https://trustless-gateway.link" }).is_error());
}

} // namespace
} // namespace hashos::net
