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
    val -= val == EMPTY;
    /* without a branch: whether a shingle lowers its bin's minimum cannot
     * be predicted while the bins fill */
    uint32_t cur = v[bin];
    v[bin] = val < cur ? val : cur;
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

/* ---- the words of raw text ------------------------------------------- */

#include <stdlib.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void sf_sketch_scratch_free(sf_sketch_scratch *s)
{
    free(s->buf);
    free(s->mask);
    free(s->words);
    free(s->slow);
    memset(s, 0, sizeof *s);
}

#define WH_SEED 0x243f6a8885a308d3ULL
#define WH_MUL 0xff51afd7ed558ccdULL

static inline uint64_t wh_absorb(uint64_t h, uint64_t c)
{
    h = (h ^ c) * WH_MUL;
    return h ^ (h >> 29);
}

/* No finaliser beyond the length: a word hash only has to tell words
 * apart (each 8-byte chunk is taken in by an invertible step); the
 * shingle hash made of them is mixed by add_shingle. */
static inline uint64_t wh_final(uint64_t h, size_t n)
{
    return h + (uint64_t)n * 0x9e3779b97f4a7c15ULL;
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v; /* little-endian hosts: the word's first byte lowest */
}

/* The low k bytes (1 <= k <= 8). */
static inline uint64_t low_bytes(uint64_t v, size_t k)
{
    return v & (~0ULL >> (64 - 8 * k));
}

/* The bytes of a word's second 8-byte chunk, by the word's length (0 to
 * 16 bytes). */
static const uint64_t second_mask[17] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xffULL, 0xffffULL, 0xffffffULL, 0xffffffffULL, 0xffffffffffULL, 0xffffffffffffULL,
    0xffffffffffffffULL, ~0ULL};

uint64_t sf_plain_word_hash(const unsigned char *p, size_t n)
{
    uint64_t h = WH_SEED;
    size_t k = n;
    while (k > 8) {
        h = wh_absorb(h, load64(p));
        p += 8;
        k -= 8;
    }
    uint64_t c = 0;
    memcpy(&c, p, k);
    return wh_final(wh_absorb(h, c), n);
}

/* Whether code point c is a word character of Python's re: '_', or a
 * letter or number (categories L*, N*). */
static bool word_cp(utf8proc_int32_t c)
{
    if (c < 0x80)
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z');
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

static bool push_word(sf_sketch_scratch *s, size_t *nw, uint64_t h)
{
    if (*nw == s->wcap && !SF_GROW(s->words, s->wcap, *nw + 1))
        return false;
    s->words[(*nw)++] = h;
    return true;
}

/* A run of bytes that holds some byte above ASCII: decoded character by
 * character; its words (none, one or several) pushed. */
static bool slow_run(sf_sketch_scratch *s, const unsigned char *p, size_t n, size_t *nw)
{
    if (s->slow_cap < 2 * n + 8) {
        unsigned char *q = realloc(s->slow, 2 * n + 8);
        if (!q)
            return false;
        s->slow = q;
        s->slow_cap = 2 * n + 8;
    }
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        bool word = k > 0 && word_cp(c);
        if (word) {
            utf8proc_int32_t l = utf8proc_tolower(c);
            utf8proc_ssize_t e = utf8proc_encode_char(l, s->slow + len);
            if (e <= 0) /* (cannot happen: l is valid) */
                word = false;
            else
                len += (size_t)e;
        }
        if (!word && len) {
            if (!push_word(s, nw, sf_plain_word_hash(s->slow, len)))
                return false;
            len = 0;
        }
        i += k > 0 ? (size_t)k : 1;
    }
    return !len || push_word(s, nw, sf_plain_word_hash(s->slow, len));
}

/* Copies text into s->buf with A-Z lower-cased and sets s->mask: bit i of
 * mask[i / 64] when byte i is a word byte (0-9, a-z, '_') or above ASCII. */
static void lower_and_mask(sf_sketch_scratch *s, const unsigned char *t, size_t len)
{
    size_t nb = (len + 63) / 64;
    unsigned char *b = s->buf;
    size_t full = len / 64;
    for (size_t k = 0; k < nb; k++) {
        const unsigned char *src = t + 64 * k;
        unsigned char tail[64];
        if (k == full) { /* the last, partial block: zero-padded */
            memset(tail, 0, sizeof tail);
            memcpy(tail, src, len - 64 * k);
            src = tail;
        }
        uint64_t m = 0;
#if defined(__SSE2__)
        const __m128i cA = _mm_set1_epi8((char)(0x80 - 'A')), lim26 = _mm_set1_epi8((char)(-128 + 26));
        const __m128i c0 = _mm_set1_epi8((char)(0x80 - '0')), lim10 = _mm_set1_epi8((char)(-128 + 10));
        const __m128i ca = _mm_set1_epi8((char)(0x80 - 'a')), us = _mm_set1_epi8('_');
        const __m128i bit5 = _mm_set1_epi8(0x20), zero = _mm_setzero_si128();
        for (unsigned q = 0; q < 4; q++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src + 16 * q));
            __m128i up = _mm_cmplt_epi8(_mm_add_epi8(x, cA), lim26);
            x = _mm_or_si128(x, _mm_and_si128(up, bit5));
            _mm_storeu_si128((__m128i *)(void *)(b + 64 * k + 16 * q), x);
            __m128i w = _mm_or_si128(_mm_cmplt_epi8(_mm_add_epi8(x, c0), lim10),
                                     _mm_cmplt_epi8(_mm_add_epi8(x, ca), lim26));
            w = _mm_or_si128(w, _mm_or_si128(_mm_cmpeq_epi8(x, us), _mm_cmplt_epi8(x, zero)));
            m |= (uint64_t)(uint32_t)_mm_movemask_epi8(w) << (16 * q);
        }
#else
        for (unsigned i = 0; i < 64; i++) {
            unsigned char c = src[i];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c | 0x20);
            b[64 * k + i] = c;
            bool w = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
            m |= (uint64_t)w << i;
        }
#endif
        s->mask[k] = m;
    }
    s->mask[nb] = 0;
    memset(b + 64 * nb, 0, 16);
}

/* Hashes the word at b[start, end) into s->words (b is zero-padded past
 * the text); a word with a byte above ASCII is decoded instead. */
static inline bool emit_word(sf_sketch_scratch *s, const unsigned char *b, size_t start,
                             size_t end, size_t *nw)
{
    /* the word's bytes, 8 at a time; a word of up to 16 bytes (nearly
     * all) without a branch on its length */
    const unsigned char *p = b + start;
    size_t k = end - start;
    uint64_t h = WH_SEED, any = 0, c;
    if (__builtin_expect(k <= 16, 1)) {
        size_t k1 = k < 8 ? k : 8;
        uint64_t c1 = low_bytes(load64(p), k1);
        uint64_t c2 = load64(p + 8) & second_mask[k];
        any = c1 | c2;
        uint64_t h1 = wh_absorb(h, c1);
        uint64_t h2 = wh_absorb(h1, c2);
        h = k > 8 ? h2 : h1;
    } else {
        while (k > 8) {
            c = load64(p);
            any |= c;
            h = wh_absorb(h, c);
            p += 8;
            k -= 8;
        }
        c = low_bytes(load64(p), k);
        any |= c;
        h = wh_absorb(h, c);
    }
    if (__builtin_expect((any & 0x8080808080808080ULL) != 0, 0))
        return slow_run(s, b + start, end - start, nw);
    if (*nw == s->wcap) /* (cannot happen: wcap >= len / 2 + 1) */
        return false;
    s->words[(*nw)++] = wh_final(h, end - start);
    return true;
}

size_t sf_plain_words(sf_sketch_scratch *s, const char *text, size_t len)
{
    size_t nb = (len + 63) / 64;
    if (s->cap < nb + 1) {
        size_t cap = nb + 1 > 2 * s->cap ? nb + 1 : 2 * s->cap;
        unsigned char *b = malloc(64 * cap + 16);
        uint64_t *m = malloc(cap * sizeof *m);
        if (!b || !m) {
            free(b);
            free(m);
            return SIZE_MAX;
        }
        free(s->buf);
        free(s->mask);
        s->buf = b;
        s->mask = m;
        s->cap = cap;
    }
    /* at most one word per two bytes */
    size_t most = len / 2 + 1;
    if (s->wcap < most) {
        uint64_t *w = realloc(s->words, most * sizeof *w);
        if (!w)
            return SIZE_MAX;
        s->words = w;
        s->wcap = most;
    }
    lower_and_mask(s, (const unsigned char *)text, len);
    const uint64_t *mask = s->mask;
    const unsigned char *b = s->buf;
    size_t nw = 0, open_at = 0;
    bool open = false;       /* a word started in an earlier block */
    uint64_t prev_top = 0;   /* the last byte of the previous block was a word byte */
    /* Per 64-byte block, the bits where a word starts and where one has
     * just ended (the byte after it); they alternate, so the k-th end of
     * a block closes its k-th start, or the word still open. */
    for (size_t bi = 0; bi <= nb; bi++) {
        uint64_t m = mask[bi]; /* mask[nb] is 0: closes a word open at the end */
        uint64_t shifted = (m << 1) | prev_top;
        uint64_t starts = m & ~shifted, ends = ~m & shifted;
        prev_top = m >> 63;
        size_t base = bi * 64;
        if (open && ends) {
            if (!emit_word(s, b, open_at, base + (size_t)__builtin_ctzll(ends), &nw))
                return SIZE_MAX;
            ends &= ends - 1;
            open = false;
        }
        while (starts) {
            size_t w0 = base + (size_t)__builtin_ctzll(starts);
            starts &= starts - 1;
            if (!ends) {
                open = true;
                open_at = w0;
                break;
            }
            if (!emit_word(s, b, w0, base + (size_t)__builtin_ctzll(ends), &nw))
                return SIZE_MAX;
            ends &= ends - 1;
        }
    }
    return nw;
}

bool sf_sketch_text(sf_sketch_scratch *s, const char *text, size_t len, unsigned w,
                    sf_sketch *out)
{
    size_t n = sf_plain_words(s, text, len);
    if (n == SIZE_MAX)
        return false;
    sf_sketch_build(s->words, n, w, out);
    return true;
}
