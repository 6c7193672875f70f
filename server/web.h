/*
 * web.h — the web page's files (server/web/), embedded into the command at
 * build time by tools/embed.py.
 */
#ifndef SF_SERVER_WEB_H
#define SF_SERVER_WEB_H

#include <stddef.h>

/* Returns the contents of server/web/<name> (e.g. "index.html"), or NULL
 * if there is no such file. The bytes are static and NUL-terminated. */
const char *sf_web_get(const char *name, size_t *len);

/* Calls fn for every embedded file whose name starts with prefix. */
void sf_web_each(const char *prefix,
                 void (*fn)(void *ctx, const char *name, const char *data, size_t len),
                 void *ctx);

#endif
