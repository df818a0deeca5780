// The module of the startup measurement (hashos-bench --startup): about 10 KiB of code from the
// other workloads, linked in by bench/CMakeLists.txt, and a `run` that does next to nothing, so
// what is measured is decode + validate + compile + instantiate + one call.
__attribute__((export_name("run"))) int run(void)
{
    return 42;
}
