// Formatted output of floating-point numbers: every conversion, precision and flag, rounding,
// infinities and NaN.
#include <math.h>
#include <stdio.h>

int main(void)
{
    double values[] = { 0.0, -0.0, 1.0, -1.5, 3.14159265358979, 2.5, 0.125, 1e-7, 123456789.987654321,
        1e300, 2.2250738585072014e-308, 0.1 + 0.2, 1.0 / 3.0, 999.9995, INFINITY, -INFINITY, NAN };
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); ++i) {
        double v = values[i];
        printf("%f|%.0f|%.3f|%e|%.2E|%g|%.10g|%G|%a|%10.4f|%-10.2f|%+.1f|%08.3f\n", v, v, v, v, v, v, v, v, v, v, v, v, v);
    }
    float f = 1.1f;
    printf("float %.9g %f\n", f, f);
    printf("rounding %.0f %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, -0.5, 0.05, 1.005);
    return 0;
}
