/*
 * store.c — the persistent story index: articles and stories in one SQLite
 * file (WAL: one writer, many readers).
 *
 * Every add is one IMMEDIATE transaction:
 *   1. bring the handle's in-memory engine up to date with the file (it is
 *      rebuilt from the stored articles' saved features, in the order they
 *      were stored, when another handle or process wrote since; see
 *      sync_engine);
 *   2. skip articles already stored (same id, or same title, text, url and
 *      source), also within the batch;
 *   3. add the rest to the engine, store them with their clean text and
 *      features, fold (incrementally: sf_options.refold_growth), and
 *      rewrite only the stories that changed (a signature of each story is
 *      kept in memory: see story_signature) and delete the ones that
 *      merged into others.
 * The engine sees the articles in the same order whatever the batches. A
 * failed transaction drops the engine; the next add rebuilds it from the
 * file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common.h"
#include "engine.h"
#include "storyfold.h"
#include "strmap.h"

/* ------------------------------------------------------------------ */
/* Schema and migrations                                               */
/* ------------------------------------------------------------------ */

/* migrations[v] takes a file from schema version v to v + 1. The version
 * is SQLite's user_version; 0 is an empty file. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE articles("
    "  seq INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL, text TEXT NOT NULL, url TEXT NOT NULL,"
    "  source TEXT NOT NULL, date TEXT NOT NULL, lang TEXT NOT NULL,"
    "  clean TEXT NOT NULL,"
    "  hash INTEGER NOT NULL,"      /* of title, text, url, source */
    "  added TEXT NOT NULL,"        /* ISO 8601 UTC, when stored */
    "  story TEXT);"
    "CREATE INDEX articles_hash ON articles(hash);"
    "CREATE INDEX articles_story ON articles(story);"
    "CREATE TABLE stories("
    "  rid INTEGER PRIMARY KEY,"    /* also the rowid of stories_fts */
    "  id TEXT NOT NULL UNIQUE,"
    "  headline TEXT NOT NULL, sources INTEGER NOT NULL, copies INTEGER NOT NULL,"
    "  related INTEGER NOT NULL, first_date TEXT NOT NULL, last_date TEXT NOT NULL,"
    "  first_seen TEXT NOT NULL, updated TEXT NOT NULL,"
    "  hash INTEGER NOT NULL,"      /* signature of what json is made from */
    "  json TEXT NOT NULL);"
    "CREATE INDEX stories_updated ON stories(updated, rid);"
    "CREATE VIRTUAL TABLE stories_fts USING fts5(headline, text,"
    "  tokenize = 'unicode61 remove_diacritics 2');"
    "INSERT INTO meta VALUES('created', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));",
    /* 1 -> 2: each article's features (engine.h, "saved features"), so
     * that opening a store does not clean every article again. NULL until
     * computed: the first add after the migration computes and saves them. */
    "ALTER TABLE articles ADD COLUMN features BLOB;"
    /* the signature of a story's related ids apart from the rest (hash),
     * so that a change of related stories only rewrites that part */
    "ALTER TABLE stories ADD COLUMN rel_hash INTEGER NOT NULL DEFAULT 0;",
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])
_Static_assert(NMIGRATIONS == SF_STORE_SCHEMA, "one migration per schema version");

/* Prepared statements, made on first use and kept for the handle's life. */
enum {
    Q_COUNT,          /* count and last seq of articles */
    Q_ALL_ARTICLES,
    Q_ARTICLE_BY_SEQ,
    Q_SET_FEATURES,
    Q_ALL_STORY_HASHES,
    Q_STORY_STORED_JSON,
    Q_SET_RELATED,
    Q_ARTICLE_BY_ID,
    Q_ARTICLE_BY_HASH,
    Q_INSERT_ARTICLE,
    Q_SET_STORY,
    Q_STORY_TIMES,
    Q_UPSERT_STORY,
    Q_STORY_RID,
    Q_DELETE_STORY,
    Q_FTS_DELETE,
    Q_FTS_INSERT,
    Q_FTS_GET,
    Q_SET_META,
    Q_STORY_JSON,
    Q_STORY_ARTICLES,
    Q_STORY_SUMMARY,
    Q_ARTICLE_JSON,
    Q_LIST,
    Q_LIST_FTS,
    Q_STATS,
    NQUERIES
};

static const char *const query_sql[NQUERIES] = {
    [Q_COUNT] = "SELECT count(*), coalesce(max(seq), 0) FROM articles",
    [Q_ALL_ARTICLES] = "SELECT seq, id, url, source, date, clean, features, story"
                       " FROM articles ORDER BY seq",
    [Q_ARTICLE_BY_SEQ] = "SELECT id, title, text, url, source, date, lang FROM articles"
                         " WHERE seq = ?1",
    [Q_SET_FEATURES] = "UPDATE articles SET clean = ?2, features = ?3 WHERE seq = ?1",
    [Q_ALL_STORY_HASHES] = "SELECT id, hash, rel_hash FROM stories",
    [Q_STORY_STORED_JSON] = "SELECT json FROM stories WHERE id = ?1",
    [Q_SET_RELATED] = "UPDATE stories SET related = ?2, rel_hash = ?3, json = ?4 WHERE id = ?1",
    [Q_ARTICLE_BY_ID] = "SELECT story FROM articles WHERE id = ?1",
    [Q_ARTICLE_BY_HASH] = "SELECT id, story FROM articles WHERE hash = ?1 AND title = ?2"
                          " AND text = ?3 AND url = ?4 AND source = ?5 LIMIT 1",
    [Q_INSERT_ARTICLE] = "INSERT INTO articles(id, title, text, url, source, date, lang,"
                         " clean, hash, added, features, story)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [Q_SET_STORY] = "UPDATE articles SET story = ?2 WHERE id = ?1 AND story IS NOT ?2",
    [Q_STORY_TIMES] = "SELECT min(added), max(added) FROM articles WHERE story = ?1",
    [Q_UPSERT_STORY] =
        "INSERT INTO stories(id, headline, sources, copies, related, first_date, last_date,"
        " first_seen, updated, hash, json, rel_hash)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        " ON CONFLICT(id) DO UPDATE SET headline = ?2, sources = ?3, copies = ?4, related = ?5,"
        " first_date = ?6, last_date = ?7, first_seen = ?8, updated = ?9, hash = ?10, json = ?11,"
        " rel_hash = ?12",
    [Q_STORY_RID] = "SELECT rid FROM stories WHERE id = ?1",
    [Q_DELETE_STORY] = "DELETE FROM stories WHERE rid = ?1",
    [Q_FTS_DELETE] = "DELETE FROM stories_fts WHERE rowid = ?1",
    [Q_FTS_INSERT] = "INSERT INTO stories_fts(rowid, headline, text) VALUES(?1, ?2, ?3)",
    [Q_FTS_GET] = "SELECT headline, text FROM stories_fts WHERE rowid = ?1",
    [Q_SET_META] = "INSERT OR REPLACE INTO meta VALUES(?1, ?2)",
    [Q_STORY_JSON] = "SELECT json, first_seen, updated FROM stories WHERE id = ?1",
    [Q_STORY_ARTICLES] = "SELECT id, added FROM articles WHERE story = ?1",
    [Q_STORY_SUMMARY] = "SELECT headline, sources FROM stories WHERE id = ?1",
    [Q_ARTICLE_JSON] = "SELECT id, title, url, source, date, lang, added, story, text, clean"
                       " FROM articles WHERE id = ?1",
    [Q_LIST] = "SELECT id, headline, sources, copies, first_seen, updated, first_date,"
               " last_date, related, json FROM stories WHERE updated >= ?1"
               " ORDER BY updated DESC, rid DESC LIMIT ?2 OFFSET ?3",
    [Q_LIST_FTS] = "SELECT id, headline, sources, copies, first_seen, updated, first_date,"
                   " last_date, related, json FROM stories WHERE updated >= ?1"
                   " AND rid IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?4)"
                   " ORDER BY updated DESC, rid DESC LIMIT ?2 OFFSET ?3",
    [Q_STATS] = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories),"
                " (SELECT value FROM meta WHERE key = 'last_added')",
};

struct sf_store {
    sqlite3 *db;
    sqlite3_stmt *q[NQUERIES];
    sf_options opt;
    /* the in-memory engine and what of the file it holds */
    sf_engine *eng;
    int64_t eng_count, eng_seq;
    sf_strmap story_hash;         /* story id -> signature of its stored JSON but for the
                                     related ids (0: deleted) */
    sf_strmap story_rel;          /* story id -> signature of its stored related ids */
    uint64_t *doc_story;          /* per engine doc: key of the story its row names (0: none) */
    size_t doc_story_cap;
    bool have_hashes;
    bool eng_fresh;               /* the engine was rebuilt and has not folded yet */
    void (*warn)(void *ctx, const char *message);
    void *warn_ctx;
};

/* ------------------------------------------------------------------ */
/* SQLite helpers                                                      */
/* ------------------------------------------------------------------ */

static sf_status db_fail(sf_store *s, sf_error *err, const char *what)
{
    int code = sqlite3_errcode(s->db);
    sf_status st = code == SQLITE_NOMEM ? SF_ENOMEM : SF_EIO;
    if (err) {
        sf_error_set(err, st, NULL, 0, 0, "%s: %s", what, sqlite3_errmsg(s->db));
    }
    return st;
}

/* Returns statement k, reset and with no bindings, or NULL. */
static sqlite3_stmt *stmt(sf_store *s, int k)
{
    if (!s->q[k]) {
        if (sqlite3_prepare_v3(s->db, query_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &s->q[k],
                               NULL) != SQLITE_OK)
            return NULL;
    } else {
        sqlite3_reset(s->q[k]);
        sqlite3_clear_bindings(s->q[k]);
    }
    return s->q[k];
}

static int bind_text(sqlite3_stmt *q, int i, const char *p, size_t n)
{
    return sqlite3_bind_text64(q, i, p ? p : "", p ? (sqlite3_uint64)n : 0, SQLITE_STATIC,
                               SQLITE_UTF8);
}

static int bind_str(sqlite3_stmt *q, int i, const char *p)
{
    return sqlite3_bind_text(q, i, p, -1, SQLITE_STATIC);
}

static const char *col_text(sqlite3_stmt *q, int i, size_t *len)
{
    const char *p = (const char *)sqlite3_column_text(q, i);
    if (len)
        *len = p ? (size_t)sqlite3_column_bytes(q, i) : 0;
    return p ? p : "";
}

/* Resets every statement: one left stepped would keep its read snapshot
 * open after the call, and an old snapshot cannot start a write. */
static void reset_all(sf_store *s)
{
    for (int k = 0; k < NQUERIES; k++)
        if (s->q[k])
            sqlite3_reset(s->q[k]);
}

static bool exec(sf_store *s, const char *sql)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
static void now_iso(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
}

/* ------------------------------------------------------------------ */
/* Open, migrate, close                                                */
/* ------------------------------------------------------------------ */

static int schema_version(sf_store *s)
{
    sqlite3_stmt *q = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return version;
}

static sf_status migrate(sf_store *s, sf_error *err)
{
    /* an up-to-date store is opened without the write lock, so that
     * readers never wait for the writer */
    if (schema_version(s) == SF_STORE_SCHEMA)
        return SF_OK;
    if (!exec(s, "BEGIN IMMEDIATE"))
        return db_fail(s, err, "locking the store");
    sqlite3_stmt *q = NULL;
    int version = -1, objects = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        objects = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sf_status st = SF_OK;
    if (version < 0) {
        st = db_fail(s, err, "reading the schema version");
    } else if (version == 0 && objects > 0) {
        st = sf_error_set(err, SF_EIO, NULL, 0, 0, "not a storyfold store (other tables)");
    } else if (version > SF_STORE_SCHEMA) {
        st = sf_error_set(err, SF_EPARSE, NULL, 0, 0,
                          "store schema %d is newer than this storyfold's (%d)", version,
                          SF_STORE_SCHEMA);
    } else {
        for (int v = version; v < SF_STORE_SCHEMA && st == SF_OK; v++) {
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
            if (!exec(s, migrations[v]) || !exec(s, pragma))
                st = db_fail(s, err, "migrating the store");
        }
    }
    if (st == SF_OK && !exec(s, "COMMIT"))
        st = db_fail(s, err, "migrating the store");
    if (st != SF_OK)
        exec(s, "ROLLBACK");
    return st;
}

void sf_store_options_default(sf_options *opt)
{
    sf_options_default(opt);
    opt->refold_growth = 1.0;
}

sf_store *sf_store_open(const char *path, const sf_options *opt, sf_error *err)
{
    if (!path) {
        sf_error_set(err, SF_EINVAL, NULL, 0, 0, "no store path");
        return NULL;
    }
    sf_store *s = calloc(1, sizeof *s);
    if (!s) {
        sf_error_set(err, SF_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    if (opt)
        s->opt = *opt;
    else
        sf_store_options_default(&s->opt);
    sf_strmap_init(&s->story_hash);
    sf_strmap_init(&s->story_rel);
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    sf_status st = SF_OK;
    if (rc != SQLITE_OK) {
        st = s->db ? db_fail(s, err, "opening the store")
                   : sf_error_set(err, SF_ENOMEM, path, 0, 0, "out of memory");
    } else {
        sqlite3_busy_timeout(s->db, 30000);
        /* WAL: readers never wait for the writer. synchronous=FULL: a commit
         * is on disk when sf_store_add_batch returns, even if the machine
         * (not only the process) dies right after. */
        if (!exec(s, "PRAGMA journal_mode = WAL") || !exec(s, "PRAGMA synchronous = FULL"))
            st = db_fail(s, err, "opening the store");
        else
            st = migrate(s, err);
    }
    if (st != SF_OK) {
        if (err)
            err->file = path;
        sf_store_close(s);
        return NULL;
    }
    return s;
}

sf_status sf_store_set_checkpoints(sf_store *s, int automatic, sf_error *err)
{
    if (!s)
        return sf_error_set(err, SF_EINVAL, NULL, 0, 0, "no store");
    if (!exec(s, automatic ? "PRAGMA wal_autocheckpoint = 1000" : "PRAGMA wal_autocheckpoint = 0"))
        return db_fail(s, err, "setting checkpoints");
    return SF_OK;
}

sf_status sf_store_checkpoint(sf_store *s, sf_error *err)
{
    if (!s)
        return sf_error_set(err, SF_EINVAL, NULL, 0, 0, "no store");
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        return db_fail(s, err, "copying the log into the store");
    return SF_OK;
}

void sf_store_close(sf_store *s)
{
    if (!s)
        return;
    for (int k = 0; k < NQUERIES; k++)
        sqlite3_finalize(s->q[k]);
    sqlite3_close(s->db);
    sf_engine_free(s->eng);
    sf_strmap_free(&s->story_hash);
    sf_strmap_free(&s->story_rel);
    free(s->doc_story);
    free(s);
}

/* ------------------------------------------------------------------ */
/* The in-memory engine                                                */
/* ------------------------------------------------------------------ */

static void drop_engine(sf_store *s)
{
    sf_engine_free(s->eng);
    s->eng = NULL;
    sf_strmap_free(&s->story_hash);
    sf_strmap_init(&s->story_hash);
    sf_strmap_free(&s->story_rel);
    sf_strmap_init(&s->story_rel);
    free(s->doc_story);
    s->doc_story = NULL;
    s->doc_story_cap = 0;
    s->have_hashes = false;
}

/* The key of a story id in doc_story (never 0). */
static uint64_t story_key(const char *id, size_t len)
{
    return len ? sf_hash64(id, len, 0x57) | 1 : 0;
}

/* Notes that the row of engine doc d names the story of key k. */
static bool note_doc_story(sf_store *s, size_t d, uint64_t k)
{
    if (d >= s->doc_story_cap) {
        size_t old = s->doc_story_cap;
        if (!SF_GROW(s->doc_story, s->doc_story_cap, d + 1))
            return false;
        memset(s->doc_story + old, 0, (s->doc_story_cap - old) * sizeof *s->doc_story);
    }
    s->doc_story[d] = k;
    return true;
}

/* Reports a problem the store worked around (the library never prints). */
static void warn(sf_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(sf_store *s, const char *fmt, ...)
{
    if (!s->warn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->warn(s->warn_ctx, msg);
}

void sf_store_set_warnings(sf_store *s, void (*fn)(void *ctx, const char *message), void *ctx)
{
    if (!s)
        return;
    s->warn = fn;
    s->warn_ctx = ctx;
}

/* Stored articles whose saved features could not be used, cleaned again
 * in one sf_engine_add_batch call: their seq and a copy of their fields. */
typedef struct loaded {
    sf_article *arts;
    int64_t *seq;
    uint64_t *story;             /* story_key of the story each row names */
    size_t n, cap, seq_cap, story_cap;
    sf_arena bytes;
    /* the ones cleaned again so far, to save once the reading is done */
    int64_t *redo_seq;
    size_t *redo_doc;
    size_t nredo, redo_cap, redo_doc_cap;
} loaded;

static const char *keep_col(loaded *l, sqlite3_stmt *q, int i, size_t *len)
{
    size_t n;
    const char *p = col_text(q, i, &n);
    *len = n;
    return sf_arena_strndup(&l->bytes, p, n);
}

/* Reads stored article seq into l to be cleaned again. */
static sf_status load_for_cleaning(sf_store *s, loaded *l, int64_t seq, uint64_t story,
                                   sf_error *err)
{
    if (!SF_GROW(l->arts, l->cap, l->n + 1) || !SF_GROW(l->seq, l->seq_cap, l->n + 1) ||
        !SF_GROW(l->story, l->story_cap, l->n + 1))
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    l->story[l->n] = story;
    sqlite3_stmt *q = stmt(s, Q_ARTICLE_BY_SEQ);
    if (!q || sqlite3_bind_int64(q, 1, seq) || sqlite3_step(q) != SQLITE_ROW)
        return db_fail(s, err, "reading an article");
    sf_article *a = &l->arts[l->n];
    a->id = keep_col(l, q, 0, &a->id_len);
    a->title = keep_col(l, q, 1, &a->title_len);
    a->text = keep_col(l, q, 2, &a->text_len);
    a->url = keep_col(l, q, 3, &a->url_len);
    a->source = keep_col(l, q, 4, &a->source_len);
    a->date = keep_col(l, q, 5, &a->date_len);
    a->lang = keep_col(l, q, 6, &a->lang_len);
    sqlite3_reset(q);
    if (!a->id || !a->title || !a->text || !a->url || !a->source || !a->date || !a->lang)
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    l->seq[l->n++] = seq;
    return SF_OK;
}

/* Cleans the articles in l into the engine and notes which doc each one
 * became, to save its features later. */
static sf_status flush_loaded(sf_store *s, loaded *l, sf_error *err)
{
    if (!l->n)
        return SF_OK;
    sf_status *fst = malloc(l->n * sizeof *fst);
    if (!fst || !SF_GROW(l->redo_seq, l->redo_cap, l->nredo + l->n) ||
        !SF_GROW(l->redo_doc, l->redo_doc_cap, l->nredo + l->n)) {
        free(fst);
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t d = s->eng->n;
    sf_status st = sf_engine_add_batch(s->eng, l->arts, l->n, fst);
    /* Stored articles were accepted once; one refused now would only be
     * missing from the fold, but out of memory is fatal. */
    if (st == SF_ENOMEM) {
        free(fst);
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < l->n; i++)
        if (fst[i] == SF_OK) {
            if (!note_doc_story(s, d, l->story[i])) {
                free(fst);
                return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
            }
            l->redo_seq[l->nredo] = l->seq[i];
            l->redo_doc[l->nredo++] = d++;
        }
    free(fst);
    l->n = 0;
    sf_arena_reset(&l->bytes);
    return SF_OK;
}

/* Saves the features (and clean text) of the articles cleaned again. */
static sf_status save_cleaned(sf_store *s, const loaded *l, sf_error *err)
{
    sf_buf b;
    sf_buf_init(&b, 0);
    sf_status st = SF_OK;
    for (size_t i = 0; i < l->nredo && st == SF_OK; i++) {
        const sf_doc *d = &s->eng->docs[l->redo_doc[i]];
        sf_buf_clear(&b);
        sqlite3_stmt *q;
        if (!sf_doc_features_save(&s->eng->dict, d, s->eng->opt.shingle_words, &b))
            st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
        else if (!(q = stmt(s, Q_SET_FEATURES)) || sqlite3_bind_int64(q, 1, l->redo_seq[i]) ||
                 bind_text(q, 2, d->text, d->text_len) ||
                 sqlite3_bind_blob64(q, 3, b.data, b.len, SQLITE_STATIC) ||
                 sqlite3_step(q) != SQLITE_DONE)
            st = db_fail(s, err, "saving features");
    }
    sf_buf_free(&b);
    return st;
}

/* Makes s->eng hold exactly the stored articles (count, last_seq), in the
 * order they were stored: from their saved features, or, for an article
 * whose features are missing (a store of schema 1), of another version or
 * corrupt (reported through the warnings), by cleaning its text again and
 * saving what that gives. Runs inside the add's transaction. */
static sf_status sync_engine(sf_store *s, int64_t count, int64_t last_seq, sf_error *err)
{
    if (s->eng && s->eng_count == count && s->eng_seq == last_seq && s->have_hashes)
        return SF_OK;
    drop_engine(s);
    s->eng = sf_engine_new(&s->opt);
    if (!s->eng)
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    s->eng->keep_facts = true; /* its stories are written again as articles come */
    loaded l;
    memset(&l, 0, sizeof l);
    sf_arena_init(&l.bytes, (size_t)1 << 20);
    size_t missing = 0, stale = 0;
    sf_status st = SF_OK;
    sqlite3_stmt *q = stmt(s, Q_ALL_ARTICLES);
    if (!q)
        st = db_fail(s, err, "reading articles");
    int rc = SQLITE_DONE;
    while (st == SF_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(q, 0);
        size_t slen;
        const char *sid = col_text(q, 7, &slen);
        uint64_t skey = story_key(sid, slen);
        if (sqlite3_column_type(q, 6) != SQLITE_NULL) {
            /* articles to clean again come first: the order is kept */
            if ((st = flush_loaded(s, &l, err)) != SF_OK)
                break;
            sf_article a;
            memset(&a, 0, sizeof a);
            a.id = col_text(q, 1, &a.id_len);
            a.url = col_text(q, 2, &a.url_len);
            a.source = col_text(q, 3, &a.source_len);
            a.date = col_text(q, 4, &a.date_len);
            size_t clean_len;
            const char *clean = col_text(q, 5, &clean_len);
            const void *saved = sqlite3_column_blob(q, 6);
            size_t saved_len = (size_t)sqlite3_column_bytes(q, 6);
            sf_features_check check;
            const char *why;
            st = sf_engine_add_features(s->eng, &a, clean, clean_len, saved, saved_len, &check,
                                        &why);
            if (st == SF_OK && !note_doc_story(s, s->eng->n - 1, skey))
                st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
            if (st == SF_OK)
                continue;
            if (st != SF_EPARSE) {
                sf_error_set(err, st, NULL, 0, 0, "reading features: %s", sf_strerror(st));
                break;
            }
            st = SF_OK;
            if (check == SF_FEATURES_CORRUPT) {
                warn(s, "article %.*s: saved features are corrupt (%s): cleaned again",
                     (int)(a.id_len > 200 ? 200 : a.id_len), a.id, why);
            } else {
                stale++;
            }
        } else {
            missing++;
        }
        st = load_for_cleaning(s, &l, seq, skey, err);
        if (st == SF_OK && l.n == 4096)
            st = flush_loaded(s, &l, err);
    }
    if (st == SF_OK && rc != SQLITE_DONE)
        st = db_fail(s, err, "reading articles");
    if (q)
        sqlite3_reset(q);
    if (st == SF_OK)
        st = flush_loaded(s, &l, err);
    if (st == SF_OK)
        st = save_cleaned(s, &l, err);
    if (st == SF_OK && missing + stale > 0)
        warn(s, "%zu stored articles had no features saved by this version: cleaned again "
             "and saved", missing + stale);
    free(l.arts);
    free(l.seq);
    free(l.story);
    free(l.redo_seq);
    free(l.redo_doc);
    sf_arena_free(&l.bytes);
    /* the JSON hashes of the stored stories, to see which ones change */
    if (st == SF_OK && !(q = stmt(s, Q_ALL_STORY_HASHES)))
        st = db_fail(s, err, "reading stories");
    while (st == SF_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        size_t n;
        const char *id = col_text(q, 0, &n);
        bool added;
        if (!sf_strmap_put(&s->story_hash, id, n, (uint64_t)sqlite3_column_int64(q, 1), &added) ||
            !sf_strmap_put(&s->story_rel, id, n, (uint64_t)sqlite3_column_int64(q, 2), &added))
            st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (st == SF_OK && rc != SQLITE_DONE)
        st = db_fail(s, err, "reading stories");
    if (q)
        sqlite3_reset(q);
    if (st != SF_OK) {
        drop_engine(s);
        return st;
    }
    s->eng_count = count;
    s->eng_seq = last_seq;
    s->have_hashes = true;
    s->eng_fresh = true;
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* Adding                                                              */
/* ------------------------------------------------------------------ */

static uint64_t content_hash(const sf_article *a)
{
    uint64_t h = 0x5f0d;
    h = sf_hash64(a->title ? a->title : "", a->title ? a->title_len : 0, h);
    h = sf_hash64(a->text ? a->text : "", a->text ? a->text_len : 0, h);
    h = sf_hash64(a->url ? a->url : "", a->url ? a->url_len : 0, h);
    h = sf_hash64(a->source ? a->source : "", a->source ? a->source_len : 0, h);
    return h;
}

static bool same_content(const sf_article *a, const sf_article *b)
{
#define SAME(f)                                                                    \
    ((a->f ? a->f##_len : 0) == (b->f ? b->f##_len : 0) &&                         \
     (!a->f##_len || memcmp(a->f, b->f, a->f##_len) == 0))
    return SAME(title) && SAME(text) && SAME(url) && SAME(source);
#undef SAME
}

static void set_id(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A signature of story i: everything its JSON is made from but its
 * related stories — its id, headline, members in order with their copy
 * relations, representative and dates. Equal signatures mean equal JSON
 * up to the related ids (the facts come from the members' texts only),
 * so the JSON, the costly part, is made only for stories whose signature
 * changed. */
static uint64_t story_signature(const sf_engine *e, size_t i, const sf_story_info *info)
{
    uint64_t h = sf_hash64(info->id, strlen(info->id), 0x51);
    h = sf_hash64(info->headline, strlen(info->headline), h);
    h = sf_hash64(info->first_date, strlen(info->first_date), h);
    h = sf_hash64(info->last_date, strlen(info->last_date), h);
    const sf_story *ss = &e->stories[i];
    h = sf_hash64(&ss->rep, sizeof ss->rep, h);
    for (size_t k = 0; k < info->articles; k++) {
        sf_story_article a;
        if (sf_engine_story_article_info(e, i, k, &a) != SF_OK)
            break;
        h = sf_hash64(a.id, strlen(a.id) + 1, h);
        if (a.copy_of) {
            char sim[32];
            int n = snprintf(sim, sizeof sim, "%.3f", a.copy_similarity);
            h = sf_hash64(a.copy_of, strlen(a.copy_of) + 1, h);
            h = sf_hash64(sim, (size_t)n, h);
        }
    }
    return h;
}

/* A signature of story i's related story ids, in order. */
static uint64_t related_signature(const sf_engine *e, size_t i)
{
    uint64_t h = 0x7e1;
    size_t r;
    for (size_t k = 0; (r = sf_engine_story_related(e, i, k)) != SIZE_MAX; k++) {
        sf_story_info o;
        if (sf_engine_story_info(e, r, &o) == SF_OK)
            h = sf_hash64(o.id, strlen(o.id) + 1, h);
    }
    return h;
}

/* Rewrites only the related ids of stored story i (and its related
 * count): its stored JSON ends with them, as sf_engine_story_json writes
 * it. Returns SF_END if the stored JSON does not end that way (it is then
 * written whole). */
static sf_status write_related(sf_store *s, size_t i, const sf_story_info *info, uint64_t rh,
                               sf_error *err)
{
    static const char key[] = ",\"related\":[";
    sqlite3_stmt *q = stmt(s, Q_STORY_STORED_JSON);
    if (!q || bind_str(q, 1, info->id))
        return db_fail(s, err, "reading a story");
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE)
        return SF_END;
    if (rc != SQLITE_ROW)
        return db_fail(s, err, "reading a story");
    size_t n;
    const char *old = col_text(q, 0, &n);
    /* the last ,"related":[ : inside a JSON string a quote is escaped, so
     * the key cannot appear in a value */
    const char *at = NULL;
    for (const char *p = old; (p = strstr(p, key)); p++)
        at = p;
    if (!at || n < 2 || old[n - 2] != ']' || old[n - 1] != '}') {
        sqlite3_reset(q);
        return SF_END;
    }
    sf_buf b;
    sf_buf_init(&b, 0);
    bool ok = sf_buf_append(&b, old, (size_t)(at - old) + sizeof key - 1);
    sqlite3_reset(q);
    size_t r;
    for (size_t k = 0; ok && (r = sf_engine_story_related(s->eng, i, k)) != SIZE_MAX; k++) {
        sf_story_info o;
        ok = sf_engine_story_info(s->eng, r, &o) == SF_OK &&
             sf_buf_printf(&b, "%s\"%s\"", k ? "," : "", o.id);
    }
    ok = ok && sf_buf_puts(&b, "]}");
    sf_status st = SF_OK;
    if (!ok)
        st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    else if (!(q = stmt(s, Q_SET_RELATED)) || bind_str(q, 1, info->id) ||
             sqlite3_bind_int64(q, 2, (int64_t)info->related) ||
             sqlite3_bind_int64(q, 3, (int64_t)rh) || bind_text(q, 4, b.data, b.len) ||
             sqlite3_step(q) != SQLITE_DONE)
        st = db_fail(s, err, "writing a story");
    sf_buf_free(&b);
    return st;
}

/* What is to be written of a story the fold reports (or, after the
 * engine's first fold, of every story). */
typedef enum story_write {
    WRITE_NOTHING,       /* as stored */
    WRITE_RELATED,       /* only its related ids changed */
    WRITE_ALL            /* its JSON is made again */
} story_write;

typedef struct story_plan {
    size_t i;
    sf_story_info info;
    uint64_t h, rh;      /* signature, related signature */
    story_write what;
} story_plan;

/* Sees what of story i changed against the signatures stored, and records
 * the new ones in rec and rec_rel (s->story_hash and s->story_rel
 * themselves, or the maps of a full rewrite). */
static sf_status plan_story(sf_store *s, size_t i, sf_strmap *rec, sf_strmap *rec_rel,
                            story_plan *p, sf_error *err)
{
    p->i = i;
    if (sf_engine_story_info(s->eng, i, &p->info) != SF_OK)
        return sf_error_set(err, SF_EINTERNAL, NULL, 0, 0, "story %zu missing", i);
    const sf_story_info *info = &p->info;
    uint64_t h = story_signature(s->eng, i, info), rh = related_signature(s->eng, i);
    size_t idlen = strlen(info->id);
    const uint64_t *q = sf_strmap_get(&s->story_hash, info->id, idlen);
    uint64_t old = q ? *q : 0;
    q = sf_strmap_get(&s->story_rel, info->id, idlen);
    uint64_t old_rel = q ? *q : 0;
    bool added;
    uint64_t *slot = sf_strmap_put(rec, info->id, idlen, h, &added);
    if (slot)
        *slot = h;
    uint64_t *rslot = slot ? sf_strmap_put(rec_rel, info->id, idlen, rh, &added) : NULL;
    if (!rslot)
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    *rslot = rh;
    p->h = h;
    p->rh = rh;
    p->what = !old || old != h ? WRITE_ALL : old_rel == rh ? WRITE_NOTHING : WRITE_RELATED;
    return SF_OK;
}

/* Writes planned story p: only its related ids if nothing else changed,
 * else all of it from json (made by the caller; NULL: made here) and the
 * rows of the members that were in another story. */
static sf_status write_story(sf_store *s, const story_plan *p, const char *json, size_t len,
                             const char *now, sf_error *err)
{
    if (p->what == WRITE_NOTHING)
        return SF_OK;
    const sf_story_info *info = &p->info;
    size_t i = p->i;
    uint64_t h = p->h, rh = p->rh;
    if (p->what == WRITE_RELATED) {
        sf_status st = write_related(s, i, info, rh, err);
        if (st != SF_END)
            return st;
    }
    char *made = NULL;
    if (!json) {
        /* its own tokeniser: the engine's workers may be making other
         * stories' JSON meanwhile (story_writes) */
        sf_text *t = sf_text_new();
        json = made = t ? sf_story_json_text(s->eng, t, i, &len) : NULL;
        sf_text_free(t);
        if (!json)
            return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t idlen = strlen(info->id);
    sf_status st = SF_OK;
    sqlite3_stmt *q;
    /* the rows of members stored under another story (or none) */
    const sf_story *ss = &s->eng->stories[i];
    uint64_t key = story_key(info->id, idlen);
    for (size_t k = 0; k < ss->count && st == SF_OK; k++) {
        uint32_t d = s->eng->members[ss->first + k];
        if (d < s->doc_story_cap && s->doc_story[d] == key)
            continue;
        const sf_doc *doc = &s->eng->docs[d];
        if (!(q = stmt(s, Q_SET_STORY)) || bind_str(q, 1, doc->id) || bind_str(q, 2, info->id) ||
            sqlite3_step(q) != SQLITE_DONE)
            st = db_fail(s, err, "writing a story");
        else if (!note_doc_story(s, d, key))
            st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* times */
    char first_seen[32] = "", updated[32] = "";
    if (st == SF_OK) {
        if (!(q = stmt(s, Q_STORY_TIMES)) || bind_str(q, 1, info->id) ||
            sqlite3_step(q) != SQLITE_ROW)
            st = db_fail(s, err, "writing a story");
        else {
            snprintf(first_seen, sizeof first_seen, "%s", col_text(q, 0, NULL));
            snprintf(updated, sizeof updated, "%s", col_text(q, 1, NULL));
        }
        if (!*first_seen)
            snprintf(first_seen, sizeof first_seen, "%s", now);
        if (!*updated)
            snprintf(updated, sizeof updated, "%s", now);
    }
    if (st == SF_OK) {
        if (!(q = stmt(s, Q_UPSERT_STORY)) || bind_str(q, 1, info->id) ||
            bind_str(q, 2, info->headline) || sqlite3_bind_int64(q, 3, (int64_t)info->articles) ||
            sqlite3_bind_int64(q, 4, (int64_t)info->copies) ||
            sqlite3_bind_int64(q, 5, (int64_t)info->related) ||
            bind_str(q, 6, info->first_date) || bind_str(q, 7, info->last_date) ||
            bind_str(q, 8, first_seen) || bind_str(q, 9, updated) ||
            sqlite3_bind_int64(q, 10, (int64_t)h) || bind_text(q, 11, json, len) ||
            sqlite3_bind_int64(q, 12, (int64_t)rh) || sqlite3_step(q) != SQLITE_DONE)
            st = db_fail(s, err, "writing a story");
    }
    int64_t rid = 0;
    if (st == SF_OK) {
        if (!(q = stmt(s, Q_STORY_RID)) || bind_str(q, 1, info->id) ||
            sqlite3_step(q) != SQLITE_ROW)
            st = db_fail(s, err, "writing a story");
        else
            rid = sqlite3_column_int64(q, 0);
    }
    /* words for search: headline and the representative's clean text,
     * indexed again only if they changed (a story that gains articles
     * mostly keeps both, and FTS5 tokenises the old row to delete it) */
    bool same_words = false;
    const sf_doc *rep = &s->eng->docs[ss->rep];
    if (st == SF_OK) {
        if (!(q = stmt(s, Q_FTS_GET)) || sqlite3_bind_int64(q, 1, rid))
            st = db_fail(s, err, "indexing a story");
        int rc = st == SF_OK ? sqlite3_step(q) : SQLITE_DONE;
        if (rc == SQLITE_ROW) {
            size_t hl, tl;
            const char *h0 = col_text(q, 0, &hl), *t0 = col_text(q, 1, &tl);
            size_t rl = rep->text ? rep->text_len : 0;
            same_words = hl == strlen(info->headline) && memcmp(h0, info->headline, hl) == 0 &&
                         tl == rl && (!tl || memcmp(t0, rep->text, tl) == 0);
        } else if (rc != SQLITE_DONE) {
            st = db_fail(s, err, "indexing a story");
        }
        if (q)
            sqlite3_reset(q);
    }
    if (st == SF_OK && !same_words) {
        if (!(q = stmt(s, Q_FTS_DELETE)) || sqlite3_bind_int64(q, 1, rid) ||
            sqlite3_step(q) != SQLITE_DONE || !(q = stmt(s, Q_FTS_INSERT)) ||
            sqlite3_bind_int64(q, 1, rid) || bind_str(q, 2, info->headline) ||
            bind_text(q, 3, rep->text, rep->text_len) || sqlite3_step(q) != SQLITE_DONE)
            st = db_fail(s, err, "indexing a story");
    }
    free(made);
    return st;
}

/* Deletes stored story id (nothing if it is not stored). */
static sf_status delete_story(sf_store *s, const char *id, size_t len, sf_error *err)
{
    sqlite3_stmt *q = stmt(s, Q_STORY_RID);
    if (!q || bind_text(q, 1, id, len))
        return db_fail(s, err, "deleting a story");
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE)
        return SF_OK;
    if (rc != SQLITE_ROW)
        return db_fail(s, err, "deleting a story");
    int64_t rid = sqlite3_column_int64(q, 0);
    if (!(q = stmt(s, Q_DELETE_STORY)) || sqlite3_bind_int64(q, 1, rid) ||
        sqlite3_step(q) != SQLITE_DONE || !(q = stmt(s, Q_FTS_DELETE)) ||
        sqlite3_bind_int64(q, 1, rid) || sqlite3_step(q) != SQLITE_DONE)
        return db_fail(s, err, "deleting a story");
    return SF_OK;
}

/* Deletes the stored stories that are no longer in the fold. */
static sf_status delete_gone(sf_store *s, const sf_strmap *next, sf_error *err)
{
    for (size_t k = 0; s->story_hash.slots && k <= s->story_hash.mask; k++) {
        const sf_strmap_slot *sl = &s->story_hash.slots[k];
        if (!sl->key || !sl->value || sf_strmap_get(next, sl->key, sl->len))
            continue;
        sf_status st = delete_story(s, sl->key, sl->len, err);
        if (st != SF_OK)
            return st;
    }
    return SF_OK;
}

/* The stories a batch writes after its fold. They are planned at once
 * (signatures only); their JSON, most of their cost (the facts), is made
 * on a thread of its own, a round of BUILD_ROUND stories at a time on the
 * engine's workers and at most BUILD_AHEAD rounds ahead, while this
 * thread stores the batch's articles and then writes the stories in
 * story order, as one at a time would write them (same rows, same rids).
 * The builder reads the engine and fills the facts kept on the docs of
 * the stories it makes; this thread reads the engine only. */
#define BUILD_ROUND 128
#define BUILD_AHEAD 4

typedef struct story_writes {
    story_plan *plan;
    size_t n, cap;
    bool fresh;                 /* the engine's first fold: every story compared */
    sf_strmap next, next_rel;   /* then the signatures of the full rewrite */
    /* the builder: JSON of stories idx[0..nidx) into json[], len[] */
    sf_engine *e;
    size_t *idx;
    size_t nidx, idx_cap;
    char **json;
    size_t *len;
    size_t built, taken;        /* [0, built) made, [0, taken) written */
    bool started, stop, threaded;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
} story_writes;

static void *builder_main(void *arg)
{
    story_writes *w = arg;
    for (size_t at = 0; at < w->nidx; at += BUILD_ROUND) {
        pthread_mutex_lock(&w->lock);
        while (!w->stop && w->threaded && at >= w->taken + BUILD_AHEAD * BUILD_ROUND)
            pthread_cond_wait(&w->cond, &w->lock);
        bool stop = w->stop;
        pthread_mutex_unlock(&w->lock);
        if (stop)
            break;
        size_t m = w->nidx - at < BUILD_ROUND ? w->nidx - at : BUILD_ROUND;
        sf_engine_stories_json(w->e, w->idx + at, m, w->json + at, w->len + at);
        pthread_mutex_lock(&w->lock);
        w->built = at + m;
        pthread_cond_broadcast(&w->cond);
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

/* Plans the stories to write: after the engine's first fold all of them,
 * later the ones the fold reports changed. */
static sf_status sw_plan(sf_store *s, story_writes *w, sf_error *err)
{
    memset(w, 0, sizeof *w);
    w->e = s->eng;
    w->fresh = s->eng_fresh;
    sf_strmap_init(&w->next);
    sf_strmap_init(&w->next_rel);
    size_t ns = sf_engine_story_count(s->eng);
    for (size_t i = 0; i < ns; i++) {
        if (!w->fresh && !sf_engine_story_changed(s->eng, i))
            continue;
        if (!SF_GROW(w->plan, w->cap, w->n + 1))
            return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
        story_plan *p = &w->plan[w->n];
        sf_status st = w->fresh ? plan_story(s, i, &w->next, &w->next_rel, p, err)
                                : plan_story(s, i, &s->story_hash, &s->story_rel, p, err);
        if (st != SF_OK)
            return st;
        if (p->what == WRITE_NOTHING)
            continue;
        w->n++;
        if (p->what == WRITE_ALL) {
            if (!SF_GROW(w->idx, w->idx_cap, w->nidx + 1))
                return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
            w->idx[w->nidx++] = i;
        }
    }
    if (w->nidx && (!(w->json = calloc(w->nidx, sizeof *w->json)) ||
                    !(w->len = calloc(w->nidx, sizeof *w->len))))
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    return SF_OK;
}

/* Starts making the planned stories' JSON (on this thread, all of it, if
 * no thread can be started). */
static void sw_start(story_writes *w)
{
    if (!w->nidx)
        return;
    w->started = true;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->threaded = true;
    if (pthread_create(&w->thread, NULL, builder_main, w) != 0) {
        w->threaded = false;
        builder_main(w);
    }
}

/* Writes the planned stories in order, then deletes the stored stories the
 * fold removed (or, after a first fold, that it no longer has). */
static sf_status sw_write(sf_store *s, story_writes *w, const char *now, sf_error *err)
{
    sf_status st = SF_OK;
    for (size_t k = 0, j = 0; k < w->n && st == SF_OK; k++) {
        const story_plan *p = &w->plan[k];
        if (p->what != WRITE_ALL) {
            st = write_story(s, p, NULL, 0, now, err);
            continue;
        }
        pthread_mutex_lock(&w->lock);
        while (w->built <= j)
            pthread_cond_wait(&w->cond, &w->lock);
        pthread_mutex_unlock(&w->lock);
        if (!w->json[j])
            st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
        else
            st = write_story(s, p, w->json[j], w->len[j], now, err);
        free(w->json[j]);
        w->json[j++] = NULL;
        if (j % BUILD_ROUND == 0) {
            pthread_mutex_lock(&w->lock);
            w->taken = j;
            pthread_cond_broadcast(&w->cond);
            pthread_mutex_unlock(&w->lock);
        }
    }
    if (st != SF_OK)
        return st;
    if (w->fresh) {
        if ((st = delete_gone(s, &w->next, err)) != SF_OK)
            return st;
        sf_strmap_free(&s->story_hash);
        sf_strmap_free(&s->story_rel);
        s->story_hash = w->next;
        s->story_rel = w->next_rel;
        sf_strmap_init(&w->next);
        sf_strmap_init(&w->next_rel);
        s->eng_fresh = false;
        return SF_OK;
    }
    const char *id;
    for (size_t k = 0; st == SF_OK && (id = sf_engine_story_gone(s->eng, k)); k++) {
        uint64_t *slot = sf_strmap_get(&s->story_hash, id, strlen(id));
        if (slot && *slot) {
            *slot = 0;
            st = delete_story(s, id, strlen(id), err);
        }
    }
    return st;
}

/* Stops the builder (if writing failed) and frees what is left. */
static void sw_free(story_writes *w)
{
    if (w->started) {
        if (w->threaded) {
            pthread_mutex_lock(&w->lock);
            w->stop = true;
            pthread_cond_broadcast(&w->cond);
            pthread_mutex_unlock(&w->lock);
            pthread_join(w->thread, NULL);
        }
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->cond);
    }
    for (size_t j = 0; w->json && j < w->nidx; j++)
        free(w->json[j]);
    free(w->json);
    free(w->len);
    free(w->idx);
    free(w->plan);
    sf_strmap_free(&w->next);
    sf_strmap_free(&w->next_rel);
}

/* Looks up the story of stored article id into out (24 bytes). */
static sf_status story_of(sf_store *s, const char *id, size_t n, char *out, bool *found,
                          sf_error *err)
{
    sqlite3_stmt *q = stmt(s, Q_ARTICLE_BY_ID);
    if (!q || bind_text(q, 1, id, n))
        return db_fail(s, err, "looking up an article");
    int rc = sqlite3_step(q);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        set_id(out, 24, col_text(q, 0, NULL), strlen(col_text(q, 0, NULL)));
    else if (rc != SQLITE_DONE)
        return db_fail(s, err, "looking up an article");
    return SF_OK;
}

static sf_status add_locked(sf_store *s, const sf_article *arts, size_t n,
                            sf_store_result *res, sf_error *err)
{
    sqlite3_stmt *q = stmt(s, Q_COUNT);
    if (!q || sqlite3_step(q) != SQLITE_ROW)
        return db_fail(s, err, "counting articles");
    int64_t count = sqlite3_column_int64(q, 0), last_seq = sqlite3_column_int64(q, 1);
    sqlite3_reset(q);
    sf_status st = sync_engine(s, count, last_seq, err);
    if (st != SF_OK)
        return st;

    /* 1. duplicates: stored, or earlier in this batch */
    sf_article *fresh = malloc((n ? n : 1) * sizeof *fresh);
    size_t *fresh_at = malloc((n ? n : 1) * sizeof *fresh_at);
    sf_status *fst = malloc((n ? n : 1) * sizeof *fst);
    uint64_t *hashes = malloc((n ? n : 1) * sizeof *hashes);
    sf_strmap ids, contents;
    sf_strmap_init(&ids);
    sf_strmap_init(&contents);
    size_t m = 0;
    if (!fresh || !fresh_at || !fst || !hashes)
        st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n && st == SF_OK; i++) {
        const sf_article *a = &arts[i];
        sf_store_result *r = &res[i];
        memset(r, 0, sizeof *r);
        size_t blank = 0;
        while (a->text && blank < a->text_len && (a->text[blank] == ' ' || a->text[blank] == '\n' ||
                                                  a->text[blank] == '\t' || a->text[blank] == '\r'))
            blank++;
        if (!a->text || blank == a->text_len || !a->id || !a->id_len) {
            r->outcome = SF_STORE_REJECTED;
            continue;
        }
        bool found, added;
        if ((st = story_of(s, a->id, a->id_len, r->story_id, &found, err)) != SF_OK)
            break;
        uint64_t *slot = found ? NULL : sf_strmap_get(&ids, a->id, a->id_len);
        if (found || slot) {
            r->outcome = SF_STORE_SAME_ID;
            continue;
        }
        uint64_t h = hashes[i] = content_hash(a);
        q = stmt(s, Q_ARTICLE_BY_HASH);
        if (!q || sqlite3_bind_int64(q, 1, (int64_t)h) || bind_text(q, 2, a->title, a->title_len) ||
            bind_text(q, 3, a->text, a->text_len) || bind_text(q, 4, a->url, a->url_len) ||
            bind_text(q, 5, a->source, a->source_len)) {
            st = db_fail(s, err, "looking up an article");
            break;
        }
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            r->outcome = SF_STORE_SAME_CONTENT;
            size_t len;
            const char *sid = col_text(q, 0, &len);
            set_id(r->same_as, sizeof r->same_as, sid, len);
            sid = col_text(q, 1, &len);
            set_id(r->story_id, sizeof r->story_id, sid, len);
            continue;
        }
        if (rc != SQLITE_DONE) {
            st = db_fail(s, err, "looking up an article");
            break;
        }
        /* within the batch: same content hash and same fields */
        char key[8];
        memcpy(key, &h, 8);
        uint64_t *prev = sf_strmap_get(&contents, key, 8);
        if (prev && same_content(&arts[*prev], a)) {
            r->outcome = SF_STORE_SAME_CONTENT;
            set_id(r->same_as, sizeof r->same_as, arts[*prev].id, arts[*prev].id_len);
            continue;
        }
        if (!sf_strmap_put(&ids, a->id, a->id_len, i, &added) ||
            (!prev && !sf_strmap_put(&contents, key, 8, i, &added))) {
            st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        fresh[m] = *a;
        fresh_at[m++] = i;
    }
    if (q)
        sqlite3_reset(q);

    /* 2. fold the new ones in, then store them: each row is written once,
     * with its story (a row of text, clean text and features written again
     * only to set its story would cost as much as the insert) */
    char now[32];
    now_iso(now);
    size_t stored = 0;
    sf_buf saved;
    sf_buf_init(&saved, 0);
    size_t before = s->eng->n;
    if (st == SF_OK && m > 0) {
        st = sf_engine_add_batch(s->eng, fresh, m, fst);
        if (st == SF_ENOMEM)
            sf_error_set(err, st, NULL, 0, 0, "out of memory");
        else
            st = SF_OK;
    }
    if (st == SF_OK && s->eng->n > before) {
        st = sf_engine_fold(s->eng);
        if (st != SF_OK)
            sf_error_set(err, st, NULL, 0, 0, "folding: %s", sf_strerror(st));
    }
    /* 3. the stories to write, their JSON made meanwhile (see story_writes) */
    story_writes sw;
    bool planned = false;
    if (st == SF_OK && s->eng->n > before) {
        planned = true;
        st = sw_plan(s, &sw, err);
        if (st == SF_OK)
            sw_start(&sw);
    }
    if (st == SF_OK && s->eng->n > before) {
        size_t d = before;
        for (size_t j = 0; j < m && st == SF_OK; j++, d++) {
            size_t i = fresh_at[j];
            if (fst[j] != SF_OK) {
                res[i].outcome = SF_STORE_REJECTED;
                d--;
                continue;
            }
            const sf_article *a = &arts[i];
            const sf_doc *doc = &s->eng->docs[d];
            const char *sid = s->eng->stories[doc->story].id;
            sf_buf_clear(&saved);
            if (!sf_doc_features_save(&s->eng->dict, doc, s->eng->opt.shingle_words, &saved)) {
                st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            q = stmt(s, Q_INSERT_ARTICLE);
            if (!q || bind_text(q, 1, a->id, a->id_len) ||
                bind_text(q, 2, a->title, a->title_len) ||
                bind_text(q, 3, a->text, a->text_len) || bind_text(q, 4, a->url, a->url_len) ||
                bind_text(q, 5, a->source, a->source_len) ||
                bind_text(q, 6, a->date, a->date_len) || bind_text(q, 7, a->lang, a->lang_len) ||
                bind_text(q, 8, doc->text, doc->text_len) ||
                sqlite3_bind_int64(q, 9, (int64_t)hashes[i]) || bind_str(q, 10, now) ||
                sqlite3_bind_blob64(q, 11, saved.data, saved.len, SQLITE_STATIC) ||
                bind_str(q, 12, sid) || sqlite3_step(q) != SQLITE_DONE)
                st = db_fail(s, err, "storing an article");
            else if (!note_doc_story(s, d, story_key(sid, strlen(sid))))
                st = sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
            last_seq = sqlite3_last_insert_rowid(s->db);
            stored++;
        }
    }
    /* 4. rewrite the stories that changed, drop the ones merged away */
    if (st == SF_OK && stored > 0) {
        st = sw_write(s, &sw, now, err);
        if (st == SF_OK) {
            if (!(q = stmt(s, Q_SET_META)) || bind_str(q, 1, "last_added") ||
                bind_str(q, 2, now) || sqlite3_step(q) != SQLITE_DONE)
                st = db_fail(s, err, "writing meta");
        }
    }
    if (planned)
        sw_free(&sw);
    /* 5. the story of every article of the batch */
    for (size_t i = 0; i < n && st == SF_OK; i++) {
        sf_store_result *r = &res[i];
        if (r->outcome == SF_STORE_REJECTED)
            continue;
        bool found;
        if (r->outcome == SF_STORE_SAME_CONTENT)
            st = story_of(s, r->same_as, strlen(r->same_as), r->story_id, &found, err);
        else
            st = story_of(s, arts[i].id, arts[i].id_len, r->story_id, &found, err);
    }
    if (st == SF_OK && stored > 0) {
        s->eng_count += (int64_t)stored;
        s->eng_seq = last_seq;
    }
    sf_buf_free(&saved);
    sf_strmap_free(&ids);
    sf_strmap_free(&contents);
    free(fresh);
    free(fresh_at);
    free(fst);
    free(hashes);
    return st;
}

sf_status sf_store_add_batch(sf_store *s, const sf_article *arts, size_t n,
                             sf_store_result *results, sf_error *err)
{
    if (!s || (n && !arts))
        return sf_error_set(err, SF_EINVAL, NULL, 0, 0, "no store or no articles");
    sf_store_result *res = results;
    if (!res && !(res = malloc((n ? n : 1) * sizeof *res)))
        return sf_error_set(err, SF_ENOMEM, NULL, 0, 0, "out of memory");
    sf_status st;
    reset_all(s);
    if (!exec(s, "BEGIN IMMEDIATE")) {
        st = db_fail(s, err, "locking the store");
    } else {
        st = add_locked(s, arts, n, res, err);
        reset_all(s);
        if (st == SF_OK && !exec(s, "COMMIT"))
            st = db_fail(s, err, "committing");
        if (st != SF_OK) {
            exec(s, "ROLLBACK");
            /* the engine may hold articles the file does not */
            drop_engine(s);
        }
    }
    if (st != SF_OK && results)
        for (size_t i = 0; i < n; i++) {
            results[i].outcome = SF_STORE_REJECTED;
            results[i].story_id[0] = results[i].same_as[0] = '\0';
        }
    if (res != results)
        free(res);
    return st;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static sf_status story_json(sf_store *s, const char *id, char **json, size_t *len);

/* Turns free words into an FTS5 query: each run of letters or digits
 * (bytes >= 0x80 count as letters) quoted, all of them required. Returns
 * false if out of memory; *out is "" when there is no word. */
static bool fts_query(const char *words, sf_buf *out)
{
    const unsigned char *p = (const unsigned char *)words;
    while (*p) {
        while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
            p++;
        const unsigned char *w = p;
        while (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z'))
            p++;
        if (p > w && !(sf_buf_puts(out, out->len ? " \"" : "\"") &&
                       sf_buf_append(out, w, (size_t)(p - w)) && sf_buf_putc(out, '"')))
            return false;
    }
    return sf_buf_puts(out, "");
}

static bool put_str(sf_buf *b, const char *name, const char *v, size_t n)
{
    return sf_buf_printf(b, "\"%s\":", name) && sf_buf_json_string(b, v, n);
}

sf_status sf_store_stories(sf_store *s, const sf_story_query *q,
                           int (*fn)(void *ctx, const char *json, size_t len), void *ctx)
{
    if (!s || !fn)
        return SF_EINVAL;
    reset_all(s);
    sf_story_query dq = {0};
    if (!q)
        q = &dq;
    sf_buf words, b;
    sf_buf_init(&words, 1 << 16);
    sf_buf_init(&b, 0);
    if (q->words && !fts_query(q->words, &words)) {
        sf_buf_free(&words);
        return SF_ENOMEM;
    }
    bool search = words.len > 0;
    sqlite3_stmt *st = stmt(s, search ? Q_LIST_FTS : Q_LIST);
    sf_status rv = SF_OK;
    if (!st || bind_str(st, 1, q->since ? q->since : "") ||
        sqlite3_bind_int64(st, 2, q->limit ? (int64_t)q->limit : -1) ||
        sqlite3_bind_int64(st, 3, (int64_t)q->offset) ||
        (search && bind_text(st, 4, words.data, words.len)))
        rv = SF_EIO;
    int rc = SQLITE_DONE;
    while (rv == SF_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t len;
        if (q->full) {
            char *json;
            rv = story_json(s, col_text(st, 0, NULL), &json, &len);
            if (rv == SF_END) { /* cannot happen inside one statement; skip */
                rv = SF_OK;
                continue;
            }
            if (rv != SF_OK)
                break;
            int stop = fn(ctx, json, len);
            free(json);
            if (stop)
                break;
            continue;
        }
        sf_buf_clear(&b);
        size_t n;
        const char *p = col_text(st, 0, &n);
        bool ok = sf_buf_putc(&b, '{') && put_str(&b, "id", p, n);
        p = col_text(st, 1, &n);
        ok = ok && sf_buf_putc(&b, ',') && put_str(&b, "headline", p, n) &&
             sf_buf_printf(&b, ",\"sources\":%lld,\"copies\":%lld",
                           (long long)sqlite3_column_int64(st, 2),
                           (long long)sqlite3_column_int64(st, 3));
        static const char *const names[] = {"first_seen", "updated", "first_date", "last_date"};
        for (int k = 0; k < 4 && ok; k++) {
            p = col_text(st, 4 + k, &n);
            ok = sf_buf_putc(&b, ',') && put_str(&b, names[k], p, n);
        }
        ok = ok && sf_buf_printf(&b, ",\"related\":%lld}", (long long)sqlite3_column_int64(st, 8));
        if (!ok) {
            rv = SF_ENOMEM;
            break;
        }
        if (fn(ctx, b.data, b.len))
            break;
    }
    if (rv == SF_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        rv = sqlite3_errcode(s->db) == SQLITE_NOMEM ? SF_ENOMEM : SF_EIO;
    if (st)
        sqlite3_reset(st);
    sf_buf_free(&words);
    sf_buf_free(&b);
    return rv;
}

/* Timeline order: by date (the article's own, else when it was added),
 * then by time added, then id. */
static int cmp_timeline(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    const char *da = json_string_value(json_object_get(a, "date"));
    const char *db = json_string_value(json_object_get(b, "date"));
    const char *aa = json_string_value(json_object_get(a, "added"));
    const char *ab = json_string_value(json_object_get(b, "added"));
    int c = strcmp(da && *da ? da : aa ? aa : "", db && *db ? db : ab ? ab : "");
    if (!c)
        c = strcmp(aa ? aa : "", ab ? ab : "");
    if (!c)
        c = strcmp(json_string_value(json_object_get(a, "id")),
                   json_string_value(json_object_get(b, "id")));
    return c;
}

static sf_status dump(json_t *root, char **json, size_t *len)
{
    char *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!out)
        return SF_ENOMEM;
    *json = out;
    if (len)
        *len = strlen(out);
    return SF_OK;
}

sf_status sf_store_story_json(sf_store *s, const char *id, char **json, size_t *len)
{
    if (!s || !id || !json)
        return SF_EINVAL;
    *json = NULL;
    reset_all(s);
    return story_json(s, id, json, len);
}

/* sf_store_story_json without resetting the statements (a listing calls
 * it while its own statement runs). */
static sf_status story_json(sf_store *s, const char *id, char **json, size_t *len)
{
    sqlite3_stmt *q = stmt(s, Q_STORY_JSON);
    if (!q || bind_str(q, 1, id))
        return SF_EIO;
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SF_END : SF_EIO;
    size_t n;
    const char *text = col_text(q, 0, &n);
    json_t *root = json_loadb(text, n, 0, NULL);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        sqlite3_reset(q);
        return SF_EINTERNAL;
    }
    bool ok = json_object_set_new(root, "first_seen", json_string(col_text(q, 1, NULL))) == 0 &&
              json_object_set_new(root, "updated", json_string(col_text(q, 2, NULL))) == 0;
    sqlite3_reset(q);
    /* when each article was added */
    json_t *arts = json_object_get(root, "articles");
    if (ok && (q = stmt(s, Q_STORY_ARTICLES)) && !bind_str(q, 1, id)) {
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            const char *aid = col_text(q, 0, NULL);
            size_t k;
            json_t *a;
            json_array_foreach(arts, k, a)
            {
                const char *x = json_string_value(json_object_get(a, "id"));
                if (x && strcmp(x, aid) == 0) {
                    ok = ok && json_object_set_new(a, "added", json_string(col_text(q, 1, NULL))) == 0;
                    break;
                }
            }
        }
        sqlite3_reset(q);
    }
    /* related stories with their headlines */
    json_t *rel = json_array(), *tl = json_array();
    ok = ok && rel && tl;
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(root, "related"), k, v)
    {
        if (!ok || !json_is_string(v) || !(q = stmt(s, Q_STORY_SUMMARY)) ||
            bind_str(q, 1, json_string_value(v)))
            continue;
        if (sqlite3_step(q) == SQLITE_ROW)
            ok = json_array_append_new(rel, json_pack("{s:s,s:s,s:I}", "id", json_string_value(v),
                                                      "headline", col_text(q, 0, NULL), "sources",
                                                      (json_int_t)sqlite3_column_int64(q, 1))) == 0;
        sqlite3_reset(q);
    }
    /* timeline: the articles in time order */
    size_t na = json_array_size(arts);
    json_t **order = malloc((na ? na : 1) * sizeof *order);
    ok = ok && order;
    for (k = 0; ok && k < na; k++)
        order[k] = json_array_get(arts, k);
    if (ok)
        qsort(order, na, sizeof *order, cmp_timeline);
    for (k = 0; ok && k < na; k++) {
        json_t *a = order[k], *e = json_object();
        ok = e && json_array_append_new(tl, e) == 0;
        static const char *const keys[] = {"id", "date", "added", "source", "title", "copy_of"};
        for (size_t j = 0; ok && j < sizeof keys / sizeof keys[0]; j++) {
            json_t *x = json_object_get(a, keys[j]);
            if (x)
                ok = json_object_set(e, keys[j], x) == 0;
        }
    }
    free(order);
    ok = ok && json_object_set_new(root, "related_stories", rel) == 0;
    rel = NULL;
    ok = ok && json_object_set_new(root, "timeline", tl) == 0;
    tl = NULL;
    json_decref(rel);
    json_decref(tl);
    if (!ok) {
        json_decref(root);
        return SF_ENOMEM;
    }
    return dump(root, json, len);
}

sf_status sf_store_article_json(sf_store *s, const char *id, char **json, size_t *len)
{
    if (!s || !id || !json)
        return SF_EINVAL;
    *json = NULL;
    reset_all(s);
    sqlite3_stmt *q = stmt(s, Q_ARTICLE_JSON);
    if (!q || bind_str(q, 1, id))
        return SF_EIO;
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SF_END : SF_EIO;
    static const char *const names[] = {"id", "title", "url", "source", "date",
                                        "lang", "added", "story", "text", "clean"};
    sf_buf b;
    sf_buf_init(&b, 0);
    bool ok = sf_buf_putc(&b, '{');
    for (int k = 0; k < 10 && ok; k++) {
        size_t n;
        const char *p = col_text(q, k, &n);
        ok = (k == 0 || sf_buf_putc(&b, ',')) && put_str(&b, names[k], p, n);
    }
    ok = ok && sf_buf_putc(&b, '}');
    sqlite3_reset(q);
    if (!ok) {
        sf_buf_free(&b);
        return SF_ENOMEM;
    }
    *json = sf_buf_take(&b, len);
    return SF_OK;
}

sf_status sf_store_stats_get(sf_store *s, sf_store_stats *out)
{
    if (!s || !out)
        return SF_EINVAL;
    reset_all(s);
    memset(out, 0, sizeof *out);
    out->schema = SF_STORE_SCHEMA;
    sqlite3_stmt *q = stmt(s, Q_STATS);
    if (!q || sqlite3_step(q) != SQLITE_ROW)
        return db_fail(s, NULL, "stats");
    out->articles = (uint64_t)sqlite3_column_int64(q, 0);
    out->stories = (uint64_t)sqlite3_column_int64(q, 1);
    snprintf(out->last_added, sizeof out->last_added, "%s", col_text(q, 2, NULL));
    sqlite3_reset(q);
    return SF_OK;
}
