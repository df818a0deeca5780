/* The entry point of an SDK program: the kernel calls the export `_start` (docs/abi.md), which
 * runs the program's `int main(void)`; its result is the exit code. Linked as an object of its own
 * rather than from the library, so that a program may define `_start` itself instead. */
int main(void);

__attribute__((export_name("_start"))) int hashos_start(void)
{
    return main();
}
