// `hashos cid` against real IPFS importers, run live on the same files:
// - helia profile: ipfs-car (`pack --no-wrap`) and ipfs-unixfs-importer's unixfs-v1-2025 profile,
//   the importer Helia uses (npm, pinned in interop/package-lock.json);
// - kubo-legacy profile: ipfs_cid (Debian's ipfs-cid, the CIDv0 of `ipfs add`) and
//   ipfs-unixfs-importer's unixfs-v0-2015 profile.
// Small chunk sizes and node widths make deep trees from small files, compared with the same
// importer configured alike.
#include "store/importer.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hashos::store {
namespace {

using testing::pattern_bytes;
using testing::run_command;
using testing::shell_quote;
using testing::TemporaryDirectory;

constexpr size_t KiB = 1024;
constexpr size_t MiB = 1024 * KiB;

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string hashos_cid(const std::filesystem::path& path, const std::string& profile)
{
    auto result = run_command(shell_quote(HASHOS_BINARY) + " cid --profile " + profile + " " + shell_quote(path.string()));
    EXPECT_EQ(result.exit_code, 0);
    return trimmed(result.out);
}

std::string reference_cid(const std::filesystem::path& path, const std::string& profile, const std::string& layout = "")
{
    auto result = run_command(shell_quote(HASHOS_NODE) + " " + shell_quote(std::string(HASHOS_INTEROP_DIR) + "/reference-cid.mjs")
        + " " + profile + " " + shell_quote(path.string()) + " " + layout);
    EXPECT_EQ(result.exit_code, 0) << "reference-cid.mjs failed";
    return trimmed(result.out);
}

std::string ipfs_car_cid(const std::filesystem::path& path)
{
    // ipfs-car writes the CAR to -o and the root CID to stderr. The CAR must be a real file:
    // ipfs-car rewrites its header in place once the root is known.
    auto car = path.string() + ".car";
    auto result = run_command(shell_quote(std::string(HASHOS_INTEROP_DIR) + "/node_modules/.bin/ipfs-car")
        + " pack --no-wrap " + shell_quote(path.string()) + " -o " + shell_quote(car) + " 2>&1");
    EXPECT_EQ(result.exit_code, 0) << result.out;
    return trimmed(result.out);
}

std::string ipfs_cid_v0(const std::filesystem::path& path)
{
    // ipfs_cid prints {"CIDv0":"Qm…","CIDv1":"bafy…"} on stdout and statistics on stderr.
    auto result = run_command(shell_quote(HASHOS_IPFS_CID) + " " + shell_quote(path.string()) + " 2>/dev/null");
    EXPECT_EQ(result.exit_code, 0);
    auto start = result.out.find("\"CIDv0\":\"");
    if (start == std::string::npos)
        return "no CIDv0 in: " + result.out;
    start += 9;
    return result.out.substr(start, result.out.find('"', start) - start);
}

class Interop : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(std::filesystem::exists(HASHOS_NODE)) << "node not found (Node.js comes with the machine)";
        ASSERT_TRUE(std::filesystem::exists(HASHOS_IPFS_CID)) << "ipfs_cid not found: scripts/setup installs ipfs-cid";
    }

    std::filesystem::path pattern_file(size_t size)
    {
        auto path = m_directory / ("pattern-" + std::to_string(size));
        testing::write_file(path, pattern_bytes(size));
        return path;
    }

    TemporaryDirectory m_directory;
};

TEST_F(Interop, HeliaProfileEqualsIpfsCarAndHeliasImporter)
{
    for (size_t size : { size_t(0), size_t(1), MiB, MiB + 1, 5 * MiB }) {
        auto path = pattern_file(size);
        auto ours = hashos_cid(path, "helia");
        EXPECT_EQ(ours, ipfs_car_cid(path)) << size << " bytes";
        EXPECT_EQ(ours, reference_cid(path, "helia")) << size << " bytes";
    }
}

TEST_F(Interop, KuboLegacyProfileEqualsIpfsCidAndHeliasImporter)
{
    for (size_t size : { size_t(0), size_t(1), 256 * KiB, 256 * KiB + 1, 5 * 256 * KiB, 5 * MiB, 174 * 256 * KiB + 1 }) {
        auto path = pattern_file(size);
        auto ours = hashos_cid(path, "kubo-legacy");
        EXPECT_EQ(ours, ipfs_cid_v0(path)) << size << " bytes";
        EXPECT_EQ(ours, reference_cid(path, "kubo-legacy")) << size << " bytes";
    }
}

TEST_F(Interop, DeepTreesEqualHeliasImporterWithTheSameLayout)
{
    constexpr size_t k_chunk = 1024;
    constexpr size_t k_links = 4;
    auto layout = std::to_string(k_chunk) + " " + std::to_string(k_links);
    for (auto profile : { ImportProfile::Helia, ImportProfile::KuboLegacy }) {
        auto parameters = ImportParameters::for_profile(profile);
        parameters.chunk_size = k_chunk;
        parameters.max_links = k_links;
        // 1, 4, 5, 16, 17, 64, 65 and 70 chunks: full and one-over trees of depth 1 to 4.
        for (size_t chunks : { 1, 4, 5, 16, 17, 64, 65, 70 }) {
            for (size_t size : { chunks * k_chunk, chunks * k_chunk - 7 }) {
                auto path = pattern_file(size);
                auto ours = import_file(path, parameters, [](const Cid&, std::span<const uint8_t>) -> Result<void> { return {}; });
                ASSERT_FALSE(ours.is_error()) << ours.error().message();
                EXPECT_EQ(ours->to_string(), reference_cid(path, std::string(name(profile)), layout))
                    << name(profile) << ", " << size << " bytes";
            }
        }
    }
}

} // namespace
} // namespace hashos::store
