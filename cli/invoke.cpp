// `hashos run FILE.wasm --invoke NAME [ARGS...]`: the engine alone, without the kernel — decode,
// validate, instantiate, call the export NAME with ARGS and print what it returns. For programs
// without imports and for measuring the engine (bench/simple-loop); everything else goes through
// the kernel (cli/run.cpp).
#include "cli/invoke.h"
#include "engine/instance.h"
#include "engine/thread.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>

namespace hashos::cli {

namespace {

using namespace hashos::wasm;

Result<std::vector<uint8_t>> read_file(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return Error(fmt::format("cannot open {}", path));
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

template<typename T>
std::optional<T> parse_number(const std::string& text)
{
    T number {};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return number;
}

Result<Value> parse_argument(const std::string& text, ValType type)
{
    std::optional<Value> value;
    switch (type) {
    case ValType::I32:
        if (auto number = parse_number<int64_t>(text); number && *number >= INT32_MIN && *number <= UINT32_MAX)
            value = Value::from_u32(uint32_t(*number));
        break;
    case ValType::I64:
        if (auto number = parse_number<int64_t>(text))
            value = Value::from_i64(*number);
        break;
    case ValType::F32:
        if (auto number = parse_number<float>(text))
            value = Value::from_f32(*number);
        break;
    case ValType::F64:
        if (auto number = parse_number<double>(text))
            value = Value::from_f64(*number);
        break;
    default:
        return Error(fmt::format("arguments of type {} cannot be given on the command line", name(type)));
    }
    if (!value)
        return Error(fmt::format("argument '{}' is not a valid {}", text, name(type)));
    return *value;
}

std::string format_value(Value value, ValType type)
{
    switch (type) {
    case ValType::I32:
        return fmt::format("{}", value.i32());
    case ValType::I64:
        return fmt::format("{}", value.i64());
    case ValType::F32:
        return fmt::format("{}", value.f32());
    case ValType::F64:
        return fmt::format("{}", value.f64());
    default:
        return value.is_null() ? "null" : fmt::format("{}:{:#x}", name(type), value.u64());
    }
}

} // namespace

Result<void> invoke_export(const std::string& path, const std::string& export_name, const std::vector<std::string>& arguments)
{
    auto bytes = TRY(read_file(path));
    auto module = TRY(decode(bytes));
    if (!module.imports.empty()) {
        const auto& import = module.imports.front();
        return Error(fmt::format("the program imports {}.{}; this build runs only programs without imports",
            import.module, import.name));
    }
    auto valid = TRY(validate(std::move(module)));

    Store store;
    auto* instance = TRY(store.instantiate(valid, {}));
    Thread thread(store);
    if (auto* start = instance->start_function()) {
        if (thread.call(start, {}) != RunState::Finished)
            return Error(fmt::format("start function: {}", thread.trap_message()));
    }

    auto exported = instance->find_export(export_name);
    if (!exported || exported->kind != ExternKind::Function)
        return Error(fmt::format("the program exports no function named '{}'", export_name));
    Function* function = exported->function;
    const auto& type = function->type();
    if (arguments.size() != type.params.size())
        return Error(fmt::format("{} takes {} argument(s), {} given", export_name, type.params.size(), arguments.size()));
    std::vector<Value> args;
    for (size_t i = 0; i < arguments.size(); ++i)
        args.push_back(TRY(parse_argument(arguments[i], type.params[i])));

    switch (thread.call(function, args)) {
    case RunState::Finished:
        break;
    case RunState::Trapped:
        return Error(fmt::format("{} trapped: {}", export_name, thread.trap_message()));
    default:
        return Error(fmt::format("{} stopped without finishing", export_name));
    }
    std::string printed;
    for (size_t i = 0; i < type.results.size(); ++i)
        printed += (i ? " " : "") + format_value(thread.results()[i], type.results[i]);
    fmt::print("{}({}) = {}\n", export_name, fmt::join(arguments, ", "), printed);
    return {};
}


} // namespace hashos::cli
