/* The story store through the public API: opening and migrating, adding,
 * duplicates that change nothing, batches that give the stories of one
 * add, several handles on one file, listing and searching. And the saved
 * features the store rebuilds its engine from (engine.h): their round
 * trip, a store of the previous schema, corrupt ones. */
#include "harness.h"

#include "common.h"
#include "engine.h"
#include "synth.h"

#include <jansson.h>
#include <sqlite3.h>
#include <sys/stat.h>

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


/* ---- saved features ---------------------------------------------------- */

/* x of engine ex and y of engine ey hold the same terms and counts (each
 * engine numbers terms in its own dictionary). */
static void assert_same_terms(const sf_engine *ex, const sf_doc *x, const sf_engine *ey,
                              const sf_doc *y)
{
    assert_int_equal(x->nterms, y->nterms);
    for (uint32_t t = 0; t < x->nterms; t++) {
        if (t)
            assert_true(x->term_id[t - 1] < x->term_id[t]);
        uint64_t h = ex->dict.hash[x->term_id[t]];
        uint32_t id = sf_dict_find(&ey->dict, h);
        assert_true(id != SF_NONE);
        uint32_t k = 0;
        while (k < y->nterms && y->term_id[k] != id)
            k++;
        assert_true(k < y->nterms);
        assert_int_equal(x->term_count[t], y->term_count[k]);
    }
}

static void assert_same_doc(const sf_engine *ex, const sf_doc *x, const sf_engine *ey,
                            const sf_doc *y)
{
    assert_string_equal(x->id, y->id);
    assert_string_equal(x->title, y->title);
    assert_string_equal(x->url, y->url);
    assert_string_equal(x->source, y->source);
    assert_string_equal(x->date, y->date);
    assert_int_equal(x->text_len, y->text_len);
    assert_memory_equal(x->text, y->text, x->text_len);
    assert_int_equal(x->day, y->day);
    assert_int_equal(x->lang, y->lang);
    assert_true(x->exact == y->exact);
    assert_int_equal(x->nterms, y->nterms);
    assert_true(x->nterms > 20);
    assert_same_terms(ex, x, ey, y);
    assert_memory_equal(x->names, y->names, sizeof x->names);
    assert_memory_equal(x->ages, y->ages, sizeof x->ages);
    assert_memory_equal(x->sketch->v, y->sketch->v, sizeof x->sketch->v);
    assert_int_equal(x->sketch->shingles, y->sketch->shingles);
    assert_int_equal(x->shingles, y->shingles);
    assert_memory_equal(x->lead_cc, y->lead_cc, sizeof x->lead_cc);
    assert_memory_equal(x->all_cc, y->all_cc, sizeof x->all_cc);
}

/* An engine's docs saved and read back into another engine are the same
 * docs, and fold into the same stories; damaged bytes are refused. */
static void test_features_round_trip(void **state)
{
    (void)state;
    sf_options opt;
    sf_options_default(&opt);
    opt.threads = 1;
    sf_engine *a = sf_engine_new(&opt), *b = sf_engine_new(&opt);
    assert_non_null(a);
    assert_non_null(b);
    sf_article arts[6];
    memcpy(arts, P.arts, sizeof arts);
    arts[1].date = "2014-02-13T10:00:00Z"; /* a date and a source go through too */
    arts[1].date_len = strlen(arts[1].date);
    arts[1].source = "Example Wire";
    arts[1].source_len = strlen(arts[1].source);
    assert_int_equal(sf_engine_add_batch(a, arts, P.n, NULL), SF_OK);
    /* b numbers the terms in another order: a's last terms first */
    for (size_t k = 0; k < 50 && k < a->dict.n; k++)
        assert_int_equal(sf_dict_add(&b->dict, a->dict.hash[a->dict.n - 1 - k]), k);
    sf_buf buf;
    sf_buf_init(&buf, 0);
    for (size_t i = 0; i < P.n; i++) {
        sf_buf_clear(&buf);
        const sf_doc *d = &a->docs[i];
        assert_true(sf_doc_features_save(&a->dict, d, opt.shingle_words, &buf));
        assert_int_equal(buf.len, SF_FEATURES_HEADER + d->nterms * 10 + strlen(d->title) + 8);
        /* the title, text and lang of the article are not read */
        sf_article meta = arts[i];
        meta.title = meta.text = meta.lang = NULL;
        meta.title_len = meta.text_len = meta.lang_len = 0;
        sf_features_check check;
        const char *why;
        assert_int_equal(sf_engine_add_features(b, &meta, d->text, d->text_len, buf.data,
                                                buf.len, &check, &why),
                         SF_OK);
        assert_int_equal(check, SF_FEATURES_OK);
        assert_string_equal(why, "");
        assert_same_doc(a, d, b, &b->docs[i]);
    }
    assert_int_equal(sf_engine_fold(a), SF_OK);
    assert_int_equal(sf_engine_fold(b), SF_OK);
    assert_int_equal(sf_engine_story_count(a), 3);
    assert_int_equal(sf_engine_story_count(b), 3);
    for (size_t i = 0; i < 3; i++) {
        char *x = sf_engine_story_json(a, i, NULL), *y = sf_engine_story_json(b, i, NULL);
        assert_non_null(x);
        assert_non_null(y);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }

    /* the last one's bytes, damaged: each one shorter, each bit flipped,
     * another clean text, another shingle size: never added */
    const sf_doc *d = &a->docs[P.n - 1];
    unsigned char *bytes = (unsigned char *)buf.data;
    size_t n0 = b->n;
    sf_features_check check;
    const char *why;
    for (size_t len = 0; len < buf.len; len++) {
        assert_int_equal(sf_engine_add_features(b, &arts[0], d->text, d->text_len, bytes, len,
                                                &check, &why),
                         SF_EPARSE);
        assert_int_equal(check, SF_FEATURES_CORRUPT);
        assert_true(why[0] != '\0');
    }
    for (size_t k = 0; k < buf.len * 8; k += k < 8 * SF_FEATURES_HEADER ? 1 : 7) {
        bytes[k / 8] ^= (unsigned char)(1u << (k % 8));
        assert_int_equal(sf_engine_add_features(b, &arts[0], d->text, d->text_len, bytes,
                                                buf.len, &check, &why),
                         SF_EPARSE);
        assert_int_equal(check, SF_FEATURES_CORRUPT);
        bytes[k / 8] ^= (unsigned char)(1u << (k % 8));
    }
    assert_int_equal(sf_engine_add_features(b, &arts[0], d->text, d->text_len - 1, bytes,
                                            buf.len, &check, &why),
                     SF_EPARSE);
    assert_int_equal(check, SF_FEATURES_CORRUPT);
    assert_int_equal(sf_engine_add_features(b, &arts[0], NULL, 0, NULL, 0, &check, NULL),
                     SF_EPARSE);
    assert_int_equal(b->n, n0);
    sf_options other = opt;
    other.shingle_words = 4;
    sf_engine *c = sf_engine_new(&other);
    assert_non_null(c);
    assert_int_equal(sf_engine_add_features(c, &arts[0], d->text, d->text_len, bytes, buf.len,
                                            &check, &why),
                     SF_EPARSE);
    assert_int_equal(check, SF_FEATURES_STALE);
    assert_int_equal(sf_engine_add_features(NULL, &arts[0], d->text, d->text_len, bytes,
                                            buf.len, &check, &why),
                     SF_EINVAL);
    sf_engine_free(c);
    sf_buf_free(&buf);
    sf_engine_free(a);
    sf_engine_free(b);
}

/* Warnings a store reported. */
typedef struct warnings {
    size_t n;
    char text[4096];
} warnings;

static void note_warning(void *ctx, const char *message)
{
    warnings *w = ctx;
    w->n++;
    size_t used = strlen(w->text);
    snprintf(w->text + used, sizeof w->text - used, "%s\n", message);
}

/* Runs one SQL statement on the file (fails the test if it fails). */
static void sql(const char *path, const char *q)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg ? msg : "?");
    sqlite3_close(db);
}

/* The integer the query gives. */
static int64_t sql_int(const char *path, const char *q)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The stories of one add of all the example pages, and an extra one. */
static char *reference_snapshot(const sf_article *extra)
{
    const char *path = db_path();
    sf_store *s = open_ok(path);
    add_ok(s, P.arts, P.n, NULL);
    if (extra)
        add_ok(s, extra, 1, NULL);
    char *snap = snapshot(s);
    sf_store_close(s);
    remove_db(path);
    return snap;
}

static sf_article extra_article(void)
{
    sf_article a = P.arts[5];
    a.id = "quake-syndicated";
    a.id_len = strlen(a.id);
    a.source = "elsewhere";
    a.source_len = 9;
    return a;
}

/* A store of schema 1 (no saved features) is migrated; its articles are
 * cleaned once more and their features saved by the next add, which
 * gives the stories of one add; the add after reads the saved features. */
static void test_migrate_from_schema_1(void **state)
{
    (void)state;
    char path[64]; /* db_path's buffer is reused by reference_snapshot */
    snprintf(path, sizeof path, "%s", db_path());
    sf_store *s = open_ok(path);
    add_ok(s, P.arts, 4, NULL);
    sf_store_close(s);
    /* what version 1 of the schema was */
    sql(path, "ALTER TABLE articles DROP COLUMN features;"
              "ALTER TABLE stories DROP COLUMN rel_hash; PRAGMA user_version = 1");
    assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_table_info('articles')"
                                   " WHERE name = 'features'"),
                     0);

    warnings w = {0};
    s = open_ok(path);
    sf_store_set_warnings(s, note_warning, &w);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), SF_STORE_SCHEMA);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles WHERE features IS NULL"), 4);
    add_ok(s, &P.arts[4], 2, NULL);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.text, "4 stored articles had no features"));
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles WHERE features IS NULL"), 0);
    char *got = snapshot(s), *want = reference_snapshot(NULL);
    assert_string_equal(got, want);
    sf_store_close(s);
    free(got);
    free(want);

    /* opened again: the saved features are read, nothing is cleaned */
    memset(&w, 0, sizeof w);
    s = open_ok(path);
    sf_store_set_warnings(s, note_warning, &w);
    sf_article extra = extra_article();
    add_ok(s, &extra, 1, NULL);
    assert_int_equal(w.n, 0);
    got = snapshot(s);
    want = reference_snapshot(&extra);
    assert_string_equal(got, want);
    free(got);
    free(want);
    sf_store_close(s);
    remove_db(path);
}

/* Adds the example pages one handle per article, through stores that
 * fold incrementally; with forget, each handle finds no saved features
 * and cleans everything again. Returns the stories. */
static char *add_reopening(bool forget)
{
    const char *path = db_path();
    sf_options opt;
    sf_store_options_default(&opt);
    opt.threads = 2;
    for (size_t i = 0; i < P.n; i += 2) {
        if (forget)
            sql(path, i ? "UPDATE articles SET features = NULL" : "SELECT 1");
        sf_store *s = sf_store_open(path, &opt, NULL);
        assert_non_null(s);
        add_ok(s, &P.arts[i], 1, NULL);
        add_ok(s, &P.arts[i + 1], 1, NULL);
        if (i == 0)
            sf_store_close(s);
        else {
            char *snap = snapshot(s);
            sf_store_close(s);
            if (i + 2 >= P.n) {
                assert_int_equal(sql_int(path, "SELECT count(*) FROM articles WHERE features"
                                               " IS NULL"),
                                 0);
                remove_db(path);
                return snap;
            }
            free(snap);
        }
    }
    fail_msg("unreachable");
    return NULL;
}

/* A reopened store folds the same as one that cleaned everything again. */
static void test_reopened_folds_as_recleaned(void **state)
{
    (void)state;
    char *read = add_reopening(false), *recleaned = add_reopening(true);
    assert_string_equal(read, recleaned);
    free(read);
    free(recleaned);
}

/* Replaces the saved features of article id by what edit makes of them. */
static void mangle(const char *path, const char *id, void (*edit)(unsigned char *, size_t *))
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT features FROM articles WHERE id = ?1", -1,
                                        &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    size_t n = (size_t)sqlite3_column_bytes(q, 0);
    unsigned char *b = malloc(n + 1);
    assert_non_null(b);
    memcpy(b, sqlite3_column_blob(q, 0), n);
    sqlite3_finalize(q);
    edit(b, &n);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE articles SET features = ?2 WHERE id = ?1",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 2, b, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(b);
}

static void flip_middle(unsigned char *b, size_t *n) { b[*n / 2] ^= 0x10; }
static void truncate_50(unsigned char *b, size_t *n) { (void)b; *n = 50; }
static void version_99(unsigned char *b, size_t *n) { (void)n; b[0] = 99; }
static void empty(unsigned char *b, size_t *n) { (void)b; *n = 0; }

/* Corrupt saved features are reported with the article's id and the
 * article is cleaned again from its text (and its features saved): the
 * stories are those of a store that was never damaged. */
static void test_corrupt_features(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "%s", db_path());
    sf_store *s = open_ok(path);
    add_ok(s, P.arts, P.n, NULL);
    sf_store_close(s);
    mangle(path, P.arts[0].id, flip_middle);
    mangle(path, P.arts[1].id, truncate_50);
    mangle(path, P.arts[2].id, version_99);
    mangle(path, P.arts[3].id, empty);
    char q[256];
    snprintf(q, sizeof q, "UPDATE articles SET clean = clean || ' more' WHERE id = '%s'",
             P.arts[4].id);
    sql(path, q);
    snprintf(q, sizeof q, "UPDATE articles SET features = 'not a blob' WHERE id = '%s'",
             P.arts[5].id);
    sql(path, q);

    warnings w = {0};
    s = open_ok(path);
    sf_store_set_warnings(s, note_warning, &w);
    sf_article extra = extra_article();
    add_ok(s, &extra, 1, NULL);
    assert_int_equal(w.n, 6);
    for (size_t i = 0; i < P.n; i++) {
        char line[256];
        snprintf(line, sizeof line, "article %s: saved features are corrupt", P.arts[i].id);
        assert_non_null(strstr(w.text, line));
    }
    assert_non_null(strstr(w.text, "checksum"));
    assert_non_null(strstr(w.text, "too short"));
    assert_non_null(strstr(w.text, "unknown version"));
    char *got = snapshot(s), *want = reference_snapshot(&extra);
    assert_string_equal(got, want);
    free(got);
    free(want);
    sf_store_close(s);
    /* the clean text was made again too */
    snprintf(q, sizeof q, "SELECT clean LIKE '%% more' FROM articles WHERE id = '%s'",
             P.arts[4].id);
    assert_int_equal(sql_int(path, q), 0);

    /* saved again: the next handle has nothing to report */
    memset(&w, 0, sizeof w);
    s = open_ok(path);
    sf_store_set_warnings(s, note_warning, &w);
    sf_article more = extra;
    more.id = "quake-more";
    more.id_len = strlen(more.id);
    more.source = "another";
    more.source_len = 7;
    add_ok(s, &more, 1, NULL);
    assert_int_equal(w.n, 0);
    sf_store_close(s);
    remove_db(path);
}

/* A store that folds incrementally keeps, story for story, the JSON its
 * engine would write now: only the stories that changed are rewritten,
 * some of them only in their related ids. Checked against an engine fed
 * the same batches. */
static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* With its checkpoints off, a handle's commits leave the articles in the
 * write-ahead log (the file does not grow, yet every handle reads them);
 * sf_store_checkpoint on another handle copies them into the file. */
static void test_checkpoints_elsewhere(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 1000, 3); /* a log of more than SQLite's 1,000 pages */
    const char *path = db_path();
    sf_store *w = open_ok(path), *ck = open_ok(path);
    sf_error err;
    assert_int_equal(sf_store_set_checkpoints(w, 0, &err), SF_OK);
    long before = file_size(path);
    assert_true(before > 0);
    for (size_t at = 0; at < c.n; at += 250)
        add_ok(w, c.arts + at, 250, NULL);
    assert_int_equal(file_size(path), before);
    char wal[128];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_true(file_size(wal) > 4096 * 1000);
    sf_store_stats st;
    assert_int_equal(sf_store_stats_get(w, &st), SF_OK);
    assert_true(st.articles > 700);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles"), (int64_t)st.articles);
    assert_int_equal(sf_store_checkpoint(ck, &err), SF_OK);
    assert_true(file_size(path) > before + 1000000);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles"), (int64_t)st.articles);
    /* and on again: a commit copies the log itself once it is long */
    assert_int_equal(sf_store_set_checkpoints(w, 1, &err), SF_OK);
    assert_int_equal(sf_store_checkpoint(NULL, &err), SF_EINVAL);
    assert_int_equal(sf_store_set_checkpoints(NULL, 0, &err), SF_EINVAL);
    sf_store_close(ck);
    sf_store_close(w);
    remove_db(path);
    synth_free(&c);
}

static void test_stored_stories_match_engine(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 600, 5);
    const char *path = db_path();
    sf_options opt;
    sf_store_options_default(&opt); /* incremental, afresh at each doubling */
    opt.threads = 2;
    sf_store *s = sf_store_open(path, &opt, NULL);
    sf_engine *e = sf_engine_new(&opt);
    assert_non_null(s);
    assert_non_null(e);
    sf_store_result *res = calloc(c.n, sizeof *res);
    sf_article *fresh = calloc(c.n, sizeof *fresh);
    assert_non_null(res);
    assert_non_null(fresh);
    for (size_t at = 0; at < c.n; at += 25) {
        size_t n = c.n - at < 25 ? c.n - at : 25, m = 0;
        add_ok(s, c.arts + at, n, res);
        for (size_t i = 0; i < n; i++)
            if (res[i].outcome == SF_STORE_ADDED)
                fresh[m++] = c.arts[at + i];
        assert_int_equal(sf_engine_add_batch(e, fresh, m, NULL), SF_OK);
        assert_int_equal(sf_engine_fold(e), SF_OK);
    }
    sf_engine_stats es;
    sf_engine_stats_get(e, &es);
    assert_true(es.incremental_folds > 10);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT json FROM stories WHERE id = ?1", -1, &q,
                                        NULL),
                     SQLITE_OK);
    size_t ns = sf_engine_story_count(e), related = 0;
    for (size_t i = 0; i < ns; i++) {
        sf_story_info info;
        assert_int_equal(sf_engine_story_info(e, i, &info), SF_OK);
        related += info.related;
        char *want = sf_engine_story_json(e, i, NULL);
        assert_non_null(want);
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, info.id, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(q, 0), want);
        free(want);
    }
    assert_true(related > 20); /* related links are compared too */
    sqlite3_finalize(q);
    /* each story's search row holds its headline and its representative's
     * clean text, whether it was indexed again or kept (store.c) */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT f.headline, f.text FROM stories s JOIN stories_fts f"
                                        " ON f.rowid = s.rid WHERE s.id = ?1",
                                        -1, &q, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < ns; i++) {
        sf_story_info info;
        assert_int_equal(sf_engine_story_info(e, i, &info), SF_OK);
        const sf_doc *rep = &e->docs[e->stories[i].rep];
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, info.id, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(q, 0), info.headline);
        assert_int_equal((size_t)sqlite3_column_bytes(q, 1), rep->text_len);
        assert_memory_equal(sqlite3_column_text(q, 1), rep->text, rep->text_len);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM stories_fts"), (int64_t)ns);
    /* and no other story is stored; every row names its story */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM stories"), (int64_t)ns);
    char check[256];
    snprintf(check, sizeof check,
             "SELECT count(*) FROM articles WHERE story IS NULL OR story NOT IN"
             " (SELECT id FROM stories)");
    assert_int_equal(sql_int(path, check), 0);
    free(res);
    free(fresh);
    sf_engine_free(e);
    sf_store_close(s);
    remove_db(path);
    synth_free(&c);
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
        cmocka_unit_test(test_checkpoints_elsewhere),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_features_round_trip),
        cmocka_unit_test(test_migrate_from_schema_1),
        cmocka_unit_test(test_reopened_folds_as_recleaned),
        cmocka_unit_test(test_corrupt_features),
        cmocka_unit_test(test_stored_stories_match_engine),
    };
    return cmocka_run_group_tests(tests, load_pages, free_pages);
}
