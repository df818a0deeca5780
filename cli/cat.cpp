// `hashos cat CID`: writes the file CID names, from the block store, to standard output.
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "store/file_reader.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace hashos::cli {

namespace {

Result<void> write_stdout(std::span<const uint8_t> bytes)
{
    while (!bytes.empty()) {
        ssize_t written = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            return Error(std::string("cannot write to standard output: ") + std::strerror(errno));
        bytes = bytes.subspan(size_t(written));
    }
    return {};
}

} // namespace

void add_cat_command(CLI::App& app, int& exit_code)
{
    auto text = std::make_shared<std::string>();
    auto* command = app.add_subcommand("cat", "Write a stored file to standard output");
    command->add_option("cid", *text, "The file's CID")->required();
    command->callback([text, &exit_code] {
        auto result = [&]() -> Result<void> {
            auto cid = TRY(store::Cid::parse(*text));
            auto block_store = TRY(open_block_store());
            TRY(store::read_file(block_store, cid, write_stdout));
            return {};
        }();
        if (result.is_error()) {
            fmt::print(stderr, "hashos cat: {}\n", result.error().message());
            exit_code = 1;
        }
    });
}

} // namespace hashos::cli
