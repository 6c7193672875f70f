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

/* ---- the words of raw text, for `storyfold dedup` -------------------- */

/* Scratch space of sf_plain_words / sf_sketch_text (one per thread;
 * zero-initialise it, free with sf_sketch_scratch_free). */
typedef struct sf_sketch_scratch {
    unsigned char *buf;   /* the text lower-cased (ASCII), zero-padded */
    uint64_t *mask;       /* bit i: byte i may be part of a word */
    uint64_t *words;      /* word hashes */
    unsigned char *slow;  /* one word's lower-cased bytes (non-ASCII words) */
    size_t cap, wcap, slow_cap;
} sf_sketch_scratch;

void sf_sketch_scratch_free(sf_sketch_scratch *s);

/* Hash of one word given as its lower-cased UTF-8 bytes. */
uint64_t sf_plain_word_hash(const unsigned char *p, size_t n);

/* The words of text as Python's re reads `\w+` in the lower-cased text
 * (the usual MinHash dedup recipe): runs of letters, digits (Unicode
 * categories L and N) and '_', lower-cased with the simple Unicode case
 * mapping; each as sf_plain_word_hash of its bytes, into s->words.
 * Returns the number of words, or SIZE_MAX if out of memory. Invalid
 * UTF-8 bytes separate words. */
size_t sf_plain_words(sf_sketch_scratch *s, const char *text, size_t len);

/* sf_plain_words then sf_sketch_build with w-word shingles. Returns false
 * if out of memory. */
bool sf_sketch_text(sf_sketch_scratch *s, const char *text, size_t len, unsigned w,
                    sf_sketch *out);

#endif /* SF_SKETCH_H */
