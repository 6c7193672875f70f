/*
 * dedup.c — near-duplicate detection alone: MinHash of the raw text's
 * word shingles (sketch.c), an exact-text index, LSH bands, candidates
 * confirmed by their estimated Jaccard similarity, groups.
 *
 * Articles are sketched in parallel (each one's sketch depends on its
 * text alone), then placed one after the other in input order by one
 * thread, so that results never depend on the threads. An article is
 * compared with the earlier articles that share a band key with it and
 * joins the group of the most similar one at or above the threshold
 * (ties: the earliest). Groups are not merged afterwards: a result, once
 * given, stays true, and a caller can write it at once.
 */
#include "dedup.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h" /* SF_MAX_THREADS */

#define EMPTY_ART UINT32_MAX
#define MAX_ARTICLES (UINT32_MAX - 1)
/* Members a bucket (articles with one band key) keeps: a bucket of many
 * near-identical texts needs no more to find them. */
#define BUCKET_CAP 16
/* Distinct candidates an article compares at most. */
#define MAX_CANDIDATES 256

void sf_dedup_options_default(sf_dedup_options *opt)
{
    memset(opt, 0, sizeof *opt);
    sf_options fo;
    sf_options_default(&fo);
    opt->threshold = fo.copy_threshold;
    opt->shingle_words = fo.shingle_words;
}

/* Probability that a pair of Jaccard similarity t shares a band key. */
static double candidate_p(double t, unsigned bands, unsigned rows)
{
    return 1.0 - pow(1.0 - pow(t, rows), bands);
}

void sf_dedup_plan_make(const sf_dedup_options *opt, sf_dedup_plan *plan)
{
    plan->w = opt->shingle_words ? opt->shingle_words : 5;
    plan->clean = opt->clean;
    double t = opt->threshold;
    unsigned bands = opt->bands;
    if (!bands) {
        /* the fewest bands (most rows) that still find a pair at the
         * threshold with probability 0.99 */
        bands = SF_SKETCH_K;
        for (unsigned rows = SF_SKETCH_K; rows >= 1; rows--) {
            unsigned b = SF_SKETCH_K / rows;
            if (candidate_p(t, b, rows) >= 0.99) {
                bands = b;
                break;
            }
        }
    }
    plan->bands = bands;
    plan->rows = SF_SKETCH_K / bands;
    double need = ceil(t * SF_SKETCH_K - 1e-9);
    plan->need = need < 1 ? 1 : (unsigned)need;
}

bool sf_dedup_sketch(const sf_dedup_plan *plan, sf_sketch_scratch *s, const char *text,
                     size_t len, sf_dedup_item *it)
{
    if (!sf_sketch_text(s, text, len, plan->w, &it->sk))
        return false;
    it->exact = sf_hash64(text, len, 0x5eed);
    for (unsigned b = 0; b < plan->bands; b++)
        it->tags[b] = (uint32_t)(sf_hash64(it->sk.v + b * plan->rows,
                                           plan->rows * sizeof it->sk.v[0], b + 1) >> 32);
    return true;
}

typedef struct xslot {
    uint64_t key;       /* hash of the text */
    uint32_t art;       /* article number + 1; 0: empty */
    uint32_t unused;
} xslot;

typedef struct btable {
    uint64_t *t;
    unsigned bits;
    size_t n;
} btable;

struct sf_dedup {
    sf_dedup_plan plan;
    unsigned threads;
    uint32_t n;                 /* articles added */
    uint16_t *sig;              /* n x SF_SKETCH_K: each article's signature */
    uint32_t *group;            /* n: each article's group (its first article) */
    size_t cap;                 /* of sig and group, in articles */
    /* exact-text index: hash -> first article with it */
    xslot *ex;
    size_t emask, en;
    /* band index, a table per band: key -> articles (up to BUCKET_CAP a
     * key), linear probing; a slot holds the key's top 32 bits (a tag,
     * which also places it) over the article number + 1 (0: empty). Two
     * keys with the same tag only cost a comparison of signatures. */
    btable band[SF_SKETCH_K];
    /* a batch's candidate pairs: (item, earlier article), then by item */
    uint64_t *pairs;
    size_t npairs, pairs_cap;
    uint32_t *cand_at;          /* items + 1: where each item's candidates start */
    size_t cand_cap;
    uint32_t *cand;             /* the candidates, by item */
    size_t cand_n_cap;
    sf_sketch_scratch scratch[SF_MAX_THREADS];
    sf_dedup_item *items;
    uint32_t *tags;             /* the items' band tags, band by band */
    size_t items_cap;
    sf_dedup_stats stats;
    bool broken;                /* ran out of memory while placing a batch */
};

sf_dedup *sf_dedup_new(const sf_dedup_options *opt)
{
    sf_dedup_options o;
    if (opt)
        o = *opt;
    else
        sf_dedup_options_default(&o);
    if (!(o.threshold > 0 && o.threshold <= 1) || o.shingle_words > 64 ||
        o.bands > SF_SKETCH_K)
        return NULL;
    sf_dedup *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    sf_dedup_plan_make(&o, &d->plan);
    unsigned t = o.threads;
    if (t == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        t = cpus > 0 ? (unsigned)cpus : 1;
    }
    d->threads = t > SF_MAX_THREADS ? SF_MAX_THREADS : t;
    d->stats.bands = d->plan.bands;
    d->stats.rows = d->plan.rows;
    return d;
}

void sf_dedup_free(sf_dedup *d)
{
    if (!d)
        return;
    for (unsigned t = 0; t < SF_MAX_THREADS; t++)
        sf_sketch_scratch_free(&d->scratch[t]);
    free(d->sig);
    free(d->group);
    free(d->ex);
    for (unsigned b = 0; b < SF_SKETCH_K; b++)
        free(d->band[b].t);
    free(d->pairs);
    free(d->cand_at);
    free(d->cand);
    free(d->items);
    free(d->tags);
    free(d);
}

/* ---- sketching in parallel ------------------------------------------- */

typedef struct job {
    sf_dedup *d;
    const sf_article *arts;
    size_t n;
    atomic_size_t next;
    atomic_bool oom;
} job;

typedef struct worker_arg {
    job *j;
    unsigned t;
    double cpu;
} worker_arg;

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *sketch_worker(void *arg)
{
    worker_arg *wa = arg;
    job *j = wa->j;
    sf_dedup *d = j->d;
    double c0 = thread_cpu();
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n)
            break;
        const sf_article *a = &j->arts[i];
        sf_dedup_item *it = &d->items[i];
        bool ok;
        if (d->plan.clean) {
            sf_clean_result *c = NULL;
            ok = sf_clean(a, &c) == SF_OK;
            if (ok) {
                size_t len;
                const char *text = sf_clean_text(c, &len);
                ok = sf_dedup_sketch(&d->plan, &d->scratch[wa->t], text, len, it);
            }
            sf_clean_result_free(c);
        } else {
            ok = sf_dedup_sketch(&d->plan, &d->scratch[wa->t], a->text ? a->text : "",
                                 a->text ? a->text_len : 0, it);
        }
        if (!ok)
            atomic_store(&j->oom, true);
        else
            for (unsigned b = 0; b < d->plan.bands; b++)
                d->tags[(size_t)b * d->items_cap + i] = it->tags[b];
    }
    wa->cpu = thread_cpu() - c0;
    return NULL;
}

/* ---- the indexes ------------------------------------------------------- */

/* The band index's home slot of a tag. */
static inline size_t band_slot(uint32_t tag, unsigned bits)
{
    return (size_t)(((uint64_t)tag * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

/* Slots of a table that holds want entries at most 3/4 full, from size. */
static size_t fit_size(size_t size, size_t want)
{
    size_t ns = size ? size : 1024;
    while (want > ns / 4 * 3)
        ns *= 2;
    return ns;
}

static bool exact_fit(sf_dedup *d, size_t want)
{
    size_t size = d->ex ? d->emask + 1 : 0;
    size_t ns = fit_size(size, want);
    if (ns == size)
        return true;
    xslot *t = calloc(ns, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < size; i++) {
        if (!d->ex[i].art)
            continue;
        size_t k = (size_t)d->ex[i].key & (ns - 1);
        while (t[k].art)
            k = (k + 1) & (ns - 1);
        t[k] = d->ex[i];
    }
    free(d->ex);
    d->ex = t;
    d->emask = ns - 1;
    return true;
}

static bool band_fit(btable *bt, size_t want)
{
    size_t size = bt->t ? (size_t)1 << bt->bits : 0;
    size_t ns = fit_size(size, want);
    if (ns == size)
        return true;
    uint64_t *t = calloc(ns, sizeof *t);
    if (!t)
        return false;
    unsigned bits = 0;
    while (((size_t)1 << bits) < ns)
        bits++;
    for (size_t i = 0; i < size; i++) {
        uint64_t e = bt->t[i];
        if (!e)
            continue;
        size_t k = band_slot((uint32_t)(e >> 32), bits);
        while (t[k])
            k = (k + 1) & (ns - 1);
        t[k] = e;
    }
    free(bt->t);
    bt->t = t;
    bt->bits = bits;
    return true;
}

static bool reserve(sf_dedup *d, size_t n)
{
    size_t want = (size_t)d->n + n;
    if (want > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap < want)
            cap *= 2;
        uint16_t *s = realloc(d->sig, cap * SF_SKETCH_K * sizeof *s);
        if (!s)
            return false;
        d->sig = s;
        uint32_t *g = realloc(d->group, cap * sizeof *g);
        if (!g)
            return false;
        d->group = g;
        d->cap = cap;
    }
    if (n > d->items_cap) {
        sf_dedup_item *it = realloc(d->items, n * sizeof *it);
        if (!it)
            return false;
        d->items = it;
        uint32_t *t = realloc(d->tags, n * d->plan.bands * sizeof *t);
        if (!t)
            return false;
        d->tags = t;
        d->items_cap = n;
    }
    if (n + 1 > d->cand_cap) {
        uint32_t *c = realloc(d->cand_at, (n + 1) * sizeof *c);
        if (!c)
            return false;
        d->cand_at = c;
        d->cand_cap = n + 1;
    }
    for (unsigned b = 0; b < d->plan.bands; b++)
        if (!band_fit(&d->band[b], d->band[b].n + n))
            return false;
    return exact_fit(d, d->en + n);
}

static unsigned same_values(const uint16_t *a, const uint16_t *b)
{
    unsigned same = 0;
    for (unsigned i = 0; i < SF_SKETCH_K; i++)
        same += a[i] == b[i];
    return same;
}

static bool push_pair(sf_dedup *d, uint32_t item, uint32_t art)
{
    if (d->npairs == d->pairs_cap && !SF_GROW(d->pairs, d->pairs_cap, d->npairs + 1))
        return false;
    d->pairs[d->npairs++] = (uint64_t)item << 32 | art;
    return true;
}

/* Places the batch's n items (articles first .. first + n - 1) in input
 * order, in three passes that give what placing each article in turn
 * gives: (1) signatures kept, exact copies found; (2) band by band, each
 * article's bucket read (its candidates) and the article put into it, so
 * that one band's table is in use at a time; (3) each article's
 * candidates compared and its group chosen. Returns false if out of
 * memory (then the batch is half placed: the detector is broken). */
static bool place_batch(sf_dedup *d, uint32_t first, size_t n, sf_dedup_result *out)
{
    const sf_dedup_item *items = d->items;
    /* (1) */
    for (size_t i = 0; i < n; i++) {
        const sf_dedup_item *it = &items[i];
        uint32_t g = first + (uint32_t)i;
        sf_dedup_result *r = &out[i];
        r->copy_of = SF_DEDUP_NONE;
        r->group = g;
        r->similarity = 0;
        r->exact = 0;
        r->shingles = it->sk.shingles;
        memcpy(d->sig + (size_t)g * SF_SKETCH_K, it->sk.v, sizeof it->sk.v);
        if (!it->sk.shingles) /* no word: copies nothing, nothing copies it */
            continue;
        size_t s = (size_t)it->exact & d->emask;
        while (d->ex[s].art && d->ex[s].key != it->exact)
            s = (s + 1) & d->emask;
        if (d->ex[s].art) {
            r->copy_of = d->ex[s].art - 1;
            r->similarity = 1.0;
            r->exact = 1; /* its bands are the first one's: not indexed */
        } else {
            d->ex[s].key = it->exact;
            d->ex[s].art = g + 1;
            d->en++;
        }
    }
    /* (2) */
    d->npairs = 0;
    for (unsigned b = 0; b < d->plan.bands; b++) {
        btable *bt = &d->band[b];
        size_t mask = ((size_t)1 << bt->bits) - 1;
        const uint32_t *tags = d->tags + (size_t)b * d->items_cap;
        for (size_t i = 0; i < n; i++) {
            if (i + 8 < n)
                __builtin_prefetch(&bt->t[band_slot(tags[i + 8], bt->bits)]);
            if (!items[i].sk.shingles || out[i].exact)
                continue;
            uint32_t tag = tags[i];
            unsigned members = 0;
            size_t k = band_slot(tag, bt->bits);
            for (; bt->t[k]; k = (k + 1) & mask) {
                if ((uint32_t)(bt->t[k] >> 32) != tag)
                    continue;
                members++;
                if (!push_pair(d, (uint32_t)i, (uint32_t)bt->t[k] - 1))
                    return false;
            }
            if (members < BUCKET_CAP) { /* a full bucket takes no more */
                bt->t[k] = (uint64_t)tag << 32 | (uint64_t)(first + (uint32_t)i + 1);
                bt->n++;
            }
        }
    }
    /* the pairs by item, each item's in the order found (band, then slot) */
    uint32_t *at = d->cand_at;
    memset(at, 0, (n + 1) * sizeof *at);
    for (size_t p = 0; p < d->npairs; p++)
        at[(d->pairs[p] >> 32) + 1]++;
    for (size_t i = 0; i < n; i++)
        at[i + 1] += at[i];
    if (d->npairs > d->cand_n_cap && !SF_GROW(d->cand, d->cand_n_cap, d->npairs))
        return false;
    for (size_t p = 0; p < d->npairs; p++)
        d->cand[at[d->pairs[p] >> 32]++] = (uint32_t)d->pairs[p];
    for (size_t i = n; i > 0; i--) /* back to starts */
        at[i] = at[i - 1];
    at[0] = 0;
    /* (3) */
    for (size_t i = 0; i < n; i++) {
        sf_dedup_result *r = &out[i];
        uint32_t g = first + (uint32_t)i;
        if (r->exact) {
            uint32_t o = (uint32_t)r->copy_of;
            r->group = d->group[o];
            d->group[g] = d->group[o];
            d->stats.exact_copies++;
            continue;
        }
        uint32_t grp = g;
        uint32_t uniq[MAX_CANDIDATES];
        unsigned nc = 0;
        for (uint32_t p = at[i]; p < at[i + 1]; p++) {
            uint32_t c = d->cand[p];
            unsigned x = 0;
            while (x < nc && uniq[x] != c)
                x++;
            if (x == nc && nc < MAX_CANDIDATES)
                uniq[nc++] = c;
        }
        uint32_t best = EMPTY_ART;
        unsigned best_same = 0;
        const uint16_t *v = d->sig + (size_t)g * SF_SKETCH_K;
        for (unsigned x = 0; x < nc; x++) {
            unsigned same = same_values(v, d->sig + (size_t)uniq[x] * SF_SKETCH_K);
            if (same >= d->plan.need &&
                (same > best_same || (same == best_same && uniq[x] < best))) {
                best = uniq[x];
                best_same = same;
            }
        }
        d->stats.candidates += nc;
        if (best != EMPTY_ART) {
            grp = d->group[best];
            r->copy_of = best;
            r->similarity = (double)best_same / SF_SKETCH_K;
            d->stats.near_copies++;
        }
        r->group = grp;
        d->group[g] = grp;
    }
    return true;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

sf_status sf_dedup_add_batch(sf_dedup *d, const sf_article *arts, size_t n,
                             sf_dedup_result *out)
{
    if (!d || (n && (!arts || !out)))
        return SF_EINVAL;
    if (n == 0)
        return SF_OK;
    if (d->broken)
        return SF_ENOMEM;
    if (n > MAX_ARTICLES - d->n)
        return SF_ETOOBIG;
    if (!reserve(d, n))
        return SF_ENOMEM;
    double t0 = wall();
    unsigned threads = d->threads;
    if (threads > n / 8 + 1)
        threads = (unsigned)(n / 8 + 1);
    job j = {.d = d, .arts = arts, .n = n};
    atomic_init(&j.next, 0);
    atomic_init(&j.oom, false);
    worker_arg wa[SF_MAX_THREADS];
    pthread_t tids[SF_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        wa[t] = (worker_arg){.j = &j, .t = t};
        if (pthread_create(&tids[t], NULL, sketch_worker, &wa[t]) != 0)
            break; /* the threads started (and this one) do the rest */
        started = t;
    }
    wa[0] = (worker_arg){.j = &j, .t = 0};
    sketch_worker(&wa[0]);
    double cpu = wa[0].cpu;
    for (unsigned t = 1; t <= started; t++) {
        pthread_join(tids[t], NULL);
        cpu += wa[t].cpu;
    }
    double t1 = wall();
    d->stats.sketch_seconds += t1 - t0;
    d->stats.sketch_cpu += cpu;
    if (atomic_load(&j.oom))
        return SF_ENOMEM;
    if (!place_batch(d, d->n, n, out)) {
        d->broken = true;
        return SF_ENOMEM;
    }
    d->n += (uint32_t)n;
    d->stats.articles = d->n;
    d->stats.index_seconds += wall() - t1;
    return SF_OK;
}

void sf_dedup_stats_get(const sf_dedup *d, sf_dedup_stats *out)
{
    *out = d->stats;
    size_t mem = d->cap * (SF_SKETCH_K * sizeof *d->sig + sizeof *d->group) +
                 d->items_cap * (sizeof *d->items + d->plan.bands * sizeof *d->tags);
    if (d->ex)
        mem += (d->emask + 1) * sizeof *d->ex;
    for (unsigned b = 0; b < SF_SKETCH_K; b++)
        if (d->band[b].t)
            mem += ((size_t)1 << d->band[b].bits) * sizeof *d->band[b].t;
    mem += d->pairs_cap * sizeof *d->pairs + d->cand_cap * sizeof *d->cand_at +
           d->cand_n_cap * sizeof *d->cand;
    for (unsigned t = 0; t < SF_MAX_THREADS; t++) {
        const sf_sketch_scratch *s = &d->scratch[t];
        mem += s->cap * (64 + sizeof *s->mask) + s->wcap * sizeof *s->words + s->slow_cap;
    }
    out->memory = mem;
}
