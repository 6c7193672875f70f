/*
 * dedup.h — near-duplicate detection alone (sf_dedup, `storyfold dedup`):
 * the per-article part that runs on worker threads, for the library and
 * the benchmark.
 */
#ifndef SF_DEDUP_H
#define SF_DEDUP_H

#include "sketch.h"

/* What the options come to. */
typedef struct sf_dedup_plan {
    unsigned w;        /* words per shingle */
    unsigned bands;    /* LSH bands */
    unsigned rows;     /* signature values per band */
    unsigned need;     /* equal values (of SF_SKETCH_K) that make a copy */
    int clean;
} sf_dedup_plan;

/* One article's sketch, exact-text hash and band keys (the top 32 bits of
 * each band's hash: the index keeps no more). */
typedef struct sf_dedup_item {
    uint64_t exact;
    sf_sketch sk;
    uint32_t tags[SF_SKETCH_K];   /* tags[0 .. bands) */
} sf_dedup_item;

/* Fills plan from opt (already checked by sf_dedup_new, or defaults). */
void sf_dedup_plan_make(const sf_dedup_options *opt, sf_dedup_plan *plan);

/* Sketches text (raw: no cleaning here) into it. False if out of memory. */
bool sf_dedup_sketch(const sf_dedup_plan *plan, sf_sketch_scratch *s, const char *text,
                     size_t len, sf_dedup_item *it);

#endif /* SF_DEDUP_H */
