// Instance: a module instantiated in a Store, with its resolved index spaces.
#pragma once

#include "engine/store.h"

namespace hashos::wasm {

class Instance {
public:
    const ValidModule& module() const { return *m_module; }

    std::optional<Extern> find_export(std::string_view name) const;
    // The start function, if the module declares one; run it on a Thread after instantiate().
    Function* start_function() const;

    Function* function(uint32_t index) const { return m_functions[index]; }
    Table* table(uint32_t index) const { return m_tables[index]; }
    Memory* memory(uint32_t index) const { return m_memories[index]; }
    GlobalInstance* global(uint32_t index) const { return m_globals[index]; }
    size_t memory_count() const { return m_memories.size(); }

    // Functions are compiled on their first call (engine/compiler.h). compile_all() compiles the
    // rest now: for a benchmark that times only the run, and for listings of the code. Fails
    // only on a compiler resource limit, with the function's index in the message.
    Result<void> compile_all();
    // Compiles one function of this instance if it is not compiled yet; the interpreter calls it
    // on a first call, on the OS thread running this instance.
    Result<void> compile(const CompiledFunction& function);
    // Whether function `index` (of the function index space) is wasm code of this instance that
    // has been compiled: for diagnostics and tests.
    bool is_compiled(uint32_t index) const;

private:
    friend class Store;
    friend class Thread;
    friend struct Interpreter;
    std::shared_ptr<const ValidModule> m_module;
    std::vector<Function*> m_functions;
    std::vector<Table*> m_tables;
    std::vector<Memory*> m_memories;
    std::vector<GlobalInstance*> m_globals;
    Memory* m_memory0 = nullptr; // m_memories[0] if any: the interpreter reloads it on calls and returns
    std::vector<std::vector<Value>> m_element_segments; // evaluated items; emptied by elem.drop
    std::vector<bool> m_dropped_datas;
    std::vector<std::unique_ptr<CompiledFunction>> m_code;
    // What compile() needs besides the index spaces above.
    std::vector<const CompiledFunction*> m_code_by_index; // whole function index space; null for a host function
    std::vector<uint32_t> m_type_ids;                     // Store-wide id of each module type
    FuelMetering m_metering = FuelMetering::On;
};

} // namespace hashos::wasm
