#include "cli/data_dir.h"

#include <cstdlib>

namespace hashos::cli {

namespace {

// Set while the command line is parsed, read by the subcommands' callbacks afterwards.
std::string g_data_dir_option;

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value ? value : "";
}

} // namespace

void add_data_dir_option(CLI::App& app)
{
    app.add_option("--data-dir", g_data_dir_option,
        "Data directory (default: $HASHOS_DATA_DIR, else $XDG_DATA_HOME/hashos, else ~/.local/share/hashos)");
}

Result<std::filesystem::path> data_dir()
{
    if (!g_data_dir_option.empty())
        return std::filesystem::path(g_data_dir_option);
    if (auto directory = environment("HASHOS_DATA_DIR"); !directory.empty())
        return std::filesystem::path(directory);
    // https://specifications.freedesktop.org/basedir-spec/latest/: a relative XDG_DATA_HOME is
    // invalid and must be ignored.
    if (auto xdg = environment("XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/')
        return std::filesystem::path(xdg) / "hashos";
    if (auto home = environment("HOME"); !home.empty())
        return std::filesystem::path(home) / ".local" / "share" / "hashos";
    return Error("no data directory: set HOME, XDG_DATA_HOME or HASHOS_DATA_DIR, or pass --data-dir");
}

Result<store::BlockStore> open_block_store()
{
    return store::BlockStore::open(TRY(data_dir()));
}

} // namespace hashos::cli
