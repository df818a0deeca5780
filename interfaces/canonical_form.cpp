// Reference implementation of the canonical form; docs/interfaces.md is the specification, and
// every rule below has a sentence there.
#include "interfaces/canonical_form.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <unordered_set>
#include <vector>

namespace hashos::interfaces {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

Result<void> require_proto3(const FileDescriptor& file, const std::string& what)
{
    if (file.syntax() != FileDescriptor::SYNTAX_PROTO3)
        return Error(file.name() + ": " + what
            + " is not declared in a proto3 file; the canonical form is defined for proto3 only");
    return {};
}

// Writes the canonical form depth first. A message or enum met for the first time is written as
// `message NAME {`, its body and `}`; met again (reuse or recursion) it is written as `message
// NAME` alone, a reference. That keeps the form finite and every type in it exactly once.
class CanonicalWriter {
public:
    Result<void> write_service(const ServiceDescriptor& service)
    {
        TRY(require_proto3(*service.file(), "service " + service.full_name()));
        m_out += k_canonical_form_version;
        m_out += "\nservice " + service.full_name() + "\n";
        for (int i = 0; i < service.method_count(); ++i)
            TRY(write_method(*service.method(i)));
        return {};
    }

    std::string release() { return std::move(m_out); }

private:
    Result<void> write_method(const MethodDescriptor& method)
    {
        if (method.client_streaming() || method.server_streaming())
            return Error(method.file()->name() + ": method " + method.full_name()
                + " streams; a hashos message carries one request and gets one answer");
        m_out += "method " + method.name() + "\n";
        m_out += "request ";
        TRY(write_message_use(*method.input_type()));
        m_out += "response ";
        TRY(write_message_use(*method.output_type()));
        return {};
    }

    // Ends the current line: ` {` + body + `}` on first meeting, nothing more on later ones.
    Result<void> write_message_use(const Descriptor& message)
    {
        m_out += "message " + message.full_name();
        if (!m_written.insert(message.full_name()).second) {
            m_out += "\n";
            return {};
        }
        TRY(require_proto3(*message.file(), "message " + message.full_name()));
        m_out += " {\n";
        // Field order in the source does not change the wire format, so fields go by number.
        std::vector<const FieldDescriptor*> fields;
        for (int i = 0; i < message.field_count(); ++i)
            fields.push_back(message.field(i));
        std::ranges::sort(fields, {}, &FieldDescriptor::number);
        for (const FieldDescriptor* field : fields)
            TRY(write_field(*field));
        m_out += "}\n";
        return {};
    }

    Result<void> write_enum_use(const EnumDescriptor& enumeration)
    {
        m_out += "enum " + enumeration.full_name();
        if (!m_written.insert(enumeration.full_name()).second) {
            m_out += "\n";
            return {};
        }
        TRY(require_proto3(*enumeration.file(), "enum " + enumeration.full_name()));
        m_out += " {\n";
        // By number; aliases (allow_alias) share a number, so then by name, byte by byte.
        std::vector<const EnumValueDescriptor*> values;
        for (int i = 0; i < enumeration.value_count(); ++i)
            values.push_back(enumeration.value(i));
        std::ranges::sort(values, [](const EnumValueDescriptor* a, const EnumValueDescriptor* b) {
            return std::pair(a->number(), a->name()) < std::pair(b->number(), b->name());
        });
        for (const EnumValueDescriptor* value : values)
            m_out += "value " + std::to_string(value->number()) + " " + value->name() + "\n";
        m_out += "}\n";
        return {};
    }

    Result<void> write_field(const FieldDescriptor& field)
    {
        m_out += "field " + std::to_string(field.number()) + " " + field.name() + " ";
        if (field.is_map()) {
            // A map is a repeated synthetic `NameEntry` message on the wire; the form says `map`
            // with the key and value types instead, since the entry's name is derived, not chosen.
            const Descriptor& entry = *field.message_type();
            // Map keys are integers, bool or string: always one scalar token.
            m_out += "map " + std::string(entry.map_key()->type_name()) + " ";
            return write_type(*entry.map_value());
        }
        if (field.is_repeated())
            m_out += "repeated ";
        else if (field.real_containing_oneof())
            m_out += "oneof " + field.real_containing_oneof()->name() + " ";
        else if (field.has_optional_keyword())
            m_out += "optional ";
        else
            m_out += "singular ";
        return write_type(field);
    }

    // The last token(s) of a field line, and the line's end.
    Result<void> write_type(const FieldDescriptor& field)
    {
        switch (field.type()) {
        case FieldDescriptor::TYPE_MESSAGE:
            return write_message_use(*field.message_type());
        case FieldDescriptor::TYPE_ENUM:
            return write_enum_use(*field.enum_type());
        case FieldDescriptor::TYPE_GROUP:
            return Error(field.file()->name() + ": field " + field.full_name()
                + " is a group, which proto3 does not have");
        default:
            m_out += field.type_name();
            m_out += "\n";
            return {};
        }
    }

    std::string m_out;
    std::unordered_set<std::string> m_written; // full names of messages and enums already written
};

} // namespace

Result<std::string> canonical_form(const ServiceDescriptor& service)
{
    CanonicalWriter writer;
    TRY(writer.write_service(service));
    return writer.release();
}

} // namespace hashos::interfaces
