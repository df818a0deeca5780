#include "handlers/loader.h"

#include "handler_fixture.h"
#include "loader.interface.h"
#include "store/dag_walk.h"
#include "store_fixture.h"

#include <gtest/gtest.h>

namespace hashos::handlers {

using namespace testing;

namespace {

std::vector<uint8_t> load_body(const std::string& cid, uint64_t max_size = 0)
{
    hashos_loader_LoadRequest request = hashos_loader_LoadRequest_init_zero;
    std::snprintf(request.cid, sizeof(request.cid), "%s", cid.c_str());
    request.max_size = max_size;
    return encode_request(hashos_loader_Loader_METHOD_Load, hashos_loader_LoadRequest_fields, &request);
}

std::vector<uint8_t> pattern(size_t size)
{
    std::vector<uint8_t> bytes(size);
    std::mt19937 random(size);
    for (auto& byte : bytes)
        byte = uint8_t(random());
    return bytes;
}

std::vector<uint8_t> content_of(const kernel::Answer& answer)
{
    hashos_loader_LoadResponse response = hashos_loader_LoadResponse_init_zero;
    StringField content(answer.body.size());
    content.attach(response.content);
    EXPECT_FALSE(decode(answer.body, hashos_loader_LoadResponse_fields, &response).is_error());
    return { content.value().begin(), content.value().end() };
}

class LoaderTest : public ::testing::Test {
protected:
    void TearDown() override { m_loop.stop(); }

    std::shared_ptr<LoaderHandler> loader(FetchHook fetch = {}, uint64_t max_size = LoaderHandler::k_default_max_size)
    {
        return std::make_shared<LoaderHandler>(m_store.open(), m_loop, std::move(fetch), max_size);
    }

    EventLoop m_loop;
    TemporaryStore m_store;
};

} // namespace

TEST_F(LoaderTest, LoadsARawBlockAndAUnixFsDag)
{
    auto small = pattern(1000);
    auto large = pattern(2'500'000); // three 1 MiB leaves under a dag-pb root
    auto small_cid = m_store.add(small);
    auto large_cid = m_store.add(large);
    ASSERT_EQ(small_cid.codec(), store::Codec::Raw);
    ASSERT_EQ(large_cid.codec(), store::Codec::DagPb);

    auto handler = loader();
    auto answer = call(*handler, load_body(small_cid.to_string()));
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(content_of(*answer), small);
    answer = call(*handler, load_body(large_cid.to_string()));
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(content_of(*answer), large);
}

TEST_F(LoaderTest, AnswersWithTheCodesOfLoaderProto)
{
    auto cid = m_store.add(pattern(5000));
    auto handler = loader();
    EXPECT_EQ(error_code(*call(*handler, load_body("not a cid"))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(*handler, load_body("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"))),
        uint32_t(kernel::ErrorCode::NotFound));
    EXPECT_EQ(error_code(*call(*handler, load_body(cid.to_string(), 4999))), uint32_t(kernel::ErrorCode::ResourceExhausted));
    EXPECT_EQ(call(*handler, load_body(cid.to_string(), 5000))->kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(error_code(*call(*handler, { 2 })), uint32_t(kernel::ErrorCode::Unimplemented));

    auto limited = loader({}, 100);
    EXPECT_EQ(error_code(*call(*limited, load_body(cid.to_string()))), uint32_t(kernel::ErrorCode::ResourceExhausted));
}

TEST_F(LoaderTest, FetchesWhatTheStoreLacks)
{
    TemporaryStore remote;
    auto bytes = pattern(2'200'000);
    auto cid = remote.add(bytes);
    int fetches = 0;
    // Stands in for net::Fetcher: copies the DAG from another store.
    auto fetch = [&](const store::Cid& root, const store::BlockStore& local) -> Result<void> {
        ++fetches;
        auto source = remote.open();
        return store::walk_dag(source, root, [&](const store::Cid& block, size_t) -> Result<void> {
            return local.put(block, TRY(source.get(block)));
        });
    };
    auto handler = loader(fetch);
    auto answer = call(*handler, load_body(cid.to_string()));
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->kind, kernel::AnswerKind::Ok) << decode_error(answer->body).message;
    EXPECT_EQ(content_of(*answer), bytes);
    EXPECT_EQ(fetches, 1);
    // Now stored: no second fetch.
    EXPECT_EQ(call(*handler, load_body(cid.to_string()))->kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(fetches, 1);

    auto failing = loader([](const store::Cid&, const store::BlockStore&) -> Result<void> { return Error("no peer has it"); });
    auto missing = call(*failing, load_body("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"));
    EXPECT_EQ(error_code(*missing), uint32_t(kernel::ErrorCode::NotFound));
    EXPECT_EQ(decode_error(missing->body).message, "loader: no peer has it");
}

} // namespace hashos::handlers
