/*
 * engine.c — adding articles to an engine: clean each page, then compute
 * what the fold needs (copy signature, content terms, date) and keep it.
 */
#include "clean.h"
#include "engine.h"
#include "facts.h"

#include <errno.h>
#include <utf8proc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/uio.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Weights of a term occurrence by where it stands (docs/ALGORITHMS.md).
 * Whole numbers: a term's count is kept as a 16-bit integer. A change to
 * what sf_doc_features computes from a clean text (here, or in the
 * tokeniser it uses) must bump SF_FEATURES_VERSION (engine.h): stores
 * keep features and would otherwise go on using the old ones. */
#define W_BODY 1.0f
#ifndef W_TITLE
#define W_TITLE 2.0f     /* a word of the headline */
#endif
#ifndef W_NAME
#define W_NAME 3.0f      /* factor for a capitalised word inside a sentence */
#endif
#ifndef W_LEAD
#define W_LEAD 2.0f      /* factor for a word among the first LEAD_WORDS */
#endif
#ifndef LEAD_WORDS
#define LEAD_WORDS 50
#define PLACE_WORDS 5    /* the longest run of words read as a place name */
#endif

void sf_options_default(sf_options *opt)
{
    opt->copy_threshold = 0.7;
    opt->event_threshold = 0.09;
    opt->related_threshold = 0.06;
    opt->shingle_words = 5;
    opt->threads = 0;
    opt->refold_growth = 0;
}

bool sf_worker_init(sf_worker *w)
{
    memset(w, 0, sizeof *w);
    w->spill_fd = -1;
    sf_buf_init(&w->page, 0);
    sf_arena_init(&w->strings, 1 << 20);
    w->text = sf_text_new();
    return w->text != NULL;
}

void sf_worker_free(sf_worker *w)
{
    sf_text_free(w->text);
    sf_arena_free(&w->strings);
    free(w->words);
    free(w->tscratch);
    free(w->tsorted);
    free(w->tslot);
    free(w->names);
    free(w->pend);
    free(w->pend_count);
    free(w->pend_sketch);
    sf_buf_free(&w->page);
    if (w->spill_fd >= 0)
        close(w->spill_fd);
    memset(w, 0, sizeof *w);
    w->spill_fd = -1;
}

/* ---- texts spilled to disk ------------------------------------------------ */

/* Makes an unlinked temporary file in dir: it is gone when closed, on
 * every way out of the process. Returns its descriptor or -1 (errno). */
static int open_spill(const char *dir)
{
    size_t n = strlen(dir);
    char *path = malloc(n + 32);
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(path, n + 32, "%s/storyfold-texts-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd >= 0 && unlink(path) != 0) {
        int err = errno;
        close(fd);
        unlink(path);
        errno = err;
        fd = -1;
    }
    free(path);
    return fd;
}

/* Gives worker w its spill file if the engine spills. */
static bool worker_spill(const sf_engine *e, sf_worker *w)
{
    if (!e->spill_dir || w->spill_fd >= 0)
        return true;
    w->spill_fd = open_spill(e->spill_dir);
    w->spill_off = 0;
    return w->spill_fd >= 0;
}

sf_status sf_engine_spill(sf_engine *e, const char *dir)
{
    if (!e)
        return SF_EINVAL;
    if (e->spill_dir)
        return SF_OK;
    if (!dir || !*dir) {
        dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
    }
    if (!e->info_buf && (e->info_buf = malloc(sizeof *e->info_buf)))
        sf_buf_init(e->info_buf, 0);
    if (!e->article_buf && (e->article_buf = malloc(sizeof *e->article_buf)))
        sf_buf_init(e->article_buf, 0);
    if (!e->info_buf || !e->article_buf || !(e->spill_dir = sf_strndup(dir, strlen(dir))))
        return SF_ENOMEM;
    /* all or nothing: the terms' file and one per worker */
    sf_status st = SF_OK;
    if ((e->terms_fd = open_spill(dir)) < 0)
        st = SF_EIO;
    e->terms_end = 0;
    for (unsigned i = 0; i < e->nworkers && st == SF_OK; i++)
        if (!worker_spill(e, &e->workers[i]))
            st = SF_EIO;
    if (st != SF_OK) {
        int err = errno;
        for (unsigned i = 0; i < e->nworkers; i++)
            if (e->workers[i].spill_fd >= 0) {
                close(e->workers[i].spill_fd);
                e->workers[i].spill_fd = -1;
            }
        if (e->terms_fd >= 0)
            close(e->terms_fd);
        e->terms_fd = -1;
        free(e->spill_dir);
        e->spill_dir = NULL;
        errno = err;
    }
    return st;
}

int sf_engine_temp_file(const sf_engine *e)
{
    if (!e->spill_dir) {
        errno = EINVAL;
        return -1;
    }
    return open_spill(e->spill_dir);
}

/* Writes n bytes at off of fd (all of them, or false). */
bool sf_write_at(int fd, const void *p, size_t n, uint64_t off)
{
    const char *s = p;
    size_t done = 0;
    while (done < n) {
        ssize_t k = pwrite(fd, s + done, n - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        done += (size_t)k;
    }
    return true;
}

/* Reads n bytes at off of fd (all of them, or false). */
bool sf_read_at(int fd, void *p, size_t n, uint64_t off)
{
    char *s = p;
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(fd, s + done, n - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        done += (size_t)k;
    }
    return true;
}

/* Where a spilled doc's signature is: after its ids and counts, 4-byte
 * aligned; the record is padded to 8 bytes. */
static size_t sketch_at(uint32_t nterms) { return ((size_t)nterms * 6 + 3) & ~(size_t)3; }
static size_t record_bytes(uint32_t nterms)
{
    return (sketch_at(nterms) + sizeof(sf_sketch) + 7) & ~(size_t)7;
}

const sf_sketch *sf_doc_sketch(const sf_engine *e, const sf_doc *d, sf_sketch *tmp)
{
    if (d->sketch)
        return d->sketch;
    return sf_read_at(e->terms_fd, tmp, sizeof *tmp, d->terms_off + sketch_at(d->nterms)) ? tmp
                                                                                        : NULL;
}

#define TERMS_HEAD 16                 /* 8-byte aligned: records are */
#define TERMS_AHEAD ((size_t)128 << 10)

/* need bytes of the terms file at off, from the stretch buf holds: its
 * offset and length (a header of TERMS_HEAD bytes), then its bytes. The
 * passes read docs in order, so bytes missing from it start the next
 * stretch, read ahead to TERMS_AHEAD bytes: one read for many docs
 * instead of one each. NULL and *st if out of memory or unreadable. */
static const char *terms_stretch(const sf_engine *e, sf_buf *buf, uint64_t off, size_t need,
                                 sf_status *st)
{
    uint64_t head[2] = {0, 0};
    if (buf->len >= TERMS_HEAD)
        memcpy(head, buf->data, sizeof head);
    if (buf->len < TERMS_HEAD || off < head[0] || off + need > head[0] + head[1]) {
        uint64_t left = e->terms_end > off ? e->terms_end - off : 0;
        size_t n = left < TERMS_AHEAD ? (size_t)left : TERMS_AHEAD;
        if (n < need)
            n = need;
        buf->len = 0;
        if (!sf_buf_reserve(buf, TERMS_HEAD + n)) {
            *st = SF_ENOMEM;
            return NULL;
        }
        if (!sf_read_at(e->terms_fd, buf->data + TERMS_HEAD, n, off)) {
            *st = SF_EIO;
            return NULL;
        }
        head[0] = off;
        head[1] = n;
        memcpy(buf->data, head, sizeof head);
        buf->len = TERMS_HEAD + n;
    }
    return buf->data + TERMS_HEAD + (off - head[0]);
}

const sf_sketch *sf_doc_sketch_in(const sf_engine *e, const sf_doc *d, sf_buf *buf,
                                  sf_sketch *tmp)
{
    if (d->sketch)
        return d->sketch;
    sf_status st;
    const char *r = terms_stretch(e, buf, d->terms_off + sketch_at(d->nterms), sizeof *tmp, &st);
    if (!r)
        return NULL;
    memcpy(tmp, r, sizeof *tmp);
    return tmp;
}

sf_status sf_doc_terms(const sf_engine *e, const sf_doc *d, sf_buf *buf, const uint32_t **id,
                       const uint16_t **count)
{
    if (d->term_id || d->nterms == 0) {
        *id = d->term_id;
        *count = d->term_count;
        return SF_OK;
    }
    size_t m = d->nterms;
    sf_status st;
    const char *r = terms_stretch(e, buf, d->terms_off, m * 6, &st);
    if (!r)
        return st;
    *id = (const uint32_t *)(const void *)r;
    *count = (const uint16_t *)(const void *)(r + m * 4);
    return SF_OK;
}

/* The strings of a spilled doc's record m[0..len), NUL-terminated at
 * m[len]: four NUL-terminated strings; a damaged record leaves the rest
 * as they were (""). */
static void split_meta(const char *m, size_t len, sf_doc_strings *out)
{
    const char **to[4] = {&out->title, &out->url, &out->source, &out->date};
    size_t at = 0;
    for (int k = 0; k < 4 && at < len; k++) {
        *to[k] = m + at;
        at += strlen(m + at) + 1;
    }
}

sf_status sf_doc_strings_get(const sf_engine *e, const sf_doc *d, sf_buf *buf,
                             sf_doc_strings *out)
{
    out->title = out->url = out->source = out->date = "";
    if (d->title) {
        out->title = d->title;
        out->url = d->url;
        out->source = d->source;
        out->date = d->date;
        return SF_OK;
    }
    if (!buf || !sf_buf_reserve(buf, d->meta_len + 1))
        return SF_ENOMEM;
    if (!sf_read_at(e->workers[d->text_file].spill_fd, buf->data, d->meta_len,
                    d->text_off - d->meta_len))
        return SF_EIO;
    buf->data[d->meta_len] = '\0';
    buf->len = d->meta_len;
    split_meta(buf->data, d->meta_len, out);
    return SF_OK;
}

sf_status sf_story_doc_strings(const sf_engine *e, const sf_story_texts *x, uint32_t i,
                               sf_buf *buf, sf_doc_strings *out)
{
    const sf_doc *d = &e->docs[i];
    for (size_t k = 0; k < x->n && !d->title; k++)
        /* its record ends its last string: each strlen stops inside */
        if (x->doc[k] == i && d->meta_len && x->meta[k][d->meta_len - 1] == '\0') {
            out->title = out->url = out->source = out->date = "";
            split_meta(x->meta[k], d->meta_len, out);
            return SF_OK;
        }
    return sf_doc_strings_get(e, d, buf, out);
}

/* Appends a[0..na) and then b[0..nb) to w's spill file, in one call
 * unless it writes less; *b_off gets where b begins. */
static bool spill_two(sf_worker *w, const char *a, size_t na, const char *b, size_t nb,
                      uint64_t *b_off)
{
    struct iovec iov[2] = {{(void *)(uintptr_t)a, na}, {(void *)(uintptr_t)b, nb}};
    uint64_t off = w->spill_off;
    ssize_t k;
    do
        k = pwritev(w->spill_fd, iov, 2, (off_t)off);
    while (k < 0 && errno == EINTR);
    if (k < 0)
        return false;
    size_t done = (size_t)k, db = done > na ? done - na : 0;
    if (done < na && !sf_write_at(w->spill_fd, a + done, na - done, off + done))
        return false;
    if (db < nb && !sf_write_at(w->spill_fd, b + db, nb - db, off + na + db))
        return false;
    *b_off = off + na;
    w->spill_off = off + na + nb;
    return true;
}

/* Reads doc d's spilled strings and text into out (d->meta_len +
 * d->text_len bytes: they are one after the other). */
static bool read_spilled(const sf_engine *e, const sf_doc *d, char *out)
{
    return sf_read_at(e->workers[d->text_file].spill_fd, out, d->meta_len + d->text_len,
                      d->text_off - d->meta_len);
}

static bool texts_want(const sf_story_texts *x, uint32_t i)
{
    for (size_t k = 0; k < x->n; k++)
        if (x->doc[k] == i)
            return false;
    return true;
}

sf_status sf_story_texts_load(const sf_engine *e, const sf_story *s, sf_story_texts *x)
{
    x->n = 0;
    x->buf = NULL;
    /* which: the representative, then the members facts are read from */
    size_t bytes = 0;
    const uint32_t *mem = e->members + s->first;
    for (uint32_t k = 0; k <= s->count && k <= SF_MEMBERS_READ; k++) {
        uint32_t i = k == 0 ? s->rep : mem[k - 1];
        const sf_doc *d = &e->docs[i];
        if (d->text || (k > 0 && d->copy_of != SF_NONE) || !texts_want(x, i))
            continue;
        x->doc[x->n++] = i;
        bytes += (size_t)d->meta_len + d->text_len + 1;
    }
    if (x->n == 0)
        return SF_OK;
    if (!(x->buf = malloc(bytes)))
        return SF_ENOMEM;
    char *p = x->buf;
    for (size_t k = 0; k < x->n; k++) {
        const sf_doc *d = &e->docs[x->doc[k]];
        if (!read_spilled(e, d, p))
            return SF_EIO;
        x->meta[k] = p;
        p += d->meta_len;
        p[d->text_len] = '\0';
        x->text[k] = p;
        p += d->text_len + 1;
    }
    return SF_OK;
}

const char *sf_story_text(const sf_engine *e, const sf_story_texts *x, uint32_t i, size_t *len)
{
    const sf_doc *d = &e->docs[i];
    *len = d->text_len;
    if (d->text)
        return d->text;
    for (size_t k = 0; k < x->n; k++)
        if (x->doc[k] == i)
            return x->text[k];
    *len = 0;
    return "";
}

sf_status sf_doc_text_get(const sf_engine *e, const sf_doc *d, sf_buf *buf, const char **text,
                          size_t *len)
{
    *text = "";
    *len = 0;
    if (d->text) {
        *text = d->text;
        *len = d->text_len;
        return SF_OK;
    }
    if (!d->text_len)
        return SF_OK;
    if (!sf_buf_reserve(buf, d->text_len + 1))
        return SF_ENOMEM;
    if (!sf_read_at(e->workers[d->text_file].spill_fd, buf->data, d->text_len, d->text_off))
        return SF_EIO;
    buf->data[d->text_len] = '\0';
    buf->len = d->text_len;
    *text = buf->data;
    *len = d->text_len;
    return SF_OK;
}

void sf_story_texts_free(sf_story_texts *x)
{
    free(x->buf);
    x->buf = NULL;
    x->n = 0;
}

sf_engine *sf_engine_new(const sf_options *opt)
{
    sf_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (opt)
        e->opt = *opt;
    else
        sf_options_default(&e->opt);
    if (e->opt.shingle_words == 0)
        e->opt.shingle_words = 5;
    if (e->opt.threads > SF_MAX_THREADS)
        e->opt.threads = SF_MAX_THREADS;
    e->terms_fd = -1;
    sf_buf_init(&e->terms_out, 0);
    e->head_buf = malloc(sizeof *e->head_buf);
    e->head_text = malloc(sizeof *e->head_text);
    if (e->head_buf)
        sf_buf_init(e->head_buf, 0);
    if (e->head_text)
        sf_buf_init(e->head_text, 0);
    if (!e->head_buf || !e->head_text || !sf_worker_init(&e->workers[0])) {
        sf_worker_free(&e->workers[0]);
        free(e->head_buf);
        free(e->head_text);
        free(e);
        return NULL;
    }
    e->nworkers = 1;
    return e;
}

void sf_engine_free(sf_engine *e)
{
    if (!e)
        return;
    sf_fold_clear(e);
    sf_fold_drop_index(e);
    sf_fold_drop_similarity(e);
    free(e->gone);
    for (unsigned i = 0; i < e->nworkers; i++)
        sf_worker_free(&e->workers[i]);
    for (size_t i = 0; i < e->n; i++)
        sf_doc_facts_free(&e->docs[i]);
    free(e->docs);
    for (int k = 0; k < 4; k++) {
        sf_buf *b = k == 0 ? e->info_buf : k == 1 ? e->article_buf : k == 2 ? e->head_buf
                                                                           : e->head_text;
        if (b)
            sf_buf_free(b);
        free(b);
    }
    free(e->spill_dir);
    if (e->terms_fd >= 0)
        close(e->terms_fd);
    sf_buf_free(&e->terms_out);
    sf_dict_free(&e->dict);
    free(e);
}

size_t sf_engine_article_count(const sf_engine *e)
{
    return e ? e->n : 0;
}

const char *sf_engine_article_id(const sf_engine *e, size_t i)
{
    return e && i < e->n ? e->docs[i].id : NULL;
}

void sf_engine_stats_get(const sf_engine *e, sf_engine_stats *out)
{
    *out = e->stats;
    out->articles = e->n;
    out->clean_seconds = 0;
    out->feature_seconds = 0;
    for (unsigned i = 0; i < e->nworkers; i++) {
        out->clean_seconds += e->workers[i].clean_seconds;
        out->feature_seconds += e->workers[i].feature_seconds;
    }
}

/* ---- dates ------------------------------------------------------------ */

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int32_t sf_parse_day(const char *s, size_t len)
{
    if (!s || len < 10 || s[4] != '-' || s[7] != '-')
        return SF_NO_DAY;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
        return SF_NO_DAY;
    return sf_days_from_civil(y, m, d);
}

/* "YYYY-MM-DD" of a day number (inverse of sf_parse_day); "" if none. */
void sf_format_day(int32_t day, char out[16])
{
    if (day == SF_NO_DAY) {
        out[0] = '\0';
        return;
    }
    int32_t y, m, d;
    sf_civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", (int)(y % 10000), (int)(m % 100), (int)(d % 100));
}

/* ---- the dictionary of terms ------------------------------------------ */

static size_t dict_home(const sf_dict *d, uint64_t h)
{
    return (size_t)((h * 0x9e3779b97f4a7c15ULL) >> 32) & d->mask;
}

uint32_t sf_dict_find(const sf_dict *d, uint64_t h)
{
    if (!d->slot)
        return SF_NONE;
    for (size_t i = dict_home(d, h);; i = (i + 1) & d->mask) {
        if (!d->slot[i].id)
            return SF_NONE;
        if (d->slot[i].key == h)
            return d->slot[i].id - 1;
    }
}

static bool dict_grow(sf_dict *d)
{
    size_t cap = d->slot ? (d->mask + 1) * 2 : 4096;
    sf_dict_slot *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return false;
    sf_dict nd = {.slot = slot, .mask = cap - 1};
    for (size_t i = 0; d->slot && i <= d->mask; i++) {
        if (!d->slot[i].id)
            continue;
        size_t j = dict_home(&nd, d->slot[i].key);
        while (slot[j].id)
            j = (j + 1) & nd.mask;
        slot[j] = d->slot[i];
    }
    free(d->slot);
    d->slot = slot;
    d->mask = nd.mask;
    return true;
}

bool sf_dict_ready(sf_dict *d)
{
    if (d->slot || d->n == 0)
        return true;
    size_t cap = 4096;
    while (d->n * 4 > cap * 3)
        cap *= 2;
    sf_dict_slot *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return false;
    d->slot = slot;
    d->mask = cap - 1;
    for (size_t id = 0; id < d->n; id++) {
        size_t i = dict_home(d, d->hash[id]);
        while (slot[i].id)
            i = (i + 1) & d->mask;
        slot[i].key = d->hash[id];
        slot[i].id = (uint32_t)id + 1;
    }
    return true;
}

void sf_dict_drop_slots(sf_dict *d)
{
    free(d->slot);
    d->slot = NULL;
    d->mask = 0;
}

uint32_t sf_dict_add(sf_dict *d, uint64_t h)
{
    if (!sf_dict_ready(d))
        return SF_NONE;
    if (d->slot) {
        for (size_t i = dict_home(d, h); d->slot[i].id; i = (i + 1) & d->mask)
            if (d->slot[i].key == h)
                return d->slot[i].id - 1;
    }
    if (d->n >= SF_NONE - 1 || !SF_GROW(d->hash, d->cap, d->n + 1))
        return SF_NONE;
    /* at most three quarters full: most lookups find their term, in a
     * probe or two */
    if ((!d->slot || (d->n + 1) * 4 > (d->mask + 1) * 3) && !dict_grow(d))
        return SF_NONE;
    size_t i = dict_home(d, h);
    while (d->slot[i].id)
        i = (i + 1) & d->mask;
    d->slot[i].key = h;
    d->slot[i].id = (uint32_t)d->n + 1;
    d->hash[d->n] = h;
    return (uint32_t)d->n++;
}

void sf_dict_free(sf_dict *d)
{
    free(d->hash);
    free(d->slot);
    memset(d, 0, sizeof *d);
}

bool sf_dict_number(sf_dict *dict, const uint64_t *hash, const uint16_t *count, uint32_t m,
                    uint64_t *tmp)
{
    for (uint32_t t = 0; t < m; t++) {
        uint32_t k = sf_dict_add(dict, hash[t]);
        if (k == SF_NONE)
            return false;
        tmp[t] = (uint64_t)k << 16 | count[t];
    }
    sf_sort_u64(tmp, m);
    return true;
}

void sf_terms_unpack(const uint64_t *tmp, uint32_t m, uint32_t *id, uint16_t *count)
{
    for (uint32_t t = 0; t < m; t++) {
        id[t] = (uint32_t)(tmp[t] >> 16);
        count[t] = (uint16_t)tmp[t];
    }
}

/* ---- features --------------------------------------------------------- */

typedef struct collect {
    sf_worker *w;
    float weight;       /* base weight of a term occurrence */
    bool body;          /* collecting the body (words for shingles, lead) */
    size_t nbody;       /* content words of the body seen so far */
    uint64_t prev_name; /* hash of the previous word if it was a name, else 0 */
    /* the capitalised span being read (see span_token) */
    bool span;          /* inside a span */
    bool span_dropped;  /* a leading stop word was dropped from it */
    bool span_first_sent; /* its first kept word starts a sentence */
    unsigned span_words;  /* kept words */
    uint64_t span_last;   /* hash of its last kept word */
    /* the run of capitalised words being read for places (place_token):
     * its words' byte ranges in text (PLACE_WORDS at most; more: no place) */
    const char *text;     /* the body being read */
    const uint64_t *place_first; /* sf_place_first_words() */
    size_t ntok;          /* body tokens read */
    unsigned pwords;      /* words in the run, 0 = none */
    unsigned pcaps;       /* of them up to its last capitalised one */
    bool plead;           /* the run started in the lead */
    bool plong;           /* the run went on past PLACE_WORDS words */
    size_t pw_start[PLACE_WORDS], pw_end[PLACE_WORDS];
    char pw_gap[PLACE_WORDS]; /* place_gap before each word */
    sf_doc *d;            /* the doc whose places are filled */
    bool oom;
} collect;

/* ---- places ------------------------------------------------------------ */

/* Lower-case words that may join the capitalised words of a place name
 * ("Rio de Janeiro", "Bosnia and Herzegovina"). (Words before a place name
 * that are not part of it, "Southern Iran": sf_place_qualifier.) */
typedef struct short_word {
    const char *s;
    size_t n;
} short_word;
#define SW(w) {w, sizeof(w) - 1}
static const short_word place_joiners[] = {SW("of"), SW("de"), SW("do"), SW("da"), SW("del"),
                                           SW("la"), SW("le"), SW("and"), SW("y"), SW("e"),
                                           SW("di"), SW("von"), SW("van"), SW("al"), SW("el")};
#undef SW

static bool word_in(const char *s, size_t n, const short_word *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].n == n && memcmp(list[i].s, s, n) == 0)
            return true;
    return false;
}

/* Appends s[0..n) in lower case to out (at most cap bytes in all, *len so
 * far); false if it does not fit. Letters above ASCII are lowered by
 * utf8proc, as the tokeniser's case folding does for the gazetteer's
 * names ("États" -> "états"). */
static bool lower_into(const char *s, size_t n, char *out, size_t cap, size_t *len)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            if (*len + 1 > cap)
                return false;
            out[(*len)++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            return false;
        if (*len + 4 > cap)
            return false;
        *len += (size_t)utf8proc_encode_char(utf8proc_tolower(c), (utf8proc_uint8_t *)out + *len);
        i += (size_t)k;
    }
    return true;
}

/* Adds country cc to the doc's lead (if lead) and to all it names. */
static void add_country(sf_doc *d, uint8_t cc, bool lead)
{
    for (int i = 0; lead && i < SF_DOC_LEAD_CC; i++) {
        if (d->lead_cc[i] == cc)
            break;
        if (!d->lead_cc[i]) {
            d->lead_cc[i] = cc;
            break;
        }
    }
    for (int i = 0; i < SF_DOC_ALL_CC; i++) {
        if (d->all_cc[i] == cc || d->all_cc[i] == SF_CC_MANY)
            return;
        if (!d->all_cc[i]) {
            d->all_cc[i] = cc;
            return;
        }
    }
    d->all_cc[SF_DOC_ALL_CC - 1] = SF_CC_MANY;
}

/* Ends the run of capitalised words: when its words (without joiners at
 * its end) are a place the gazetteer knows, as a whole or after a leading
 * qualifier ("Southern Iran"), its country is the article's. A place must
 * be the whole run: "Bristol District Attorney", "Chief Wayne Jerman" name
 * no place. */
static void end_place(collect *c)
{
    unsigned n = c->pcaps;
    c->pwords = c->pcaps = 0;
    if (n == 0 || c->plong)
        return;
    /* most runs are people and organisations: their first word starts no
     * place name (a word with letters above ASCII is looked up whole) */
    const char *w = c->text + c->pw_start[0];
    size_t wl = c->pw_end[0] - c->pw_start[0];
    bool ascii = true;
    for (size_t i = 0; i < wl; i++)
        ascii = ascii && (unsigned char)w[i] < 0x80;
    uint32_t bit = sf_place_word_bit(w, wl);
    /* (an initial is looked up glued to the next one: "U.S." is "us") */
    if (ascii && wl > 1 && !((c->place_first[bit / 64] >> (bit % 64)) & 1))
        return;
    for (unsigned from = 0; from < 2 && from < n; from++) {
        char key[96];
        size_t len = 0;
        bool ok = true;
        for (unsigned i = from; i < n && ok; i++) {
            /* "U.S." is "us", "St. Louis" "st louis" */
            bool glue = i > from && c->pw_gap[i] == '.' &&
                        c->pw_end[i] - c->pw_start[i] == 1 &&
                        c->pw_end[i - 1] - c->pw_start[i - 1] == 1;
            if (i > from && !glue) {
                ok = len + 1 <= sizeof key;
                if (ok)
                    key[len++] = ' ';
            }
            ok = ok && lower_into(c->text + c->pw_start[i], c->pw_end[i] - c->pw_start[i], key,
                                  sizeof key, &len);
        }
        if (!ok)
            return;
        unsigned cc = sf_place_index(key, len);
        if (cc && cc < SF_CC_MANY) {
            add_country(c->d, (uint8_t)cc, c->plead);
            return;
        }
        /* else, after a leading qualifier, the rest may be the place */
        char q[16];
        size_t qn = 0, ql = c->pw_end[from] - c->pw_start[from];
        if (ql >= sizeof q || !lower_into(c->text + c->pw_start[from], ql, q, sizeof q, &qn) ||
            !sf_place_qualifier(q, qn))
            return;
    }
}

/* How the word before a run's next word is joined to it: 0 not (the run
 * ends), ' ' one space (or a hyphen: "États-Unis"), '.' an abbreviation's
 * point ("U.S.", "St. Louis"). */
static char place_gap(const collect *c, const sf_token *t)
{
    size_t end = c->pw_end[c->pwords - 1], gap = t->start - end;
    const char *g = c->text + end;
    if (gap == 1 && (g[0] == ' ' || g[0] == '-'))
        return ' ';
    /* an initial goes on only with another ("U.S. President": the run is
     * "U.S."); "St", "Mt", "Ft" with any word */
    size_t prev = end - c->pw_start[c->pwords - 1], next = t->end - t->start;
    if ((prev == 2 || (prev == 1 && next == 1)) &&
        ((gap == 1 && g[0] == '.') || (gap == 2 && g[0] == '.' && g[1] == ' ')))
        return '.';
    return 0;
}

/* Follows runs of capitalised words for places: capitalised words, and
 * joiners between them ("Rio de Janeiro"), one space, a hyphen or an
 * abbreviation's point apart; any other word or gap ends the run. */
static void place_token(collect *c, const sf_token *t)
{
    size_t idx = c->ntok++;
    bool cap = (t->flags & SF_TOK_CAPITAL) && !(t->flags & SF_TOK_NUMBER);
    if (c->pwords) {
        char gap = place_gap(c, t);
        bool joiner = !cap && gap == ' ' && t->end - t->start <= 3 && !(t->flags & SF_TOK_NUMBER) &&
                      word_in(c->text + t->start, t->end - t->start, place_joiners,
                              SF_ARRAY_LEN(place_joiners));
        if (gap && (cap || joiner)) {
            if (c->pwords == PLACE_WORDS) {
                c->plong = true;   /* longer than any place name */
                return;
            }
            c->pw_start[c->pwords] = t->start;
            c->pw_end[c->pwords] = t->end;
            c->pw_gap[c->pwords++] = gap;
            if (cap)
                c->pcaps = c->pwords;
            return;
        }
        end_place(c);
    }
    if (!cap)
        return;
    c->plead = idx < SF_PLACE_LEAD_WORDS;
    c->plong = false;
    c->pw_start[0] = t->start;
    c->pw_end[0] = t->end;
    c->pw_gap[0] = 0;
    c->pwords = c->pcaps = 1;
}

/* Counts one name key of the article, read as a name or as a lone word
 * starting a sentence. */
static bool count_name(sf_worker *w, uint64_t h, bool start)
{
    for (size_t i = 0; i < w->nnames; i++)
        if (w->names[i].hash == h) {
            if (start)
                w->names[i].starts++;
            else
                w->names[i].named++;
            return true;
        }
    if (!SF_GROW(w->names, w->names_cap, w->nnames + 1))
        return false;
    w->names[w->nnames].hash = h;
    w->names[w->nnames].named = start ? 0 : 1;
    w->names[w->nnames].starts = start ? 1 : 0;
    w->nnames++;
    return true;
}

/* Ends the current span: a span of two or more words counts its last
 * word ("Vincent Jackson" counts "jackson"); a single word counts as a
 * name unless it only starts a sentence ("The Chargers" counts "charger");
 * then it counts only if the article also names it elsewhere ("Police
 * said" nothing, "Williams was" after "Jamal Williams" counts). */
static bool end_span(collect *c)
{
    bool ok = true;
    if (c->span && c->span_words >= 1) {
        bool start = c->span_words == 1 && c->span_first_sent && !c->span_dropped;
        ok = count_name(c->w, c->span_last, start);
    }
    c->span = false;
    return ok;
}

/* Follows runs of capitalised words through the body. A run stops at a
 * word that is not capitalised, at a number, and before a word that
 * starts a sentence (which starts a new run). Leading stop words, month
 * and weekday names and one-letter words are dropped from a run. */
static bool span_token(collect *c, const sf_token *t, uint64_t h)
{
    bool cap = (t->flags & SF_TOK_CAPITAL) && !(t->flags & SF_TOK_NUMBER);
    bool sent = (t->flags & SF_TOK_SENTSTART) != 0;
    if (!cap || (sent && c->span))
        if (!end_span(c))
            return false;
    if (!cap)
        return true;
    if (!c->span) {
        c->span = true;
        c->span_dropped = false;
        c->span_words = 0;
    }
    bool weak = (t->flags & (SF_TOK_STOP | SF_TOK_CALENDAR)) || t->norm_len < 2;
    if (weak && c->span_words == 0) {
        c->span_dropped = true;
        return true;
    }
    if (c->span_words == 0)
        c->span_first_sent = sent;
    c->span_words++;
    c->span_last = h;
    return true;
}

/* A slot of the table that finds an article's terms among tscratch. */
struct sf_term_slot {
    uint32_t gen;   /* the article it belongs to (w->tgen), else empty */
    uint32_t idx;   /* index into tscratch */
};

static size_t term_slot_of(uint64_t hash, size_t mask) { return (size_t)(hash >> 20) & mask; }

/* Makes the term table hold twice the distinct terms so far, at least. */
static bool grow_term_table(sf_worker *w)
{
    size_t cap = w->tslot ? (w->tslot_mask + 1) * 2 : 1024;
    struct sf_term_slot *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t k = 0; k < w->ntscratch; k++) {
        size_t i = term_slot_of(w->tscratch[k].hash, cap - 1);
        while (t[i].gen)
            i = (i + 1) & (cap - 1);
        t[i].gen = 1;
        t[i].idx = (uint32_t)k;
    }
    free(w->tslot);
    w->tslot = t;
    w->tslot_mask = cap - 1;
    w->tgen = 1;
    return true;
}

/* Starts the terms of a new article. */
static void reset_terms(sf_worker *w)
{
    w->ntscratch = 0;
    if (++w->tgen == 0) { /* wrapped: every slot would look used */
        if (w->tslot)
            memset(w->tslot, 0, (w->tslot_mask + 1) * sizeof *w->tslot);
        w->tgen = 1;
    }
}

/* Adds an occurrence of a term: its weight goes to the term's count, in
 * the order the occurrences come (so sums do not depend on the table). */
static bool push_term(sf_worker *w, uint64_t hash, float weight)
{
    if (!w->tslot || (w->ntscratch + 1) * 2 > w->tslot_mask + 1)
        if (!grow_term_table(w))
            return false;
    size_t i = term_slot_of(hash, w->tslot_mask);
    while (w->tslot[i].gen == w->tgen) {
        sf_term *t = &w->tscratch[w->tslot[i].idx];
        if (t->hash == hash) {
            t->count += weight;
            return true;
        }
        i = (i + 1) & w->tslot_mask;
    }
    if (w->ntscratch == w->tscratch_cap) {
        size_t cap = w->tscratch_cap;
        if (!SF_GROW(w->tscratch, cap, w->ntscratch + 1))
            return false;
        sf_term *p = realloc(w->tsorted, cap * sizeof *p);
        if (!p)
            return false; /* tscratch is bigger than needed; harmless */
        w->tsorted = p;
        w->tscratch_cap = cap;
    }
    w->tslot[i].gen = w->tgen;
    w->tslot[i].idx = (uint32_t)w->ntscratch;
    w->tscratch[w->ntscratch].hash = hash;
    w->tscratch[w->ntscratch].count = weight;
    w->ntscratch++;
    return true;
}

static int on_token(void *ctx, const sf_token *t)
{
    collect *c = ctx;
    sf_worker *wk = c->w;
    uint64_t h = t->hash;
    unsigned flags = t->flags;
    if (c->body) {
        if (wk->nwords == wk->words_cap && !SF_GROW(wk->words, wk->words_cap, wk->nwords + 1)) {
            c->oom = true;
            return 1;
        }
        wk->words[wk->nwords++] = h;
        /* (outside a run, a word that cannot start one only counts) */
        if (c->pwords || (flags & (SF_TOK_CAPITAL | SF_TOK_NUMBER)) == SF_TOK_CAPITAL)
            place_token(c, t);
        else
            c->ntok++;
        /* (outside a span, a word that cannot start one changes nothing) */
        if ((c->span || ((flags & (SF_TOK_CAPITAL | SF_TOK_NUMBER)) == SF_TOK_CAPITAL)) &&
            !span_token(c, t, h)) {
            c->oom = true;
            return 1;
        }
    }
    /* Stop words, month and weekday names and one-letter words carry
     * nothing about the event (bigrams of scripts without spaces are two
     * characters and pass). */
    if ((flags & (SF_TOK_STOP | SF_TOK_CALENDAR)) ||
        (t->norm_len < 2 && !(flags & SF_TOK_NUMBER))) {
        c->prev_name = 0;
        return 0;
    }
    float w = c->weight;
    if (c->body && c->nbody++ < LEAD_WORDS)
        w *= W_LEAD;
    /* In a headline every word may be capitalised: names count only in
     * the body. */
    bool name = c->body && (flags & (SF_TOK_CAPITAL | SF_TOK_SENTSTART | SF_TOK_NUMBER)) ==
                               SF_TOK_CAPITAL;
    if (name)
        w *= W_NAME;
    if (!push_term(wk, h, w)) {
        c->oom = true;
        return 1;
    }
    /* Two names in a row ("Lei Jun", "Villa Rosales") also count as one. */
    if (name && c->prev_name) {
        uint64_t pair = sf_hash64(&c->prev_name, sizeof c->prev_name, h);
        if (!push_term(wk, pair, w)) {
            c->oom = true;
            return 1;
        }
    }
    c->prev_name = name ? h : 0;
    return 0;
}

/* Sorts the article's distinct terms by hash into tsorted: by their top
 * 8 bits (a counting pass), then insertion sort, which finds them nearly
 * in order. */
static void sort_terms(sf_worker *w)
{
    size_t n = w->ntscratch, start[257] = {0};
    sf_term *in = w->tscratch, *out = w->tsorted;
    for (size_t i = 0; i < n; i++)
        start[(in[i].hash >> 56) + 1]++;
    for (size_t b = 1; b <= 256; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        out[start[in[i].hash >> 56]++] = in[i];
    for (size_t i = 1; i < n; i++) {
        sf_term t = out[i];
        size_t j = i;
        while (j > 0 && out[j - 1].hash > t.hash) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = t;
    }
}

const char *sf_put_string(char **p, const char *s, size_t n)
{
    char *at = *p;
    if (n)
        memcpy(at, s, n);
    at[n] = '\0';
    *p = at + n + 1;
    return at;
}

/* Keeps what the fold and the story writer need of the article in one
 * block of the worker's arena: unless the worker spills, the signature,
 * room for the term ids and counts, the clean text; then the strings. The
 * terms, ascending by hash, go to w->pend and w->pend_count until the
 * engine numbers them; a spilling worker's signature to w->pend_sketch
 * (written after the terms) and its text to its file. */
static sf_status keep_doc(sf_worker *w, const sf_article *a, const char *title, size_t tlen,
                          const char *text, size_t xlen, const sf_sketch *sk, sf_doc *d)
{
    size_t m = w->ntscratch;
    if (m)
        sort_terms(w);
    bool spill = w->spill_fd >= 0;
    size_t len[5] = {a->id ? a->id_len : 0, title ? tlen : 0, a->url ? a->url_len : 0,
                     a->source ? a->source_len : 0, a->date ? a->date_len : 0};
    d->meta_len = 0;
    if (spill) {
        /* title, url, source and date, then the text */
        size_t ml = len[1] + len[2] + len[3] + len[4] + 4;
        if (ml > UINT32_MAX)
            return SF_EINVAL;
        char stack[1024], *meta = ml <= sizeof stack ? stack : malloc(ml), *q = meta;
        if (!meta)
            return SF_ENOMEM;
        sf_put_string(&q, title, len[1]);
        sf_put_string(&q, a->url, len[2]);
        sf_put_string(&q, a->source, len[3]);
        sf_put_string(&q, a->date, len[4]);
        bool ok = spill_two(w, meta, ml, text, xlen, &d->text_off);
        if (meta != stack)
            free(meta);
        if (!ok)
            return SF_EIO;
        d->meta_len = (uint32_t)ml;
    }
    if (w->npend + m > w->pend_cap) {
        size_t cap = w->pend_cap;
        if (!SF_GROW(w->pend, cap, w->npend + m))
            return SF_ENOMEM;
        uint16_t *c = realloc(w->pend_count, cap * sizeof *c);
        if (!c)
            return SF_ENOMEM; /* pend is bigger than needed; harmless */
        w->pend_count = c;
        w->pend_cap = cap;
    }
    if (spill && w->npend_sketch == w->pend_sketch_cap &&
        !SF_GROW(w->pend_sketch, w->pend_sketch_cap, w->npend_sketch + 1))
        return SF_ENOMEM;
    /* the signature and the terms, once numbered, go to the block or
     * (spilling) to disk; so do the strings but the id */
    size_t bytes = (spill ? 0 : sizeof *sk + m * (sizeof *d->term_id + sizeof *d->term_count) +
                                    xlen + 1) + (spill ? 1 : 5);
    for (int i = 0; i < 5; i++)
        bytes += spill && i > 0 ? 0 : len[i];
    char *block = sf_arena_alloc(&w->strings, bytes);
    if (!block)
        return SF_ENOMEM;
    /* (no terms: pend may still be NULL, and NULL + 0 is undefined) */
    for (size_t i = 0; i < m; i++) {
        w->pend[w->npend + i] = w->tsorted[i].hash;
        float c = w->tsorted[i].count;
        w->pend_count[w->npend + i] = c >= SF_TERM_COUNT_MAX ? SF_TERM_COUNT_MAX : (uint16_t)c;
    }
    w->npend += m;
    char *p = block;
    d->term_id = NULL;
    d->term_count = NULL;
    d->sketch = NULL;
    d->shingles = sk->shingles;
    if (spill) {
        w->pend_sketch[w->npend_sketch++] = *sk;
    } else {
        sf_sketch *ks = (sf_sketch *)(void *)block;
        *ks = *sk;
        d->sketch = ks;
        d->term_id = (uint32_t *)(void *)(ks + 1);
        d->term_count = (uint16_t *)(void *)(d->term_id + m);
        p = (char *)(d->term_count + m);
    }
    d->nterms = (uint32_t)m;
    d->id = sf_put_string(&p, a->id, len[0]);
    d->title = d->url = d->source = d->date = NULL;
    if (!spill) {
        d->title = sf_put_string(&p, title, len[1]);
        d->url = sf_put_string(&p, a->url, len[2]);
        d->source = sf_put_string(&p, a->source, len[3]);
        d->date = sf_put_string(&p, a->date, len[4]);
    }
    d->text = spill ? NULL : sf_put_string(&p, text, xlen);
    d->text_len = xlen;
    d->text_file = (uint8_t)w->index;
    return SF_OK;
}

/* ---- ages ---------------------------------------------------------------- */

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static bool word_is(const char *s, size_t len, size_t at, const char *w)
{
    size_t n = strlen(w);
    if (at + n > len)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[at + i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        if (ch != w[i])
            return false;
    }
    return true;
}

/* True if s[..end) ends with the word w (any case) and a space. */
static bool preceded_by(const char *s, size_t end, const char *w)
{
    size_t n = strlen(w);
    if (end < n + 1 || s[end - 1] != ' ')
        return false;
    size_t at = end - 1 - n;
    if (at > 0 && ((s[at - 1] | 32) >= 'a' && (s[at - 1] | 32) <= 'z'))
        return false;
    return word_is(s, end - 1, at, w);
}

/* The ages an article states, in the forms news writes them:
 * "33-year-old", "6 year old", "aged 25", "age of 16", and the apposition
 * "Jackson, 25, was". Values 1-109, at most SF_DOC_AGES distinct. */
static void collect_ages(const char *s, size_t len, uint8_t *ages)
{
    unsigned n = 0;
    for (size_t i = 0; i < len && n < SF_DOC_AGES; i++) {
        /* 8 bytes at a time to the next block with a digit: x ^ '0' puts
         * digits at 0-9, and a byte below 10 borrows into its top bit */
        for (uint64_t x; i + 8 <= len; i += 8) {
            memcpy(&x, s + i, 8);
            x ^= 0x3030303030303030ULL;
            if ((x - 0x0A0A0A0A0A0A0A0AULL) & ~x & 0x8080808080808080ULL)
                break;
        }
        if (!is_digit(s[i]) || (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.' ||
                                          ((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z'))))
            continue;
        size_t j = i;
        unsigned v = 0;
        while (j < len && is_digit(s[j]) && j - i < 4)
            v = v * 10 + (unsigned)(s[j++] - '0');
        if (j - i > 3 || (j < len && (is_digit(s[j]) || s[j] == '.')))
            continue;
        bool age = false;
        /* N-year-old, N year old, N-years-old, N yr old */
        if (j < len && (s[j] == '-' || s[j] == ' ')) {
            size_t k = j + 1;
            size_t unit = word_is(s, len, k, "years") ? 5 : word_is(s, len, k, "year") ? 4
                        : word_is(s, len, k, "yr") ? 2 : 0;
            if (unit && k + unit < len && (s[k + unit] == '-' || s[k + unit] == ' ') &&
                word_is(s, len, k + unit + 1, "old"))
                age = true;
        }
        /* aged N, age N, age of N */
        if (preceded_by(s, i, "aged") || preceded_by(s, i, "age") ||
            (i >= 3 && preceded_by(s, i, "of") && preceded_by(s, i - 3, "age")))
            age = true;
        /* ", N," after a name */
        if (j - i <= 2 && i >= 2 && s[i - 1] == ' ' && s[i - 2] == ',' && j < len && s[j] == ',')
            age = true;
        if (!age || v < 1 || v > 109)
            continue;
        bool seen = false;
        for (unsigned k = 0; k < n; k++)
            seen = seen || ages[k] == v;
        if (!seen)
            ages[n++] = (uint8_t)v;
        i = j;
    }
}

static uint32_t name_total(const sf_name_count *n)
{
    return n->named ? n->named + n->starts : 0;
}

static int cmp_name_count(const void *a, const void *b)
{
    const sf_name_count *x = a, *y = b;
    uint32_t p = name_total(x), q = name_total(y);
    if (p != q)
        return p > q ? -1 : 1;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* Keeps the names the article repeats, most repeated first. */
static void finish_names(sf_worker *w, sf_doc *d)
{
    /* only the repeated ones are sorted (most names are read once) */
    size_t m = 0;
    for (size_t i = 0; i < w->nnames; i++)
        if (name_total(&w->names[i]) >= SF_NAME_REPEATS)
            w->names[m++] = w->names[i];
    if (m > 1)
        qsort(w->names, m, sizeof *w->names, cmp_name_count);
    for (size_t i = 0; i < m && i < SF_DOC_NAMES; i++)
        d->names[i] = w->names[i].hash;
}

sf_status sf_doc_features(sf_worker *w, const sf_options *opt, const sf_article *a,
                          const char *title, size_t tlen, const char *text, size_t xlen,
                          const char *body, size_t blen, sf_lang lang, sf_doc *d)
{
    double t1 = sf_now();
    memset(d, 0, sizeof *d);
    sf_status st = SF_OK;
    if (!title)
        tlen = 0;
    if (!text)
        xlen = 0;
    d->day = sf_parse_day(a->date, a->date_len);
    /* the cleaner has judged the page's language by its stop words; a
     * script without stop-word lists is still told by its letters */
    d->lang = lang;
    if (d->lang == SF_LANG_UNKNOWN)
        d->lang = sf_lang_detect(text, xlen);
    d->copy_of = SF_NONE;
    d->story = SF_NONE;

    w->nwords = 0;
    reset_terms(w);
    w->nnames = 0;
    collect c = {.w = w, .weight = W_TITLE, .body = false};
    if (tlen)
        st = sf_tokenize(w->text, title, tlen, d->lang, SF_TOKENIZE_STEM, on_token, &c);
    c.weight = W_BODY;
    c.body = true;
    c.text = text;
    c.d = d;
    c.place_first = sf_place_first_words();
    if (st == SF_OK && !c.oom)
        st = sf_tokenize(w->text, text, xlen, d->lang, SF_TOKENIZE_STEM, on_token, &c);
    end_place(&c);
    if (st == SF_OK && !c.oom && !end_span(&c))
        c.oom = true;
    if (c.oom)
        return SF_ENOMEM;
    if (st != SF_OK)
        return st;
    finish_names(w, d);
    collect_ages(text, xlen, d->ages);
    d->exact = sf_hash64(w->words, w->nwords * sizeof *w->words, 0);
    sf_sketch sk;
    sf_sketch_build(w->words, w->nwords, opt->shingle_words, &sk);
    st = keep_doc(w, a, title, tlen, body ? body : "", body ? blen : 0, &sk, d);
    if (st != SF_OK)
        return st;
    w->feature_seconds += sf_now() - t1;
    return SF_OK;
}

/* Cleans one article and computes its features into *d. Everything d
 * points to lives in the worker's arena. */
static sf_status make_doc(sf_worker *w, const sf_options *opt, const sf_article *a,
                          sf_doc *d)
{
    if (!a || !a->text)
        return SF_EINVAL;
    double t0 = sf_now();
    sf_clean_result *cr = NULL;
    sf_status st = sf_clean(a, &cr);
    if (st != SF_OK)
        return st;
    w->clean_seconds += sf_now() - t0;
    size_t tlen, blen;
    const char *title = sf_clean_title(cr, &tlen);
    const char *body = sf_clean_text(cr, &blen);
    /* the features are read from the page's title line and the body, as
     * the page shows them; facts and stories quote the body */
    const char *text = body;
    size_t xlen = blen;
    if (sf_clean_title_line(cr)) {
        /* the kept lines in page order, the title's among them */
        sf_buf_clear(&w->page);
        for (size_t i = 0; i < sf_clean_line_count(cr); i++) {
            size_t len;
            int kept;
            const char *s = sf_clean_line(cr, i, NULL, &len, &kept, NULL);
            if (kept && ((w->page.len && !sf_buf_append(&w->page, "\n", 1)) ||
                         !sf_buf_append(&w->page, s, len))) {
                sf_clean_result_free(cr);
                return SF_ENOMEM;
            }
        }
        text = w->page.data ? w->page.data : "";
        xlen = w->page.len;
    }
    st = sf_doc_features(w, opt, a, title, tlen, text, xlen, body, blen,
                         sf_clean_result_lang(cr), d);
    sf_clean_result_free(cr);
    return st;
}

/* Numbers the terms of docs[0..n) whose status is SF_OK (input order:
 * ids do not depend on the threads): doc i's hashes and counts are at
 * pend[i] in its worker's pending terms. They go to the doc's block, or
 * when spilling, in one write to the terms' file. A doc that fails gets
 * its status. */
/* Numbering a batch's terms runs on all workers but for the terms the
 * dictionary does not know yet, which are given ids one thread, in input
 * order (so ids never depend on threads): first every term is looked up
 * (the dictionary read only), then the new ones are added, then each
 * article's ids are sorted and kept (spilling: its record written to the
 * terms file by the thread that made it, at an offset summed
 * beforehand). */
typedef struct numbering {
    sf_engine *e;
    sf_doc *docs;
    sf_status *st;
    const size_t *pend, *pend_sketch;
    const uint8_t *worker;
    uint32_t *ids;             /* every term's id, article after article */
    size_t *first;             /* article i's first in ids (n + 1) */
    size_t *rec_at;            /* article i's record in out */
    char *out;                 /* the batch's records when spilling */
} numbering;

static void number_find(void *ctx, sf_worker *w, size_t i)
{
    (void)w;
    numbering *nb = ctx;
    /* (an article without terms: its worker's pend may still be NULL) */
    if (nb->st[i] != SF_OK || nb->docs[i].nterms == 0)
        return;
    const sf_worker *dw = &nb->e->workers[nb->worker[i]];
    const uint64_t *hash = dw->pend + nb->pend[i];
    uint32_t *id = nb->ids + nb->first[i];
    for (uint32_t t = 0; t < nb->docs[i].nterms; t++)
        id[t] = sf_dict_find(&nb->e->dict, hash[t]);
}

static void number_write(void *ctx, sf_worker *w, size_t i)
{
    (void)w;
    numbering *nb = ctx;
    if (nb->st[i] != SF_OK)
        return;
    sf_doc *d = &nb->docs[i];
    const sf_worker *dw = &nb->e->workers[nb->worker[i]];
    uint32_t m = d->nterms;
    const uint16_t *count = m ? dw->pend_count + nb->pend[i] : NULL;
    const uint32_t *id = nb->ids + nb->first[i];
    uint64_t *tmp = malloc((m ? m : 1) * sizeof *tmp);
    if (!tmp) {
        nb->st[i] = SF_ENOMEM;
        return;
    }
    for (uint32_t t = 0; t < m; t++)
        tmp[t] = (uint64_t)id[t] << 16 | count[t];
    sf_sort_u64(tmp, m);
    if (d->term_id) {
        sf_terms_unpack(tmp, m, (uint32_t *)(uintptr_t)d->term_id,
                        (uint16_t *)(uintptr_t)d->term_count);
    } else {
        /* the record (ids, counts, the signature) at its place in the
         * batch's records, 8-byte aligned */
        char *r = nb->out + nb->rec_at[i];
        memset(r, 0, record_bytes(m));
        uint32_t *rid = (uint32_t *)(void *)r;
        sf_terms_unpack(tmp, m, rid, (uint16_t *)(void *)(rid + m));
        memcpy(r + sketch_at(m), &dw->pend_sketch[nb->pend_sketch[i]], sizeof(sf_sketch));
    }
    free(tmp);
}

static void number_terms(sf_engine *e, sf_doc *docs, size_t n, sf_status *st,
                         const size_t *pend, const size_t *pend_sketch, const uint8_t *worker)
{
    numbering nb = {.e = e, .docs = docs, .st = st, .pend = pend, .pend_sketch = pend_sketch,
                    .worker = worker};
    nb.first = malloc((n + 1) * sizeof *nb.first);
    nb.rec_at = malloc((n ? n : 1) * sizeof *nb.rec_at);
    size_t total = 0, bytes = 0;
    bool spill = false;
    for (size_t i = 0; nb.first && nb.rec_at && i < n; i++) {
        nb.first[i] = total;
        nb.rec_at[i] = bytes;
        if (st[i] != SF_OK)
            continue;
        total += docs[i].nterms;
        if (!docs[i].term_id) {
            bytes += record_bytes(docs[i].nterms);
            spill = true;
        }
    }
    if (nb.first)
        nb.first[n] = total;
    nb.ids = malloc((total ? total : 1) * sizeof *nb.ids);
    /* the batch's records in one buffer kept from batch to batch, written
     * in one go (small writes at scattered offsets made the kernel clear
     * each page they touched first: 12% of a fold's time) */
    bool out_ok = !spill || e->terms_fd < 0 || sf_buf_reserve(&e->terms_out, bytes);
    nb.out = e->terms_out.data;
    /* (the workers look terms up: the lookup table made again if a fold
     * let it go) */
    if (!nb.first || !nb.rec_at || !nb.ids || !out_ok || !sf_dict_ready(&e->dict)) {
        for (size_t i = 0; i < n; i++)
            if (st[i] == SF_OK)
                st[i] = SF_ENOMEM;
        goto done;
    }
    if (spill && e->terms_fd < 0) {
        for (size_t i = 0; i < n; i++)
            if (st[i] == SF_OK && !docs[i].term_id)
                st[i] = SF_EINTERNAL;
    }
    sf_engine_parallel(e, n, number_find, &nb);
    /* the terms not in the dictionary, in input order */
    for (size_t i = 0; i < n; i++) {
        if (st[i] != SF_OK || docs[i].nterms == 0)
            continue;
        const uint64_t *hash = e->workers[worker[i]].pend + pend[i];
        uint32_t *id = nb.ids + nb.first[i];
        for (uint32_t t = 0; t < docs[i].nterms; t++) {
            if (id[t] != SF_NONE)
                continue;
            id[t] = sf_dict_add(&e->dict, hash[t]);
            if (id[t] == SF_NONE) {
                st[i] = SF_ENOMEM;
                break;
            }
        }
    }
    sf_engine_parallel(e, n, number_write, &nb);
    if (spill && e->terms_fd >= 0) {
        /* a failed article's record is zeros: the others' offsets stay */
        for (size_t i = 0; i < n; i++)
            if (st[i] != SF_OK && !docs[i].term_id)
                memset(nb.out + nb.rec_at[i], 0,
                       (i + 1 < n ? nb.rec_at[i + 1] : bytes) - nb.rec_at[i]);
        bool wrote = sf_write_at(e->terms_fd, nb.out, bytes, e->terms_end);
        for (size_t i = 0; i < n; i++) {
            if (st[i] != SF_OK || docs[i].term_id)
                continue;
            if (wrote)
                docs[i].terms_off = e->terms_end + nb.rec_at[i];
            else
                st[i] = SF_EIO;
        }
        if (wrote)
            e->terms_end += bytes;
    }
done:
    free(nb.first);
    free(nb.rec_at);
    free(nb.ids);
}

sf_status sf_engine_add(sf_engine *e, const sf_article *a)
{
    if (!e || !a || !a->text)
        return SF_EINVAL;
    if (e->n >= SF_NONE - 1)
        return SF_ETOOBIG;
    if (!SF_GROW(e->docs, e->cap, e->n + 1))
        return SF_ENOMEM;
    e->workers[0].npend = 0;
    e->workers[0].npend_sketch = 0;
    sf_status st = make_doc(&e->workers[0], &e->opt, a, &e->docs[e->n]);
    size_t pend = 0, pend_sketch = 0;
    uint8_t worker = 0;
    if (st == SF_OK)
        number_terms(e, e->docs + e->n, 1, &st, &pend, &pend_sketch, &worker);
    e->workers[0].npend = 0;
    e->workers[0].npend_sketch = 0;
    if (st != SF_OK)
        return st;
    e->n++;
    e->folded = false;
    return SF_OK;
}

/* ---- running on all workers -------------------------------------------- */

typedef struct par {
    sf_engine *e;
    size_t n;
    sf_item_fn fn;
    void *ctx;
    atomic_size_t next;        /* next item to take */
} par;

typedef struct par_job {
    par *p;
    sf_worker *w;
} par_job;

static void *par_run(void *arg)
{
    par_job *j = arg;
    par *p = j->p;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        p->fn(p->ctx, j->w, i);
    }
    return NULL;
}

void sf_engine_parallel(sf_engine *e, size_t n, sf_item_fn fn, void *ctx)
{
    unsigned threads = sf_engine_workers(e, n);
    par p = {.e = e, .n = n, .fn = fn, .ctx = ctx};
    atomic_init(&p.next, 0);
    par_job jobs[SF_MAX_THREADS];
    pthread_t tids[SF_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        jobs[t].p = &p;
        jobs[t].w = &e->workers[t];
        if (pthread_create(&tids[t], NULL, par_run, &jobs[t]) != 0)
            break; /* the threads started (and this one) do the rest */
        started = t;
    }
    jobs[0].p = &p;
    jobs[0].w = &e->workers[0];
    par_run(&jobs[0]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
}

/* ---- adding in parallel ------------------------------------------------ */

typedef struct batch {
    const sf_options *opt;
    const sf_article *arts;
    sf_doc *docs;              /* where article i's doc goes */
    sf_status *status;
    size_t *pend;              /* where in its worker's pend doc i's term hashes are */
    size_t *pend_sketch;       /* and (spilling) its signature in pend_sketch */
    uint8_t *worker;           /* and which worker */
} batch;

static void batch_item(void *ctx, sf_worker *w, size_t i)
{
    batch *b = ctx;
    b->status[i] = make_doc(w, b->opt, &b->arts[i], &b->docs[i]);
    if (b->status[i] == SF_OK) {
        b->pend[i] = w->npend - b->docs[i].nterms;
        b->pend_sketch[i] = w->npend_sketch - 1; /* (spilling) */
        b->worker[i] = (uint8_t)w->index;
    }
}

static unsigned thread_count(const sf_engine *e, size_t n)
{
    unsigned t = e->opt.threads;
    if (t == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        t = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (t > SF_MAX_THREADS)
        t = SF_MAX_THREADS;
    /* a thread per few articles at most: starting one costs more */
    size_t useful = n / 8 + 1;
    return t > useful ? (unsigned)useful : t;
}

unsigned sf_engine_workers(sf_engine *e, size_t n)
{
    unsigned threads = thread_count(e, n);
    while (e->nworkers < threads) {
        sf_worker *w = &e->workers[e->nworkers];
        if (!sf_worker_init(w) || !worker_spill(e, w)) {
            sf_worker_free(w);
            break;
        }
        w->index = e->nworkers++;
    }
    return threads < e->nworkers ? threads : e->nworkers;
}

sf_status sf_engine_add_batch(sf_engine *e, const sf_article *arts, size_t n,
                              sf_status *status)
{
    if (!e || (n && !arts))
        return SF_EINVAL;
    if (n == 0)
        return SF_OK;
    if (e->n + n >= SF_NONE - 1)
        return SF_ETOOBIG;
    if (!SF_GROW(e->docs, e->cap, e->n + n))
        return SF_ENOMEM;
    sf_status *st = status ? status : malloc(n * sizeof *st);
    size_t *pend = malloc(n * sizeof *pend), *pend_sketch = malloc(n * sizeof *pend_sketch);
    uint8_t *worker = malloc(n);
    if (!st || !pend || !pend_sketch || !worker) {
        if (!status)
            free(st);
        free(pend);
        free(pend_sketch);
        free(worker);
        return SF_ENOMEM;
    }
    for (unsigned t = 0; t < e->nworkers; t++)
        e->workers[t].npend = e->workers[t].npend_sketch = 0;
    batch b = {.opt = &e->opt, .arts = arts, .docs = e->docs + e->n, .status = st,
               .pend = pend, .pend_sketch = pend_sketch, .worker = worker};
    sf_engine_parallel(e, n, batch_item, &b);

    /* Number the terms, keep the articles that were made, in input order. */
    number_terms(e, e->docs + e->n, n, st, pend, pend_sketch, worker);
    sf_status result = SF_OK;
    size_t kept = e->n;
    for (size_t i = 0; i < n; i++) {
        if (st[i] == SF_OK) {
            if (kept != e->n + i)
                e->docs[kept] = e->docs[e->n + i];
            kept++;
        } else if (result == SF_OK) {
            result = st[i];
        }
    }
    e->n = kept;
    e->folded = false;
    for (unsigned t = 0; t < e->nworkers; t++)
        e->workers[t].npend = e->workers[t].npend_sketch = 0;
    free(pend);
    free(pend_sketch);
    free(worker);
    if (!status)
        free(st);
    return result;
}
