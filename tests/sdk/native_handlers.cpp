// Test handlers of `log` and `time` (native_handlers.h), decoding with the host nanopb bindings.
#include "tests/sdk/native_handlers.h"

#include "interface.interface.h"
#include "log.interface.h"
#include "time.interface.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <chrono>
#include <fstream>
#include <iterator>

namespace hashos::sdk_testing {

using namespace hashos::kernel;

namespace {

// Splits a message body into its method number and the stream of its request.
bool read_method(const Message& message, pb_istream_t& stream, uint32_t& method)
{
    stream = pb_istream_from_buffer(message.body.data(), message.body.size());
    return pb_decode_varint32(&stream, &method);
}

template <class Response>
Answer encode(const pb_msgdesc_t* fields, const Response& response)
{
    std::vector<uint8_t> body(256);
    pb_ostream_t stream = pb_ostream_from_buffer(body.data(), body.size());
    if (!pb_encode(&stream, fields, &response))
        return Answer::error(ErrorCode::Internal, "test handler: the response does not encode");
    body.resize(stream.bytes_written);
    return Answer::ok(std::move(body));
}

bool decode_text(pb_istream_t* stream, const pb_field_t*, void** argument)
{
    auto* text = static_cast<std::string*>(*argument);
    text->resize(stream->bytes_left);
    return pb_read(stream, reinterpret_cast<pb_byte_t*>(text->data()), text->size());
}

uint64_t since_epoch(auto now) { return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count(); }

} // namespace

Delivery TestLog::deliver(Message&& message)
{
    pb_istream_t stream;
    uint32_t method = 0;
    std::string text;
    hashos_log_WriteRequest request = hashos_log_WriteRequest_init_zero;
    request.text.funcs.decode = decode_text;
    request.text.arg = &text;
    if (!read_method(message, stream, method) || method != hashos_log_Log_METHOD_Write
        || !pb_decode(&stream, hashos_log_WriteRequest_fields, &request)) {
        answer_message(message, Answer::error(ErrorCode::InvalidArgument, "test log: not a Write"));
        return Delivery::Accepted;
    }
    {
        std::lock_guard lock(m_lock);
        m_lines.push_back(std::move(text));
    }
    answer_message(message, Answer::ok());
    return Delivery::Accepted;
}

std::vector<std::string> TestLog::lines() const
{
    std::lock_guard lock(m_lock);
    return m_lines;
}

Delivery TestTime::deliver(Message&& message)
{
    pb_istream_t stream;
    uint32_t method = 0;
    uint64_t monotonic = since_epoch(std::chrono::steady_clock::now());
    if (!read_method(message, stream, method)) {
        answer_message(message, Answer::error(ErrorCode::InvalidArgument, "test time: no method number"));
        return Delivery::Accepted;
    }
    switch (method) {
    case hashos_time_Time_METHOD_MonotonicNow: {
        hashos_time_MonotonicNowResponse response = { monotonic, 1 };
        answer_message(message, encode(hashos_time_MonotonicNowResponse_fields, response));
        break;
    }
    case hashos_time_Time_METHOD_WallNow: {
        hashos_time_WallNowResponse response = { int64_t(since_epoch(std::chrono::system_clock::now())), 1 };
        answer_message(message, encode(hashos_time_WallNowResponse_fields, response));
        break;
    }
    case hashos_time_Time_METHOD_SleepFor:
    case hashos_time_Time_METHOD_SleepUntil: {
        hashos_time_SleepResponse response = { monotonic };
        answer_message(message, encode(hashos_time_SleepResponse_fields, response));
        break;
    }
    default:
        answer_message(message, Answer::error(ErrorCode::Unimplemented, "test time: unknown method"));
    }
    return Delivery::Accepted;
}

static KernelConfig test_config(size_t workers)
{
    KernelConfig config;
    config.interface_interface = InterfaceHash::from(hashos_interface_Interface_hash);
    config.scheduler.workers = workers;
    return config;
}

TestKernel::TestKernel(size_t workers)
    : kernel(test_config(workers))
{
    kernel.permissions().set_fallback(Decision::Allow);
    kernel.register_handler(InterfaceHash::from(hashos_log_Log_hash), log);
    kernel.register_handler(InterfaceHash::from(hashos_time_Time_hash), time);
}

std::vector<uint8_t> read_file(const std::string& path)
{
    std::ifstream stream(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>() };
}

} // namespace hashos::sdk_testing
