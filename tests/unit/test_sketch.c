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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_and_disjoint),
        cmocka_unit_test(test_estimate_tracks_jaccard),
        cmocka_unit_test(test_short_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
