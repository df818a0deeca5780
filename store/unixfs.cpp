#include "store/unixfs.h"
#include "store/protobuf_wire.h"
#include "store/varint.h"

#include <string>

namespace hashos::store {

namespace {

constexpr uint32_t k_type = 1;
constexpr uint32_t k_data = 2;
constexpr uint32_t k_file_size = 3;
constexpr uint32_t k_block_sizes = 4;

Result<UnixFsData> decode(std::span<const uint8_t> bytes)
{
    ProtobufReader reader(bytes);
    UnixFsData result;
    bool has_type = false;
    while (!reader.at_end()) {
        auto field = TRY(reader.next());
        switch (field.number) {
        case k_type:
            if (field.type != WireType::Varint)
                return Error("Type has the wrong wire type");
            if (field.varint > uint64_t(UnixFsType::HamtShard))
                return Error("unknown Type " + std::to_string(field.varint));
            result.type = UnixFsType(field.varint);
            has_type = true;
            break;
        case k_data:
            if (field.type != WireType::LengthDelimited)
                return Error("Data has the wrong wire type");
            result.data = std::vector<uint8_t>(field.bytes.begin(), field.bytes.end());
            break;
        case k_file_size:
            if (field.type != WireType::Varint)
                return Error("filesize has the wrong wire type");
            result.file_size = field.varint;
            break;
        case k_block_sizes:
            // A repeated scalar may arrive one value per field or packed (proto2 parsers accept
            // both); importers write it unpacked.
            if (field.type == WireType::Varint) {
                result.block_sizes.push_back(field.varint);
            } else if (field.type == WireType::LengthDelimited) {
                ByteReader packed(field.bytes);
                while (!packed.at_end())
                    result.block_sizes.push_back(TRY(read_protobuf_varint(packed)));
            } else {
                return Error("blocksizes has the wrong wire type");
            }
            break;
        default:
            // hashType, fanout, mode and mtime do not change a file's bytes, and unknown fields
            // of a proto2 message are skipped, as every protobuf parser does.
            break;
        }
    }
    if (!has_type)
        return Error("no Type");
    return result;
}

} // namespace

std::string_view name(UnixFsType type)
{
    switch (type) {
    case UnixFsType::Raw:
        return "raw";
    case UnixFsType::Directory:
        return "directory";
    case UnixFsType::File:
        return "file";
    case UnixFsType::Metadata:
        return "metadata";
    case UnixFsType::Symlink:
        return "symlink";
    case UnixFsType::HamtShard:
        return "HAMT-sharded directory";
    }
    return "unknown";
}

std::vector<uint8_t> encode_unixfs(const UnixFsData& data)
{
    ProtobufWriter writer;
    writer.varint_field(k_type, uint64_t(data.type));
    if (data.data)
        writer.bytes_field(k_data, *data.data);
    if (data.file_size)
        writer.varint_field(k_file_size, *data.file_size);
    for (uint64_t size : data.block_sizes)
        writer.varint_field(k_block_sizes, size);
    return writer.release_bytes();
}

Result<UnixFsData> decode_unixfs(std::span<const uint8_t> bytes)
{
    auto data = decode(bytes);
    if (data.is_error())
        return Error("malformed UnixFS data: " + data.error().message());
    return data;
}

} // namespace hashos::store
