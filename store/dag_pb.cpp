#include "store/dag_pb.h"
#include "store/protobuf_wire.h"

#include <algorithm>

namespace hashos::store {

namespace {

// Field numbers of https://ipld.io/specs/codecs/dag-pb/spec/#serial-format
constexpr uint32_t k_node_data = 1;
constexpr uint32_t k_node_links = 2;
constexpr uint32_t k_link_hash = 1;
constexpr uint32_t k_link_name = 2;
constexpr uint32_t k_link_tsize = 3;

std::vector<uint8_t> encode_link(const PbLink& link)
{
    ProtobufWriter writer;
    writer.bytes_field(k_link_hash, link.hash.bytes());
    if (link.name) {
        auto const* name = reinterpret_cast<const uint8_t*>(link.name->data());
        writer.bytes_field(k_link_name, { name, link.name->size() });
    }
    if (link.tsize)
        writer.varint_field(k_link_tsize, *link.tsize);
    return writer.release_bytes();
}

Result<PbLink> decode_link(std::span<const uint8_t> bytes)
{
    ProtobufReader reader(bytes);
    std::optional<Cid> hash;
    std::optional<std::string> name;
    std::optional<uint64_t> tsize;
    uint32_t last_field = 0;
    while (!reader.at_end()) {
        auto field = TRY(reader.next());
        // Strictness: Hash, Name, Tsize, each at most once and in this order.
        if (field.number <= last_field)
            return Error("PBLink field " + std::to_string(field.number) + " is out of order or repeated");
        last_field = field.number;
        switch (field.number) {
        case k_link_hash:
            if (field.type != WireType::LengthDelimited)
                return Error("PBLink.Hash has the wrong wire type");
            hash = TRY(Cid::from_bytes(field.bytes));
            break;
        case k_link_name:
            if (field.type != WireType::LengthDelimited)
                return Error("PBLink.Name has the wrong wire type");
            name = std::string(field.bytes.begin(), field.bytes.end());
            break;
        case k_link_tsize:
            if (field.type != WireType::Varint)
                return Error("PBLink.Tsize has the wrong wire type");
            tsize = field.varint;
            break;
        default:
            return Error("PBLink has unknown field " + std::to_string(field.number));
        }
    }
    if (!hash)
        return Error("PBLink without a Hash");
    return PbLink { *hash, std::move(name), tsize };
}

Result<PbNode> decode_node(std::span<const uint8_t> bytes)
{
    ProtobufReader reader(bytes);
    PbNode node;
    while (!reader.at_end()) {
        auto field = TRY(reader.next());
        if (field.type != WireType::LengthDelimited)
            return Error("PBNode field " + std::to_string(field.number) + " has the wrong wire type");
        switch (field.number) {
        case k_node_links:
            if (node.data)
                return Error("PBNode.Links after PBNode.Data");
            node.links.push_back(TRY(decode_link(field.bytes)));
            break;
        case k_node_data:
            if (node.data)
                return Error("PBNode.Data appears twice");
            node.data = std::vector<uint8_t>(field.bytes.begin(), field.bytes.end());
            break;
        default:
            return Error("PBNode has unknown field " + std::to_string(field.number));
        }
    }
    return node;
}

} // namespace

std::vector<uint8_t> encode_dag_pb(const PbNode& node)
{
    // Canonical link order: by name bytes, stable, so unnamed file links keep their order.
    std::vector<const PbLink*> links;
    for (auto const& link : node.links)
        links.push_back(&link);
    std::stable_sort(links.begin(), links.end(), [](const PbLink* left, const PbLink* right) {
        return left->name.value_or("") < right->name.value_or("");
    });
    ProtobufWriter writer;
    for (auto const* link : links)
        writer.bytes_field(k_node_links, encode_link(*link));
    if (node.data)
        writer.bytes_field(k_node_data, *node.data);
    return writer.release_bytes();
}

Result<PbNode> decode_dag_pb(std::span<const uint8_t> bytes)
{
    auto node = decode_node(bytes);
    if (node.is_error())
        return Error("malformed dag-pb block: " + node.error().message());
    return node;
}

} // namespace hashos::store
