/*
 * data.h — data files compiled into the library (stop words, phrase lists,
 * per-language tables). They live as plain text under data/ and are
 * embedded at build time by tools/embed.py, so the library needs no files
 * at run time.
 */
#ifndef SF_DATA_H
#define SF_DATA_H

#include <stdbool.h>
#include <stddef.h>

/* Returns the contents of data/<name> (e.g. "stopwords/en.txt"), or NULL
 * if there is no such file. The bytes are static and NUL-terminated. */
const char *sf_data_get(const char *name, size_t *len);

/* Calls fn for every embedded file whose name starts with prefix, in name
 * order. */
void sf_data_each(const char *prefix,
                  void (*fn)(void *ctx, const char *name, const char *data,
                             size_t len),
                  void *ctx);

/* Calls fn for each line of data/<name> with the blanks around it trimmed,
 * skipping empty lines and '#' comments. The line is not NUL-terminated
 * (it points into the static file). Returns false if there is no such file. */
bool sf_data_lines(const char *name,
                   void (*fn)(void *ctx, const char *line, size_t len),
                   void *ctx);

#endif /* SF_DATA_H */
