// Shared by the benchmark workloads: freestanding wasm32 C, no libc.
// Each workload exports one function, `run`, which redoes all its work on every call (the Node
// runner calls it once to warm up, then times a second call) and returns a checksum that
// bench/engine compares with the value in bench/checksums.txt.
// SCALE is set by bench/CMakeLists.txt: the full size for hashos and Node, a smaller one for
// wabt's much slower wasm-interp.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifndef SCALE
#error "SCALE must be defined by the build"
#endif

// bench/startup.c links several workloads into one module and renames their exports.
#ifndef EXPORT_RUN
#define EXPORT_RUN __attribute__((export_name("run")))
#endif

// A deterministic generator for input data (a 32-bit LCG: Numerical Recipes' constants).
static inline uint32_t next_random(uint32_t* state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

// Folds a value into a running checksum (FNV-1a style on 32-bit words).
static inline uint32_t mix(uint32_t checksum, uint32_t value)
{
    return (checksum ^ value) * 16777619u;
}
