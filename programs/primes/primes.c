// primes: counts the primes below a limit with a sieve of Eratosthenes in linear memory.
// A freestanding wasm32 program (no libc): the engine calls its exported `run`.

#define LIMIT 2000000

static unsigned char composite[LIMIT];

__attribute__((export_name("count_primes_below"))) int count_primes_below(int limit)
{
    if (limit > LIMIT)
        limit = LIMIT;
    __builtin_memset(composite, 0, (unsigned long)limit);
    int count = 0;
    for (int n = 2; n < limit; ++n) {
        if (composite[n])
            continue;
        ++count;
        for (long long multiple = (long long)n * n; multiple < limit; multiple += n)
            composite[multiple] = 1;
    }
    return count;
}

__attribute__((export_name("run"))) int run(void)
{
    return count_primes_below(LIMIT);
}
