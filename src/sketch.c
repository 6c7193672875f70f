/*
 * sketch.c — one permutation MinHash with optimal densification.
 *
 * Each shingle is hashed once; the top bits choose one of K bins and the
 * low 32 bits are the value kept if it is the bin's minimum (one permutation
 * hashing, Li, Owen and Zhang 2012). Bins left empty borrow the value of a
 * bin chosen by a hash of (bin, attempt) until a filled one is found
 * (optimal densification, Shrivastava 2017), so that two signatures agree
 * in a bin with probability equal to the Jaccard similarity.
 */
#include "sketch.h"

#include <string.h>

#define EMPTY UINT32_MAX
#define BIN_BITS 7 /* log2(SF_SKETCH_K) */

_Static_assert((1u << BIN_BITS) == SF_SKETCH_K, "BIN_BITS must match SF_SKETCH_K");
_Static_assert(SF_SKETCH_K % SF_SKETCH_BANDS == 0, "bands must divide K");

static inline uint64_t mix64(uint64_t x)
{
    /* splitmix64 finaliser */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t rotl(uint64_t x, unsigned r)
{
    return r ? (x << r) | (x >> (64 - r)) : x;
}

static inline void add_shingle(uint32_t *v, uint64_t h)
{
    h = mix64(h);
    unsigned bin = (unsigned)(h >> (64 - BIN_BITS));
    uint32_t val = (uint32_t)h;
    if (val == EMPTY)
        val--;
    if (val < v[bin])
        v[bin] = val;
}

void sf_sketch_build(const uint64_t *words, size_t n, unsigned w, sf_sketch *out)
{
    uint32_t v[SF_SKETCH_K]; /* full minima; their low bits are kept */
    for (size_t i = 0; i < SF_SKETCH_K; i++)
        v[i] = EMPTY;
    out->shingles = 0;
    if (n == 0) {
        memset(out->v, 0xFF, sizeof out->v);
        return;
    }
    if (w == 0)
        w = 1;
    if (n < w) {
        uint64_t h = 0x9e3779b97f4a7c15ULL;
        for (size_t i = 0; i < n; i++)
            h = mix64(h ^ words[i]) + i;
        add_shingle(v, h);
        out->shingles = 1;
    } else {
        /* Shingle hash: the XOR of its w word hashes, the k-th rotated
         * left by 13k bits so that order matters. It rolls: dropping the
         * first word and rotating right by 13 leaves the next shingle's
         * first w - 1 terms, and the new word comes in rotated by
         * 13(w - 1). */
        unsigned last = (unsigned)(((uint64_t)(w - 1) * 13) & 63);
        uint64_t h = 0;
        for (unsigned k = 0; k < w; k++)
            h ^= rotl(words[k], (k * 13) & 63);
        add_shingle(v, h + w);
        for (size_t i = 1; i + w <= n; i++) {
            h = rotl(h ^ words[i - 1], 64 - 13) ^ rotl(words[i + w - 1], last);
            add_shingle(v, h + w);
        }
        out->shingles = (uint32_t)(n - w + 1 < UINT32_MAX ? n - w + 1 : UINT32_MAX);
    }
    /* Optimal densification: each empty bin copies a filled bin chosen by
     * a hash sequence that depends only on the bin index and attempt. */
    for (unsigned i = 0; i < SF_SKETCH_K; i++) {
        uint32_t x = v[i];
        for (uint64_t attempt = 1; x == EMPTY; attempt++) {
            unsigned j = (unsigned)(mix64(((uint64_t)i << 32) ^ attempt) >> (64 - BIN_BITS));
            if (v[j] != EMPTY)
                x = v[j];
        }
        out->v[i] = (uint16_t)x;
    }
}

double sf_sketch_similarity(const sf_sketch *a, const sf_sketch *b)
{
    if (!a->shingles || !b->shingles)
        return 0;
    unsigned same = 0;
    for (unsigned i = 0; i < SF_SKETCH_K; i++)
        same += a->v[i] == b->v[i];
    return (double)same / SF_SKETCH_K;
}

uint64_t sf_sketch_band(const sf_sketch *s, unsigned band)
{
    return sf_hash64(s->v + band * SF_SKETCH_ROWS, SF_SKETCH_ROWS * sizeof s->v[0],
                     band + 1);
}
