#include "interfaces/proto_parser.h"

#include "interfaces/canonical_form.h"

#include <algorithm>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>

namespace hashos::interfaces {

namespace {

using google::protobuf::FileDescriptor;
using google::protobuf::ServiceDescriptor;
using google::protobuf::compiler::DiskSourceTree;
using google::protobuf::compiler::Importer;
using google::protobuf::compiler::MultiFileErrorCollector;

// Keeps what libprotobuf reports instead of printing it, so the caller gets it as an Error.
class ErrorList final : public MultiFileErrorCollector {
public:
    void AddError(const std::string& filename, int line, int column, const std::string& message) override
    {
        // libprotobuf counts lines and columns from 0, and gives -1 when there is no position.
        std::string where = filename;
        if (line >= 0)
            where += ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1);
        add(where + ": " + message);
    }

    void add(const std::string& error)
    {
        if (!m_text.empty())
            m_text += "\n";
        m_text += error;
    }

    bool empty() const { return m_text.empty(); }
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

std::filesystem::path normalized(const std::filesystem::path& path)
{
    return std::filesystem::absolute(path).lexically_normal();
}

// The fields of `message` in field-number order (the order protobuf encoders write them in).
std::vector<Field> fields_of(const google::protobuf::Descriptor& message)
{
    using google::protobuf::FieldDescriptor;
    std::vector<Field> fields;
    for (int i = 0; i < message.field_count(); ++i) {
        const FieldDescriptor& field = *message.field(i);
        fields.push_back(Field {
            .name = field.name(),
            .number = static_cast<uint32_t>(field.number()),
            .type = field.type_name(), // "uint64", "enum", "message", "group", …
            .singular = !field.is_repeated() && !field.containing_oneof() && !field.has_presence(),
        });
    }
    std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.number < b.number; });
    return fields;
}

Result<Interface> describe(const ServiceDescriptor& service, const std::filesystem::path& source)
{
    std::string form = TRY(canonical_form(service));
    InterfaceHash hash = TRY(InterfaceHash::of_canonical_form(form));
    Interface interface {
        .full_name = service.full_name(),
        .name = snake_case(service.name()),
        .source = source,
        .methods = {},
        .canonical_form = std::move(form),
        .hash = hash,
    };
    for (int i = 0; i < service.method_count(); ++i) {
        auto& method = *service.method(i);
        interface.methods.push_back(Method {
            .name = method.name(),
            .number = static_cast<uint32_t>(i + 1),
            .request_type = method.input_type()->full_name(),
            .response_type = method.output_type()->full_name(),
            .request_fields = fields_of(*method.input_type()),
            .response_fields = fields_of(*method.output_type()),
        });
    }
    return interface;
}

} // namespace

Result<std::vector<Interface>> load_interfaces(const std::vector<std::filesystem::path>& files,
    const std::vector<std::filesystem::path>& import_dirs)
{
    DiskSourceTree source_tree;
    for (auto& directory : import_dirs)
        source_tree.MapPath("", normalized(directory).string());
    for (auto& file : files)
        source_tree.MapPath("", normalized(file).parent_path().string());
    source_tree.MapPath("", HASHOS_PROTOBUF_INCLUDE_DIR);

    ErrorList errors;
    Importer importer(&source_tree, &errors);
    std::vector<std::pair<const FileDescriptor*, std::filesystem::path>> parsed;
    for (auto& file : files) {
        std::string virtual_file;
        std::string shadowing_file;
        auto mapping = source_tree.DiskFileToVirtualFile(normalized(file).string(), &virtual_file, &shadowing_file);
        if (mapping == DiskSourceTree::SHADOWED) {
            errors.add(file.string() + ": shadowed by " + shadowing_file + ", which has the same import path '"
                + virtual_file + "'");
            continue;
        }
        if (mapping != DiskSourceTree::SUCCESS) {
            errors.add(file.string() + ": cannot open: " + source_tree.GetLastErrorMessage());
            continue;
        }
        // Import() reports its problems through `errors`; keep going to report every file's.
        if (const FileDescriptor* descriptor = importer.Import(virtual_file))
            parsed.emplace_back(descriptor, file);
    }
    if (!errors.empty())
        return Error(errors.text());

    std::vector<Interface> interfaces;
    for (auto& [descriptor, source] : parsed) {
        for (int i = 0; i < descriptor->service_count(); ++i)
            interfaces.push_back(TRY(describe(*descriptor->service(i), source)));
    }
    return interfaces;
}

} // namespace hashos::interfaces
