/*
 * server.c — storyfold serve: the HTTP service over a story store.
 *
 *   POST /articles          a JSON object, an array of them, or JSON Lines;
 *                           answers each article's story id
 *   GET  /stories           newest first: ?since=DATE&q=WORDS&limit=N&offset=N
 *   GET  /stories/{id}      the whole story
 *   GET  /articles/{id}     one article, with its clean text
 *   GET  /feed.json         the newest stories as a JSON Feed 1.1
 *   GET  /feed.rss          ... as RSS 2.0
 *   GET  /health            counts; 503 if the store cannot be read
 *   GET  /, /app.js, ...    the web page (server/web/, embedded)
 *
 * Threads: libmicrohttpd runs one thread per connection (bounded by
 * --max-connections). Readers take a store handle from a pool. Writes go
 * through one writer thread that takes every POST waiting and adds their
 * articles in one transaction (group commit); a POST is answered only
 * after its transaction committed, so an answered article survives a
 * crash. SIGTERM or SIGINT: stop accepting, finish the requests under way,
 * drain the writer, close the store.
 *
 * Errors are JSON: {"error": "<short code>", "reason": "<sentence>"} with
 * the matching 4xx/5xx status.
 */
#include "server.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "storyfold.h"
#include "web.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_INTERNAL = 2 };

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

typedef struct settings {
    const char *db;
    const char *host;
    unsigned port;
    size_t max_body;          /* bytes of one request body */
    size_t max_line;          /* bytes of one JSON line */
    unsigned max_connections;
    unsigned timeout;         /* seconds a connection may stay idle */
    unsigned body_seconds;    /* seconds a body may take to arrive */
    size_t max_batch;         /* articles per write transaction */
    sf_options opt;
} settings;

static const char serve_usage[] =
    "usage: storyfold serve --db FILE [OPTIONS]\n"
    "  --host ADDR            address to listen on (default 127.0.0.1)\n"
    "  --port N               port (default 8080; 0 = any free port)\n"
    "  --max-body BYTES       largest request body (default 16M)\n"
    "  --max-line BYTES       largest JSON line of a body (default 1M)\n"
    "  --max-connections N    connections at once (default 256)\n"
    "  --timeout SECONDS      idle connections are closed (default 15)\n"
    "  --body-seconds N       a body must arrive within N seconds (default 30)\n"
    "  --threads N            threads cleaning articles (default: one per core)\n"
    "  --refold-growth X      fold everything afresh once the store has grown by this\n"
    "                         fraction since the last full fold; until then new\n"
    "                         articles are placed incrementally (default 1; 0 = always)\n"
    "The address and port are printed on standard output once listening.\n";

/* ------------------------------------------------------------------ */
/* A growable buffer                                                   */
/* ------------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t n, cap;
    bool failed;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void buf_puts(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->failed = true;
    else
        buf_add(b, tmp, (size_t)n);
}

/* Appends s escaped for XML text and attributes. */
static void buf_xml(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default: buf_add(b, s, 1);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Store handles for readers                                           */
/* ------------------------------------------------------------------ */

typedef struct pool {
    pthread_mutex_t lock;
    sf_store **free;
    size_t nfree, cap;
} pool;

static settings S;
static pool P = {.lock = PTHREAD_MUTEX_INITIALIZER};

static sf_store *reader_get(void)
{
    pthread_mutex_lock(&P.lock);
    sf_store *s = P.nfree ? P.free[--P.nfree] : NULL;
    pthread_mutex_unlock(&P.lock);
    if (!s)
        s = sf_store_open(S.db, &S.opt, NULL);
    return s;
}

static void reader_put(sf_store *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&P.lock);
    if (P.nfree == P.cap) {
        size_t cap = P.cap ? P.cap * 2 : 16;
        sf_store **p = realloc(P.free, cap * sizeof *p);
        if (p) {
            P.free = p;
            P.cap = cap;
        }
    }
    if (P.nfree < P.cap) {
        P.free[P.nfree++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&P.lock);
    sf_store_close(s);
}

static void pool_close(void)
{
    for (size_t i = 0; i < P.nfree; i++)
        sf_store_close(P.free[i]);
    free(P.free);
    P.free = NULL;
    P.nfree = P.cap = 0;
}

/* ------------------------------------------------------------------ */
/* The writer: group commit                                            */
/* ------------------------------------------------------------------ */

typedef struct job {
    sf_article *arts;
    size_t n;
    sf_store_result *res;
    sf_status status;
    char message[256];
    bool done;
    struct job *next;
} job;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    job *head, *tail;
    bool stop;
    sf_store *store;
    pthread_t thread;
    uint64_t batches, articles;
} W = {.lock = PTHREAD_MUTEX_INITIALIZER,
       .wake = PTHREAD_COND_INITIALIZER,
       .done = PTHREAD_COND_INITIALIZER};

/* The checkpointer: copies the write-ahead log into the file after each
 * commit, on a handle and thread of its own, so that the writer's commits
 * (and the answers to posts) do not wait for the copy. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    uint64_t commits, copied;
    bool stop, running;
    sf_store *store;
    pthread_t thread;
} C = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *checkpointer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&C.lock);
    for (;;) {
        while (C.copied == C.commits && !C.stop)
            pthread_cond_wait(&C.wake, &C.lock);
        if (C.copied == C.commits)
            break;
        uint64_t upto = C.commits;
        pthread_mutex_unlock(&C.lock);
        sf_error err;
        if (sf_store_checkpoint(C.store, &err) != SF_OK)
            fprintf(stderr, "storyfold: %s: %s\n", S.db, err.message);
        pthread_mutex_lock(&C.lock);
        C.copied = upto;
    }
    pthread_mutex_unlock(&C.lock);
    return NULL;
}

/* Starts the checkpointer; if it cannot start, the writer's commits copy
 * the log themselves (SQLite's automatic checkpoint). */
static void checkpointer_start(void)
{
    sf_error err;
    if (!(C.store = sf_store_open(S.db, &S.opt, &err)))
        return;
    if (sf_store_set_checkpoints(W.store, 0, &err) != SF_OK) {
        sf_store_close(C.store);
        C.store = NULL;
        return;
    }
    if (pthread_create(&C.thread, NULL, checkpointer_main, NULL) != 0) {
        sf_store_set_checkpoints(W.store, 1, &err);
        sf_store_close(C.store);
        C.store = NULL;
        return;
    }
    C.running = true;
}

static void checkpointer_stop(void)
{
    if (!C.running)
        return;
    pthread_mutex_lock(&C.lock);
    C.stop = true;
    pthread_cond_signal(&C.wake);
    pthread_mutex_unlock(&C.lock);
    pthread_join(C.thread, NULL);
    sf_store_close(C.store);
    C.running = false;
}

/* Adds the articles of jobs [first, end) in one transaction. */
static void write_group(job *first, job *end)
{
    size_t n = 0;
    for (job *j = first; j != end; j = j->next)
        n += j->n;
    sf_article *arts = malloc((n ? n : 1) * sizeof *arts);
    sf_store_result *res = malloc((n ? n : 1) * sizeof *res);
    sf_status st = SF_ENOMEM;
    sf_error err;
    memset(&err, 0, sizeof err);
    snprintf(err.message, sizeof err.message, "out of memory");
    if (arts && res) {
        size_t k = 0;
        for (job *j = first; j != end; j = j->next)
            for (size_t i = 0; i < j->n; i++)
                arts[k++] = j->arts[i];
        st = sf_store_add_batch(W.store, arts, n, res, &err);
    }
    size_t k = 0;
    for (job *j = first; j != end; j = j->next) {
        j->status = st;
        snprintf(j->message, sizeof j->message, "%s", err.message);
        if (st == SF_OK)
            memcpy(j->res, res + k, j->n * sizeof *res);
        k += j->n;
    }
    free(arts);
    free(res);
}

static void *writer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&W.lock);
    for (;;) {
        while (!W.head && !W.stop)
            pthread_cond_wait(&W.wake, &W.lock);
        if (!W.head && W.stop)
            break;
        /* take the waiting jobs, up to max_batch articles (at least one job) */
        job *first = W.head, *end = first;
        size_t n = 0;
        while (end && (end == first || n + end->n <= S.max_batch)) {
            n += end->n;
            end = end->next;
        }
        W.head = end;
        if (!end)
            W.tail = NULL;
        pthread_mutex_unlock(&W.lock);
        write_group(first, end);
        pthread_mutex_lock(&C.lock);
        C.commits++;
        pthread_cond_signal(&C.wake);
        pthread_mutex_unlock(&C.lock);
        pthread_mutex_lock(&W.lock);
        W.batches++;
        W.articles += n;
        for (job *j = first; j != end; j = j->next)
            j->done = true;
        pthread_cond_broadcast(&W.done);
    }
    pthread_mutex_unlock(&W.lock);
    return NULL;
}

/* Hands a job to the writer and waits until it is committed (or failed). */
static void writer_submit(job *j)
{
    pthread_mutex_lock(&W.lock);
    if (W.stop) {
        j->status = SF_EIO;
        snprintf(j->message, sizeof j->message, "the service is shutting down");
        pthread_mutex_unlock(&W.lock);
        return;
    }
    j->next = NULL;
    j->done = false;
    if (W.tail)
        W.tail->next = j;
    else
        W.head = j;
    W.tail = j;
    pthread_cond_signal(&W.wake);
    while (!j->done)
        pthread_cond_wait(&W.done, &W.lock);
    pthread_mutex_unlock(&W.lock);
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

/* One request: its body as it arrives. */
typedef struct request {
    buf body;
    bool refused;           /* a response was queued before the body ended */
    bool too_big;           /* the body passed the limit: 413 once it ends */
    struct timespec start;
} request;

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status, const char *type,
                                  const char *data, size_t len, bool copy)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Sends b (taking its memory) as JSON; a failed buffer becomes a 500. */
static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                buf *b);

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *code,
                                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *code,
                                  const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    json_t *v = json_pack("{s:s,s:s,s:i}", "error", code, "reason", reason, "status", (int)status);
    char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
    json_decref(v);
    enum MHD_Result r;
    if (!text)
        r = send_bytes(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "application/json",
                       "{\"error\":\"internal\",\"reason\":\"out of memory\",\"status\":500}", 57,
                       false);
    else
        r = send_bytes(c, status, "application/json", text, strlen(text), true);
    free(text);
    return r;
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                buf *b)
{
    enum MHD_Result r;
    if (b->failed)
        r = send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
    else
        r = send_bytes(c, status, type, b->p ? b->p : "", b->n, true);
    free(b->p);
    memset(b, 0, sizeof *b);
    return r;
}

static enum MHD_Result store_error(struct MHD_Connection *c, sf_status st)
{
    return send_error(c, st == SF_ENOMEM ? MHD_HTTP_SERVICE_UNAVAILABLE
                                         : MHD_HTTP_INTERNAL_SERVER_ERROR,
                      "store", "the store failed: %s", sf_strerror(st));
}

/* ------------------------------------------------------------------ */
/* POST /articles                                                      */
/* ------------------------------------------------------------------ */

/* Fills a from JSON object o (strings borrowed from o). Returns NULL or
 * the reason it is not an article. */
static const char *article_from(json_t *o, sf_article *a, char *idbuf, size_t idcap)
{
    memset(a, 0, sizeof *a);
    if (!json_is_object(o))
        return "not a JSON object";
    struct { const char *name; const char **p; size_t *n; } f[] = {
        {"id", &a->id, &a->id_len},           {"title", &a->title, &a->title_len},
        {"text", &a->text, &a->text_len},     {"url", &a->url, &a->url_len},
        {"source", &a->source, &a->source_len}, {"date", &a->date, &a->date_len},
        {"lang", &a->lang, &a->lang_len},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        json_t *v = json_object_get(o, f[i].name);
        if (!v || json_is_null(v))
            continue;
        if (i == 0 && json_is_integer(v)) {
            snprintf(idbuf, idcap, "%lld", (long long)json_integer_value(v));
            a->id = idbuf;
            a->id_len = strlen(idbuf);
            continue;
        }
        if (!json_is_string(v))
            return i == 2 ? "\"text\" is not a string" : "a field is not a string";
        *f[i].p = json_string_value(v);
        *f[i].n = json_string_length(v);
    }
    if (!a->text || a->text_len == 0)
        return "no \"text\"";
    if (!a->id || a->id_len == 0) {
        /* no id: one from the content, so that posting it again is a no-op */
        uint64_t h = 1469598103934665603ULL;
        const char *parts[] = {a->title, a->text, a->url, a->source};
        size_t lens[] = {a->title_len, a->text_len, a->url_len, a->source_len};
        for (int k = 0; k < 4; k++) {
            for (size_t i = 0; i < lens[k]; i++)
                h = (h ^ (unsigned char)parts[k][i]) * 1099511628211ULL;
            h = (h ^ 0xff) * 1099511628211ULL;
        }
        snprintf(idbuf, idcap, "a%016llx", (unsigned long long)h);
        a->id = idbuf;
        a->id_len = strlen(idbuf);
    }
    if (a->id_len > 512)
        return "\"id\" is longer than 512 bytes";
    return NULL;
}

static const char *const outcome_name[] = {"added", "same_id", "same_content", "rejected"};

static enum MHD_Result post_articles(struct MHD_Connection *c, request *rq)
{
    if (rq->body.failed)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "memory", "out of memory");
    const char *p = rq->body.p ? rq->body.p : "";
    size_t n = rq->body.n;
    /* the items: one object, an array, or JSON Lines */
    json_t *items = json_array();
    if (!items)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "memory", "out of memory");
    json_error_t je;
    size_t skip = 0;
    while (skip < n && (p[skip] == ' ' || p[skip] == '\t' || p[skip] == '\r' || p[skip] == '\n'))
        skip++;
    json_t *whole = skip < n && p[skip] == '[' ? json_loadb(p, n, 0, &je) : NULL;
    if (whole) {
        if (!json_is_array(whole)) {
            json_decref(whole);
            json_decref(items);
            return send_error(c, MHD_HTTP_BAD_REQUEST, "bad_json", "the body is not an article");
        }
        json_decref(items);
        items = whole;
    } else if (skip < n && p[skip] == '[') {
        json_decref(items);
        return send_error(c, MHD_HTTP_BAD_REQUEST, "bad_json", "broken JSON array: %s (column %d)",
                          je.text, je.column);
    } else if ((whole = json_loadb(p, n, 0, &je)) != NULL) {
        json_array_append_new(items, whole); /* one object, perhaps on several lines */
    } else {
        size_t line = 0;
        for (size_t at = 0; at < n;) {
            const char *nl = memchr(p + at, '\n', n - at);
            size_t end = nl ? (size_t)(nl - p) : n;
            line++;
            if (end - at > S.max_line) {
                json_decref(items);
                return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "line_too_long",
                                  "line %zu is longer than %zu bytes", line, S.max_line);
            }
            size_t a = at;
            while (a < end && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r'))
                a++;
            if (a < end) {
                json_t *v = json_loadb(p + at, end - at, 0, &je);
                if (!v) {
                    json_decref(items);
                    return send_error(c, MHD_HTTP_BAD_REQUEST, "bad_json",
                                      "line %zu: broken JSON: %s", line, je.text);
                }
                if (json_array_append_new(items, v) != 0) {
                    json_decref(items);
                    return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "memory", "out of memory");
                }
            }
            at = end + 1;
        }
    }
    size_t count = json_array_size(items);
    if (count == 0) {
        json_decref(items);
        return send_error(c, MHD_HTTP_BAD_REQUEST, "empty", "no article in the body");
    }
    job j;
    memset(&j, 0, sizeof j);
    j.arts = calloc(count, sizeof *j.arts);
    j.res = calloc(count, sizeof *j.res);
    char (*ids)[24] = calloc(count, sizeof *ids);
    enum MHD_Result ret;
    if (!j.arts || !j.res || !ids) {
        ret = send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "memory", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        const char *why = article_from(json_array_get(items, i), &j.arts[i], ids[i], sizeof ids[i]);
        if (why) {
            ret = send_error(c, MHD_HTTP_BAD_REQUEST, "bad_article", "article %zu: %s", i + 1, why);
            goto out;
        }
    }
    j.n = count;
    writer_submit(&j);
    if (j.status != SF_OK) {
        ret = send_error(c, j.status == SF_ENOMEM ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                  : MHD_HTTP_INTERNAL_SERVER_ERROR,
                         "store", "nothing was stored: %s", j.message);
        goto out;
    }
    buf b = {0};
    size_t added = 0;
    buf_puts(&b, "{\"articles\":[");
    for (size_t i = 0; i < count; i++) {
        json_t *v = json_pack("{s:s%,s:s,s:s}", "id", j.arts[i].id, j.arts[i].id_len, "story",
                              j.res[i].story_id, "outcome", outcome_name[j.res[i].outcome]);
        char *t = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(v);
        if (!t) {
            b.failed = true;
            break;
        }
        if (i)
            buf_puts(&b, ",");
        buf_puts(&b, t);
        free(t);
        added += j.res[i].outcome == SF_STORE_ADDED;
    }
    buf_printf(&b, "],\"added\":%zu}", added);
    ret = send_buf(c, MHD_HTTP_OK, "application/json", &b);
out:
    free(j.arts);
    free(j.res);
    free(ids);
    json_decref(items);
    return ret;
}

/* ------------------------------------------------------------------ */
/* GET                                                                 */
/* ------------------------------------------------------------------ */

typedef struct listing {
    buf *b;
    size_t n;
} listing;

static int add_item(void *ctx, const char *json, size_t len)
{
    listing *l = ctx;
    if (l->n++)
        buf_puts(l->b, ",");
    buf_add(l->b, json, len);
    return l->b->failed;
}

static bool arg_count(struct MHD_Connection *c, const char *name, size_t def, size_t max,
                      size_t *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    if (!v || !*v) {
        *out = def;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || *end || v[0] == '-' || x > max)
        return false;
    *out = (size_t)x;
    return true;
}

static enum MHD_Result get_stories(struct MHD_Connection *c, sf_store *s)
{
    sf_story_query q = {0};
    if (!arg_count(c, "limit", 20, 200, &q.limit) || q.limit == 0)
        return send_error(c, MHD_HTTP_BAD_REQUEST, "bad_limit", "limit must be 1 to 200");
    if (!arg_count(c, "offset", 0, 100000000, &q.offset))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "bad_offset", "offset must be a number");
    q.since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    q.words = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    if (q.words && strlen(q.words) > 1000)
        return send_error(c, MHD_HTTP_BAD_REQUEST, "bad_query", "q is longer than 1000 bytes");
    buf b = {0};
    listing l = {&b, 0};
    buf_puts(&b, "{\"stories\":[");
    sf_status st = sf_store_stories(s, &q, add_item, &l);
    if (st != SF_OK) {
        free(b.p);
        return store_error(c, st);
    }
    buf_printf(&b, "],\"offset\":%zu,\"limit\":%zu", q.offset, q.limit);
    if (l.n == q.limit)
        buf_printf(&b, ",\"next_offset\":%zu", q.offset + q.limit);
    buf_puts(&b, "}");
    return send_buf(c, MHD_HTTP_OK, "application/json", &b);
}

static enum MHD_Result get_one(struct MHD_Connection *c, sf_store *s, const char *id,
                               bool story)
{
    char *json = NULL;
    size_t len = 0;
    sf_status st = story ? sf_store_story_json(s, id, &json, &len)
                         : sf_store_article_json(s, id, &json, &len);
    if (st == SF_END)
        return send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no %s with id %s",
                          story ? "story" : "article", id);
    if (st != SF_OK)
        return store_error(c, st);
    buf b = {json, len, len + 1, false};
    return send_buf(c, MHD_HTTP_OK, "application/json", &b);
}

/* The base of links in feeds: http://HOST from the request. */
static void base_url(struct MHD_Connection *c, char *out, size_t cap)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!host || strpbrk(host, "\"<>& /\\"))
        host = "localhost";
    snprintf(out, cap, "http://%s", host);
}

typedef struct feed {
    buf *b;
    size_t n;
    bool rss;
    const char *base;
} feed;

static int add_feed_item(void *ctx, const char *json, size_t len)
{
    feed *f = ctx;
    json_t *v = json_loadb(json, len, 0, NULL);
    if (!v)
        return 1;
    const char *id = json_string_value(json_object_get(v, "id"));
    const char *head = json_string_value(json_object_get(v, "headline"));
    const char *updated = json_string_value(json_object_get(v, "updated"));
    const char *first = json_string_value(json_object_get(v, "first_seen"));
    long long sources = (long long)json_integer_value(json_object_get(v, "sources"));
    if (!id || !head || !updated || !first) {
        json_decref(v);
        return 1;
    }
    char summary[64];
    snprintf(summary, sizeof summary, "%lld source%s", sources, sources == 1 ? "" : "s");
    if (f->rss) {
        /* RSS dates are RFC 822 */
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        char date[64] = "";
        if (sscanf(updated, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            time_t t = timegm(&tm);
            gmtime_r(&t, &tm); /* fills the weekday */
            strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
        }
        buf_puts(f->b, "<item><title>");
        buf_xml(f->b, head);
        buf_printf(f->b, "</title><link>%s/#/story/%s</link><guid isPermaLink=\"false\">%s</guid>",
                   f->base, id, id);
        buf_printf(f->b, "<description>%s</description><pubDate>%s</pubDate></item>\n", summary,
                   date);
    } else {
        char url[512];
        snprintf(url, sizeof url, "%s/#/story/%s", f->base, id);
        json_t *item = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", id, "url", url, "title", head,
                                 "content_text", summary, "date_published", first,
                                 "date_modified", updated);
        char *t = item ? json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(item);
        if (!t) {
            json_decref(v);
            return 1;
        }
        if (f->n)
            buf_puts(f->b, ",");
        buf_puts(f->b, t);
        free(t);
    }
    f->n++;
    json_decref(v);
    return f->b->failed;
}

static enum MHD_Result get_feed(struct MHD_Connection *c, sf_store *s, bool rss)
{
    char base[300];
    base_url(c, base, sizeof base);
    buf b = {0};
    feed f = {&b, 0, rss, base};
    if (rss)
        buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
                   "<title>storyfold</title><link>%s/</link>"
                   "<description>The newest stories</description>\n",
                   base);
    else
        buf_printf(&b,
                   "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"storyfold\","
                   "\"home_page_url\":\"%s/\",\"feed_url\":\"%s/feed.json\",\"items\":[",
                   base, base);
    sf_story_query q = {.limit = 50};
    sf_status st = sf_store_stories(s, &q, add_feed_item, &f);
    if (st != SF_OK) {
        free(b.p);
        return store_error(c, st);
    }
    buf_puts(&b, rss ? "</channel></rss>\n" : "]}");
    return send_buf(c, MHD_HTTP_OK,
                    rss ? "application/rss+xml; charset=utf-8" : "application/feed+json", &b);
}

static enum MHD_Result get_health(struct MHD_Connection *c, sf_store *s)
{
    sf_store_stats st;
    if (!s || sf_store_stats_get(s, &st) != SF_OK)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store", "the store cannot be read");
    pthread_mutex_lock(&W.lock);
    unsigned long long batches = W.batches, written = W.articles;
    pthread_mutex_unlock(&W.lock);
    buf b = {0};
    buf_printf(&b,
               "{\"status\":\"ok\",\"version\":\"%s\",\"schema\":%d,\"articles\":%llu,"
               "\"stories\":%llu,\"last_added\":\"%s\",\"write_batches\":%llu,"
               "\"articles_posted\":%llu}",
               sf_version(), st.schema, (unsigned long long)st.articles,
               (unsigned long long)st.stories, st.last_added, batches, written);
    return send_buf(c, MHD_HTTP_OK, "application/json", &b);
}

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    return "application/octet-stream";
}

static enum MHD_Result get_static(struct MHD_Connection *c, const char *url)
{
    const char *name = strcmp(url, "/") == 0 ? "index.html" : url + 1;
    size_t len;
    const char *data = strstr(name, "..") ? NULL : sf_web_get(name, &len);
    if (!data)
        return send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page: %s", url);
    return send_bytes(c, MHD_HTTP_OK, content_type(name), data, len, false);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    request *rq = *con_cls;
    bool post = strcmp(method, "POST") == 0;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &rq->start);
        *con_cls = rq;
        if (post && strcmp(url, "/articles") == 0) {
            /* refuse a body announced too large before reading it */
            const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
            if (cl && strtoull(cl, NULL, 10) > S.max_body) {
                rq->refused = true;
                return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large",
                                  "the body is larger than %zu bytes", S.max_body);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* libmicrohttpd takes a response only before the body or after all
         * of it: a body over the limit is read and dropped, then refused
         * with 413; one that takes too long is cut off (connection closed). */
        size_t n = *upload_size;
        *upload_size = 0;
        if (seconds_since(&rq->start) > S.body_seconds)
            return MHD_NO;
        if (rq->refused || !post || strcmp(url, "/articles") != 0)
            return MHD_YES;
        if (rq->body.n + n > S.max_body) {
            rq->too_big = true;
            rq->refused = true;
            free(rq->body.p);
            memset(&rq->body, 0, sizeof rq->body);
            return MHD_YES;
        }
        buf_add(&rq->body, upload, n);
        return MHD_YES;
    }
    if (rq->too_big) {
        rq->too_big = false;
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large",
                          "the body is larger than %zu bytes", S.max_body);
    }
    if (rq->refused)
        return MHD_YES;

    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strcmp(url, "/articles") == 0) {
        if (post)
            return post_articles(c, rq);
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "POST articles here");
    }
    if (!get)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "%s is not allowed on %s",
                          method, url);
    bool api = strcmp(url, "/stories") == 0 || strncmp(url, "/stories/", 9) == 0 ||
               strncmp(url, "/articles/", 10) == 0 || strcmp(url, "/health") == 0 ||
               strcmp(url, "/feed.json") == 0 || strcmp(url, "/feed.rss") == 0;
    if (!api)
        return get_static(c, url);
    sf_store *s = reader_get();
    enum MHD_Result r;
    if (strcmp(url, "/health") == 0)
        r = get_health(c, s);
    else if (!s)
        r = send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store", "the store cannot be opened");
    else if (strcmp(url, "/stories") == 0)
        r = get_stories(c, s);
    else if (strncmp(url, "/stories/", 9) == 0 && url[9])
        r = get_one(c, s, url + 9, true);
    else if (strncmp(url, "/articles/", 10) == 0 && url[10])
        r = get_one(c, s, url + 10, false);
    else if (strcmp(url, "/feed.json") == 0)
        r = get_feed(c, s, false);
    else if (strcmp(url, "/feed.rss") == 0)
        r = get_feed(c, s, true);
    else
        r = send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such resource: %s", url);
    reader_put(s);
    return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body.p);
        free(rq);
    }
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* Main                                                                */
/* ------------------------------------------------------------------ */

static bool parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return false;
    if (*end == 'k' || *end == 'K')
        v <<= 10, end++;
    else if (*end == 'm' || *end == 'M')
        v <<= 20, end++;
    if (*end || v > max)
        return false;
    *out = v;
    return true;
}

static int parse_serve(int argc, char **argv)
{
    memset(&S, 0, sizeof S);
    S.host = "127.0.0.1";
    S.port = 8080;
    S.max_body = (size_t)16 << 20;
    S.max_line = (size_t)1 << 20;
    S.max_connections = 256;
    S.timeout = 15;
    S.body_seconds = 30;
    S.max_batch = 20000;
    sf_store_options_default(&S.opt);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            fputs(serve_usage, stdout);
            return EXIT_OK;
        }
        if (!v) {
            fprintf(stderr, "storyfold: serve: %s needs a value (or is unknown)\n%s", o,
                    serve_usage);
            return EXIT_INPUT;
        }
        i++;
        unsigned long long x = 0;
        bool ok = true;
        if (strcmp(o, "--db") == 0)
            S.db = v;
        else if (strcmp(o, "--host") == 0)
            S.host = v;
        else if (strcmp(o, "--port") == 0)
            ok = parse_num(v, 65535, &x) && ((S.port = (unsigned)x), true);
        else if (strcmp(o, "--max-body") == 0)
            ok = parse_num(v, (size_t)1 << 31, &x) && x > 0 && ((S.max_body = x), true);
        else if (strcmp(o, "--max-line") == 0)
            ok = parse_num(v, (size_t)1 << 31, &x) && x > 0 && ((S.max_line = x), true);
        else if (strcmp(o, "--max-connections") == 0)
            ok = parse_num(v, 10000, &x) && x > 0 && ((S.max_connections = (unsigned)x), true);
        else if (strcmp(o, "--timeout") == 0)
            ok = parse_num(v, 3600, &x) && x > 0 && ((S.timeout = (unsigned)x), true);
        else if (strcmp(o, "--body-seconds") == 0)
            ok = parse_num(v, 3600, &x) && x > 0 && ((S.body_seconds = (unsigned)x), true);
        else if (strcmp(o, "--threads") == 0)
            ok = parse_num(v, 64, &x) && ((S.opt.threads = (unsigned)x), true);
        else if (strcmp(o, "--refold-growth") == 0) {
            char *end;
            double g = strtod(v, &end);
            ok = end != v && !*end && g >= 0 && g <= 1000 && ((S.opt.refold_growth = g), true);
        }
        else {
            fprintf(stderr, "storyfold: serve: unknown option %s\n%s", o, serve_usage);
            return EXIT_INPUT;
        }
        if (!ok) {
            fprintf(stderr, "storyfold: serve: bad value for %s: %s\n", o, v);
            return EXIT_INPUT;
        }
    }
    if (!S.db) {
        fprintf(stderr, "storyfold: serve needs --db FILE\n%s", serve_usage);
        return EXIT_INPUT;
    }
    return -1;
}

/* The writer's store reports what it worked around (corrupt saved
 * features) on standard error. */
static void print_warning(void *ctx, const char *message)
{
    fprintf(stderr, "storyfold: %s: %s\n", (const char *)ctx, message);
}

int sf_serve_main(int argc, char **argv)
{
    int rc = parse_serve(argc, argv);
    if (rc >= 0)
        return rc;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)S.port);
    if (inet_pton(AF_INET, S.host, &addr.sin_addr) != 1) {
        fprintf(stderr, "storyfold: serve: --host wants an IPv4 address, not %s\n", S.host);
        return EXIT_INPUT;
    }
    sf_error err;
    memset(&err, 0, sizeof err);
    W.store = sf_store_open(S.db, &S.opt, &err);
    if (!W.store) {
        fprintf(stderr, "storyfold: %s: %s\n", S.db, err.message);
        return EXIT_INPUT;
    }
    sf_store_set_warnings(W.store, print_warning, (void *)S.db);
    /* the signals are taken by sigwait below; every thread inherits the mask */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    checkpointer_start();
    if (pthread_create(&W.thread, NULL, writer_main, NULL) != 0) {
        fprintf(stderr, "storyfold: serve: cannot start the writer\n");
        checkpointer_stop();
        sf_store_close(W.store);
        return EXIT_INTERNAL;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)S.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)S.timeout, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "storyfold: serve: cannot listen on %s:%u\n", S.host, S.port);
        rc = EXIT_INPUT;
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        printf("listening on http://%s:%u/\n", S.host, info ? info->port : S.port);
        fflush(stdout);
        int sig = 0;
        sigwait(&sigs, &sig);
        fprintf(stderr, "storyfold: serve: %s, shutting down\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT");
        /* stop accepting, then let the requests under way finish */
        MHD_socket ls = MHD_quiesce_daemon(d);
        if (ls != MHD_INVALID_SOCKET)
            close(ls);
        MHD_stop_daemon(d);
        rc = EXIT_OK;
    }
    pthread_mutex_lock(&W.lock);
    W.stop = true;
    pthread_cond_broadcast(&W.wake);
    pthread_mutex_unlock(&W.lock);
    pthread_join(W.thread, NULL);
    checkpointer_stop();
    sf_store_close(W.store);
    pool_close();
    return rc;
}
