/*
 * data.c — reading the embedded data files line by line.
 */
#include "data.h"

#include <string.h>

bool sf_data_lines(const char *name,
                   void (*fn)(void *ctx, const char *line, size_t len),
                   void *ctx)
{
    size_t n = 0;
    const char *d = sf_data_get(name, &n);
    if (!d)
        return false;
    const char *end = d + n;
    while (d < end) {
        const char *eol = memchr(d, '\n', (size_t)(end - d));
        if (!eol)
            eol = end;
        const char *a = d, *b = eol;
        d = eol + 1;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
            b--;
        if (a < b && *a != '#')
            fn(ctx, a, (size_t)(b - a));
    }
    return true;
}
