// libm: functions whose results both libcs round the same, printed to 9 significant digits,
// plus integer arithmetic on 64-bit values and division edge cases.
#include <math.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    double inputs[] = { 0.5, 1.0, 2.0, 10.0, 123.456 };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); ++i) {
        double x = inputs[i];
        printf("x=%g sqrt=%.9g exp=%.9g log=%.9g pow=%.9g sin=%.9g cos=%.9g atan=%.9g floor=%g ceil=%g\n", x, sqrt(x), exp(x),
            log(x), pow(x, 1.5), sin(x), cos(x), atan(x), floor(x * 3.3), ceil(x * 3.3));
    }
    printf("fmod %g, round %g %g, trunc %g, hypot %.9g, cbrt %.9g\n", fmod(10.5, 3.0), round(2.5), round(-2.5), trunc(-3.7),
        hypot(3.0, 4.0), cbrt(27.0));
    printf("isnan %d isinf %d signbit %d\n", isnan(sqrt(-1.0)), isinf(1.0 / 0.0), signbit(-0.0) != 0);
    int64_t big = INT64_MAX / 3;
    uint64_t product = (uint64_t)big * 7u;
    printf("int64 %lld %llu %lld %lld\n", (long long)big, (unsigned long long)product, (long long)(-7 / 2), (long long)(-7 % 2));
    double sum = 0;
    for (int i = 1; i <= 1000000; ++i)
        sum += 1.0 / ((double)i * i);
    printf("basel %.12f\n", sum);
    return 0;
}
