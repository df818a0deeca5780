#include "handlers/wire.h"

#include "error.pb.h"
#include "log.interface.h"

#include <gtest/gtest.h>

namespace hashos::handlers {

TEST(Wire, SplitsTheMethodNumberFromTheRequest)
{
    std::vector<uint8_t> body = { 0x96, 0x01, 0x08, 0x02 };
    auto request = split_request(body);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->method, 150u);
    EXPECT_EQ(std::vector<uint8_t>(request->payload.begin(), request->payload.end()), (std::vector<uint8_t> { 0x08, 0x02 }));
    EXPECT_FALSE(split_request({}));
    std::vector<uint8_t> unfinished = { 0x80 };
    EXPECT_FALSE(split_request(unfinished));
}

TEST(Wire, EncodesARequestAndDecodesItBack)
{
    hashos_log_WriteRequest request = hashos_log_WriteRequest_init_zero;
    request.level = hashos_log_Level_LEVEL_WARNING;
    std::string text = "careful";
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    attach_bytes(request.text, bytes);
    auto body = encode_request(hashos_log_Log_METHOD_Write, hashos_log_WriteRequest_fields, &request);

    auto split = split_request(body);
    ASSERT_TRUE(split);
    EXPECT_EQ(split->method, uint64_t(hashos_log_Log_METHOD_Write));
    hashos_log_WriteRequest decoded = hashos_log_WriteRequest_init_zero;
    StringField field(100);
    field.attach(decoded.text);
    ASSERT_FALSE(decode(split->payload, hashos_log_WriteRequest_fields, &decoded).is_error());
    EXPECT_EQ(decoded.level, hashos_log_Level_LEVEL_WARNING);
    EXPECT_EQ(field.value(), "careful");

    StringField small(3);
    decoded = hashos_log_WriteRequest_init_zero;
    small.attach(decoded.text);
    EXPECT_TRUE(decode(split->payload, hashos_log_WriteRequest_fields, &decoded).is_error());
    EXPECT_TRUE(small.too_long());
}

TEST(Wire, ReadsTheKernelsErrorAnswers)
{
    auto answer = kernel::Answer::error(kernel::ErrorCode::NotFound, "no such thing");
    auto error = decode_error(answer.body);
    EXPECT_EQ(error.code, uint32_t(hashos_ErrorCode_ERROR_CODE_NOT_FOUND));
    EXPECT_EQ(error.message, "no such thing");
    std::vector<uint8_t> garbage = { 0x0a, 0x7f };
    EXPECT_EQ(decode_error(garbage).code, uint32_t(kernel::ErrorCode::Internal));
}

TEST(Wire, CommonErrorAnswers)
{
    EXPECT_EQ(decode_error(unknown_method("log", 9).body).code, uint32_t(kernel::ErrorCode::Unimplemented));
    EXPECT_EQ(decode_error(unknown_method("log", 9).body).message, "log: no method number 9");
    EXPECT_EQ(decode_error(malformed_request("log", "x").body).code, uint32_t(kernel::ErrorCode::InvalidArgument));
}

} // namespace hashos::handlers
