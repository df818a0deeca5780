// `hashos run FILE.wasm [--invoke NAME] [ARGS...]`: decode, validate, instantiate and run a
// program with the engine, then print what the invoked export returned.
// Not yet the kernel: programs may not import anything (the syscall ABI arrives with kernel/).
#include "cli/commands.h"
#include "engine/instance.h"
#include "engine/thread.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>

namespace hashos::cli {

namespace {

using namespace hashos::wasm;

struct RunOptions {
    std::string path;
    std::string invoke = "run";
    std::vector<std::string> args;
};

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

Result<void> run_program(const RunOptions& options)
{
    auto bytes = TRY(read_file(options.path));
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

    auto exported = instance->find_export(options.invoke);
    if (!exported || exported->kind != ExternKind::Function)
        return Error(fmt::format("the program exports no function named '{}'", options.invoke));
    Function* function = exported->function;
    const auto& type = function->type();
    if (options.args.size() != type.params.size())
        return Error(fmt::format("{} takes {} argument(s), {} given", options.invoke, type.params.size(), options.args.size()));
    std::vector<Value> args;
    for (size_t i = 0; i < options.args.size(); ++i)
        args.push_back(TRY(parse_argument(options.args[i], type.params[i])));

    switch (thread.call(function, args)) {
    case RunState::Finished:
        break;
    case RunState::Trapped:
        return Error(fmt::format("{} trapped: {}", options.invoke, thread.trap_message()));
    default:
        return Error(fmt::format("{} stopped without finishing", options.invoke));
    }
    std::string printed;
    for (size_t i = 0; i < type.results.size(); ++i)
        printed += (i ? " " : "") + format_value(thread.results()[i], type.results[i]);
    fmt::print("{}({}) = {}\n", options.invoke, fmt::join(options.args, ", "), printed);
    return {};
}

} // namespace

void add_run_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<RunOptions>();
    auto* command = app.add_subcommand("run", "Run a WebAssembly program and print what it returns");
    command->add_option("program", options->path, "Path of the .wasm file")->required()->check(CLI::ExistingFile);
    command->add_option("--invoke", options->invoke, "Exported function to call")->capture_default_str();
    command->add_option("args", options->args, "Arguments of the function");
    command->callback([options, &exit_code] {
        auto result = run_program(*options);
        if (result.is_error()) {
            fmt::print(stderr, "hashos: {}: {}\n", options->path, result.error().message());
            exit_code = 1;
        }
    });
}

} // namespace hashos::cli
