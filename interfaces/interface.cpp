#include "interfaces/interface.h"

#include <cctype>

namespace hashos::interfaces {

std::string snake_case(std::string_view camel_case)
{
    auto is_upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
    auto is_lower = [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; };
    std::string out;
    for (size_t i = 0; i < camel_case.size(); ++i) {
        char c = camel_case[i];
        // A word starts at an upper-case letter after a lower-case one (`pingPong`), or at the last
        // capital of an acronym that a lower-case letter follows (`HTTPServer` → `http_server`).
        bool starts_word = i > 0 && is_upper(c)
            && (is_lower(camel_case[i - 1])
                || (i + 1 < camel_case.size() && is_upper(camel_case[i - 1]) && is_lower(camel_case[i + 1])));
        if (starts_word && out.back() != '_')
            out += '_';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace hashos::interfaces
