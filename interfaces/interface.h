// Interface: what hashos needs to know about one proto3 service, with no libprotobuf types, so
// tools, the kernel's registry and the CLI can hold it without the parser.
#pragma once

#include "interfaces/interface_hash.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hashos::interfaces {

// A field of a method's request or response, as much as hashos-idl needs to generate a direct
// encoder and decoder for a message of scalars (interfaces/tool/direct_codec.h).
struct Field {
    std::string name;      // `sequence`: nanopb's struct member has the same name
    uint32_t number = 0;   // the field number
    std::string type;      // the .proto type: `uint64`, `sint32`, `bool`, `double`, `enum`, `string`, `bytes`, `message`
    bool singular = false; // proto3 singular: not repeated, not in a oneof, not `optional`
};

struct Method {
    std::string name;          // `Write`
    uint32_t number = 0;       // 1 + its index in declaration order; the first varint of a body
    std::string request_type;  // full name, `hashos.log.WriteRequest`
    std::string response_type; // full name, `hashos.log.WriteResponse`
    std::vector<Field> request_fields;  // in field-number order
    std::vector<Field> response_fields; // in field-number order
};

struct Interface {
    std::string full_name;          // `hashos.log.Log`
    std::string name;               // `log`: the service's name in snake_case, for humans
    std::filesystem::path source;   // the .proto file that declares it, as given
    std::vector<Method> methods;    // declaration order
    std::string canonical_form;     // docs/interfaces.md; what `hash` is the SHA-256 of
    InterfaceHash hash;

    std::string short_form() const { return hash.short_form(name); }
};

// `Log` → `log`, `PingPong` → `ping_pong`, `HTTPServer` → `http_server`.
std::string snake_case(std::string_view camel_case);

} // namespace hashos::interfaces
