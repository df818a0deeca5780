#include "engine/types.h"

namespace hashos::wasm {

// Names as the text format writes them.
std::string_view name(ValType type)
{
    switch (type) {
    case ValType::I32:
        return "i32";
    case ValType::I64:
        return "i64";
    case ValType::F32:
        return "f32";
    case ValType::F64:
        return "f64";
    case ValType::V128:
        return "v128";
    case ValType::FuncRef:
        return "funcref";
    case ValType::ExternRef:
        return "externref";
    }
    return "<unknown type>";
}

std::string_view name(ExternKind kind)
{
    switch (kind) {
    case ExternKind::Function:
        return "func";
    case ExternKind::Table:
        return "table";
    case ExternKind::Memory:
        return "memory";
    case ExternKind::Global:
        return "global";
    }
    return "<unknown kind>";
}

} // namespace hashos::wasm
