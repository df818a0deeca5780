# hashos_interface_bindings(TARGET name PROTOS file.proto... [IMPORT_DIRS dir...])
#
# Generates, at build time, for each FILE.proto into ${CMAKE_CURRENT_BINARY_DIR}/<name>/:
#   FILE.pb.h, FILE.pb.c   nanopb encoders and decoders (Debian's nanopb_generator.py; nanopb
#                          options come from FILE.options beside the .proto, if there is one)
#   FILE.interface.h       hashos-idl: per service its hash constants and method numbers
# and defines:
#   <name>             a static library of the .pb.c files for the host (kernel-native handlers,
#                      tests), linked with Debian's nanopb runtime; its include directory is the
#                      output directory, so `#include "log.interface.h"` works.
#   <name>_generated   a custom target that only generates. Guests (wasm32, built by custom commands
#                      with clang) add_dependencies() on it and compile the sources listed in the
#                      properties of <name>: HASHOS_BINDINGS_DIR and HASHOS_BINDINGS_C_SOURCES.
# Imports are looked up in IMPORT_DIRS, then beside each .proto. Callable from any directory once
# interfaces/ has been added.
find_program(NANOPB_GENERATOR nanopb_generator.py REQUIRED)
find_program(PROTOC protoc REQUIRED) # nanopb_generator.py runs it to parse .proto files
find_package(nanopb CONFIG REQUIRED)
# Global, so that bindings generated in any directory (programs/, tests/) link the host runtime
# without finding nanopb again there.
set_target_properties(nanopb::protobuf-nanopb-static PROPERTIES IMPORTED_GLOBAL TRUE)

function(hashos_interface_bindings)
    cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET" "PROTOS;IMPORT_DIRS")
    if(NOT arg_TARGET OR NOT arg_PROTOS)
        message(FATAL_ERROR "hashos_interface_bindings: TARGET and PROTOS are required")
    endif()
    set(output_dir ${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET})

    set(protos)
    set(search_dirs)
    set(inputs)
    set(c_sources)
    set(headers)
    foreach(proto ${arg_PROTOS})
        get_filename_component(proto ${proto} ABSOLUTE)
        get_filename_component(directory ${proto} DIRECTORY)
        get_filename_component(stem ${proto} NAME_WE)
        list(APPEND protos ${proto})
        list(APPEND search_dirs ${directory})
        list(APPEND inputs ${proto})
        if(EXISTS ${directory}/${stem}.options)
            list(APPEND inputs ${directory}/${stem}.options)
        endif()
        list(APPEND c_sources ${output_dir}/${stem}.pb.c)
        list(APPEND headers ${output_dir}/${stem}.pb.h ${output_dir}/${stem}.interface.h)
    endforeach()
    # The .protos' own directories first: nanopb places each output relative to the first one that
    # holds its .proto, and they must all land flat in output_dir.
    list(APPEND search_dirs ${arg_IMPORT_DIRS})
    list(REMOVE_DUPLICATES search_dirs)
    set(import_flags)
    foreach(directory ${search_dirs})
        list(APPEND import_flags -I ${directory})
    endforeach()

    # -q: nanopb prints a line per file otherwise. Every output depends on every input, since a
    # .proto may import another of the set.
    add_custom_command(OUTPUT ${c_sources} ${headers}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${output_dir}
        COMMAND ${NANOPB_GENERATOR} -q -D ${output_dir} ${import_flags} ${protos}
        COMMAND hashos-idl --header-dir ${output_dir} ${import_flags} ${protos}
        DEPENDS ${inputs} hashos-idl
        COMMENT "Generating interface bindings ${arg_TARGET}"
        VERBATIM)
    add_custom_target(${arg_TARGET}_generated DEPENDS ${c_sources} ${headers})

    add_library(${arg_TARGET} STATIC ${c_sources})
    add_dependencies(${arg_TARGET} ${arg_TARGET}_generated)
    target_include_directories(${arg_TARGET} PUBLIC ${output_dir})
    target_link_libraries(${arg_TARGET} PUBLIC nanopb::protobuf-nanopb-static)
    set_target_properties(${arg_TARGET} PROPERTIES
        HASHOS_BINDINGS_DIR ${output_dir}
        HASHOS_BINDINGS_C_SOURCES "${c_sources}")
endfunction()
