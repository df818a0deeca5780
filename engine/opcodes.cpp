#include "engine/opcodes.h"

#include <array>

namespace hashos::wasm {

namespace {

constexpr uint16_t k_no_opcode = 0xFFFF;
constexpr size_t k_fc_table_size = 32;
constexpr size_t k_fe_table_size = 0x4F; // the threads proposal's last opcode is 0x4E

struct OpcodeMaps {
    std::array<uint16_t, 256> by_byte;
    std::array<uint16_t, k_fc_table_size> by_fc;
    std::array<uint16_t, k_fe_table_size> by_fe;
};

constexpr OpcodeMaps build_maps()
{
    OpcodeMaps maps {};
    maps.by_byte.fill(k_no_opcode);
    maps.by_fc.fill(k_no_opcode);
    maps.by_fe.fill(k_no_opcode);
    for (size_t i = 0; i < static_cast<size_t>(Opcode::Count); ++i) {
        const auto& entry = k_opcode_info[i];
        if (entry.prefix == 0)
            maps.by_byte[entry.code] = uint16_t(i);
        else if (entry.prefix == 0xFC)
            maps.by_fc[entry.code] = uint16_t(i);
        else
            maps.by_fe[entry.code] = uint16_t(i);
    }
    return maps;
}

constexpr OpcodeMaps k_maps = build_maps();

} // namespace

std::optional<Opcode> opcode_from_byte(uint8_t byte)
{
    if (k_maps.by_byte[byte] == k_no_opcode)
        return std::nullopt;
    return static_cast<Opcode>(k_maps.by_byte[byte]);
}

std::optional<Opcode> opcode_from_fc(uint32_t code)
{
    if (code >= k_fc_table_size || k_maps.by_fc[code] == k_no_opcode)
        return std::nullopt;
    return static_cast<Opcode>(k_maps.by_fc[code]);
}

std::optional<Opcode> opcode_from_fe(uint32_t code)
{
    if (code >= k_fe_table_size || k_maps.by_fe[code] == k_no_opcode)
        return std::nullopt;
    return static_cast<Opcode>(k_maps.by_fe[code]);
}

} // namespace hashos::wasm
