#include "tests/spec/script_runner.h"

#include "engine/instance.h"
#include "engine/thread.h"
#include "tests/spec/registry.h"
#include "tests/spec/spectest_module.h"
#include "tests/spec/value_parsing.h"

#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>

namespace hashos::spec {

using namespace hashos::wasm;

AssertionCounts count_assertions(const Script& script)
{
    AssertionCounts counts;
    for (auto& command : script.commands) {
        if (!is_assertion(command.type))
            continue;
        ++counts.assertions;
        if (is_text_malformed(command))
            ++counts.text_malformed;
    }
    return counts;
}

namespace {

// How far a module gets on its way to a running instance, in order. A load stops at the first
// stage that fails, or after the last stage asked for.
enum class Stage : uint8_t { Read, Decode, Validate, Link, Instantiate, Start, Ready };

const char* stage_name(Stage stage)
{
    switch (stage) {
    case Stage::Read:
        return "reading";
    case Stage::Decode:
        return "the decoder";
    case Stage::Validate:
        return "the validator";
    case Stage::Link:
        return "import resolution";
    case Stage::Instantiate:
        return "instantiation";
    case Stage::Start:
        return "the start function";
    case Stage::Ready:
        return "nothing";
    }
    return "?";
}

struct Loaded {
    Stage stage = Stage::Ready; // the stage that failed, or Ready
    std::string message;
    Instance* instance = nullptr; // when the load went through Start
};

// The most recent module, or a named one; `instance` is null when it failed to load.
struct ModuleSlot {
    Instance* instance = nullptr;
    uint32_t line = 0;
    std::string failure;
};

struct ActionOutcome {
    enum class Kind : uint8_t { Returned, Trapped, Failed };
    Kind kind = Kind::Failed;
    std::vector<Value> results;
    std::vector<ValType> result_types;
    std::string message; // the trap message, or why the action could not run
};

Result<std::vector<uint8_t>> read_file(const std::filesystem::path& path)
{
    std::ifstream stream(path, std::ios::binary);
    if (!stream)
        return Error("cannot open " + path.string());
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
}

std::string describe_results(const std::vector<ValType>& types, const std::vector<Value>& values)
{
    std::string text = "[";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += describe(i < types.size() ? types[i] : ValType::I64, values[i]);
    }
    return text + "]";
}

std::string describe_expected(const std::vector<Expectation>& expected)
{
    std::string text = "[";
    for (size_t i = 0; i < expected.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += describe(expected[i]);
    }
    return text + "]";
}

std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

class ScriptRun {
public:
    ScriptRun(std::filesystem::path module_dir, const RunOptions& options)
        : m_module_dir(std::move(module_dir))
        , m_options(options)
    {
        m_registry.add("spectest", create_spectest_externs(m_store));
    }

    FileReport run(const Script& script)
    {
        for (auto& command : script.commands)
            execute(command);
        return std::move(m_report);
    }

private:
    void execute(const Command& command)
    {
        if (is_assertion(command.type) && !command.load_error.empty())
            return fail(command, command.load_error);
        switch (command.type) {
        case CommandType::Module:
            return define_module(command);
        case CommandType::Register:
            return register_module(command);
        case CommandType::Action:
            return run_action(command);
        case CommandType::AssertReturn:
            return assert_return(command);
        case CommandType::AssertTrap:
            if (!command.action)
                return assert_uninstantiable(command);
            return assert_trap(command);
        case CommandType::AssertExhaustion:
            return assert_trap(command);
        case CommandType::AssertInvalid:
            return assert_rejected(command, Stage::Validate);
        case CommandType::AssertMalformed:
            if (command.text_module) {
                ++m_report.skipped;
                return;
            }
            return assert_rejected(command, Stage::Decode);
        case CommandType::AssertUnlinkable:
            return assert_unlinkable(command);
        case CommandType::AssertUninstantiable:
            return assert_uninstantiable(command);
        case CommandType::Unknown:
            return fail(command, "unknown command");
        }
    }

    void pass() { ++m_report.passed; }

    void fail(const Command& command, std::string reason)
    {
        ++m_report.failed;
        m_report.failures.push_back({ command.line, command.type_name, std::move(reason) });
    }

    void error(const Command& command, std::string reason)
    {
        m_report.errors.push_back({ command.line, command.type_name, std::move(reason) });
    }

    // A rejection at the right stage passes; the spec's message is expected first in ours.
    void pass_checking_prefix(const Command& command, const std::string& message)
    {
        pass();
        if (message.rfind(command.text, 0) != 0)
            m_report.message_mismatches.push_back(
                { command.line, command.type_name, "expected " + in_quotes(command.text) + ", got " + in_quotes(message) });
    }

    // --- Modules -------------------------------------------------------------------------------

    Loaded load(const std::string& filename, Stage last)
    {
        Loaded loaded;
        auto path = m_module_dir / filename;
        if (path.extension() == ".wat")
            return { Stage::Read, "a text-format module, which needs a text parser", nullptr };
        auto bytes = read_file(path);
        if (bytes.is_error())
            return { Stage::Read, bytes.error().message(), nullptr };

        auto module = decode(bytes.value());
        if (module.is_error())
            return { Stage::Decode, module.error().message(), nullptr };
        if (last == Stage::Decode)
            return loaded;

        auto valid = validate(module.release_value());
        if (valid.is_error())
            return { Stage::Validate, valid.error().message(), nullptr };
        if (last == Stage::Validate)
            return loaded;
        // Kept for the whole script: cheap, and instances never outlive what they came from.
        auto& kept = m_valid_modules.emplace_back(valid.release_value());

        auto imports = m_registry.resolve_imports(kept.module());
        if (imports.is_error())
            return { Stage::Link, imports.error().message(), nullptr };

        auto instance = m_store.instantiate(kept, imports.value());
        if (instance.is_error())
            return { Stage::Instantiate, instance.error().message(), nullptr };
        if (last == Stage::Instantiate)
            return loaded;

        if (auto* start = instance.value()->start_function()) {
            auto outcome = call(start, {});
            if (outcome.kind != ActionOutcome::Kind::Returned)
                return { Stage::Start, outcome.message, nullptr };
        }
        loaded.instance = instance.value();
        return loaded;
    }

    void define_module(const Command& command)
    {
        auto loaded = load(command.filename, Stage::Start);
        ModuleSlot slot { loaded.instance, command.line, {} };
        if (loaded.stage != Stage::Ready) {
            slot.failure = std::string("rejected by ") + stage_name(loaded.stage) + ": " + loaded.message;
            error(command, slot.failure);
        }
        m_current = slot;
        m_has_current = true;
        if (!command.name.empty())
            m_named[command.name] = slot;
    }

    Result<Instance*> find_instance(const std::string& name) const
    {
        const ModuleSlot* slot = nullptr;
        if (name.empty()) {
            if (!m_has_current)
                return Error("no module defined yet");
            slot = &m_current;
        } else {
            auto found = m_named.find(name);
            if (found == m_named.end())
                return Error("no module named " + name);
            slot = &found->second;
        }
        if (!slot->instance)
            return Error("the module of line " + std::to_string(slot->line) + " failed: " + slot->failure);
        return slot->instance;
    }

    void register_module(const Command& command)
    {
        auto instance = find_instance(command.name);
        if (instance.is_error()) {
            m_registry.add_failed(command.as, instance.error().message());
            return error(command, instance.error().message());
        }
        m_registry.add_instance(command.as, *instance.value());
    }

    // --- Actions -------------------------------------------------------------------------------

    Thread& thread()
    {
        if (!m_thread)
            m_thread = std::make_unique<Thread>(m_store);
        return *m_thread;
    }

    ActionOutcome call(Function* function, std::span<const Value> args)
    {
        ActionOutcome outcome;
        outcome.result_types = function->type().results;
        auto started = thread().start(function, args);
        if (started.is_error()) {
            // A thread left in an odd state by an earlier call must not fail this one.
            m_thread.reset();
            started = thread().start(function, args);
            if (started.is_error()) {
                outcome.message = "cannot start the call: " + started.error().message();
                return outcome;
            }
        }
        switch (m_thread->run(m_options.fuel)) {
        case RunState::Finished:
            outcome.kind = ActionOutcome::Kind::Returned;
            outcome.results.assign(m_thread->results().begin(), m_thread->results().end());
            return outcome;
        case RunState::Trapped:
            outcome.kind = ActionOutcome::Kind::Trapped;
            outcome.message = m_thread->trap_message();
            return outcome;
        case RunState::OutOfFuel:
            outcome.message = "out of fuel after " + std::to_string(m_options.fuel) + " units";
            break;
        case RunState::Suspended:
            outcome.message = "suspended in a host call";
            break;
        case RunState::Idle:
            outcome.message = "run() returned Idle";
            break;
        }
        // The call is still in progress on that thread; drop it with its stacks.
        m_thread.reset();
        return outcome;
    }

    ActionOutcome perform(const Action& action)
    {
        ActionOutcome outcome;
        auto instance = find_instance(action.module_name);
        if (instance.is_error()) {
            outcome.message = instance.error().message();
            return outcome;
        }
        auto found = instance.value()->find_export(action.field);
        if (!found) {
            outcome.message = "no export " + in_quotes(action.field);
            return outcome;
        }
        if (action.kind == Action::Kind::Get) {
            if (found->kind != ExternKind::Global) {
                outcome.message = "export " + in_quotes(action.field) + " is not a global";
                return outcome;
            }
            outcome.kind = ActionOutcome::Kind::Returned;
            outcome.results = { found->global->value() };
            outcome.result_types = { found->global->type().type };
            return outcome;
        }
        if (found->kind != ExternKind::Function) {
            outcome.message = "export " + in_quotes(action.field) + " is not a function";
            return outcome;
        }
        std::vector<Value> args;
        for (auto& arg : action.args)
            args.push_back(arg.value);
        return call(found->function, args);
    }

    void run_action(const Command& command)
    {
        if (!command.load_error.empty())
            return error(command, command.load_error);
        if (!command.action)
            return error(command, "action command without an action");
        auto outcome = perform(*command.action);
        if (outcome.kind == ActionOutcome::Kind::Trapped)
            return error(command, "trapped: " + outcome.message);
        if (outcome.kind == ActionOutcome::Kind::Failed)
            return error(command, outcome.message);
    }

    // --- Assertions ----------------------------------------------------------------------------

    void assert_return(const Command& command)
    {
        if (!command.action)
            return fail(command, "assert_return without an action");
        auto outcome = perform(*command.action);
        if (outcome.kind == ActionOutcome::Kind::Trapped)
            return fail(command, "trapped: " + outcome.message);
        if (outcome.kind == ActionOutcome::Kind::Failed)
            return fail(command, outcome.message);
        bool same = outcome.results.size() == command.expected.size();
        for (size_t i = 0; same && i < outcome.results.size(); ++i)
            same = matches(command.expected[i], outcome.results[i]);
        if (!same)
            return fail(command,
                command.action->field + ": got " + describe_results(outcome.result_types, outcome.results)
                    + ", expected " + describe_expected(command.expected));
        pass();
    }

    // assert_trap on an action, and assert_exhaustion.
    void assert_trap(const Command& command)
    {
        if (!command.action)
            return fail(command, "no action");
        auto outcome = perform(*command.action);
        switch (outcome.kind) {
        case ActionOutcome::Kind::Trapped:
            if (outcome.message.find(command.text) == std::string::npos)
                return fail(command, "trapped with " + in_quotes(outcome.message) + ", expected " + in_quotes(command.text));
            return pass();
        case ActionOutcome::Kind::Returned:
            return fail(command,
                command.action->field + " returned " + describe_results(outcome.result_types, outcome.results)
                    + ", expected a trap " + in_quotes(command.text));
        case ActionOutcome::Kind::Failed:
            return fail(command, outcome.message);
        }
    }

    // assert_invalid (rejected by the validator) and binary assert_malformed (by the decoder).
    void assert_rejected(const Command& command, Stage expected)
    {
        auto loaded = load(command.filename, Stage::Validate);
        if (loaded.stage == expected)
            return pass_checking_prefix(command, loaded.message);
        if (loaded.stage == Stage::Ready)
            return fail(command, "module accepted, expected " + in_quotes(command.text) + " from " + stage_name(expected));
        fail(command,
            std::string("rejected by ") + stage_name(loaded.stage) + " (" + in_quotes(loaded.message) + "), expected "
                + in_quotes(command.text) + " from " + stage_name(expected));
    }

    void assert_unlinkable(const Command& command)
    {
        auto loaded = load(command.filename, Stage::Instantiate);
        if (loaded.stage == Stage::Link || loaded.stage == Stage::Instantiate)
            return pass_checking_prefix(command, loaded.message);
        if (loaded.stage == Stage::Ready)
            return fail(command, "module linked, expected " + in_quotes(command.text));
        fail(command,
            std::string("rejected by ") + stage_name(loaded.stage) + " (" + in_quotes(loaded.message) + "), expected "
                + in_quotes(command.text) + " at linking");
    }

    // assert_uninstantiable, and assert_trap on a module: instantiation (segments) or the start
    // function traps with the expected message.
    void assert_uninstantiable(const Command& command)
    {
        auto loaded = load(command.filename, Stage::Start);
        if (loaded.stage == Stage::Instantiate || loaded.stage == Stage::Start) {
            if (loaded.message.find(command.text) == std::string::npos)
                return fail(command,
                    std::string("failed in ") + stage_name(loaded.stage) + " with " + in_quotes(loaded.message)
                        + ", expected " + in_quotes(command.text));
            return pass();
        }
        if (loaded.stage == Stage::Ready)
            return fail(command, "module instantiated, expected a trap " + in_quotes(command.text));
        fail(command,
            std::string("rejected by ") + stage_name(loaded.stage) + " (" + in_quotes(loaded.message) + "), expected a trap "
                + in_quotes(command.text));
    }

    std::filesystem::path m_module_dir;
    RunOptions m_options;
    // Declared first so it is destroyed last: instances may refer to their ValidModule.
    std::deque<ValidModule> m_valid_modules;
    Store m_store;
    std::unique_ptr<Thread> m_thread; // after m_store: destroyed before it
    Registry m_registry;
    ModuleSlot m_current;
    bool m_has_current = false;
    std::map<std::string, ModuleSlot> m_named;
    FileReport m_report;
};

} // namespace

FileReport run_script(const Script& script, const std::filesystem::path& module_dir, const RunOptions& options)
{
    ScriptRun run(module_dir, options);
    return run.run(script);
}

} // namespace hashos::spec
