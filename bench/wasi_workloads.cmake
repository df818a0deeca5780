# bench/wasi's workloads: C programs for wasm32-wasi (bench/wasi_workloads/*.c), built with
# clang-14 and Debian's wasi-libc as any WASI program would be, so that hashos and Node's
# node:wasi run the very same .wasm files.
set(BENCH_WASI_FLAGS --target=wasm32-wasi -O2 -mbulk-memory -msign-ext -mnontrapping-fptoint -ftls-model=local-exec)
set(BENCH_WASI_WORKLOADS coremark_like compress raytrace json)
set(BENCH_WASI_FILES)
foreach(name ${BENCH_WASI_WORKLOADS})
    set(source ${CMAKE_CURRENT_SOURCE_DIR}/wasi_workloads/${name}.c)
    set(output ${CMAKE_CURRENT_BINARY_DIR}/wasi_workloads/${name}.wasm)
    add_custom_command(OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/wasi_workloads
        COMMAND ${CLANG_WASM} ${BENCH_WASI_FLAGS} -o ${output} ${source} -lm
        DEPENDS ${source} VERBATIM)
    list(APPEND BENCH_WASI_FILES ${output})
endforeach()
add_custom_target(bench_wasi_workloads DEPENDS ${BENCH_WASI_FILES})
