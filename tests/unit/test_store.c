/* The story store through the public API: opening and migrating, adding,
 * duplicates that change nothing, batches that give the stories of one
 * add, several handles on one file, listing and searching. */
#include "harness.h"

#include <jansson.h>
#include <sqlite3.h>

/* ---- fixtures ---------------------------------------------------------- */

/* The example pages (examples/pages), read once. */
typedef struct pages {
    sf_article arts[16];
    char *bytes[16][3];
    size_t n;
} pages;

static pages P;

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    assert_non_null(p);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int load_pages(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/../../examples/pages", test_data_dir());
    sf_reader *r = sf_reader_open(path, NULL, NULL);
    if (!r)
        return -1;
    sf_article a;
    while (P.n < 16 && sf_reader_next(r, &a, NULL) == SF_OK) {
        sf_article *d = &P.arts[P.n];
        memset(d, 0, sizeof *d);
        d->id = P.bytes[P.n][0] = dup_n(a.id, a.id_len);
        d->id_len = a.id_len;
        d->text = P.bytes[P.n][1] = dup_n(a.text, a.text_len);
        d->text_len = a.text_len;
        if (a.title) {
            d->title = P.bytes[P.n][2] = dup_n(a.title, a.title_len);
            d->title_len = a.title_len;
        }
        P.n++;
    }
    sf_reader_free(r);
    return P.n == 6 ? 0 : -1;
}

static int free_pages(void **state)
{
    (void)state;
    for (size_t i = 0; i < P.n; i++)
        for (int k = 0; k < 3; k++)
            free(P.bytes[i][k]);
    return 0;
}

/* A fresh store path (the file does not exist yet). */
static const char *db_path(void)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/sf_store_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    return path;
}

static void remove_db(const char *path)
{
    char p[128];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static sf_store *open_ok(const char *path)
{
    sf_error err;
    memset(&err, 0, sizeof err);
    sf_options opt;
    sf_options_default(&opt);
    opt.threads = 2;
    sf_store *s = sf_store_open(path, &opt, &err);
    if (!s)
        fail_msg("open %s: %s", path, err.message);
    return s;
}

static void add_ok(sf_store *s, const sf_article *a, size_t n, sf_store_result *res)
{
    sf_error err;
    memset(&err, 0, sizeof err);
    sf_status st = sf_store_add_batch(s, a, n, res, &err);
    if (st != SF_OK)
        fail_msg("add: %s", err.message);
}

/* Removes the times (they differ between runs) from a story's JSON. */
static void drop_times(json_t *v)
{
    if (json_is_object(v)) {
        json_object_del(v, "first_seen");
        json_object_del(v, "updated");
        json_object_del(v, "added");
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) drop_times(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) drop_times(x);
    }
}

static int collect(void *ctx, const char *json, size_t len)
{
    json_t *all = ctx;
    json_t *v = json_loadb(json, len, 0, NULL);
    assert_non_null(v);
    drop_times(v);
    json_array_append_new(all, v);
    return 0;
}

/* Every story of the store, full, without times, as one sorted JSON text
 * (caller frees). */
static char *snapshot(sf_store *s)
{
    json_t *all = json_array();
    sf_story_query q = {.full = 1};
    assert_int_equal(sf_store_stories(s, &q, collect, all), SF_OK);
    /* newest-first order depends on times: order by id instead */
    size_t n = json_array_size(all);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            const char *a = json_string_value(json_object_get(json_array_get(all, j - 1), "id"));
            const char *b = json_string_value(json_object_get(json_array_get(all, j), "id"));
            if (strcmp(a, b) <= 0)
                break;
            json_t *x = json_incref(json_array_get(all, j - 1));
            json_array_set(all, j - 1, json_array_get(all, j));
            json_array_set_new(all, j, x);
        }
    char *text = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(all);
    assert_non_null(text);
    return text;
}

static int count_fn(void *ctx, const char *json, size_t len)
{
    (void)json;
    (void)len;
    (*(size_t *)ctx)++;
    return 0;
}

static size_t count_stories(sf_store *s, const sf_story_query *q)
{
    size_t n = 0;
    assert_int_equal(sf_store_stories(s, q, count_fn, &n), SF_OK);
    return n;
}

/* ---- tests ------------------------------------------------------------- */

static void test_open_creates_and_reopens(void **state)
{
    (void)state;
    const char *path = db_path();
    sf_store *s = open_ok(path);
    sf_store_stats st;
    assert_int_equal(sf_store_stats_get(s, &st), SF_OK);
    assert_int_equal(st.schema, SF_STORE_SCHEMA);
    assert_int_equal(st.articles, 0);
    assert_int_equal(st.stories, 0);
    sf_store_close(s);
    /* the file carries its schema version */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), SF_STORE_SCHEMA);
    sqlite3_finalize(q);
    /* a newer schema is refused */
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sf_error err;
    memset(&err, 0, sizeof err);
    assert_null(sf_store_open(path, NULL, &err));
    assert_int_equal(err.code, SF_EPARSE);
    remove_db(path);
}

static void test_open_refuses_other_files(void **state)
{
    (void)state;
    /* another application's database */
    const char *path = db_path();
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE x(a)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sf_error err;
    memset(&err, 0, sizeof err);
    assert_null(sf_store_open(path, NULL, &err));
    assert_int_equal(err.code, SF_EIO);
    remove_db(path);
    /* not a database at all */
    const char *junk = "this is not a database, just some text that is long enough";
    path = test_tmpfile(junk, strlen(junk));
    memset(&err, 0, sizeof err);
    assert_null(sf_store_open(path, NULL, &err));
    assert_int_equal(err.code, SF_EIO);
    unlink(path);
    /* no path */
    assert_null(sf_store_open(NULL, NULL, &err));
    assert_int_equal(err.code, SF_EINVAL);
}

static void test_add_and_read(void **state)
{
    (void)state;
    const char *path = db_path();
    sf_store *s = open_ok(path);
    sf_store_result res[6];
    add_ok(s, P.arts, P.n, res);
    for (size_t i = 0; i < P.n; i++) {
        assert_int_equal(res[i].outcome, SF_STORE_ADDED);
        assert_true(res[i].story_id[0] == 's');
    }
    /* 01, 02 (copy) and 03 (rewrite) are one story; the quakes another */
    assert_string_equal(res[0].story_id, res[1].story_id);
    assert_string_equal(res[0].story_id, res[2].story_id);
    assert_string_not_equal(res[0].story_id, res[3].story_id);
    assert_string_equal(res[4].story_id, res[5].story_id);
    sf_store_stats st;
    assert_int_equal(sf_store_stats_get(s, &st), SF_OK);
    assert_int_equal(st.articles, 6);
    assert_int_equal(st.stories, 3);
    assert_true(st.last_added[0] == '2');

    char *json;
    size_t len;
    assert_int_equal(sf_store_story_json(s, res[0].story_id, &json, &len), SF_OK);
    json_t *v = json_loadb(json, len, 0, NULL);
    free(json);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "size")), 3);
    assert_int_equal(json_array_size(json_object_get(v, "timeline")), 3);
    json_t *rel = json_object_get(v, "related_stories");
    assert_int_equal(json_array_size(rel), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rel, 0), "id")),
                        res[3].story_id);
    json_t *a1 = json_array_get(json_object_get(v, "articles"), 1);
    assert_string_equal(json_string_value(json_object_get(a1, "copy_of")), P.arts[0].id);
    assert_true(json_is_string(json_object_get(a1, "added")));
    assert_true(json_array_size(json_object_get(v, "facts")) > 3);
    json_decref(v);
    assert_int_equal(sf_store_story_json(s, "s0000000000000000", &json, &len), SF_END);

    assert_int_equal(sf_store_article_json(s, P.arts[0].id, &json, &len), SF_OK);
    v = json_loadb(json, len, 0, NULL);
    free(json);
    assert_non_null(v);
    assert_string_equal(json_string_value(json_object_get(v, "story")), res[0].story_id);
    const char *clean = json_string_value(json_object_get(v, "clean"));
    const char *text = json_string_value(json_object_get(v, "text"));
    assert_true(strlen(clean) > 200 && strlen(clean) < strlen(text));
    assert_null(strstr(clean, "googletag"));
    json_decref(v);
    assert_int_equal(sf_store_article_json(s, "nope", &json, &len), SF_END);
    sf_store_close(s);
    remove_db(path);
}

static void test_duplicates_change_nothing(void **state)
{
    (void)state;
    const char *path = db_path();
    sf_store *s = open_ok(path);
    add_ok(s, P.arts, P.n, NULL);
    char *before = snapshot(s);

    /* the same ids again, and an exact copy under a new id */
    sf_article again[3] = {P.arts[0], P.arts[4], P.arts[4]};
    again[1].id = "quake-again";
    again[1].id_len = strlen(again[1].id);
    again[2].id = "quake-third";
    again[2].id_len = strlen(again[2].id);
    sf_store_result res[3];
    add_ok(s, again, 3, res);
    assert_int_equal(res[0].outcome, SF_STORE_SAME_ID);
    assert_int_equal(res[1].outcome, SF_STORE_SAME_CONTENT);
    assert_string_equal(res[1].same_as, P.arts[4].id);
    assert_int_equal(res[2].outcome, SF_STORE_SAME_CONTENT);
    assert_true(res[1].story_id[0] == 's');

    char *after = snapshot(s);
    assert_string_equal(before, after);
    sf_store_stats st;
    assert_int_equal(sf_store_stats_get(s, &st), SF_OK);
    assert_int_equal(st.articles, 6);
    free(after);

    /* within one batch: the second of two equal articles is a duplicate,
     * and an article without text is rejected */
    sf_article fresh[3] = {P.arts[3], P.arts[3], P.arts[3]};
    fresh[0].id = "lindau-a";
    fresh[0].id_len = 8;
    fresh[0].url = "https://example.org/a";
    fresh[0].url_len = strlen(fresh[0].url);
    fresh[1] = fresh[0];
    fresh[1].id = "lindau-b";
    fresh[2].id = "empty";
    fresh[2].id_len = 5;
    fresh[2].text = "";
    fresh[2].text_len = 0;
    add_ok(s, fresh, 3, res);
    assert_int_equal(res[0].outcome, SF_STORE_ADDED);
    assert_int_equal(res[1].outcome, SF_STORE_SAME_CONTENT);
    assert_string_equal(res[1].same_as, "lindau-a");
    assert_string_equal(res[1].story_id, res[0].story_id);
    assert_int_equal(res[2].outcome, SF_STORE_REJECTED);
    assert_string_equal(res[2].story_id, "");
    assert_int_equal(sf_store_stats_get(s, &st), SF_OK);
    assert_int_equal(st.articles, 7);
    free(before);
    sf_store_close(s);
    remove_db(path);
}

static void test_batches_equal_one_add(void **state)
{
    (void)state;
    const char *p1 = db_path();
    sf_store *once = open_ok(p1);
    add_ok(once, P.arts, P.n, NULL);
    char *a = snapshot(once);
    sf_store_close(once);

    /* one article at a time through one handle */
    const char *p2 = db_path();
    sf_store *ones = open_ok(p2);
    for (size_t i = 0; i < P.n; i++)
        add_ok(ones, &P.arts[i], 1, NULL);
    char *b = snapshot(ones);
    sf_store_close(ones);
    assert_string_equal(a, b);

    /* batches of 2 through alternating handles (each catches up with the
     * other's writes from the file) */
    const char *p3 = db_path();
    sf_store *h[2] = {open_ok(p3), open_ok(p3)};
    for (size_t i = 0; i < P.n; i += 2)
        add_ok(h[(i / 2) % 2], &P.arts[i], 2, NULL);
    char *c = snapshot(h[0]);
    char *d = snapshot(h[1]);
    assert_string_equal(a, c);
    assert_string_equal(a, d);
    /* and a handle opened afterwards folds on from the file */
    sf_store *late = open_ok(p3);
    sf_article extra = P.arts[5];
    extra.id = "quake-syndicated";
    extra.id_len = strlen(extra.id);
    extra.source = "elsewhere";
    extra.source_len = 9;
    sf_store_result r;
    add_ok(late, &extra, 1, &r);
    assert_int_equal(r.outcome, SF_STORE_ADDED);
    sf_store_stats st;
    assert_int_equal(sf_store_stats_get(late, &st), SF_OK);
    assert_int_equal(st.articles, 7);
    assert_int_equal(st.stories, 3);
    sf_store_close(late);
    sf_store_close(h[0]);
    sf_store_close(h[1]);
    free(a);
    free(b);
    free(c);
    free(d);
    remove_db(p1);
    remove_db(p2);
    remove_db(p3);
}

static void test_stories_query(void **state)
{
    (void)state;
    const char *path = db_path();
    sf_store *s = open_ok(path);
    add_ok(s, P.arts, 4, NULL); /* the trams */
    usleep(5000);
    add_ok(s, &P.arts[4], 2, NULL); /* the quake, later */
    sf_story_query q = {0};
    assert_int_equal(count_stories(s, &q), 3);
    q.words = "earthquake";
    assert_int_equal(count_stories(s, &q), 1);
    q.words = "TRAM council";
    assert_int_equal(count_stories(s, &q), 2);
    q.words = "Harborview tram";
    assert_int_equal(count_stories(s, &q), 1);
    q.words = "zeppelin";
    assert_int_equal(count_stories(s, &q), 0);
    q.words = "\"*:()";    /* no word at all: no filter, no syntax error */
    assert_int_equal(count_stories(s, &q), 3);
    q.words = NULL;
    q.since = "2999-01-01";
    assert_int_equal(count_stories(s, &q), 0);
    q.since = "2000-01-01";
    assert_int_equal(count_stories(s, &q), 3);
    q.limit = 2;
    assert_int_equal(count_stories(s, &q), 2);
    q.offset = 2;
    assert_int_equal(count_stories(s, &q), 1);
    /* newest first: the quake story comes first */
    json_t *all = json_array();
    sf_story_query q2 = {0};
    assert_int_equal(sf_store_stories(s, &q2, collect, all), SF_OK);
    json_t *first = json_array_get(all, 0);
    assert_non_null(strstr(json_string_value(json_object_get(first, "headline")), "earthquake"));
    assert_int_equal(json_integer_value(json_object_get(first, "sources")), 2);
    assert_null(json_object_get(first, "articles")); /* a summary */
    json_decref(all);
    sf_store_close(s);
    remove_db(path);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(sf_store_add_batch(NULL, P.arts, 1, NULL, NULL), SF_EINVAL);
    sf_store_close(NULL);
    const char *path = db_path();
    sf_store *s = open_ok(path);
    assert_int_equal(sf_store_add_batch(s, NULL, 1, NULL, NULL), SF_EINVAL);
    assert_int_equal(sf_store_add_batch(s, NULL, 0, NULL, NULL), SF_OK);
    assert_int_equal(sf_store_stories(s, NULL, NULL, NULL), SF_EINVAL);
    char *json;
    assert_int_equal(sf_store_story_json(s, NULL, &json, NULL), SF_EINVAL);
    sf_store_close(s);
    remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_and_reopens),
        cmocka_unit_test(test_open_refuses_other_files),
        cmocka_unit_test(test_add_and_read),
        cmocka_unit_test(test_duplicates_change_nothing),
        cmocka_unit_test(test_batches_equal_one_add),
        cmocka_unit_test(test_stories_query),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, load_pages, free_pages);
}
