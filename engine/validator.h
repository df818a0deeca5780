// ValidModule: a Module that passed validation. Only validate() creates one, so every later
// stage (compiler, instantiation) trusts it and never re-checks types or control structure.
// https://webassembly.github.io/spec/core/valid/index.html
#pragma once

#include "base/result.h"
#include "engine/module.h"

#include <memory>

namespace hashos::wasm {

class ValidModule {
public:
    const Module& module() const { return *m_module; }

    // The type of function `index` in the module's function index space (imports first).
    const FuncType& function_type(uint32_t index) const;

    // Facts the validator proved that the compiler uses; per defined function.
    struct FunctionFacts {
        uint32_t max_stack_height = 0; // operand stack slots, not counting locals
    };
    const std::vector<FunctionFacts>& function_facts() const { return m_function_facts; }

private:
    friend Result<ValidModule> validate(Module module);
    ValidModule() = default;

    std::shared_ptr<const Module> m_module;
    std::vector<uint32_t> m_function_type_indices; // whole function index space
    std::vector<FunctionFacts> m_function_facts;
};

// Validates a module. Errors carry the spec's message first ("type mismatch", "unknown local",
// "alignment must not be larger than natural", …), then where it was found.
Result<ValidModule> validate(Module module);

} // namespace hashos::wasm
