#include <stdio.h>
#include "storyfold.h"
int main(void) { printf("storyfold %s\n", sf_version()); return 0; }
