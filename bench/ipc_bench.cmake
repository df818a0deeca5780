# bench/ipc's pieces: the driver that runs wasm programs in the kernel, the pipe reference, and
# the programs they run (the SDK's ping with more round trips, pong, a program that only exits,
# one that only waits).
set(IPC_BENCH_ROUND_TRIPS 200000)
hashos_sdk_program(ipc_ping SOURCES ${CMAKE_SOURCE_DIR}/programs/ping/ping.c BINDINGS ping_interface
    DEFINES PING_ROUND_TRIPS=${IPC_BENCH_ROUND_TRIPS})
hashos_sdk_program(ipc_exit SOURCES ipc_exit.c)
hashos_sdk_program(ipc_idle SOURCES ipc_idle.c)

add_executable(hashos-ipc-bench ipc_driver.cpp)
target_link_libraries(hashos-ipc-bench PRIVATE hashos_sdk_test_handlers hashos_store)
target_compile_definitions(hashos-ipc-bench PRIVATE
    HASHOS_IPC_WASM_DIR="${CMAKE_CURRENT_BINARY_DIR}"
    HASHOS_PROGRAMS_DIR="${CMAKE_BINARY_DIR}/programs"
    IPC_BENCH_ROUND_TRIPS=${IPC_BENCH_ROUND_TRIPS})
add_dependencies(hashos-ipc-bench ipc_ping_wasm ipc_exit_wasm ipc_idle_wasm pong_wasm)

add_executable(hashos-ipc-pipe ipc_pipe.c)
