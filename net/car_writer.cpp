#include "net/car_writer.h"

#include "store/varint.h"

namespace hashos::net {

std::vector<uint8_t> car_header_bytes(const CarHeader& header)
{
    auto body = encode_car_header(header);
    std::vector<uint8_t> out;
    store::append_varint(out, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::vector<uint8_t> car_section_prefix(const store::Cid& cid, size_t block_size)
{
    auto cid_bytes = cid.bytes();
    std::vector<uint8_t> out;
    store::append_varint(out, cid_bytes.size() + block_size);
    out.insert(out.end(), cid_bytes.begin(), cid_bytes.end());
    return out;
}

void append_car_section(std::vector<uint8_t>& out, const store::Cid& cid, std::span<const uint8_t> block)
{
    auto prefix = car_section_prefix(cid, block.size());
    out.insert(out.end(), prefix.begin(), prefix.end());
    out.insert(out.end(), block.begin(), block.end());
}

} // namespace hashos::net
