// Recursive Fibonacci: call and return cost, nothing else.
#include "common.h"

static int fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

EXPORT_RUN int run(void)
{
    // SCALE is n itself: the work grows by the golden ratio per step.
    return fib(SCALE);
}
