/* exit_three: exits with code 3, so the tests can see `hashos run` pass a program's code on. */
#include "hashos/hashos.h"

int main(void) { return 3; }
