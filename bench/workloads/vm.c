// A bytecode virtual machine: a small stack machine interpreting a program that runs nested
// loops of arithmetic. Measures switch dispatch (br_table), unpredictable branches and the
// load/store traffic of a stack kept in memory.
#include "common.h"

enum {
    OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_XOR, OP_SHR,
    OP_LT, OP_JUMP_IF_ZERO, OP_JUMP, OP_DUP, OP_DROP, OP_HALT,
};

static int32_t stack[256];
static int32_t variables[8];

static int32_t execute(const int32_t* code)
{
    int32_t* sp = stack;
    const int32_t* pc = code;
    for (;;) {
        switch (*pc++) {
        case OP_PUSH: *sp++ = *pc++; break;
        case OP_LOAD: *sp++ = variables[*pc++]; break;
        case OP_STORE: variables[*pc++] = *--sp; break;
        case OP_ADD: --sp; sp[-1] += sp[0]; break;
        case OP_SUB: --sp; sp[-1] -= sp[0]; break;
        case OP_MUL: --sp; sp[-1] *= sp[0]; break;
        case OP_AND: --sp; sp[-1] &= sp[0]; break;
        case OP_XOR: --sp; sp[-1] ^= sp[0]; break;
        case OP_SHR: --sp; sp[-1] = (int32_t)((uint32_t)sp[-1] >> (sp[0] & 31)); break;
        case OP_LT: --sp; sp[-1] = sp[-1] < sp[0]; break;
        case OP_JUMP_IF_ZERO: {
            int32_t target = *pc++;
            if (*--sp == 0)
                pc = code + target;
            break;
        }
        case OP_JUMP: pc = code + *pc; break;
        case OP_DUP: sp[0] = sp[-1]; ++sp; break;
        case OP_DROP: --sp; break;
        case OP_HALT: return variables[1];
        default: return -1;
        }
    }
}

// variables: 0 = i, 1 = accumulator, 2 = limit
//   acc = 0; i = 0
//   while (i < limit) { acc = (acc * 31 + i) ^ (acc >> 7); i = i + 1 }
static const int32_t k_program[] = {
    OP_PUSH, 0, OP_STORE, 1,            // 0: acc = 0
    OP_PUSH, 0, OP_STORE, 0,            // 4: i = 0
    OP_LOAD, 0, OP_LOAD, 2, OP_LT,      // 8: i < limit
    OP_JUMP_IF_ZERO, 42,                // 13
    OP_LOAD, 1, OP_PUSH, 31, OP_MUL,    // 15: acc * 31
    OP_LOAD, 0, OP_ADD,                 // 20: + i
    OP_LOAD, 1, OP_PUSH, 7, OP_SHR,     // 23: acc >> 7
    OP_XOR, OP_STORE, 1,                // 28: acc = ...
    OP_LOAD, 0, OP_PUSH, 1, OP_ADD,     // 31: i + 1
    OP_STORE, 0,                        // 36: i = ...
    OP_JUMP, 8,                         // 38
    OP_HALT, OP_HALT,                   // 40
    OP_HALT,                            // 42
};

EXPORT_RUN int run(void)
{
    // SCALE is the loop count of the interpreted program, in thousands.
    variables[2] = SCALE * 1000;
    return execute(k_program);
}
