// UnixFS Data: the file-system meaning of a dag-pb node, stored in PBNode.Data.
// https://github.com/ipfs/specs/blob/main/UNIXFS.md
//
//   message Data {
//     enum DataType { Raw = 0; Directory = 1; File = 2; Metadata = 3; Symlink = 4; HAMTShard = 5; }
//     required DataType Type = 1;  optional bytes Data = 2;  optional uint64 filesize = 3;
//     repeated uint64 blocksizes = 4;  optional uint64 hashType = 5;  optional uint64 fanout = 6;
//     optional uint32 mode = 7;  optional UnixTime mtime = 8;
//   }
//
// hashos writes File nodes only (Type, Data, filesize, blocksizes, the fields importers emit, in
// this order); it reads every field so that a directory or symlink is recognised and refused
// by name rather than misread.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace hashos::store {

enum class UnixFsType : uint64_t {
    Raw = 0,
    Directory = 1,
    File = 2,
    Metadata = 3,
    Symlink = 4,
    HamtShard = 5,
};

std::string_view name(UnixFsType type);

struct UnixFsData {
    UnixFsType type = UnixFsType::File;
    std::optional<std::vector<uint8_t>> data;
    std::optional<uint64_t> file_size;
    // The file bytes below each link of the node, in link order.
    std::vector<uint64_t> block_sizes;
};

std::vector<uint8_t> encode_unixfs(const UnixFsData& data);
Result<UnixFsData> decode_unixfs(std::span<const uint8_t> bytes);

} // namespace hashos::store
