// The binary decoder: bytes → Module. It checks structure (the binary grammar) and the limits of
// engine/limits.h, nothing else: indices, types and constness are the validator's.
// https://webassembly.github.io/spec/core/binary/modules.html
//
// Error messages start with the text of the spec's reference interpreter, so that they match the
// spec suite's assert_malformed expectations; where the binary allows more than one reading (a
// section that overruns its size, say), we fail the way the reference interpreter does.

#include "engine/decoder_instructions.h"
#include "engine/decoder_stream.h"
#include "engine/limits.h"
#include "engine/module.h"

#include <algorithm>
#include <string>

namespace hashos::wasm {

namespace {

constexpr uint32_t k_magic = 0x6d736100; // "\0asm"
constexpr uint32_t k_version = 1;

// https://webassembly.github.io/spec/core/binary/modules.html#sections
enum class SectionId : uint8_t {
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
};
constexpr uint8_t k_last_section_id = 12;

// Where a section must appear; ids are not in order (data count sits before code).
int section_rank(SectionId id)
{
    switch (id) {
    case SectionId::DataCount:
        return 10;
    case SectionId::Code:
        return 11;
    case SectionId::Data:
        return 12;
    default:
        return static_cast<int>(id);
    }
}

class ModuleDecoder {
public:
    explicit ModuleDecoder(std::span<const uint8_t> bytes) : m_stream(bytes) {}

    Result<Module> decode();

private:
    Result<void> decode_header();
    Result<void> decode_section(SectionId);
    Result<void> decode_custom_section(uint32_t size);
    Result<void> decode_type_section();
    Result<void> decode_import_section();
    Result<void> decode_function_section();
    Result<void> decode_table_section();
    Result<void> decode_memory_section();
    Result<void> decode_global_section();
    Result<void> decode_export_section();
    Result<void> decode_start_section();
    Result<void> decode_element_section();
    Result<void> decode_code_section();
    Result<void> decode_data_section();
    Result<void> decode_data_count_section();
    Result<void> check_consistency();

    Result<FuncType> read_func_type();
    Result<std::vector<ValType>> read_result_type(uint32_t limit, std::string_view what);
    Result<ConstantExpression> read_constant_expression();
    Result<ElementSegment> read_element_segment();
    Result<DataSegment> read_data_segment();
    Result<FunctionBody> read_function_body();

    DecoderStream m_stream;
    Module m_module;
    ExpressionFacts m_facts;
    // Locals come as (count, type) runs, collected before the total is checked.
    struct LocalRun {
        uint32_t count;
        ValType type;
    };
    std::vector<LocalRun> m_local_runs;
};

Result<Module> ModuleDecoder::decode()
{
    if (m_stream.size() > limits::k_max_module_size) {
        return m_stream.error_at(0, "implementation limit exceeded: module of " + std::to_string(m_stream.size()) +
                                        " bytes (at most " + std::to_string(limits::k_max_module_size) + ")");
    }
    TRY(decode_header());

    // Known sections appear at most once, in order; custom sections anywhere. A known section
    // out of place stops the module there, as in the reference interpreter, so what follows
    // is "unexpected content".
    int last_rank = 0;
    while (!m_stream.at_end()) {
        uint8_t id_byte = *m_stream.peek();
        if (id_byte > k_last_section_id)
            return m_stream.error("malformed section id");
        auto id = static_cast<SectionId>(id_byte);
        if (id != SectionId::Custom) {
            int rank = section_rank(id);
            if (rank <= last_rank)
                return m_stream.error("unexpected content after last section");
            last_rank = rank;
        }
        TRY(m_stream.read_u8());
        TRY(decode_section(id));
    }

    TRY(check_consistency());
    if (m_facts.deferred_error)
        return *m_facts.deferred_error;
    return std::move(m_module);
}

// https://webassembly.github.io/spec/core/binary/modules.html#binary-module
Result<void> ModuleDecoder::decode_header()
{
    uint32_t magic = TRY(m_stream.read_u32_le());
    if (magic != k_magic)
        return m_stream.error_at(0, "magic header not detected");
    uint32_t version = TRY(m_stream.read_u32_le());
    if (version != k_version)
        return m_stream.error_at(4, "unknown binary version");
    return {};
}

Result<void> ModuleDecoder::decode_section(SectionId id)
{
    uint32_t size = TRY(m_stream.read_length());
    size_t start = m_stream.position();
    switch (id) {
    case SectionId::Custom:
        TRY(decode_custom_section(size));
        break;
    case SectionId::Type:
        TRY(decode_type_section());
        break;
    case SectionId::Import:
        TRY(decode_import_section());
        break;
    case SectionId::Function:
        TRY(decode_function_section());
        break;
    case SectionId::Table:
        TRY(decode_table_section());
        break;
    case SectionId::Memory:
        TRY(decode_memory_section());
        break;
    case SectionId::Global:
        TRY(decode_global_section());
        break;
    case SectionId::Export:
        TRY(decode_export_section());
        break;
    case SectionId::Start:
        TRY(decode_start_section());
        break;
    case SectionId::Element:
        TRY(decode_element_section());
        break;
    case SectionId::Code:
        TRY(decode_code_section());
        break;
    case SectionId::Data:
        TRY(decode_data_section());
        break;
    case SectionId::DataCount:
        TRY(decode_data_count_section());
        break;
    }
    if (m_stream.position() != start + size)
        return m_stream.error_at(start, "section size mismatch");
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#custom-section
Result<void> ModuleDecoder::decode_custom_section(uint32_t size)
{
    size_t start = m_stream.position();
    // The name must be valid UTF-8 even though nothing reads it.
    TRY(m_stream.read_name());
    size_t used = m_stream.position() - start;
    if (used > size)
        return m_stream.error_at(m_stream.size(), "unexpected end of section or function");
    TRY(m_stream.skip(size - used));
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#type-section
Result<void> ModuleDecoder::decode_type_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_types, "types"));
    m_module.types.reserve(count); // bounded by the limit and by the bytes present
    for (uint32_t i = 0; i < count; ++i)
        m_module.types.push_back(TRY(read_func_type()));
    return {};
}

// https://webassembly.github.io/spec/core/binary/types.html#function-types
Result<FuncType> ModuleDecoder::read_func_type()
{
    uint8_t form = TRY(m_stream.read_u8());
    if (form != 0x60) {
        if (form & 0x80)
            return m_stream.error("integer representation too long");
        return m_stream.error_at(m_stream.position() - 1, "malformed function type");
    }
    FuncType type;
    type.params = TRY(read_result_type(limits::k_max_function_params, "parameters"));
    type.results = TRY(read_result_type(limits::k_max_function_results, "results"));
    return type;
}

Result<std::vector<ValType>> ModuleDecoder::read_result_type(uint32_t limit, std::string_view what)
{
    uint32_t count = TRY(m_stream.read_count(limit, what));
    std::vector<ValType> types;
    types.reserve(count); // bounded by `limit`
    for (uint32_t i = 0; i < count; ++i)
        types.push_back(TRY(m_stream.read_value_type()));
    return types;
}

// https://webassembly.github.io/spec/core/binary/modules.html#import-section
Result<void> ModuleDecoder::decode_import_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_imports, "imports"));
    m_module.imports.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
        Import import;
        import.module = TRY(m_stream.read_name());
        import.name = TRY(m_stream.read_name());
        uint8_t kind = TRY(m_stream.read_u8());
        switch (kind) {
        case 0x00:
            import.kind = ExternKind::Function;
            import.type_index = TRY(m_stream.read_u32());
            ++m_module.imported_functions;
            break;
        case 0x01:
            import.kind = ExternKind::Table;
            import.table = TRY(m_stream.read_table_type());
            ++m_module.imported_tables;
            break;
        case 0x02:
            import.kind = ExternKind::Memory;
            import.memory = TRY(m_stream.read_memory_type());
            ++m_module.imported_memories;
            break;
        case 0x03:
            import.kind = ExternKind::Global;
            import.global = TRY(m_stream.read_global_type());
            ++m_module.imported_globals;
            break;
        default:
            return m_stream.error_at(m_stream.position() - 1, "malformed import kind");
        }
        m_module.imports.push_back(std::move(import));
    }
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#function-section
Result<void> ModuleDecoder::decode_function_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_functions, "functions"));
    m_module.functions.reserve(count);
    for (uint32_t i = 0; i < count; ++i)
        m_module.functions.push_back(TRY(m_stream.read_u32()));
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#table-section
Result<void> ModuleDecoder::decode_table_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_tables, "tables"));
    for (uint32_t i = 0; i < count; ++i)
        m_module.tables.push_back(TRY(m_stream.read_table_type()));
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#memory-section
Result<void> ModuleDecoder::decode_memory_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_memories, "memories"));
    for (uint32_t i = 0; i < count; ++i)
        m_module.memories.push_back(TRY(m_stream.read_memory_type()));
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#global-section
Result<void> ModuleDecoder::decode_global_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_globals, "globals"));
    for (uint32_t i = 0; i < count; ++i) {
        Global global;
        global.type = TRY(m_stream.read_global_type());
        global.init = TRY(read_constant_expression());
        m_module.globals.push_back(std::move(global));
    }
    return {};
}

Result<ConstantExpression> ModuleDecoder::read_constant_expression()
{
    ConstantExpression expression;
    std::vector<uint32_t> unused_label_tables; // br_table is not constant; see decode_expression
    TRY(decode_expression(m_stream, ExpressionKind::Constant, expression.instructions, unused_label_tables, m_facts));
    return expression;
}

// https://webassembly.github.io/spec/core/binary/modules.html#export-section
Result<void> ModuleDecoder::decode_export_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_exports, "exports"));
    m_module.exports.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
        Export export_;
        export_.name = TRY(m_stream.read_name());
        uint8_t kind = TRY(m_stream.read_u8());
        if (kind > static_cast<uint8_t>(ExternKind::Global))
            return m_stream.error_at(m_stream.position() - 1, "malformed export kind");
        export_.kind = static_cast<ExternKind>(kind);
        export_.index = TRY(m_stream.read_u32());
        m_module.exports.push_back(std::move(export_));
    }
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#start-section
Result<void> ModuleDecoder::decode_start_section()
{
    m_module.start = TRY(m_stream.read_u32());
    return {};
}

// https://webassembly.github.io/spec/core/binary/modules.html#element-section
Result<void> ModuleDecoder::decode_element_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_element_segments, "element segments"));
    for (uint32_t i = 0; i < count; ++i)
        m_module.elements.push_back(TRY(read_element_segment()));
    return {};
}

// The segment's flags: bit 0 = passive or declarative, bit 1 = explicit table index (active) or
// declarative (otherwise), bit 2 = items are expressions rather than function indices.
Result<ElementSegment> ModuleDecoder::read_element_segment()
{
    size_t flags_offset = m_stream.position();
    uint32_t flags = TRY(m_stream.read_u32());
    if (flags > 7)
        return m_stream.error_at(flags_offset, "malformed elements segment kind");
    bool not_active = flags & 1;
    bool has_table_or_declarative = flags & 2;
    bool has_expressions = flags & 4;

    ElementSegment segment;
    if (!not_active) {
        segment.mode = ElementSegment::Mode::Active;
        if (has_table_or_declarative)
            segment.table_index = TRY(m_stream.read_u32());
        segment.offset = TRY(read_constant_expression());
    } else {
        segment.mode = has_table_or_declarative ? ElementSegment::Mode::Declarative : ElementSegment::Mode::Passive;
    }

    // Flags 0 and 4 imply funcref; the others spell out an element kind or a reference type.
    bool has_type = flags != 0 && flags != 4;
    segment.type = ValType::FuncRef;
    if (has_type && has_expressions) {
        segment.type = TRY(m_stream.read_ref_type());
    } else if (has_type) {
        uint8_t element_kind = TRY(m_stream.read_u8());
        if (element_kind != 0x00)
            return m_stream.error_at(m_stream.position() - 1, "malformed element kind");
    }

    uint32_t item_count = TRY(m_stream.read_count(limits::k_max_element_segment_items, "element segment items"));
    for (uint32_t i = 0; i < item_count; ++i) {
        if (has_expressions) {
            segment.items.push_back(TRY(read_constant_expression()));
            continue;
        }
        // A function index stands for the constant expression (ref.func index).
        ConstantExpression item;
        item.instructions.resize(2);
        item.instructions[0].op = Opcode::RefFunc;
        item.instructions[0].index = TRY(m_stream.read_u32());
        item.instructions[1].op = Opcode::End;
        segment.items.push_back(std::move(item));
    }
    return segment;
}

// https://webassembly.github.io/spec/core/binary/modules.html#code-section
Result<void> ModuleDecoder::decode_code_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_functions, "function bodies"));
    m_module.code.reserve(count);
    for (uint32_t i = 0; i < count; ++i)
        m_module.code.push_back(TRY(read_function_body()));
    return {};
}

Result<FunctionBody> ModuleDecoder::read_function_body()
{
    size_t size_offset = m_stream.position();
    uint32_t size = TRY(m_stream.read_length());
    if (size > limits::k_max_function_body_size) {
        return m_stream.error_at(size_offset, "implementation limit exceeded: function body of " + std::to_string(size) +
                                                  " bytes (at most " +
                                                  std::to_string(limits::k_max_function_body_size) + ")");
    }
    size_t start = m_stream.position();
    FunctionBody body;
    body.offset_in_binary = static_cast<uint32_t>(start);

    // Locals come as (count, type) runs; the total is checked before anything is allocated.
    uint32_t run_count = TRY(m_stream.read_length());
    std::vector<LocalRun>& runs = m_local_runs; // reused from body to body
    runs.clear();
    uint64_t total = 0;
    for (uint32_t i = 0; i < run_count; ++i) {
        LocalRun run;
        run.count = TRY(m_stream.read_u32());
        run.type = TRY(m_stream.read_value_type());
        total += run.count;
        runs.push_back(run);
    }
    if (total > limits::k_max_locals)
        return m_stream.error_at(start, "too many locals");
    body.locals.reserve(total);
    for (const LocalRun& run : runs)
        body.locals.insert(body.locals.end(), run.count, run.type);

    // About one instruction per two bytes of body: reserved once rather than grown by copying
    // (bounded by the bytes really present, whatever the size field claims).
    body.instructions.reserve(std::min<size_t>(size, m_stream.size() - m_stream.position()) / 2 + 1);
    TRY(decode_expression(m_stream, ExpressionKind::FunctionBody, body.instructions, body.label_tables, m_facts));
    if (m_stream.position() != start + size)
        return m_stream.error_at(start, "section size mismatch");
    return body;
}

// https://webassembly.github.io/spec/core/binary/modules.html#data-section
Result<void> ModuleDecoder::decode_data_section()
{
    uint32_t count = TRY(m_stream.read_count(limits::k_max_data_segments, "data segments"));
    for (uint32_t i = 0; i < count; ++i)
        m_module.datas.push_back(TRY(read_data_segment()));
    return {};
}

Result<DataSegment> ModuleDecoder::read_data_segment()
{
    size_t kind_offset = m_stream.position();
    uint32_t kind = TRY(m_stream.read_u32());
    DataSegment segment;
    switch (kind) {
    case 0:
        segment.mode = DataSegment::Mode::Active;
        segment.offset = TRY(read_constant_expression());
        break;
    case 1:
        segment.mode = DataSegment::Mode::Passive;
        break;
    case 2:
        segment.mode = DataSegment::Mode::Active;
        segment.memory_index = TRY(m_stream.read_u32());
        segment.offset = TRY(read_constant_expression());
        break;
    default:
        return m_stream.error_at(kind_offset, "malformed data segment kind");
    }
    uint32_t length = TRY(m_stream.read_length());
    auto bytes = TRY(m_stream.read_bytes(length));
    segment.bytes.assign(bytes.begin(), bytes.end());
    return segment;
}

// https://webassembly.github.io/spec/core/binary/modules.html#data-count-section
Result<void> ModuleDecoder::decode_data_count_section()
{
    m_module.data_count = TRY(m_stream.read_u32());
    return {};
}

// Checks that span sections, in the reference interpreter's order.
Result<void> ModuleDecoder::check_consistency()
{
    if (m_module.functions.size() != m_module.code.size())
        return m_stream.error("function and code section have inconsistent lengths");
    if (m_module.data_count && *m_module.data_count != m_module.datas.size())
        return m_stream.error("data count and data section have inconsistent lengths");
    // https://webassembly.github.io/spec/core/binary/modules.html#data-count-section
    // Not from the spec: without data segments, any data index is unknown, so the module is
    // invalid either way; we leave it to the validator ("unknown data segment"). wabt omits the
    // data count section when there are no segments, and the spec suite expects that message.
    if (!m_module.data_count && m_facts.uses_data_index && !m_module.datas.empty())
        return m_stream.error("data count section required");
    return {};
}

} // namespace

Result<Module> decode(std::span<const uint8_t> bytes)
{
    ModuleDecoder decoder(bytes);
    return decoder.decode();
}

} // namespace hashos::wasm
