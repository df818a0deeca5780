#include "cli/config.h"
#include "cli/data_dir.h"

#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace hashos::cli {

namespace {

std::string where(const std::string& source, const toml::node& node)
{
    return source + ":" + std::to_string(node.source().begin.line);
}

Result<std::vector<std::string>> read_peers(const toml::node& node, const std::string& source)
{
    auto const* array = node.as_array();
    if (!array)
        return Error(where(source, node) + ": peers must be an array of URLs");
    std::vector<std::string> peers;
    for (auto const& element : *array) {
        auto url = element.value<std::string>();
        if (!url || !(url->starts_with("http://") || url->starts_with("https://")))
            return Error(where(source, element) + ": each peer must be an http:// or https:// URL");
        peers.push_back(*url);
    }
    return peers;
}

Result<int64_t> read_positive(const toml::node& node, const std::string& source, std::string_view key, int64_t maximum)
{
    auto value = node.value<int64_t>();
    if (!value || *value <= 0 || *value > maximum)
        return Error(where(source, node) + ": " + std::string(key) + " must be an integer from 1 to " + std::to_string(maximum));
    return *value;
}

Result<void> read_fetch(const toml::table& table, const std::string& source, net::FetchOptions& fetch)
{
    for (auto const& [key, node] : table) {
        if (key == "connect_timeout_ms")
            fetch.connect_timeout = std::chrono::milliseconds(TRY(read_positive(node, source, key.str(), 600'000)));
        else if (key == "stall_timeout_ms")
            fetch.stall_timeout = std::chrono::milliseconds(TRY(read_positive(node, source, key.str(), 3'600'000)));
        else if (key == "parallel_blocks")
            fetch.parallel_blocks = size_t(TRY(read_positive(node, source, key.str(), 64)));
        else
            return Error(where(source, node) + ": unknown key fetch." + std::string(key.str()));
    }
    return {};
}

Result<void> read_serve(const toml::table& table, const std::string& source, Config& config)
{
    for (auto const& [key, node] : table) {
        if (key != "listen")
            return Error(where(source, node) + ": unknown key serve." + std::string(key.str()));
        auto listen = node.value<std::string>();
        if (!listen)
            return Error(where(source, node) + ": serve.listen must be a string HOST:PORT");
        config.listen = *listen;
    }
    return {};
}

const toml::table* as_table(const toml::node& node)
{
    return node.as_table();
}

} // namespace

Result<std::filesystem::path> config_path()
{
    return TRY(data_dir()) / "config.toml";
}

Result<Config> parse_config(std::string_view text, const std::string& source)
{
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& error) {
        // toml++ reports parse errors only by exception (Debian builds it with exceptions on);
        // they stop here and become a value.
        return Error(source + ":" + std::to_string(error.source().begin.line) + ": " + std::string(error.description()));
    }
    Config config;
    for (auto const& [key, node] : table) {
        if (key == "peers") {
            config.peers = TRY(read_peers(node, source));
        } else if (key == "fetch" && as_table(node)) {
            TRY(read_fetch(*as_table(node), source, config.fetch));
        } else if (key == "serve" && as_table(node)) {
            TRY(read_serve(*as_table(node), source, config));
        } else {
            return Error(where(source, node) + ": unknown key " + std::string(key.str())
                + " (known: peers, [fetch], [serve]; see docs/config.md)");
        }
    }
    return config;
}

Result<Config> load_config()
{
    auto path = TRY(config_path());
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::error_code error;
        if (!std::filesystem::exists(path, error) && !error)
            return Config {};
        return Error("cannot read " + path.string());
    }
    std::stringstream text;
    text << file.rdbuf();
    return parse_config(text.str(), path.string());
}

std::vector<std::string> merge_peers(const std::vector<std::string>& first, const std::vector<std::string>& config)
{
    std::vector<std::string> peers;
    std::set<std::string> seen;
    for (auto const* list : { &first, &config }) {
        for (auto const& peer : *list) {
            if (seen.insert(peer).second)
                peers.push_back(peer);
        }
    }
    return peers;
}

} // namespace hashos::cli
