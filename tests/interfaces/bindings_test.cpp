// Tests of the generated bindings of the shipped interfaces (hashos_interface_bindings() in
// interfaces/bindings.cmake): the constants in NAME.interface.h match the library's hashes, and a
// message body built with nanopb — method number varint, then the request — decodes back.

#include "interfaces/proto_parser.h"

#include "interface.interface.h"
#include "loader.interface.h"
#include "log.interface.h"
#include "process.interface.h"
#include "random.interface.h"
#include "time.interface.h"
#include "error.pb.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <gtest/gtest.h>

#include <cstring>
#include <map>

namespace hashos::interfaces {
namespace {

std::map<std::string, Interface> shipped_interfaces()
{
    const std::filesystem::path directory = std::filesystem::path(HASHOS_SOURCE_DIR) / "interfaces";
    std::vector<std::filesystem::path> files;
    for (auto name : { "interface", "loader", "log", "process", "random", "time" })
        files.push_back(directory / (std::string(name) + ".proto"));
    auto interfaces = load_interfaces(files);
    EXPECT_FALSE(interfaces.is_error()) << interfaces.error().message();
    std::map<std::string, Interface> by_name;
    if (!interfaces.is_error()) {
        for (auto& interface : interfaces.value())
            by_name.emplace(interface.full_name, interface);
    }
    return by_name;
}

void expect_constants(const Interface& interface, const char* full_name, const char* name, const char* hex,
    const uint8_t (&bytes)[32])
{
    SCOPED_TRACE(full_name);
    EXPECT_EQ(interface.full_name, full_name);
    EXPECT_EQ(interface.name, name);
    EXPECT_EQ(interface.hash.hex(), hex);
    EXPECT_EQ(std::memcmp(interface.hash.bytes().data(), bytes, 32), 0);
}

TEST(Bindings, HeaderConstantsMatchTheLibrary)
{
    auto interfaces = shipped_interfaces();
    ASSERT_EQ(interfaces.size(), 6u);
    expect_constants(interfaces.at(hashos_interface_Interface_FULL_NAME), hashos_interface_Interface_FULL_NAME,
        hashos_interface_Interface_NAME, hashos_interface_Interface_HASH_HEX, hashos_interface_Interface_hash);
    expect_constants(interfaces.at(hashos_loader_Loader_FULL_NAME), hashos_loader_Loader_FULL_NAME,
        hashos_loader_Loader_NAME, hashos_loader_Loader_HASH_HEX, hashos_loader_Loader_hash);
    expect_constants(interfaces.at(hashos_log_Log_FULL_NAME), hashos_log_Log_FULL_NAME, hashos_log_Log_NAME,
        hashos_log_Log_HASH_HEX, hashos_log_Log_hash);
    expect_constants(interfaces.at(hashos_process_Process_FULL_NAME), hashos_process_Process_FULL_NAME,
        hashos_process_Process_NAME, hashos_process_Process_HASH_HEX, hashos_process_Process_hash);
    expect_constants(interfaces.at(hashos_random_Random_FULL_NAME), hashos_random_Random_FULL_NAME,
        hashos_random_Random_NAME, hashos_random_Random_HASH_HEX, hashos_random_Random_hash);
    expect_constants(interfaces.at(hashos_time_Time_FULL_NAME), hashos_time_Time_FULL_NAME, hashos_time_Time_NAME,
        hashos_time_Time_HASH_HEX, hashos_time_Time_hash);
}

TEST(Bindings, MethodNumbersFollowDeclarationOrder)
{
    auto interfaces = shipped_interfaces();
    auto& time = interfaces.at(hashos_time_Time_FULL_NAME);
    ASSERT_EQ(time.methods.size(), 4u);
    EXPECT_EQ(time.methods[0].number, static_cast<uint32_t>(hashos_time_Time_METHOD_MonotonicNow));
    EXPECT_EQ(time.methods[1].number, static_cast<uint32_t>(hashos_time_Time_METHOD_WallNow));
    EXPECT_EQ(time.methods[2].number, static_cast<uint32_t>(hashos_time_Time_METHOD_SleepFor));
    EXPECT_EQ(time.methods[3].number, static_cast<uint32_t>(hashos_time_Time_METHOD_SleepUntil));
    EXPECT_EQ(hashos_interface_Interface_METHOD_Register, 1);
    EXPECT_EQ(hashos_interface_Interface_METHOD_Unregister, 2);
    EXPECT_EQ(hashos_process_Process_METHOD_List, 3);
}

TEST(Bindings, MessageBodyIsMethodNumberThenRequest)
{
    // interface.Register: a fixed 32-byte field, no callbacks needed.
    hashos_interface_Interface_Register_Request request = hashos_interface_RegisterRequest_init_zero;
    std::memcpy(request.hash, hashos_log_Log_hash, 32);

    uint8_t body[64];
    pb_ostream_t out = pb_ostream_from_buffer(body, sizeof(body));
    ASSERT_TRUE(pb_encode_varint(&out, hashos_interface_Interface_METHOD_Register));
    ASSERT_TRUE(pb_encode(&out, hashos_interface_Interface_Register_Request_fields, &request)) << PB_GET_ERROR(&out);
    // Method 1, then field 1 (bytes): tag 0x0a, length 32, the hash.
    ASSERT_EQ(out.bytes_written, 1u + 2u + 32u);
    EXPECT_EQ(body[0], 1);
    EXPECT_EQ(body[1], 0x0a);
    EXPECT_EQ(body[2], 32);

    pb_istream_t in = pb_istream_from_buffer(body, out.bytes_written);
    uint64_t method = 0;
    ASSERT_TRUE(pb_decode_varint(&in, &method));
    EXPECT_EQ(method, static_cast<uint64_t>(hashos_interface_Interface_METHOD_Register));
    hashos_interface_RegisterRequest decoded = hashos_interface_RegisterRequest_init_zero;
    ASSERT_TRUE(pb_decode(&in, hashos_interface_RegisterRequest_fields, &decoded)) << PB_GET_ERROR(&in);
    EXPECT_EQ(std::memcmp(decoded.hash, hashos_log_Log_hash, 32), 0);
}

TEST(Bindings, ErrorAnswerBodyRoundTrips)
{
    hashos_Error error = hashos_Error_init_zero;
    error.code = hashos_ErrorCode_ERROR_CODE_PERMISSION_DENIED;
    std::strcpy(error.message, "program bafkrei...: tcp denied by user");
    uint8_t body[300];
    pb_ostream_t out = pb_ostream_from_buffer(body, sizeof(body));
    ASSERT_TRUE(pb_encode(&out, hashos_Error_fields, &error));
    hashos_Error decoded = hashos_Error_init_zero;
    pb_istream_t in = pb_istream_from_buffer(body, out.bytes_written);
    ASSERT_TRUE(pb_decode(&in, hashos_Error_fields, &decoded));
    EXPECT_EQ(decoded.code, hashos_ErrorCode_ERROR_CODE_PERMISSION_DENIED);
    EXPECT_STREQ(decoded.message, error.message);
    EXPECT_EQ(static_cast<int>(hashos_ErrorCode_ERROR_CODE_UNAVAILABLE), 14); // gRPC's numbering
}

} // namespace
} // namespace hashos::interfaces
