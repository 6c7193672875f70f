/*
 * sketch.h — MinHash signatures of word shingles (one permutation hashing
 * with optimal densification) and LSH banding to find near-copies without
 * comparing all pairs.
 */
#ifndef SF_SKETCH_H
#define SF_SKETCH_H

#include "common.h"

#define SF_SKETCH_K 128        /* values per signature */
#define SF_SKETCH_BANDS 32     /* LSH bands; SF_SKETCH_K / bands rows each */
#define SF_SKETCH_ROWS (SF_SKETCH_K / SF_SKETCH_BANDS)

/* The low 16 bits of each bin's minimum are kept: two signatures then
 * agree in a bin by chance (their minima differ) with probability 2^-16,
 * which adds 0.002 to an expected count of 128 agreeing bins; half the
 * memory of 32-bit values. */
typedef struct sf_sketch {
    uint16_t v[SF_SKETCH_K];
    uint32_t shingles;         /* number of shingles seen; 0 = empty text */
} sf_sketch;

/* Builds the signature of the word w-shingles of a sequence of word
 * hashes (a text shorter than w words is one shingle of all its words). */
void sf_sketch_build(const uint64_t *words, size_t n, unsigned w, sf_sketch *out);

/* Estimated Jaccard similarity of the two shingle sets, in [0, 1]; 0 when
 * either is empty. */
double sf_sketch_similarity(const sf_sketch *a, const sf_sketch *b);

/* Hash of band b of a signature, for bucketing. */
uint64_t sf_sketch_band(const sf_sketch *s, unsigned band);

#endif /* SF_SKETCH_H */
