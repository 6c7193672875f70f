/* MinHash signatures estimate the Jaccard similarity of shingle sets. */
#include "harness.h"
#include "sketch.h"

static void fill(uint64_t *w, size_t n, uint64_t base)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (base + i) * 0x9e3779b97f4a7c15ULL;
}

static void test_identical_and_disjoint(void **state)
{
    (void)state;
    uint64_t a[400], b[400];
    fill(a, 400, 1);
    fill(b, 400, 100000);
    sf_sketch sa, sb, sa2;
    sf_sketch_build(a, 400, 5, &sa);
    sf_sketch_build(a, 400, 5, &sa2);
    sf_sketch_build(b, 400, 5, &sb);
    assert_int_equal(sa.shingles, 396);
    assert_near(sf_sketch_similarity(&sa, &sa2), 1.0, 1e-12);
    assert_true(sf_sketch_similarity(&sa, &sb) < 0.05);
    for (unsigned band = 0; band < SF_SKETCH_BANDS; band++)
        assert_true(sf_sketch_band(&sa, band) == sf_sketch_band(&sa2, band));
}

static void test_estimate_tracks_jaccard(void **state)
{
    (void)state;
    /* Two word sequences of 1000 words sharing the first 600: shingles
     * 596 shared out of 996 + 400 = about 0.43 Jaccard (w = 5). */
    enum { N = 1000, SHARED = 600 };
    static uint64_t a[N], b[N];
    fill(a, N, 1);
    fill(b, N, 1);
    fill(b + SHARED, N - SHARED, 777777);
    sf_sketch sa, sb;
    sf_sketch_build(a, N, 5, &sa);
    sf_sketch_build(b, N, 5, &sb);
    double truth = (SHARED - 4.0) / (2 * (N - 4.0) - (SHARED - 4.0));
    double est = sf_sketch_similarity(&sa, &sb);
    assert_true(est > truth - 0.15 && est < truth + 0.15);
}

static void test_short_and_empty(void **state)
{
    (void)state;
    uint64_t a[3];
    fill(a, 3, 5);
    sf_sketch s, e;
    sf_sketch_build(a, 3, 5, &s);   /* shorter than w: one shingle */
    assert_int_equal(s.shingles, 1);
    assert_near(sf_sketch_similarity(&s, &s), 1.0, 1e-12);
    sf_sketch_build(a, 0, 5, &e);
    assert_int_equal(e.shingles, 0);
    assert_near(sf_sketch_similarity(&e, &e), 0.0, 1e-12);
    /* order matters: the same words reversed share no shingle */
    uint64_t r[400], f[400];
    fill(f, 400, 9);
    for (int i = 0; i < 400; i++)
        r[i] = f[399 - i];
    sf_sketch sf_, sr;
    sf_sketch_build(f, 400, 5, &sf_);
    sf_sketch_build(r, 400, 5, &sr);
    assert_true(sf_sketch_similarity(&sf_, &sr) < 0.05);
}

/* The full signature as docs/ALGORITHMS.md defines it, each shingle hashed
 * afresh: the XOR of its words rotated by 13 bits a position, plus w,
 * mixed; one permutation hashing into K bins, empty bins densified. */
static uint64_t ref_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void ref_build(const uint64_t *words, size_t n, unsigned w, uint32_t *v)
{
    for (unsigned i = 0; i < SF_SKETCH_K; i++)
        v[i] = UINT32_MAX;
    for (size_t i = 0; i + w <= n; i++) {
        uint64_t h = 0;
        for (unsigned k = 0; k < w; k++) {
            unsigned r = (k * 13) & 63;
            uint64_t x = words[i + k];
            h ^= r ? (x << r) | (x >> (64 - r)) : x;
        }
        h = ref_mix(h + w);
        unsigned bin = (unsigned)(h >> 57);
        uint32_t val = (uint32_t)h == UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)h;
        if (val < v[bin])
            v[bin] = val;
    }
    uint32_t orig[SF_SKETCH_K];
    memcpy(orig, v, sizeof orig);
    for (unsigned i = 0; i < SF_SKETCH_K; i++)
        for (uint64_t a = 1; orig[i] == UINT32_MAX; a++) {
            unsigned j = (unsigned)(ref_mix(((uint64_t)i << 32) ^ a) >> 57);
            if (orig[j] != UINT32_MAX) {
                v[i] = orig[j];
                break;
            }
        }
}

/* The rolling shingle hash gives the signature of the definition, for
 * every shingle width and for texts with few shingles (densified). */
static void test_matches_definition(void **state)
{
    (void)state;
    uint64_t a[300];
    fill(a, 300, 42);
    a[17] = a[90] = 0;                 /* zero and repeated words too */
    a[150] = a[151] = a[152] = a[3];
    static const size_t lengths[] = {300, 40, 9};
    for (unsigned w = 1; w <= 12; w++)
        for (size_t l = 0; l < SF_ARRAY_LEN(lengths); l++) {
            if (lengths[l] < w)
                continue;
            sf_sketch s;
            uint32_t want[SF_SKETCH_K];
            sf_sketch_build(a, lengths[l], w, &s);
            ref_build(a, lengths[l], w, want);
            assert_int_equal(s.shingles, lengths[l] - w + 1);
            for (unsigned i = 0; i < SF_SKETCH_K; i++)
                assert_int_equal(s.v[i], want[i] & 0xFFFF); /* low 16 bits kept */
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_and_disjoint),
        cmocka_unit_test(test_estimate_tracks_jaccard),
        cmocka_unit_test(test_short_and_empty),
        cmocka_unit_test(test_matches_definition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
