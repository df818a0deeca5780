#include "tests/spec/spectest_module.h"

#include <cstdio>

namespace hashos::spec {

using namespace hashos::wasm;

std::map<std::string, Extern> create_spectest_externs(Store& store)
{
    std::map<std::string, Extern> externs;

    auto add_print = [&](const char* name, std::vector<ValType> params) {
        auto ignore = [](HostCall&) { return HostOutcome::Return; };
        externs[name] = Extern::from(store.create_host_function(FuncType { std::move(params), {} }, ignore));
    };
    add_print("print", {});
    add_print("print_i32", { ValType::I32 });
    add_print("print_i64", { ValType::I64 });
    add_print("print_f32", { ValType::F32 });
    add_print("print_f64", { ValType::F64 });
    add_print("print_i32_f32", { ValType::I32, ValType::F32 });
    add_print("print_f64_f64", { ValType::F64, ValType::F64 });

    auto add_global = [&](const char* name, ValType type, Value value) {
        externs[name] = Extern::from(store.create_global(GlobalType { type, Mutability::Const }, value));
    };
    add_global("global_i32", ValType::I32, Value::from_i32(666));
    add_global("global_i64", ValType::I64, Value::from_i64(666));
    add_global("global_f32", ValType::F32, Value::from_f32(666.6f));
    add_global("global_f64", ValType::F64, Value::from_f64(666.6));

    // Without them every import of them fails as "unknown import", which the report shows.
    if (auto table = store.create_table(TableType { ValType::FuncRef, Limits { 10, 20 } }); !table.is_error())
        externs["table"] = Extern::from(table.value());
    else
        std::fprintf(stderr, "spectest: cannot create the table: %s\n", table.error().message().c_str());
    if (auto memory = store.create_memory(MemoryType { Limits { 1, 2 } }); !memory.is_error())
        externs["memory"] = Extern::from(memory.value());
    else
        std::fprintf(stderr, "spectest: cannot create the memory: %s\n", memory.error().message().c_str());
    return externs;
}

} // namespace hashos::spec
