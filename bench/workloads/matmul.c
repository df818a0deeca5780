// Dense single-precision matrix multiplication, 256x256, repeated: f32 loads and arithmetic.
#include "common.h"

#define N 256

static float a[N][N], b[N][N], c[N][N];

EXPORT_RUN int run(void)
{
    uint32_t seed = 42;
    for (int i = 0; i < N; ++i) {
        for (int j = 0; j < N; ++j) {
            a[i][j] = (float)(next_random(&seed) >> 20) / 4096.0f;
            b[i][j] = (float)(next_random(&seed) >> 20) / 4096.0f;
        }
    }
    uint32_t checksum = 0;
    for (int round = 0; round < SCALE; ++round) {
        for (int i = 0; i < N; ++i) {
            for (int j = 0; j < N; ++j) {
                float sum = 0.0f;
                for (int k = 0; k < N; ++k)
                    sum += a[i][k] * b[k][j];
                c[i][j] = sum;
            }
        }
        for (int i = 0; i < N; ++i)
            checksum = mix(checksum, __builtin_bit_cast(uint32_t, c[i][(i * 7 + round) % N]));
        a[round % N][round % N] += 1.0f; // so no two rounds compute the same product
    }
    return (int)checksum;
}
