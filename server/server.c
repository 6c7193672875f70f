/*
 * server.c — the HTTP service (in progress).
 */
#include "server.h"

#include <stdio.h>

#include "web.h"

int sf_serve_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    size_t n;
    (void)sf_web_get("index.html", &n);
    fprintf(stderr, "storyfold: serve is not built yet\n");
    return 2;
}
