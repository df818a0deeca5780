#include "net/gateway_request.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace hashos::net {

namespace {

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    while (true) {
        auto end = text.find(separator);
        parts.push_back(trim(text.substr(0, end)));
        if (end == std::string_view::npos)
            return parts;
        text.remove_prefix(end + 1);
    }
}

// One element of an Accept header: `type/subtype; name=value; q=0.5`.
// https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1
struct MediaRange {
    std::string type;
    std::map<std::string, std::string> parameters;
    double weight = 1.0;
};

std::vector<MediaRange> parse_accept(std::string_view accept)
{
    std::vector<MediaRange> ranges;
    for (auto element : split(accept, ',')) {
        auto pieces = split(element, ';');
        if (pieces.front().empty())
            continue;
        MediaRange range { lowercase(pieces.front()), {}, 1.0 };
        for (size_t index = 1; index < pieces.size(); ++index) {
            auto equals = pieces[index].find('=');
            if (equals == std::string_view::npos)
                continue;
            auto name = lowercase(trim(pieces[index].substr(0, equals)));
            auto value = trim(pieces[index].substr(equals + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            if (name == "q")
                range.weight = std::strtod(std::string(value).c_str(), nullptr);
            else
                range.parameters[name] = lowercase(value);
        }
        ranges.push_back(std::move(range));
    }
    return ranges;
}

// The CAR variants hashos writes: CARv1, blocks in depth-first order, each block once.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/#car-format-signaling-in-request
std::optional<std::string> unsupported_car_option(std::string_view name, std::string_view value)
{
    if (name == "version" && value != "1")
        return "CAR version " + std::string(value) + " is not supported (only 1)";
    if (name == "order" && value != "dfs" && value != "unk")
        return "CAR order " + std::string(value) + " is not supported (dfs)";
    if (name == "dups" && value != "n")
        return "CAR dups=" + std::string(value) + " is not supported (n)";
    return std::nullopt;
}

std::optional<std::string> unsupported_car_options(const std::map<std::string, std::string>& options)
{
    for (auto const& [name, value] : options) {
        if (auto problem = unsupported_car_option(name, value))
            return problem;
    }
    return std::nullopt;
}

std::optional<std::string> query_value(const QueryParameters& query, const std::string& name)
{
    auto found = query.find(name);
    if (found == query.end())
        return std::nullopt;
    return found->second;
}

// The format the request asks for: `format` wins over Accept, as the spec says.
std::variant<ResponseFormat, GatewayRejection> negotiate(const QueryParameters& query, std::string_view accept)
{
    if (auto format = query_value(query, "format")) {
        if (*format == "raw")
            return ResponseFormat::Raw;
        if (*format == "car")
            return ResponseFormat::Car;
        return GatewayRejection { 406, "format=" + *format + " is not supported (raw or car)" };
    }
    if (trim(accept).empty())
        return GatewayRejection { 400, "no Accept header and no format parameter: ask for " + std::string(k_raw_media_type)
                + " or " + std::string(k_car_media_type) };
    std::optional<ResponseFormat> best;
    double best_weight = 0;
    std::string car_problem;
    for (auto const& range : parse_accept(accept)) {
        std::optional<ResponseFormat> format;
        if (range.type == k_raw_media_type) {
            format = ResponseFormat::Raw;
        } else if (range.type == k_car_media_type) {
            if (auto problem = unsupported_car_options(range.parameters))
                car_problem = *problem;
            else
                format = ResponseFormat::Car;
        }
        // Not from the spec's examples but from RFC 9110: q=0 means "not acceptable"; among
        // equal weights the first listed wins.
        if (format && range.weight > best_weight) {
            best = format;
            best_weight = range.weight;
        }
    }
    if (best)
        return *best;
    if (!car_problem.empty())
        return GatewayRejection { 406, car_problem };
    return GatewayRejection { 406, "Accept: " + std::string(accept) + " names no format this gateway serves ("
            + std::string(k_raw_media_type) + ", " + std::string(k_car_media_type) + ")" };
}

std::variant<DagScope, GatewayRejection> car_scope(const QueryParameters& query)
{
    for (auto const& [name, option] : { std::pair { "car-version", "version" }, { "car-order", "order" }, { "car-dups", "dups" } }) {
        if (auto value = query_value(query, name)) {
            if (auto problem = unsupported_car_option(option, *value))
                return GatewayRejection { 406, *problem };
        }
    }
    if (query.contains("entity-bytes"))
        return GatewayRejection { 400, "entity-bytes is not supported by this gateway" };
    auto scope = query_value(query, "dag-scope");
    if (!scope || *scope == "all")
        return DagScope::All;
    if (*scope == "entity")
        return DagScope::Entity;
    if (*scope == "block")
        return DagScope::Block;
    return GatewayRejection { 400, "dag-scope=" + *scope + " is not one of block, entity, all" };
}

} // namespace

std::variant<GatewayRequest, GatewayRejection> parse_gateway_request(
    std::string_view path, const QueryParameters& query, std::string_view accept)
{
    auto slash = path.find('/');
    auto cid_text = path.substr(0, slash);
    auto content_path = slash == std::string_view::npos ? std::string_view {} : path.substr(slash + 1);

    GatewayRequest request;
    if (cid_text != k_probe_cid) {
        auto cid = store::Cid::parse(cid_text);
        if (cid.is_error())
            return GatewayRejection { 400, cid.error().message() };
        request.cid = cid.release_value();
    }

    auto format = negotiate(query, accept);
    if (auto* rejection = std::get_if<GatewayRejection>(&format))
        return *rejection;
    request.format = std::get<ResponseFormat>(format);

    if (request.format == ResponseFormat::Raw) {
        if (!content_path.empty())
            return GatewayRejection { 400, "a raw block has no path: request /ipfs/{cid} only" };
        return request;
    }
    if (!content_path.empty())
        return GatewayRejection { 501, "content paths are not supported by this gateway: request /ipfs/{cid}" };
    auto scope = car_scope(query);
    if (auto* rejection = std::get_if<GatewayRejection>(&scope))
        return *rejection;
    request.scope = std::get<DagScope>(scope);
    return request;
}

} // namespace hashos::net
