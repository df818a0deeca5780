# Compiling and linking wasm32 guests against the SDK with clang-14 (no libc, no CMake toolchain:
# custom commands, so one build tree holds the host and the guests).
#
#   hashos_sdk_program(NAME SOURCES file... [BINDINGS target...] [DEFINES NAME=VALUE...]
#                      [OUTPUT_DIRECTORY dir] [NO_LTO] [THREADS])
#       builds DIR/NAME.wasm (default: the current binary directory) from C and C++ sources,
#       with the .pb.c files of each hashos_interface_bindings() target in BINDINGS, linked with
#       libhashos.a; the custom target NAME_wasm builds it (part of ALL). THREADS: a program that
#       starts threads (docs/threads.md): compiled with atomics, linked with libhashos-threads.a
#       and a shared memory that it imports (so each thread's instance shares it), its data
#       segments initialised once.
#   hashos_wasm_compile(OUT_VARIABLE OBJECT_DIR source... [INCLUDE_DIRS dir...] [FLAGS flag...]
#                       [DEPENDS target...])
#       compiles each source to an object in OBJECT_DIR, the object paths in OUT_VARIABLE.

# The features the engine supports (DESIGN.md); the multivalue ABI returns small structs in
# registers. Cached, so that the functions below see them from any directory.
set(HASHOS_WASM_FLAGS --target=wasm32 -O2 -g0 -nostdlib
    -mbulk-memory -msign-ext -mnontrapping-fptoint -mmultivalue -Xclang -target-abi -Xclang experimental-mv
    -Wall -Wextra -Wno-unused-parameter
    "-DPB_SYSTEM_HEADER=<hashos/nanopb_system.h>"
    # Guests encode and decode only from memory buffers and never read nanopb's error texts:
    # both options shrink nanopb's per-field work (the IPC benchmark's hottest code).
    -DPB_BUFFER_ONLY -DPB_NO_ERRMSG
    # Link-time optimisation across the program, the SDK and nanopb: the SDK's small functions
    # (send, receive, the codecs) inline into the program's hot loop (bench/ipc: about 10% fewer
    # wasm instructions per round trip). The objects are LLVM bitcode; wasm-ld compiles them.
    -flto
    -I${CMAKE_CURRENT_LIST_DIR}/include -I${HASHOS_NANOPB_SOURCE_DIR}
    CACHE INTERNAL "clang-14 flags of wasm32 guests")
# C is freestanding: clang must not turn the runtime's own loops into calls to memset or strlen.
# C++ is not, since a freestanding C++ `main` is an ordinary, mangled function that the SDK's
# _start could not call; the SDK's C++ files hold no such loops.
set(HASHOS_WASM_C_FLAGS -std=c11 -ffreestanding CACHE INTERNAL "")
# Programs with threads and the SDK's thread code (docs/threads.md): wasm atomics and
# memory.atomic.wait/notify. Kept out of other programs: wasm-ld links atomics only with a shared
# memory.
set(HASHOS_WASM_THREAD_FLAGS -matomics CACHE INTERNAL "")
set(HASHOS_WASM_CXX_FLAGS -std=c++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics CACHE INTERNAL "")
get_target_property(shipped_bindings_dir hashos_interface_bindings HASHOS_BINDINGS_DIR)
set(HASHOS_SHIPPED_BINDINGS_DIR ${shipped_bindings_dir} CACHE INTERNAL "")

function(hashos_wasm_compile out_variable object_dir)
    cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "INCLUDE_DIRS;FLAGS;DEPENDS")
    set(objects)
    set(include_flags)
    foreach(directory ${arg_INCLUDE_DIRS} ${HASHOS_SHIPPED_BINDINGS_DIR})
        list(APPEND include_flags -I${directory})
    endforeach()
    foreach(source ${arg_UNPARSED_ARGUMENTS})
        get_filename_component(source ${source} ABSOLUTE)
        get_filename_component(stem ${source} NAME_WE)
        get_filename_component(extension ${source} LAST_EXT)
        # Two sources may share a stem (log.c, log.pb.c): the object is named after the path's
        # last two parts.
        get_filename_component(parent ${source} DIRECTORY)
        get_filename_component(parent ${parent} NAME)
        get_filename_component(name ${source} NAME)
        set(object ${object_dir}/${parent}_${name}.o)
        if(extension STREQUAL ".cpp")
            set(language_flags ${HASHOS_WASM_CXX_FLAGS})
        elseif(extension STREQUAL ".S")
            set(language_flags) # assembly, preprocessed (so that -MD writes a depfile)
        else()
            set(language_flags ${HASHOS_WASM_C_FLAGS})
        endif()
        add_custom_command(OUTPUT ${object}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${object_dir}
            COMMAND ${CLANG_WASM} ${HASHOS_WASM_FLAGS} ${language_flags} ${include_flags} ${arg_FLAGS}
                -MD -MF ${object}.d -c ${source} -o ${object}
            DEPENDS ${source} hashos_nanopb_source hashos_interface_bindings_generated ${arg_DEPENDS}
            DEPFILE ${object}.d
            COMMENT "Compiling ${name} for wasm32"
            VERBATIM)
        list(APPEND objects ${object})
    endforeach()
    set(${out_variable} ${objects} PARENT_SCOPE)
endfunction()

function(hashos_sdk_program name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "NO_LTO;THREADS" "OUTPUT_DIRECTORY" "SOURCES;BINDINGS;DEFINES")
    set(output_dir ${CMAKE_CURRENT_BINARY_DIR})
    if(arg_OUTPUT_DIRECTORY)
        set(output_dir ${arg_OUTPUT_DIRECTORY})
    endif()
    set(sources)
    foreach(source ${arg_SOURCES})
        get_filename_component(source ${source} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        list(APPEND sources ${source})
    endforeach()
    set(include_dirs)
    set(generated)
    foreach(bindings ${arg_BINDINGS})
        get_target_property(directory ${bindings} HASHOS_BINDINGS_DIR)
        get_target_property(binding_sources ${bindings} HASHOS_BINDINGS_C_SOURCES)
        list(APPEND include_dirs ${directory})
        list(APPEND sources ${binding_sources})
        list(APPEND generated ${bindings}_generated)
    endforeach()
    set(define_flags)
    # NO_LTO: the program's own sources become plain wasm objects (the SDK stays bitcode), for
    # code that LLVM 14's LTO backend cannot compile (programs/httpd's coroutines crash its
    # WebAssembly Register Stackify pass).
    set(lto_flags)
    if(arg_NO_LTO)
        set(lto_flags -fno-lto)
    endif()
    foreach(define ${arg_DEFINES})
        list(APPEND define_flags -D${define})
    endforeach()
    set(thread_compile_flags)
    set(thread_link_flags)
    set(thread_library)
    set(start_object ${HASHOS_SDK_START_OBJECT})
    if(arg_THREADS)
        # The memory's maximum is what the kernel reserves up front (never moved by a grow):
        # 1 GiB, the default process limit (kernel/limits.h), which caps it anyway.
        set(thread_compile_flags ${HASHOS_WASM_THREAD_FLAGS})
        set(thread_link_flags -matomics -Wl,--shared-memory -Wl,--import-memory -Wl,--max-memory=1073741824)
        set(thread_library ${HASHOS_SDK_THREADS_LIBRARY})
        set(start_object ${HASHOS_SDK_THREADS_START_OBJECT})
    endif()
    hashos_wasm_compile(objects ${CMAKE_CURRENT_BINARY_DIR}/${name}.objects ${sources}
        INCLUDE_DIRS ${include_dirs} FLAGS ${define_flags} ${lto_flags} ${thread_compile_flags} DEPENDS ${generated})
    set(output ${output_dir}/${name}.wasm)
    # --stack-first puts the stack below the data: an overflow leaves linear memory and traps
    # instead of overwriting globals.
    add_custom_command(OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${output_dir}
        COMMAND ${CLANG_WASM} --target=wasm32 -nostdlib -flto -O2 -Wl,--no-entry -Wl,--stack-first
            -Wl,-z,stack-size=65536 ${thread_link_flags} -o ${output}
            ${start_object} ${objects} ${thread_library} ${HASHOS_SDK_LIBRARY} ${HASHOS_WASM_BUILTINS}
        DEPENDS ${objects} ${HASHOS_SDK_LIBRARY} ${thread_library} ${start_object}
        COMMENT "Linking ${name}.wasm"
        VERBATIM)
    add_custom_target(${name}_wasm ALL DEPENDS ${output})
    add_dependencies(${name}_wasm hashos_sdk)
endfunction()
