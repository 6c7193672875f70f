/*
 * store_cmds.h — the commands on a story store: add, stories, serve.
 */
#ifndef SF_CLI_STORE_CMDS_H
#define SF_CLI_STORE_CMDS_H

#include <stdbool.h>

/* True if name is one of the store commands. */
bool store_is_command(const char *name);

/* Runs store command argv[0] with its arguments; returns the exit code
 * (0 success, 1 bad input or usage, 2 internal failure). */
int store_command(int argc, char **argv);

#endif
