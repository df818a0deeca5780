#include "tests/spec/script_loader.h"

#include "tests/spec/value_parsing.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <utility>

namespace hashos::spec {

using nlohmann::json;

bool is_assertion(CommandType type)
{
    switch (type) {
    case CommandType::Module:
    case CommandType::Register:
    case CommandType::Action:
        return false;
    default:
        // Unknown commands count too: an assertion this runner cannot run is a failed one.
        return true;
    }
}

namespace {

CommandType parse_command_type(const std::string& name)
{
    static const std::pair<const char*, CommandType> k_types[] = {
        { "module", CommandType::Module },
        { "register", CommandType::Register },
        { "action", CommandType::Action },
        { "assert_return", CommandType::AssertReturn },
        { "assert_trap", CommandType::AssertTrap },
        { "assert_exhaustion", CommandType::AssertExhaustion },
        { "assert_invalid", CommandType::AssertInvalid },
        { "assert_malformed", CommandType::AssertMalformed },
        { "assert_unlinkable", CommandType::AssertUnlinkable },
        { "assert_uninstantiable", CommandType::AssertUninstantiable },
    };
    for (auto& [text, type] : k_types) {
        if (name == text)
            return type;
    }
    return CommandType::Unknown;
}

std::string string_or_empty(const json& object, const char* key)
{
    auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return it->get<std::string>();
}

// Fills `command.load_error` instead of failing the whole script, so one value this engine
// cannot represent costs one assertion, not a file.
void load_action(const json& object, Command& command)
{
    Action action;
    auto kind = string_or_empty(object, "type");
    if (kind == "invoke") {
        action.kind = Action::Kind::Invoke;
    } else if (kind == "get") {
        action.kind = Action::Kind::Get;
    } else {
        command.load_error = "unknown action type \"" + kind + "\"";
        return;
    }
    action.module_name = string_or_empty(object, "module");
    action.field = string_or_empty(object, "field");
    if (auto args = object.find("args"); args != object.end()) {
        for (auto& arg : *args) {
            auto parsed = parse_argument(arg);
            if (parsed.is_error()) {
                command.load_error = "argument: " + parsed.error().message();
                return;
            }
            action.args.push_back(parsed.release_value());
        }
    }
    command.action = std::move(action);
}

Command load_command(const json& object)
{
    Command command;
    command.type_name = string_or_empty(object, "type");
    command.type = parse_command_type(command.type_name);
    command.line = object.value("line", 0u);
    command.filename = string_or_empty(object, "filename");
    command.text_module = string_or_empty(object, "module_type") == "text";
    command.name = string_or_empty(object, "name");
    command.as = string_or_empty(object, "as");
    command.text = string_or_empty(object, "text");
    if (auto action = object.find("action"); action != object.end())
        load_action(*action, command);
    // assert_trap and assert_exhaustion also list "expected" (result types without values);
    // only assert_return's are compared.
    if (command.type == CommandType::AssertReturn || command.type == CommandType::Action) {
        if (auto expected = object.find("expected"); expected != object.end()) {
            for (auto& value : *expected) {
                auto parsed = parse_expectation(value);
                if (parsed.is_error()) {
                    if (command.load_error.empty())
                        command.load_error = "expected value: " + parsed.error().message();
                    break;
                }
                command.expected.push_back(parsed.release_value());
            }
        }
    }
    if (command.type == CommandType::Unknown)
        command.load_error = "unknown command \"" + command.type_name + "\"";
    return command;
}

} // namespace

Result<Script> load_script(const std::filesystem::path& json_path)
{
    std::ifstream stream(json_path);
    if (!stream)
        return Error("cannot open " + json_path.string());
    try {
        json document = json::parse(stream);
        Script script;
        script.source_filename = string_or_empty(document, "source_filename");
        for (auto& command : document.at("commands"))
            script.commands.push_back(load_command(command));
        return script;
    } catch (const json::exception& exception) {
        return Error(json_path.string() + ": " + exception.what());
    }
}

} // namespace hashos::spec

