#include "engine/decoder_instructions.h"

#include "engine/limits.h"

#include <array>
#include <cstdio>
#include <string>

namespace hashos::wasm {

namespace {

constexpr uint8_t k_else_byte = 0x05;
constexpr uint8_t k_end_byte = 0x0B;
constexpr uint8_t k_fc_prefix = 0xFC;
constexpr uint8_t k_simd_prefix = 0xFD;
constexpr uint8_t k_threads_prefix = 0xFE;

// The innermost open construct, which decides what an Else byte means.
enum class Frame : uint8_t { Outermost, Block, If, Else };

std::string hex_byte(uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "%02x", value);
    return text;
}

// https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions
Result<BlockType> read_block_type(DecoderStream& stream)
{
    BlockType type;
    auto next = stream.peek();
    if (next == 0x40) {
        TRY(stream.read_u8());
        return type;
    }
    // A one-byte negative s33 is a value type; anything else is a type index.
    if (next && (*next & 0xC0) == 0x40) {
        type.kind = BlockType::Kind::Value;
        type.value = TRY(stream.read_value_type());
        return type;
    }
    int64_t index = TRY(stream.read_s33());
    type.kind = BlockType::Kind::TypeIndex;
    // A negative index wraps to a huge one, which the validator reports as an unknown type, as
    // the reference interpreter does.
    type.type_index = static_cast<uint32_t>(index);
    return type;
}

// The open constructs of one expression. Real code nests a few levels deep, so the first ones
// live in the object and only deeper nesting allocates (each expression would otherwise cost an
// allocation).
class FrameStack {
public:
    bool empty() const { return m_size == 0; }
    size_t size() const { return m_size; }
    Frame& back() { return m_size <= k_inline ? m_inline[m_size - 1] : m_overflow.back(); }
    void push_back(Frame frame)
    {
        if (m_size < k_inline)
            m_inline[m_size] = frame;
        else
            m_overflow.push_back(frame);
        ++m_size;
    }
    void pop_back()
    {
        if (m_size > k_inline)
            m_overflow.pop_back();
        --m_size;
    }

private:
    static constexpr size_t k_inline = 32;
    std::array<Frame, k_inline> m_inline;
    std::vector<Frame> m_overflow; // frames past the first k_inline
    size_t m_size = 0;
};

// One-byte opcodes by their byte, with their immediate kind, from the opcode table; k_no_opcode
// for a prefix or an unknown byte. Built at compile time, so the decoder's hot loop finds both
// with one load.
constexpr uint16_t k_no_opcode = 0xFFFF;
struct ByteOpcode {
    uint16_t opcode = k_no_opcode;
    ImmediateKind immediate = ImmediateKind::None;
};
constexpr std::array<ByteOpcode, 256> build_byte_opcodes()
{
    std::array<ByteOpcode, 256> table {};
    for (size_t i = 0; i < static_cast<size_t>(Opcode::Count); ++i) {
        if (k_opcode_info[i].prefix == 0)
            table[k_opcode_info[i].code] = { uint16_t(i), k_opcode_info[i].immediate };
    }
    return table;
}
constexpr std::array<ByteOpcode, 256> k_byte_opcodes = build_byte_opcodes();

class ExpressionDecoder {
public:
    ExpressionDecoder(DecoderStream& stream, ExpressionKind kind, std::vector<Instruction>& instructions,
        std::vector<uint32_t>& label_tables, ExpressionFacts& facts)
        : m_stream(stream)
        , m_kind(kind)
        , m_instructions(instructions)
        , m_label_tables(label_tables)
        , m_facts(facts)
    {
    }

    Result<void> decode();

private:
    Result<Opcode> read_opcode();
    Result<void> read_immediates(Instruction&, size_t offset);
    [[gnu::always_inline]] Result<void> read_memory_argument(Instruction& instruction)
    {
        instruction.memory.align = TRY(m_stream.read_u32());
        // Bit 6 will mean "memory index follows" (multi-memory); 2.0 allows only alignments < 2^32.
        if (instruction.memory.align >= 32)
            return m_stream.error_at(m_stream.position() - 1, "malformed memop flags");
        instruction.memory.offset = TRY(m_stream.read_u32());
        return {};
    }
    void defer(size_t offset, std::string_view message);

    DecoderStream& m_stream;
    ExpressionKind m_kind;
    std::vector<Instruction>& m_instructions;
    std::vector<uint32_t>& m_label_tables;
    ExpressionFacts& m_facts;
    FrameStack m_frames;
};

// Structure only: which bytes close or split a block. Types and label depths are the
// validator's business.
Result<void> ExpressionDecoder::decode()
{
    m_frames.push_back(Frame::Outermost);
    for (;;) {
        auto next = m_stream.peek();
        if (!next)
            return m_stream.error_at(m_stream.size(), "unexpected end of section or function");

        if (*next == k_end_byte) {
            TRY(m_stream.read_u8());
            m_instructions.emplace_back().op = Opcode::End;
            m_frames.pop_back();
            if (m_frames.empty())
                return {};
            continue;
        }
        if (*next == k_else_byte) {
            // An else closes the then-branch of an if; anywhere else the block wanted its end.
            if (m_frames.back() != Frame::If)
                return m_stream.error("END opcode expected");
            TRY(m_stream.read_u8());
            m_instructions.emplace_back().op = Opcode::Else;
            m_frames.back() = Frame::Else;
            continue;
        }

        size_t offset = m_stream.position();
        Instruction instruction;
        if (ByteOpcode known = k_byte_opcodes[*next]; known.opcode != k_no_opcode) {
            TRY(m_stream.read_u8());
            instruction.op = static_cast<Opcode>(known.opcode);
            // The common immediates, read here without a call; none of them opens a block.
            bool done = true;
            switch (known.immediate) {
            case ImmediateKind::None:
                break;
            case ImmediateKind::Local:
            case ImmediateKind::Label:
            case ImmediateKind::Function:
            case ImmediateKind::Global:
                instruction.index = TRY(m_stream.read_u32());
                break;
            case ImmediateKind::I32:
                instruction.i32 = TRY(m_stream.read_s32());
                break;
            case ImmediateKind::MemArg:
                TRY(read_memory_argument(instruction));
                break;
            default:
                done = false;
                break;
            }
            if (done) {
                m_instructions.push_back(instruction);
                continue;
            }
        } else {
            instruction.op = TRY(read_opcode());
        }
        TRY(read_immediates(instruction, offset));
        if (instruction.op == Opcode::Block || instruction.op == Opcode::Loop || instruction.op == Opcode::If) {
            if (m_frames.size() > limits::k_max_block_depth) {
                return m_stream.error_at(offset, "implementation limit exceeded: blocks nested deeper than " +
                                                     std::to_string(limits::k_max_block_depth));
            }
            m_frames.push_back(instruction.op == Opcode::If ? Frame::If : Frame::Block);
        }
        m_instructions.push_back(instruction);
    }
}

Result<Opcode> ExpressionDecoder::read_opcode()
{
    size_t offset = m_stream.position();
    uint8_t byte = TRY(m_stream.read_u8());
    if (byte == k_fc_prefix) {
        uint32_t code = TRY(m_stream.read_u32());
        if (auto opcode = opcode_from_fc(code))
            return *opcode;
        return m_stream.error_at(offset, "illegal opcode fc " + hex_byte(code));
    }
    // https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#instruction-encoding
    if (byte == k_threads_prefix) {
        uint32_t code = TRY(m_stream.read_u32());
        if (auto opcode = opcode_from_fe(code))
            return *opcode;
        return m_stream.error_at(offset, "illegal opcode fe " + hex_byte(code));
    }
    if (byte == k_simd_prefix)
        return m_stream.error_at(offset, "illegal opcode fd (SIMD instructions are not supported)");
    if (auto opcode = opcode_from_byte(byte))
        return *opcode;
    return m_stream.error_at(offset, "illegal opcode " + hex_byte(byte));
}

void ExpressionDecoder::defer(size_t offset, std::string_view message)
{
    if (!m_facts.deferred_error)
        m_facts.deferred_error = m_stream.error_at(offset, message);
}

Result<void> ExpressionDecoder::read_immediates(Instruction& instruction, size_t offset)
{
    switch (info(instruction.op).immediate) {
    case ImmediateKind::None:
        break;
    case ImmediateKind::BlockType:
        instruction.block_type = TRY(read_block_type(m_stream));
        break;
    case ImmediateKind::Label:
    case ImmediateKind::Function:
    case ImmediateKind::Local:
    case ImmediateKind::Global:
    case ImmediateKind::Table:
    case ImmediateKind::Element:
        instruction.index = TRY(m_stream.read_u32());
        break;
    case ImmediateKind::Data:
        instruction.index = TRY(m_stream.read_u32());
        if (m_kind == ExpressionKind::FunctionBody)
            m_facts.uses_data_index = true;
        break;
    case ImmediateKind::LabelTable: {
        uint32_t count = TRY(m_stream.read_count(limits::k_max_br_table_labels, "br_table labels"));
        if (m_kind == ExpressionKind::Constant) {
            // Not a constant instruction; the labels have nowhere to live in a ConstantExpression.
            for (uint32_t i = 0; i <= count; ++i)
                TRY(m_stream.read_u32());
            defer(offset, "constant expression required");
            instruction.label_table = { 0, 0 };
            break;
        }
        instruction.label_table.begin = static_cast<uint32_t>(m_label_tables.size());
        instruction.label_table.count = count;
        // The count was checked against the bytes left, so this loop is bounded by the input.
        for (uint32_t i = 0; i <= count; ++i)
            m_label_tables.push_back(TRY(m_stream.read_u32()));
        break;
    }
    case ImmediateKind::CallIndirect:
        instruction.pair.first = TRY(m_stream.read_u32());  // type index
        instruction.pair.second = TRY(m_stream.read_u32()); // table index
        break;
    case ImmediateKind::RefType:
        instruction.ref_type = TRY(m_stream.read_ref_type());
        break;
    case ImmediateKind::SelectTypes: {
        // Any count decodes; the validator requires exactly one type.
        uint32_t count = TRY(m_stream.read_length());
        instruction.select.count = count;
        instruction.select.type = ValType::I32;
        for (uint32_t i = 0; i < count; ++i) {
            ValType type = TRY(m_stream.read_value_type());
            if (i == 0)
                instruction.select.type = type;
        }
        break;
    }
    case ImmediateKind::TableInit:
        instruction.pair.first = TRY(m_stream.read_u32());  // element index
        instruction.pair.second = TRY(m_stream.read_u32()); // table index
        break;
    case ImmediateKind::TableCopy:
        instruction.pair.first = TRY(m_stream.read_u32());  // destination table
        instruction.pair.second = TRY(m_stream.read_u32()); // source table
        break;
    case ImmediateKind::MemArg:
        TRY(read_memory_argument(instruction));
        break;
    case ImmediateKind::MemoryZero:
    case ImmediateKind::Reserved:
        TRY(m_stream.read_zero_byte());
        break;
    case ImmediateKind::MemoryInit:
        instruction.index = TRY(m_stream.read_u32());
        TRY(m_stream.read_zero_byte());
        if (m_kind == ExpressionKind::FunctionBody)
            m_facts.uses_data_index = true;
        break;
    case ImmediateKind::MemoryCopy:
        TRY(m_stream.read_zero_byte());
        TRY(m_stream.read_zero_byte());
        break;
    case ImmediateKind::I32:
        instruction.i32 = TRY(m_stream.read_s32());
        break;
    case ImmediateKind::I64:
        instruction.i64 = TRY(m_stream.read_s64());
        break;
    case ImmediateKind::F32:
        instruction.f32_bits = TRY(m_stream.read_u32_le());
        break;
    case ImmediateKind::F64:
        instruction.f64_bits = TRY(m_stream.read_u64_le());
        break;
    }
    return {};
}

} // namespace

Result<void> decode_expression(DecoderStream& stream, ExpressionKind kind, std::vector<Instruction>& instructions,
    std::vector<uint32_t>& label_tables, ExpressionFacts& facts)
{
    ExpressionDecoder decoder(stream, kind, instructions, label_tables, facts);
    return decoder.decode();
}

} // namespace hashos::wasm
