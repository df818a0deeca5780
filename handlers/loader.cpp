#include "handlers/loader.h"

#include "handlers/wire.h"
#include "loader.interface.h"
#include "store/file_reader.h"

namespace hashos::handlers {

namespace {

// The store, noting whether a read failed because a block is absent (which a fetch can
// remedy) rather than damaged.
class NotingSource final : public store::BlockSource {
public:
    explicit NotingSource(const store::BlockStore& store) : m_store(store) {}

    Result<std::vector<uint8_t>> get(const store::Cid& cid) const override
    {
        if (!TRY(m_store.has(cid.multihash()))) {
            m_missing = true;
            return Error("block " + cid.to_string() + " is not in the store");
        }
        return m_store.get(cid);
    }
    bool missing() const { return m_missing; }

private:
    const store::BlockStore& m_store;
    mutable bool m_missing = false;
};

} // namespace

LoaderHandler::LoaderHandler(store::BlockStore store, EventLoop& loop, FetchHook fetch, uint64_t max_size)
    : m_store(std::move(store))
    , m_loop(loop)
    , m_fetch(std::move(fetch))
    , m_max_size(max_size)
{
}

kernel::Delivery LoaderHandler::deliver(kernel::Message&& message)
{
    m_loop.post_blocking([self = shared_from_this(), message = std::move(message)] {
        answer_message(message, self->answer(message.body));
    });
    return kernel::Delivery::Accepted;
}

kernel::Answer LoaderHandler::answer(std::span<const uint8_t> body) const
{
    auto request = split_request(body);
    if (!request)
        return malformed_request("loader", "no method number");
    if (request->method != hashos_loader_Loader_METHOD_Load)
        return unknown_method("loader", request->method);
    hashos_loader_LoadRequest load_request = hashos_loader_LoadRequest_init_zero;
    if (auto decoded = decode(request->payload, hashos_loader_LoadRequest_fields, &load_request); decoded.is_error())
        return malformed_request("loader", decoded.error().message());

    auto loaded = load(load_request.cid, load_request.max_size);
    if (auto* failure = std::get_if<LoadFailure>(&loaded))
        return kernel::Answer::error(failure->code, failure->message);
    auto const& content = std::get<std::vector<uint8_t>>(loaded);
    hashos_loader_LoadResponse response = hashos_loader_LoadResponse_init_zero;
    std::span<const uint8_t> bytes(content);
    attach_bytes(response.content, bytes);
    return kernel::Answer::ok(encode(hashos_loader_LoadResponse_fields, &response));
}

std::variant<std::vector<uint8_t>, LoadFailure> LoaderHandler::load(std::string_view cid_text, uint64_t max_size) const
{
    auto parsed = store::Cid::parse(cid_text);
    if (parsed.is_error())
        return LoadFailure { kernel::ErrorCode::InvalidArgument, "loader: '" + std::string(cid_text) + "' is not a CID: " + parsed.error().message() };
    const store::Cid& cid = parsed.value();
    uint64_t limit = max_size == 0 ? m_max_size : std::min(max_size, m_max_size);

    // Blocks absent from the store (rather than damaged) are worth fetching.
    bool missing = false;
    auto read = [&]() -> std::variant<std::vector<uint8_t>, LoadFailure> {
        NotingSource source(m_store);
        auto fail = [&](const Error& error) {
            missing = source.missing();
            return LoadFailure { kernel::ErrorCode::NotFound, "loader: " + error.message() };
        };
        // The root states the size: refuse early rather than read gigabytes.
        auto size = store::file_size(source, cid);
        if (size.is_error())
            return fail(size.error());
        if (size.value() > limit)
            return LoadFailure { kernel::ErrorCode::ResourceExhausted,
                "loader: " + cid.to_string() + " is " + std::to_string(size.value()) + " bytes, over the limit of " + std::to_string(limit) };
        std::vector<uint8_t> content;
        content.reserve(size.value());
        auto append = [&](std::span<const uint8_t> bytes) -> Result<void> {
            // The reader checks every child against the sizes its parent promises; this is only
            // the last word on memory.
            if (content.size() + bytes.size() > limit)
                return Error("over the limit of " + std::to_string(limit) + " bytes");
            content.insert(content.end(), bytes.begin(), bytes.end());
            return {};
        };
        if (auto done = store::read_file(source, cid, append); done.is_error())
            return fail(done.error());
        return content;
    };

    auto first = read();
    if (!missing || !m_fetch)
        return first;
    if (auto fetched = m_fetch(cid, m_store); fetched.is_error())
        return LoadFailure { kernel::ErrorCode::NotFound, "loader: " + fetched.error().message() };
    return read();
}

} // namespace hashos::handlers
