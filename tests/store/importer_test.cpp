#include "store/dag_pb.h"
#include "store/file_reader.h"
#include "store/importer.h"
#include "store/unixfs.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hashos::store {
namespace {

using testing::expect_value;
using testing::MemoryBlocks;
using testing::pattern_bytes;

constexpr size_t KiB = 1024;
constexpr size_t MiB = 1024 * KiB;

struct Vector {
    size_t size;
    std::string_view cid;
};

// Pinned from the reference tools on the pattern files (tests/store/interop_test.cpp checks the
// same sizes live): ipfs-car 3.1.0 (`pack --no-wrap`) and ipfs-unixfs-importer 17.1.1's
// unixfs-v1-2025 profile for helia; ipfs_cid (Debian ipfs-cid 0.0~git20200813) and
// ipfs-unixfs-importer's unixfs-v0-2015 profile for kubo-legacy.
constexpr Vector k_helia_vectors[] = {
    { 0, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" },
    { 1, "bafkreidogqfzz75tpkmjzjke425xqcrmpcib2p5tg44hnbirumdbpl5adu" },
    { MiB, "bafkreigkmbztslxhdw6ruljvnq6kuiz7r6bivyl7r6f2qvyo4nerxyjivm" },
    { MiB + 1, "bafybeicazqphgjf4g4qf4skxzdrp4q4ggibd5eun436hnrf7iftnvy4pde" },
    { 5 * MiB, "bafybeial6znjs3dmjk3q7xiij5hqggc4co5yujqr2nu5bcfg6v3kr5czna" },
};

constexpr Vector k_kubo_legacy_vectors[] = {
    { 0, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH" },
    { 1, "QmS9JArPwa55ePgDnyg6TzX24mYTS1b1vLqWNebyVotKxQ" },
    { 256 * KiB, "Qmav9n1KqB3BkrThrmqzBH3cao98vUcs5VzjzSJzBq78mF" },
    { 256 * KiB + 1, "Qma1PGhykYBExtRbho8kYQfQYXB2yXvcoh5HQAbkeDm4GD" },
    { 5 * 256 * KiB, "QmS39Entb1aVcdVbgh1bnDX6v3Jzsd4W6bEJsKiFzfEf3H" },
    { 5 * MiB, "QmQ2qJaCXpGDZgJsvbaJmPi3UzBn6BRqgmgRUP4z1G199H" },
    // 175 chunks: one more than a node holds, so the root sits two levels above the leaves.
    { 174 * 256 * KiB + 1, "QmQGzTr6PYdqKMWkrDAkwykcC2SnFvwuuyZZVNe9GUoCWi" },
};

void expect_vectors(ImportProfile profile, std::span<const Vector> vectors)
{
    for (auto const& vector : vectors) {
        auto bytes = pattern_bytes(vector.size);
        MemoryBlocks blocks;
        auto cid = expect_value(import_bytes(bytes, ImportParameters::for_profile(profile), blocks.sink()));
        EXPECT_EQ(cid.to_string(), vector.cid) << vector.size << " bytes";
        // Every block the importer made reads back into the same file.
        std::vector<uint8_t> read;
        auto size = expect_value(read_file(blocks, cid, [&](std::span<const uint8_t> part) -> Result<void> {
            read.insert(read.end(), part.begin(), part.end());
            return {};
        }));
        EXPECT_EQ(size, vector.size);
        EXPECT_TRUE(read == bytes) << vector.size << " bytes";
        EXPECT_EQ(expect_value(file_size(blocks, cid)), vector.size);
    }
}

TEST(Importer, HeliaProfileMatchesIpfsCar)
{
    expect_vectors(ImportProfile::Helia, k_helia_vectors);
}

TEST(Importer, KuboLegacyProfileMatchesIpfsAdd)
{
    expect_vectors(ImportProfile::KuboLegacy, k_kubo_legacy_vectors);
}

TEST(Importer, ProfilesByName)
{
    EXPECT_EQ(expect_value(parse_import_profile("helia")), ImportProfile::Helia);
    EXPECT_EQ(expect_value(parse_import_profile("kubo-legacy")), ImportProfile::KuboLegacy);
    EXPECT_NE(parse_import_profile("kubo").error().message().find("unknown import profile 'kubo'"), std::string::npos);
    auto helia = ImportParameters::for_profile(ImportProfile::Helia);
    EXPECT_EQ(helia.chunk_size, MiB);
    EXPECT_EQ(helia.max_links, 1024u);
    auto kubo = ImportParameters::for_profile(ImportProfile::KuboLegacy);
    EXPECT_EQ(kubo.chunk_size, 256 * KiB);
    EXPECT_EQ(kubo.max_links, 174u);
}

TEST(Importer, StreamingInPiecesGivesTheSameCid)
{
    auto bytes = pattern_bytes(3 * MiB + 12345);
    auto parameters = ImportParameters::for_profile(ImportProfile::Helia);
    auto whole = expect_value(import_bytes(bytes, parameters, [](auto const&, auto) -> Result<void> { return {}; }));
    auto importer = expect_value(FileImporter::create(parameters, [](auto const&, auto) -> Result<void> { return {}; }));
    for (size_t offset = 0; offset < bytes.size(); offset += 77777)
        ASSERT_FALSE(importer.write(std::span(bytes).subspan(offset, std::min<size_t>(77777, bytes.size() - offset))).is_error());
    EXPECT_EQ(importer.file_size(), bytes.size());
    EXPECT_EQ(expect_value(importer.finish()), whole);
}

// Small chunks and narrow nodes build trees several levels deep from small files; every size
// around the boundaries must read back intact, and the tree must have the balanced shape.
TEST(Importer, DeepTreesRoundTrip)
{
    for (auto leaf_format : { LeafFormat::Raw, LeafFormat::DagPbFile }) {
        ImportParameters parameters { .chunk_size = 3, .max_links = 3,
            .cid_version = leaf_format == LeafFormat::Raw ? CidVersion::V1 : CidVersion::V0, .leaf_format = leaf_format };
        for (size_t size = 0; size <= 3 * 27 + 4; ++size) {
            auto bytes = pattern_bytes(size);
            MemoryBlocks blocks;
            auto root = expect_value(import_bytes(bytes, parameters, blocks.sink()));
            std::vector<uint8_t> read;
            expect_value(read_file(blocks, root, [&](std::span<const uint8_t> part) -> Result<void> {
                read.insert(read.end(), part.begin(), part.end());
                return {};
            }));
            EXPECT_TRUE(read == bytes) << size;
            size_t chunks = std::max<size_t>(1, (size + 2) / 3);
            // leaves + parents of each level: ceil(n/3) per level until one node is left.
            size_t expected_blocks = chunks;
            for (size_t level = chunks; level > 1; level = (level + 2) / 3)
                expected_blocks += (level + 2) / 3;
            EXPECT_EQ(blocks.size(), expected_blocks) << size;
        }
    }
}

TEST(Importer, RootOfAMultiBlockFileDescribesItsChildren)
{
    MemoryBlocks blocks;
    auto root = expect_value(import_bytes(pattern_bytes(MiB + 1), ImportParameters::for_profile(ImportProfile::Helia), blocks.sink()));
    EXPECT_EQ(root.codec(), Codec::DagPb);
    auto node = expect_value(decode_dag_pb(expect_value(blocks.get(root))));
    ASSERT_EQ(node.links.size(), 2u);
    EXPECT_EQ(node.links[0].hash.codec(), Codec::Raw);
    EXPECT_EQ(node.links[0].tsize, std::optional<uint64_t>(MiB));
    EXPECT_EQ(node.links[1].tsize, std::optional<uint64_t>(1));
    EXPECT_EQ(node.links[0].name, std::optional<std::string>(""));
    auto unixfs = expect_value(decode_unixfs(*node.data));
    EXPECT_EQ(unixfs.type, UnixFsType::File);
    EXPECT_EQ(unixfs.file_size, std::optional<uint64_t>(MiB + 1));
    EXPECT_EQ(unixfs.block_sizes, (std::vector<uint64_t> { MiB, 1 }));
    EXPECT_FALSE(unixfs.data.has_value());
}

TEST(Importer, RejectsImpossibleParameters)
{
    auto sink = [](auto const&, auto) -> Result<void> { return {}; };
    EXPECT_TRUE(FileImporter::create({ .chunk_size = 0, .max_links = 2 }, sink).is_error());
    EXPECT_TRUE(FileImporter::create({ .chunk_size = 1, .max_links = 1 }, sink).is_error());
    EXPECT_TRUE(FileImporter::create({ .chunk_size = 1, .max_links = 2, .cid_version = CidVersion::V0 }, sink).is_error());
}

TEST(Importer, SinkErrorsStopTheImport)
{
    auto failing = [](auto const&, auto) -> Result<void> { return Error("disk full"); };
    auto result = import_bytes(pattern_bytes(10), ImportParameters::for_profile(ImportProfile::Helia), failing);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().message(), "disk full");
}

TEST(Importer, MissingFileIsAnError)
{
    auto result = import_file("/nonexistent/hashos-file", ImportParameters::for_profile(ImportProfile::Helia),
        [](auto const&, auto) -> Result<void> { return {}; });
    ASSERT_TRUE(result.is_error());
    EXPECT_NE(result.error().message().find("cannot open /nonexistent/hashos-file"), std::string::npos);
}

} // namespace
} // namespace hashos::store
