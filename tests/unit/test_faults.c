/* Allocation failure: every allocation the library makes is failed in
 * turn (the Nth, for N = 1, 2, ...) while a whole job runs; each run must
 * end with SF_ENOMEM (or NULL) or success, never crash, and leak nothing
 * (the sanitizer and valgrind runs check that). Built with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc. */
#include "harness.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static long fail_at;   /* fail the allocation with this number; 0 = never */
static long count;     /* allocations so far in this run */
static int failed;     /* set when the injected failure happened */

static int should_fail(void)
{
    if (fail_at && ++count == fail_at) {
        failed = 1;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return should_fail() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }

static const char *PAGE =
    "Home > News > Region\n\n"
    "Flood waters reach the old town of Brelin after three days of rain\n\n"
    "By Ana Sorel\n\n"
    "The river Oska burst its banks on Tuesday and flooded the old town of Brelin, "
    "forcing 2,300 residents to leave their homes, the regional fire service said.\n\n"
    "Pumps were brought in from neighbouring districts as the water rose to 1.4 metres "
    "in the market square. No one was hurt, officials said. <div class=\"ad\" "
    "data-slot=\"mid\"></div> {{ article.related }} Schools stay shut until Friday.\n\n"
    "Share this article\nFacebook Twitter\n\nMost Popular\nFerry fares to rise in January\n";

static const char *PAGE2 =
    "Brelin flood: 2,300 leave homes as the Oska bursts its banks\n\n"
    "About 2,300 people left the old town of Brelin on Tuesday after the river Oska "
    "burst its banks following three days of rain, the fire service said.\n\n"
    "Water stood 1.4 metres deep in the market square and pumps came from nearby "
    "districts. Officials said no one was injured.\n";

/* One whole job; returns 1 if it completed, 0 if it stopped on ENOMEM. */
static int run_job(void)
{
    int done = 0;
    sf_article a;
    memset(&a, 0, sizeof a);
    a.id = "p1";
    a.id_len = 2;
    a.text = PAGE;
    a.text_len = strlen(PAGE);
    sf_article b = a;
    b.id = "p2";
    b.text = PAGE2;
    b.text_len = strlen(PAGE2);

    sf_clean_result *c = NULL;
    sf_status st = sf_clean(&a, &c);
    if (st != SF_OK) {
        assert_int_equal(st, SF_ENOMEM);
        assert_null(c);
        return 0;
    }
    size_t len;
    char *json = sf_clean_result_json(&a, c, &len);
    sf_clean_result_free(c);
    if (!json)
        return 0;
    free(json);

    sf_engine *e = sf_engine_new(NULL);
    if (!e)
        return 0;
    if ((st = sf_engine_add(e, &a)) != SF_OK || (st = sf_engine_add(e, &b)) != SF_OK ||
        (st = sf_engine_add(e, &a)) != SF_OK || (st = sf_engine_fold(e)) != SF_OK) {
        assert_int_equal(st, SF_ENOMEM);
        sf_engine_free(e);
        return 0;
    }
    sf_similarity sim;
    if ((st = sf_engine_similarity(e, 0, 1, &sim)) != SF_OK) {
        assert_int_equal(st, SF_ENOMEM);
        sf_engine_free(e);
        return 0;
    }
    done = 1;
    for (size_t i = 0; i < sf_engine_story_count(e); i++) {
        json = sf_engine_story_json(e, i, &len);
        if (!json) {
            done = 0;
            break;
        }
        free(json);
    }
    sf_engine_free(e);
    return done;
}

/* Runs job with its 1st, 2nd, ... allocation failed, until a run makes no
 * more allocations than that (and must then complete). */
static void fail_each_allocation(int (*job)(void))
{
    /* A first run without failures loads the library's static tables. */
    fail_at = 0;
    assert_true(job());
    long n;
    for (n = 1; n < 100000; n++) {
        fail_at = n;
        count = 0;
        failed = 0;
        int done = job();
        if (!failed) {
            assert_true(done); /* no allocation left to fail: the job is complete */
            break;
        }
    }
    fail_at = 0;
    assert_true(n > 10);
    print_message("failed each of %ld allocations in turn\n", n - 1);
}

static void test_every_allocation_fails_once(void **state)
{
    (void)state;
    fail_each_allocation(run_job);
}

/* Incremental folding: fold, add, fold again (placing only the new
 * articles), add a copy and fold again. A failure anywhere must leave an
 * engine that still folds right afterwards (from scratch). */
static int run_incremental_job(void)
{
    sf_options opt;
    sf_options_default(&opt);
    opt.refold_growth = 1000;
    opt.threads = 1;
    sf_engine *e = sf_engine_new(&opt);
    if (!e)
        return 0;
    sf_article a;
    memset(&a, 0, sizeof a);
    a.id = "p1";
    a.id_len = 2;
    a.text = PAGE;
    a.text_len = strlen(PAGE);
    sf_article b = a, c = a;
    b.id = "p2";
    b.text = PAGE2;
    b.text_len = strlen(PAGE2);
    c.id = "p3";
    int done = 0;
    sf_status st;
    if ((st = sf_engine_add(e, &a)) != SF_OK || (st = sf_engine_fold(e)) != SF_OK ||
        (st = sf_engine_add(e, &b)) != SF_OK || (st = sf_engine_fold(e)) != SF_OK ||
        (st = sf_engine_add(e, &c)) != SF_OK || (st = sf_engine_fold(e)) != SF_OK) {
        assert_int_equal(st, SF_ENOMEM);
        /* with allocations working again, the engine folds what it holds */
        long saved = fail_at;
        fail_at = 0;
        assert_int_equal(sf_engine_fold(e), SF_OK);
        fail_at = saved;
    } else {
        done = 1;
    }
    sf_engine_stats es;
    sf_engine_stats_get(e, &es);
    if (done) {
        assert_int_equal(es.articles, 3);
        assert_int_equal(es.exact_copies, 1);
    }
    sf_engine_free(e);
    return done;
}

static void test_incremental_allocation_failures(void **state)
{
    (void)state;
    fail_each_allocation(run_incremental_job);
}

static void test_reader_allocation_failures(void **state)
{
    (void)state;
    const char *jsonl = "{\"id\":\"x\",\"text\":\"Some text here.\"}\n{broken\n"
                        "{\"id\":\"y\",\"text\":\"More text.\"}\n";
    char path[64];
    snprintf(path, sizeof path, "%s", test_tmpfile(jsonl, strlen(jsonl)));
    long n;
    for (n = 1; n < 100000; n++) {
        fail_at = n;
        count = 0;
        failed = 0;
        sf_error err;
        sf_reader *r = sf_reader_open(path, NULL, &err);
        int records = 0;
        if (r) {
            sf_article a;
            sf_status st;
            while ((st = sf_reader_next(r, &a, &err)) != SF_END) {
                if (st == SF_ENOMEM)
                    break;
                if (st == SF_OK)
                    records++;
            }
            sf_reader_free(r);
        }
        if (!failed) {
            assert_int_equal(records, 2);
            break;
        }
    }
    fail_at = 0;
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_fails_once),
        cmocka_unit_test(test_incremental_allocation_failures),
        cmocka_unit_test(test_reader_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
