/* bench/ipc's reference: a round trip through two pipes between two native processes (the parent
 * writes a byte, the child answers it), run under `taskset -c 0` so both share one core as the
 * kernel's processes do. Prints "pipe round trip: NS ns". Usage: hashos-ipc-pipe [ROUND_TRIPS] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

static void transfer(int fd, char* byte, int writing)
{
    ssize_t done = writing ? write(fd, byte, 1) : read(fd, byte, 1);
    if (done != 1) {
        perror("hashos-ipc-pipe");
        exit(1);
    }
}

int main(int argc, char** argv)
{
    long round_trips = argc > 1 ? atol(argv[1]) : 200000;
    int to_child[2];
    int to_parent[2];
    if (pipe(to_child) || pipe(to_parent)) {
        perror("hashos-ipc-pipe: pipe");
        return 1;
    }
    char byte = 0;
    pid_t child = fork();
    if (child < 0) {
        perror("hashos-ipc-pipe: fork");
        return 1;
    }
    if (child == 0) {
        for (long i = 0; i < round_trips; ++i) {
            transfer(to_child[0], &byte, 0);
            transfer(to_parent[1], &byte, 1);
        }
        _exit(0);
    }
    double start = now_seconds();
    for (long i = 0; i < round_trips; ++i) {
        transfer(to_child[1], &byte, 1);
        transfer(to_parent[0], &byte, 0);
    }
    double seconds = now_seconds() - start;
    waitpid(child, NULL, 0);
    printf("pipe round trip: %.0f ns (%ld round trips)\n", seconds / (double)round_trips * 1e9, round_trips);
    return 0;
}
