/*
 * server.h — the HTTP service over a story store (storyfold serve).
 */
#ifndef SF_SERVER_H
#define SF_SERVER_H

/* Runs `storyfold serve` with argv[0] = "serve" and its options; returns
 * the exit code once the service has shut down (SIGTERM or SIGINT). */
int sf_serve_main(int argc, char **argv);

#endif
