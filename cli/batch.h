/*
 * batch.h — the command's article batches: records from a reader are
 * copied (the reader's strings live only until its next record) so that
 * a batch of them can be added to the engine in parallel.
 */
#ifndef SF_CLI_BATCH_H
#define SF_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "storyfold.h"

typedef struct batch {
    sf_article *arts;
    size_t n, cap;
    char *bytes;          /* every string of the batch, back to back */
    size_t used, size;
    /* fold: the input being read when the batch was full, and the bytes
     * of the inputs read by then (for the --memory check) */
    const char *input;
    unsigned long long read_at;
} batch;

#define BATCH_ARTICLES 4096
#define BATCH_BYTES ((size_t)64 << 20)

void batch_init(batch *b);
void batch_free(batch *b);
/* Copies article a into the batch. Returns false if out of memory. */
bool batch_push(batch *b, const sf_article *a);
/* True when the batch should be handed to the engine. */
bool batch_full(const batch *b);
/* Points the batch's articles at their bytes (call before using them,
 * since pushing may move the bytes), or empties the batch. */
void batch_seal(batch *b);
void batch_clear(batch *b);

/* Writes s[0..n) to f as a JSON string literal. */
void put_json_string(FILE *f, const char *s, size_t n);

#endif
