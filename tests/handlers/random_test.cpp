#include "handlers/random.h"

#include "handler_fixture.h"
#include "random.interface.h"

#include <gtest/gtest.h>

namespace hashos::handlers {

using namespace testing;

namespace {

std::vector<uint8_t> fill(uint32_t size)
{
    hashos_random_FillRequest request = { size };
    return encode_request(hashos_random_Random_METHOD_Fill, hashos_random_FillRequest_fields, &request);
}

std::string data_of(const kernel::Answer& answer)
{
    hashos_random_FillResponse response = hashos_random_FillResponse_init_zero;
    StringField data(RandomHandler::k_max_size);
    data.attach(response.data);
    EXPECT_FALSE(decode(answer.body, hashos_random_FillResponse_fields, &response).is_error());
    return data.value();
}

} // namespace

TEST(Random, FillsExactlyTheSizeAsked)
{
    RandomHandler handler;
    auto a = call(handler, fill(32));
    auto b = call(handler, fill(32));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(data_of(*a).size(), 32u);
    // Two 256-bit draws from a CSPRNG are equal with probability 2^-256.
    EXPECT_NE(data_of(*a), data_of(*b));
    EXPECT_EQ(data_of(*call(handler, fill(RandomHandler::k_max_size))).size(), RandomHandler::k_max_size);
    EXPECT_EQ(data_of(*call(handler, fill(0))).size(), 0u);
}

TEST(Random, RefusesMoreThanTheLimit)
{
    RandomHandler handler;
    EXPECT_EQ(error_code(*call(handler, fill(RandomHandler::k_max_size + 1))), uint32_t(kernel::ErrorCode::InvalidArgument));
    EXPECT_EQ(error_code(*call(handler, { 2 })), uint32_t(kernel::ErrorCode::Unimplemented));
}

} // namespace hashos::handlers
