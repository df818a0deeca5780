// Decoding of instruction sequences (function bodies and constant expressions) into Instruction
// vectors, driven by the opcode table. Internal to engine/decoder*.cpp.
// https://webassembly.github.io/spec/core/binary/instructions.html
#pragma once

#include "base/result.h"
#include "engine/decoder_stream.h"
#include "engine/module.h"

#include <optional>
#include <vector>

namespace hashos::wasm {

// What the module decoder learns while decoding expressions.
struct ExpressionFacts {
    // memory.init or data.drop appeared in a function body: the module needs a data count section.
    bool uses_data_index = false;

    // Not from the spec's decoder: a few validation errors concern things a Module cannot
    // represent (a typed select with other than one type, br_table in a constant expression,
    // whose labels have nowhere to go). They are kept here and reported only if the whole
    // binary decodes, so that a malformed module still reports its malformation first.
    std::optional<Error> deferred_error;
};

enum class ExpressionKind { FunctionBody, Constant };

// Decodes instructions up to and including the End that closes the expression, appending them to
// `instructions` (and br_table labels to `label_tables`, function bodies only).
Result<void> decode_expression(DecoderStream& stream, ExpressionKind kind, std::vector<Instruction>& instructions,
    std::vector<uint32_t>& label_tables, ExpressionFacts& facts);

} // namespace hashos::wasm
