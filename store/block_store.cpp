#include "store/block_store.h"
#include "store/atomic_file.h"
#include "store/dag_walk.h"
#include "store/multibase.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <algorithm>
#include <optional>
#include <set>
#include <system_error>
#include <unistd.h>

namespace hashos::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_block_extension = ".data";

Result<void> make_directories(const fs::path& directory)
{
    std::error_code error;
    fs::create_directories(directory, error);
    if (error)
        return Error("cannot create " + directory.string() + ": " + error.message());
    return {};
}

enum class EntryKind { Files, TemporaryFiles, Directories };

// The entries of one kind in `directory`; none if it does not exist.
Result<std::vector<fs::path>> list_entries(const fs::path& directory, EntryKind kind)
{
    std::vector<fs::path> entries;
    std::error_code error;
    fs::directory_iterator iterator(directory, error);
    if (error == std::errc::no_such_file_or_directory)
        return entries;
    for (; !error && iterator != fs::directory_iterator(); iterator.increment(error)) {
        std::error_code type_error; // an entry removed meanwhile is simply not listed
        bool wanted = false;
        switch (kind) {
        case EntryKind::Directories:
            wanted = iterator->is_directory(type_error);
            break;
        case EntryKind::Files:
        case EntryKind::TemporaryFiles:
            wanted = iterator->is_regular_file(type_error)
                && is_temporary_file(iterator->path()) == (kind == EntryKind::TemporaryFiles);
            break;
        }
        if (wanted && !type_error)
            entries.push_back(iterator->path());
    }
    if (error)
        return Error("cannot list " + directory.string() + ": " + error.message());
    return entries;
}

// Reads a whole block file; `std::nullopt` when it does not exist.
Result<std::optional<std::vector<uint8_t>>> read_block_file(const fs::path& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return std::optional<std::vector<uint8_t>> {};
        return Error("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    std::vector<uint8_t> bytes;
    uint8_t buffer[64 * 1024];
    while (true) {
        ssize_t count = ::read(fd, buffer, sizeof buffer);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            int error = errno;
            ::close(fd);
            return Error("cannot read " + path.string() + ": " + std::strerror(error));
        }
        if (count == 0)
            break;
        // Past the largest block the store writes, the file cannot be a good block; stop
        // reading rather than load whatever grew there.
        if (bytes.size() + size_t(count) > k_max_block_size) {
            ::close(fd);
            return Error("block file " + path.string() + " is larger than " + std::to_string(k_max_block_size) + " bytes");
        }
        bytes.insert(bytes.end(), buffer, buffer + count);
    }
    ::close(fd);
    return std::optional(std::move(bytes));
}

Result<void> remove_file(const fs::path& path)
{
    std::error_code error;
    fs::remove(path, error);
    if (error)
        return Error("cannot remove " + path.string() + ": " + error.message());
    return {};
}

} // namespace

Result<BlockStore> BlockStore::open(const fs::path& directory)
{
    TRY(make_directories(directory / "blocks"));
    TRY(make_directories(directory / "pins"));
    return BlockStore(directory);
}

fs::path BlockStore::block_path(const Multihash& multihash) const
{
    // flatfs's "next-to-last/2" sharding: the last character of a sha2-256 multihash in base32
    // carries only 2 bits, the two before it spread blocks evenly over 1024 directories.
    auto name = encode_base32(multihash.bytes(), LetterCase::Upper);
    auto shard = name.substr(name.size() - 3, 2);
    return m_directory / "blocks" / shard / (name + std::string(k_block_extension));
}

fs::path BlockStore::pin_path(const Cid& root) const
{
    return m_directory / "pins" / root.to_string();
}

Result<bool> BlockStore::has(const Multihash& multihash) const
{
    std::error_code error;
    bool exists = fs::exists(block_path(multihash), error);
    if (error)
        return Error("cannot look up " + block_path(multihash).string() + ": " + error.message());
    return exists;
}

Result<std::vector<uint8_t>> BlockStore::get(const Cid& cid) const
{
    auto bytes = TRY(read_block_file(block_path(cid.multihash())));
    if (!bytes)
        return Error("block " + cid.to_string() + " is not in the store");
    if (!cid.multihash().matches(*bytes))
        return Error("block " + cid.to_string() + " is corrupt on disk (" + block_path(cid.multihash()).string()
            + " does not match its hash)");
    return std::move(*bytes);
}

Result<void> BlockStore::put(const Cid& cid, std::span<const uint8_t> block) const
{
    if (block.size() > k_max_block_size)
        return Error("block " + cid.to_string() + " is " + std::to_string(block.size()) + " bytes, over the "
            + std::to_string(k_max_block_size) + "-byte limit");
    auto verified = VerifiedBlock::verify(cid, block);
    if (verified.is_error())
        return Error("refusing block " + cid.to_string() + ": its bytes do not match its hash");
    return put(verified.value());
}

bool BlockStore::holds_intact(const fs::path& path, const Multihash& multihash) const
{
    auto existing = read_block_file(path);
    return !existing.is_error() && existing.value() && multihash.matches(*existing.value());
}

Result<void> BlockStore::put(const VerifiedBlock& block) const
{
    auto const& cid = block.cid();
    if (block.bytes().size() > k_max_block_size)
        return Error("block " + cid.to_string() + " is " + std::to_string(block.bytes().size()) + " bytes, over the "
            + std::to_string(k_max_block_size) + "-byte limit");
    auto lock = TRY(FileLock::acquire(lock_path(), LockMode::Shared));
    auto path = block_path(cid.multihash());
    // An intact copy makes this a no-op; a corrupt one is replaced by the good bytes.
    if (holds_intact(path, cid.multihash()))
        return {};
    TRY(make_directories(path.parent_path()));
    return write_file_atomically(path, block.bytes(), FileAccess::ReadOnly);
}

Result<std::vector<StoredBlock>> BlockStore::blocks() const
{
    std::vector<StoredBlock> blocks;
    for (auto const& shard : TRY(list_entries(m_directory / "blocks", EntryKind::Directories))) {
        for (auto const& path : TRY(list_entries(shard, EntryKind::Files))) {
            auto name = path.filename().string();
            if (!name.ends_with(k_block_extension))
                continue;
            name.resize(name.size() - k_block_extension.size());
            auto bytes = decode_base32(name, LetterCase::Upper);
            if (bytes.is_error())
                continue; // not a block file of ours
            auto multihash = Multihash::from_bytes(bytes.value());
            if (multihash.is_error())
                continue;
            std::error_code error;
            auto size = fs::file_size(path, error);
            if (error)
                continue; // removed by a concurrent gc since the listing
            blocks.push_back(StoredBlock { multihash.value(), size });
        }
    }
    return blocks;
}

Result<void> BlockStore::check_complete(const Cid& cid, std::set<Multihash>& seen, size_t depth) const
{
    if (depth > k_max_dag_depth)
        return Error("DAG deeper than " + std::to_string(k_max_dag_depth) + " levels at " + cid.to_string());
    if (!seen.insert(cid.multihash()).second)
        return {};
    // A raw leaf needs only to be there: reading and hashing it is get()'s job when it is used,
    // and pinning a freshly fetched 64 MiB file should not hash it all over again.
    if (cid.codec() == Codec::Raw) {
        if (!TRY(has(cid.multihash())))
            return Error("block " + cid.to_string() + " is not in the store");
        return {};
    }
    auto block = TRY(get(cid));
    for (auto const& link : TRY(block_links(cid, block)))
        TRY(check_complete(link, seen, depth + 1));
    return {};
}

Result<void> BlockStore::pin(const Cid& root) const
{
    auto lock = TRY(FileLock::acquire(lock_path(), LockMode::Shared));
    std::set<Multihash> seen;
    auto complete = check_complete(root, seen, 0);
    if (complete.is_error())
        return Error("cannot pin " + root.to_string() + ": " + complete.error().message());
    auto text = root.to_string() + "\n";
    return write_file_atomically(pin_path(root), { reinterpret_cast<const uint8_t*>(text.data()), text.size() },
        FileAccess::ReadWrite);
}

Result<void> BlockStore::unpin(const Cid& root) const
{
    std::vector<Cid> names { root.to_v1() };
    if (root.codec() == Codec::DagPb)
        names.push_back(TRY(Cid::create(CidVersion::V0, Codec::DagPb, root.multihash())));
    bool removed = false;
    for (auto const& name : names) {
        std::error_code error;
        removed |= fs::remove(pin_path(name), error);
        if (error)
            return Error("cannot remove " + pin_path(name).string() + ": " + error.message());
    }
    if (!removed)
        return Error(root.to_string() + " is not pinned");
    return {};
}

Result<std::vector<Cid>> BlockStore::pins() const
{
    std::vector<Cid> pins;
    for (auto const& path : TRY(list_entries(m_directory / "pins", EntryKind::Files))) {
        // Anything else in pins/ is not ours: ignored, like unknown files among the blocks.
        if (auto cid = Cid::parse(path.filename().string()); !cid.is_error())
            pins.push_back(cid.value());
    }
    std::sort(pins.begin(), pins.end(), [](const Cid& left, const Cid& right) {
        return left.to_string() < right.to_string();
    });
    return pins;
}

Result<GcHold> BlockStore::hold_off_gc() const
{
    return FileLock::acquire(lock_path(), LockMode::Shared);
}

Result<GcReport> BlockStore::collect_garbage() const
{
    // Exclusive: no writer is between storing blocks and pinning them, and no temporary file
    // is being written, so every one left is a crash's leftover.
    auto lock = TRY(FileLock::acquire(lock_path(), LockMode::Exclusive));

    std::set<Multihash> reachable;
    for (auto const& root : TRY(pins())) {
        auto marked = walk_dag(*this, root, [&](const Cid& cid, size_t) -> Result<void> {
            reachable.insert(cid.multihash());
            return {};
        });
        if (marked.is_error())
            return Error("pinned " + root.to_string() + " is incomplete or damaged (" + marked.error().message()
                + "); add it again or unpin it (hashos pin rm " + root.to_string() + ")");
    }

    GcReport report;
    for (auto const& block : TRY(blocks())) {
        if (reachable.contains(block.multihash))
            continue;
        TRY(remove_file(block_path(block.multihash)));
        report.blocks_removed++;
        report.bytes_freed += block.size;
    }
    auto directories = TRY(list_entries(m_directory / "blocks", EntryKind::Directories));
    directories.push_back(m_directory / "pins");
    for (auto const& directory : directories) {
        for (auto const& leftover : TRY(list_entries(directory, EntryKind::TemporaryFiles))) {
            TRY(remove_file(leftover));
            report.temporary_files_removed++;
        }
    }
    return report;
}

} // namespace hashos::store
