/* bench/ipc's smallest program: built with the SDK, it starts and exits 0. Spawning it from the
 * store and waiting for its exit is the spawn figure. */
int main(void)
{
    return 0;
}
