#include "kernel/ids.h"

namespace hashos::kernel {

std::string InterfaceHash::short_hex() const
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (size_t i = 0; i < 6; ++i) {
        text += digits[m_bytes[i] >> 4];
        text += digits[m_bytes[i] & 15];
    }
    return text + "…";
}

} // namespace hashos::kernel
