// The config file: peers and gateways to fetch from, fetch timeouts, the serve address.
// It lives in the data directory, `<data dir>/config.toml` (see docs/config.md for why and for
// every key), so that one directory is one whole node. A missing file means the defaults.
// Unknown keys are errors, so a misspelt key is reported rather than silently ignored.
#pragma once

#include "base/result.h"
#include "net/fetcher.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::cli {

struct Config {
    // Base URLs of trustless gateways (other `hashos serve` nodes, IPFS gateways), tried in order.
    std::vector<std::string> peers;
    net::FetchOptions fetch;
    // `hashos serve`'s address when --listen is not given.
    std::string listen = "127.0.0.1:8080";
};

Result<std::filesystem::path> config_path();
// Reads config_path(), or returns the defaults when there is no such file.
Result<Config> load_config();
// Parses the text of a config file; `source` names it in error messages.
Result<Config> parse_config(std::string_view text, const std::string& source);

// The peers to try: `first` (from --peer, in order), then the config's, each once.
std::vector<std::string> merge_peers(const std::vector<std::string>& first, const std::vector<std::string>& config);

} // namespace hashos::cli
