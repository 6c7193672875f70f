/* Tests of the evaluation metrics against values worked out by hand. */
#include "harness.h"

static void test_clusters_by_hand(void **state)
{
    (void)state;
    const uint64_t pred[] = {7, 7, 9, 9};
    const uint64_t gold[] = {1, 1, 1, 2};
    sf_cluster_scores s;
    assert_int_equal(sf_eval_clusters(pred, gold, 4, &s), SF_OK);
    assert_near(s.bcubed_p, 0.75, 1e-9);
    assert_near(s.bcubed_r, 2.0 / 3.0, 1e-9);
    assert_near(s.bcubed_f1, 2 * 0.75 * (2.0 / 3) / (0.75 + 2.0 / 3), 1e-9);
    assert_near(s.pair_p, 0.5, 1e-9);
    assert_near(s.pair_r, 1.0 / 3.0, 1e-9);
    assert_near(s.ari, 0.0, 1e-9);
    assert_int_equal(s.pred_clusters, 2);
    assert_int_equal(s.gold_clusters, 2);
}

static void test_clusters_perfect_and_split(void **state)
{
    (void)state;
    const uint64_t a[] = {3, 3, 5, 5, 5, 8};
    const uint64_t b[] = {0, 0, 1, 1, 1, 2};
    sf_cluster_scores s;
    assert_int_equal(sf_eval_clusters(a, b, 6, &s), SF_OK);
    assert_near(s.bcubed_f1, 1.0, 1e-12);
    assert_near(s.ari, 1.0, 1e-12);
    assert_near(s.pair_f1, 1.0, 1e-12);
    /* everything in singletons: precision 1, recall below 1 */
    const uint64_t single[] = {0, 1, 2, 3, 4, 5};
    assert_int_equal(sf_eval_clusters(single, b, 6, &s), SF_OK);
    assert_near(s.bcubed_p, 1.0, 1e-12);
    assert_near(s.bcubed_r, (0.5 * 2 + (1.0 / 3) * 3 + 1) / 6, 1e-12);
    assert_true(s.ari < 0.01);
}

static void test_text_pair(void **state)
{
    (void)state;
    sf_shingle_counts c;
    const char *kept = "a b c d e";
    const char *gold = "a, b; c d";
    assert_int_equal(sf_eval_text_pair(kept, strlen(kept), gold, strlen(gold), &c), SF_OK);
    assert_int_equal(c.tp, 1);
    assert_int_equal(c.fp, 1);
    assert_int_equal(c.fn, 0);
    /* repeated shingles are clipped, case is kept */
    const char *k2 = "x y z w x y z w x y z w";
    const char *g2 = "x y z w q X y z w";
    assert_int_equal(sf_eval_text_pair(k2, strlen(k2), g2, strlen(g2), &c), SF_OK);
    assert_int_equal(c.tp, 1);
    assert_int_equal(c.fp, 8);
    assert_int_equal(c.fn, 5);
    /* fewer than four words make one shingle; non-ASCII letters are words */
    const char *k3 = "Straße über";
    assert_int_equal(sf_eval_text_pair(k3, strlen(k3), k3, strlen(k3), &c), SF_OK);
    assert_int_equal(c.tp, 1);
    assert_int_equal(c.fp + c.fn, 0);
    assert_int_equal(sf_eval_text_pair("", 0, k3, strlen(k3), &c), SF_OK);
    assert_int_equal(c.tp, 0);
    assert_int_equal(c.fn, 1);
}

static void test_fold_files(void **state)
{
    (void)state;
    const char *pred =
        "{\"id\":\"s1\",\"articles\":[{\"id\":\"a\"},{\"id\":\"b\",\"copy_of\":\"a\"}]}\n"
        "{\"id\":\"s2\",\"articles\":[{\"id\":\"c\"}]}\n";
    const char *gold =
        "{\"id\":\"a\",\"event\":\"e1\"}\n{\"id\":\"b\",\"event\":\"e1\"}\n"
        "{\"id\":\"c\",\"event\":\"e2\"}\n\n{\"id\":\"d\",\"event\":\"e2\"}\n"
        "{\"id\":\"z\"}\n";
    char pp[64], gp[64];
    snprintf(pp, sizeof pp, "%s", test_tmpfile(pred, strlen(pred)));
    snprintf(gp, sizeof gp, "%s", test_tmpfile(gold, strlen(gold)));
    sf_cluster_scores s;
    sf_error err;
    assert_int_equal(sf_eval_fold_files(pp, gp, "event", &s, &err), SF_OK);
    assert_int_equal(s.items, 4);
    assert_int_equal(s.missing, 1);   /* d is not in the prediction */
    assert_near(s.bcubed_p, 1.0, 1e-12);
    assert_near(s.bcubed_r, (1 + 1 + 0.5 + 0.5) / 4, 1e-12);
    /* a broken line is reported with its file and line */
    const char *bad = "{\"articles\":[{\"id\":\"a\"}]}\n{oops\n";
    snprintf(pp, sizeof pp, "%s", test_tmpfile(bad, strlen(bad)));
    assert_int_equal(sf_eval_fold_files(pp, gp, "event", &s, &err), SF_EPARSE);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.file, pp);
    /* an article in two stories is an error */
    const char *twice = "{\"articles\":[{\"id\":\"a\"}]}\n{\"articles\":[{\"id\":\"a\"}]}\n";
    snprintf(pp, sizeof pp, "%s", test_tmpfile(twice, strlen(twice)));
    assert_int_equal(sf_eval_fold_files(pp, gp, "event", &s, &err), SF_EPARSE);
    assert_true(strstr(err.message, "two stories") != NULL);
    unlink(pp);
    unlink(gp);
    assert_int_equal(sf_eval_fold_files("/nonexistent/x", gp, "event", &s, &err), SF_EIO);
}

static void test_clean_files(void **state)
{
    (void)state;
    const char *pred = "{\"id\":\"p1\",\"text\":\"one two three four five\"}\n"
                       "{\"id\":\"p2\",\"text\":\"\"}\n";
    const char *gold = "{\"id\":\"p1\",\"body\":\"one two three four\"}\n"
                       "{\"id\":\"p2\",\"body\":\"alpha beta gamma delta\"}\n"
                       "{\"id\":\"p3\",\"body\":\"x\"}\n";
    char pp[64], gp[64];
    snprintf(pp, sizeof pp, "%s", test_tmpfile(pred, strlen(pred)));
    snprintf(gp, sizeof gp, "%s", test_tmpfile(gold, strlen(gold)));
    sf_text_scores s;
    sf_error err;
    assert_int_equal(sf_eval_clean_files(pp, gp, "body", &s, &err), SF_OK);
    assert_int_equal(s.pages, 3);
    assert_int_equal(s.missing, 1);
    /* precision only over pages that kept something: p1 = 1/2 */
    assert_near(s.p, 0.5, 1e-12);
    /* recall: p1 = 1, p2 = 0, p3 = 0 */
    assert_near(s.r, 1.0 / 3, 1e-12);
    unlink(pp);
    unlink(gp);
}

static void test_correlation(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5};
    const double up[] = {2, 4, 6, 8, 10}, down[] = {5, 4, 3, 2, 1};
    const double curve[] = {1, 4, 9, 16, 100}; /* monotone, not linear */
    double p, s;
    assert_int_equal(sf_eval_correlation(x, up, 5, &p, &s), SF_OK);
    assert_near(p, 1, 1e-12);
    assert_near(s, 1, 1e-12);
    assert_int_equal(sf_eval_correlation(x, down, 5, &p, &s), SF_OK);
    assert_near(p, -1, 1e-12);
    assert_near(s, -1, 1e-12);
    assert_int_equal(sf_eval_correlation(x, curve, 5, &p, &s), SF_OK);
    assert_true(p < 0.9);
    assert_near(s, 1, 1e-12);
    /* ties take their average rank: ranks of {1, 1, 2} are {1.5, 1.5, 3} */
    const double t[] = {1, 1, 2}, u[] = {1, 2, 3};
    assert_int_equal(sf_eval_correlation(t, u, 3, NULL, &s), SF_OK);
    assert_near(s, 0.8660254037844386, 1e-12); /* sqrt(3) / 2 */
    /* constant or too short: 0 */
    const double c[] = {2, 2, 2};
    assert_int_equal(sf_eval_correlation(c, u, 3, &p, &s), SF_OK);
    assert_near(p, 0, 1e-12);
    assert_int_equal(sf_eval_correlation(x, up, 1, &p, &s), SF_OK);
    assert_near(p, 0, 1e-12);
}

static void test_pair_files(void **state)
{
    (void)state;
    /* "d" is labelled twice: the k-th gold line meets the k-th prediction */
    const char *pred = "{\"pair_id\":\"a\",\"similarity\":0.9}\n"
                       "{\"pair_id\":\"d\",\"similarity\":0.1}\n"
                       "{\"pair_id\":\"b\",\"similarity\":0.5}\n"
                       "{\"pair_id\":\"d\",\"similarity\":0.7}\n";
    const char *gold = "{\"pair_id\":\"a\",\"overall\":1}\n"
                       "{\"pair_id\":\"b\",\"overall\":3}\n"
                       "{\"pair_id\":\"d\",\"overall\":4}\n"
                       "{\"pair_id\":\"d\",\"overall\":2}\n"
                       "{\"pair_id\":\"z\",\"overall\":2}\n"
                       "{\"pair_id\":\"n\"}\n";
    char pp[64], gp[64];
    snprintf(pp, sizeof pp, "%s", test_tmpfile(pred, strlen(pred)));
    snprintf(gp, sizeof gp, "%s", test_tmpfile(gold, strlen(gold)));
    sf_pair_scores s;
    sf_error err;
    assert_int_equal(sf_eval_pair_files(pp, gp, "overall", 1, &s, &err), SF_OK);
    assert_int_equal(s.pairs, 4);
    assert_int_equal(s.missing, 1);
    /* similarity 0.9 0.5 0.1 0.7 against -overall -1 -3 -4 -2: same order */
    assert_near(s.spearman, 1, 1e-12);
    assert_true(s.pearson > 0.9);
    /* the label as a similarity: the opposite sign */
    assert_int_equal(sf_eval_pair_files(pp, gp, "overall", 0, &s, &err), SF_OK);
    assert_near(s.spearman, -1, 1e-12);
    /* a prediction without a similarity is an error with its line */
    const char *bad = "{\"pair_id\":\"a\",\"similarity\":0.9}\n{\"pair_id\":\"b\"}\n";
    unlink(pp);
    snprintf(pp, sizeof pp, "%s", test_tmpfile(bad, strlen(bad)));
    assert_int_equal(sf_eval_pair_files(pp, gp, "overall", 1, &s, &err), SF_EPARSE);
    assert_int_equal(err.line, 2);
    unlink(pp);
    unlink(gp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clusters_by_hand),
        cmocka_unit_test(test_clusters_perfect_and_split),
        cmocka_unit_test(test_text_pair),
        cmocka_unit_test(test_fold_files),
        cmocka_unit_test(test_clean_files),
        cmocka_unit_test(test_correlation),
        cmocka_unit_test(test_pair_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
