#include "handlers/log.h"

#include "handlers/wire.h"
#include "log.interface.h"

#include <asio/post.hpp>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace hashos::handlers {

namespace {

constexpr std::string_view k_replacement = "\xef\xbf\xbd"; // U+FFFD

std::string_view level_name(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warning:
        return "warning";
    case LogLevel::Error:
        return "error";
    }
    return "info";
}

void append_escaped(std::string& out, std::string_view prefix, uint32_t value, int digits)
{
    static constexpr char k_digits[] = "0123456789abcdef";
    out += prefix;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
        out += k_digits[(value >> shift) & 15];
}

// The length of the valid UTF-8 sequence at the start of `text`, or 0.
// https://www.unicode.org/versions/Unicode15.0.0/ch03.pdf, table 3-7 (well-formed sequences).
size_t utf8_sequence_length(std::string_view text)
{
    auto byte = [&](size_t i) { return uint8_t(text[i]); };
    uint8_t lead = byte(0);
    size_t length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length == 0 || text.size() < length)
        return 0;
    uint8_t low = 0x80, high = 0xbf; // the range of the second byte
    if (lead == 0xe0)
        low = 0xa0; // overlong
    else if (lead == 0xed)
        high = 0x9f; // surrogates
    else if (lead == 0xf0)
        low = 0x90; // overlong
    else if (lead == 0xf4)
        high = 0x8f; // over U+10FFFF
    if (byte(1) < low || byte(1) > high)
        return 0;
    for (size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xbf)
            return 0;
    }
    return length;
}

// `text` made safe for a terminal line: no line breaks, no control characters, valid UTF-8.
void append_sanitized(std::string& out, std::string_view text)
{
    for (size_t i = 0; i < text.size();) {
        uint8_t byte = uint8_t(text[i]);
        if (byte < 0x80) {
            if ((byte < 0x20 && byte != '\t') || byte == 0x7f)
                append_escaped(out, "\\x", byte, 2);
            else
                out += char(byte);
            ++i;
            continue;
        }
        size_t length = utf8_sequence_length(text.substr(i));
        if (length == 0) {
            out += k_replacement;
            ++i;
            continue;
        }
        // C1 controls (U+0080..U+009F, e.g. the one-byte CSI) drive terminals as well.
        if (byte == 0xc2 && uint8_t(text[i + 1]) < 0xa0)
            append_escaped(out, "\\u", uint8_t(text[i + 1]), 4);
        else
            out.append(text.substr(i, length));
        i += length;
    }
}

void write_all(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return; // a closed terminal: the line is lost, as it would be for a native program
        bytes.remove_prefix(size_t(written));
    }
}

} // namespace

LogHandler::LogHandler(EventLoop& loop, NameLookup names, LogOutput output)
    : m_names(std::move(names))
    , m_output(output)
    , m_strand(asio::make_strand(loop.blocking_executor()))
{
}

std::string LogHandler::format(std::string_view name, LogLevel level, std::string_view text)
{
    std::string prefix;
    append_sanitized(prefix, name);
    prefix += ": ";
    prefix += level_name(level);
    prefix += ": ";
    std::string out;
    out.reserve(text.size() + prefix.size() + 1);
    for (;;) {
        size_t end = text.find('\n');
        out += prefix;
        append_sanitized(out, text.substr(0, end));
        out += '\n';
        if (end == std::string_view::npos)
            return out;
        text.remove_prefix(end + 1);
    }
}

kernel::Delivery LogHandler::deliver(kernel::Message&& message)
{
    kernel::Message taken = std::move(message);
    auto request = split_request(taken.body);
    if (!request) {
        answer_message(taken, malformed_request("log", "no method number"));
        return kernel::Delivery::Accepted;
    }
    if (request->method != hashos_log_Log_METHOD_Write) {
        answer_message(taken, unknown_method("log", request->method));
        return kernel::Delivery::Accepted;
    }
    hashos_log_WriteRequest write_request = hashos_log_WriteRequest_init_zero;
    StringField text(k_max_text);
    text.attach(write_request.text);
    auto decoded = decode(request->payload, hashos_log_WriteRequest_fields, &write_request);
    if (text.too_long()) {
        answer_message(taken, kernel::Answer::error(kernel::ErrorCode::InvalidArgument,
            "log: the text is over " + std::to_string(k_max_text) + " bytes"));
        return kernel::Delivery::Accepted;
    }
    if (decoded.is_error()) {
        answer_message(taken, malformed_request("log", decoded.error().message()));
        return kernel::Delivery::Accepted;
    }
    // nanopb stores whatever number arrived; in C++ an enum holding a number outside its values
    // may not even be read, so it is read as the integer it is.
    uint32_t level_number;
    static_assert(sizeof(level_number) == sizeof(write_request.level));
    std::memcpy(&level_number, &write_request.level, sizeof(level_number));
    if (level_number > hashos_log_Level_LEVEL_ERROR) {
        answer_message(taken, kernel::Answer::error(kernel::ErrorCode::InvalidArgument,
            "log: level " + std::to_string(level_number) + " is not a Level"));
        return kernel::Delivery::Accepted;
    }
    auto level = level_number == hashos_log_Level_LEVEL_UNSPECIFIED ? LogLevel::Info : LogLevel(level_number);
    auto name = m_names(taken.sender, NameWait::No);
    asio::post(m_strand, [self = shared_from_this(), message = std::move(taken), level, text = std::move(text.value()), name] {
        self->write(message, level, text, name);
    });
    return kernel::Delivery::Accepted;
}

void LogHandler::write(const kernel::Message& message, LogLevel level, const std::string& text, const std::optional<std::string>& name)
{
    int fd = level >= LogLevel::Warning ? m_output.trouble_fd : m_output.ordinary_fd;
    auto known = name ? name : m_names(message.sender, NameWait::Yes);
    write_all(fd, format(known.value_or("process " + std::to_string(message.sender.value())), level, text));
    answer_message(message, kernel::Answer::ok()); // WriteResponse has no fields: its encoding is empty
}

} // namespace hashos::handlers
