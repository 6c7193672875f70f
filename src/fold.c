/*
 * fold.c — from articles to stories:
 *   1. copies: equal normalised text (exact hash), then near-copies found
 *      by LSH over MinHash bands and verified by estimated Jaccard;
 *   2. events: TF-IDF vectors of one article per copy group, candidate
 *      pairs from an inverted index over each article's strongest terms,
 *      clustered by average linkage (two groups merge only while the mean
 *      similarity over all their cross pairs stays above the threshold, so
 *      a chain of near neighbours cannot pull unrelated articles together);
 *   3. related: stories whose average linkage is below the event threshold
 *      but above the related threshold;
 *   4. stories: members in input order, a representative, ids.
 */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TOP_TERMS
#define TOP_TERMS 20          /* strongest terms per article put in the index */
#endif
#ifndef VECTOR_TERMS
#define VECTOR_TERMS 128      /* strongest terms of an article compared */
#endif
#ifndef CONFLICT_FACTOR
#define CONFLICT_FACTOR 0.5   /* similarity left when two articles name different people */
#endif
#ifndef NAME_MIN_DF
#define NAME_MIN_DF 5         /* articles that must hold a name for its absence to count */
#endif
#ifndef SMALL_LIFT
#define SMALL_LIFT 0.6        /* how much thresholds rise for tiny collections */
#endif
#ifndef NEIGHBOURS
#define NEIGHBOURS 12         /* strongest edges an article keeps */
#endif
#ifndef STRONG_EDGE
#define STRONG_EDGE 0.35      /* an edge this strong is kept anyway */
#endif
#ifndef POSTING_WINDOW
#define POSTING_WINDOW 64     /* later holders of a term an article pairs with */
#endif
#ifndef MAX_POSTING
#define MAX_POSTING 4000      /* longer posting lists are too common to pair on */
#endif
#ifndef MIN_EDGE
#define MIN_EDGE 0.02         /* similarities below this are not kept */
#endif
#ifndef BM25_K1
#define BM25_K1 1.2           /* saturation of term counts */
#endif
#ifndef IDF_POWER
#define IDF_POWER 1.25        /* sharpens the contrast of rare and common terms */
#endif
#ifndef IDF_PRIOR_DOCS
#define IDF_PRIOR_DOCS 50.0   /* pseudo-documents that contain none of the terms */
#endif
#ifndef MIN_DF
#define MIN_DF 2              /* a term in one article only cannot link two */
#endif
#ifndef SINGLE_DF_FACTOR
#define SINGLE_DF_FACTOR 0.3  /* weight left to terms below MIN_DF */
#endif
#ifndef DATE_SLACK_DAYS
#define DATE_SLACK_DAYS 3     /* dates closer than this are no evidence */
#endif
#ifndef DATE_SPAN_DAYS
#define DATE_SPAN_DAYS 30.0   /* beyond the slack, similarity falls over this */
#endif
#ifndef DATE_FLOOR
#define DATE_FLOOR 0.6        /* to this factor */
#endif

/* ------------------------------------------------------------------ */
/* Small containers                                                    */
/* ------------------------------------------------------------------ */

typedef struct u32vec {
    uint32_t *v;
    size_t n, cap;
} u32vec;

static bool u32vec_push(u32vec *a, uint32_t x)
{
    if (!SF_GROW(a->v, a->cap, a->n + 1))
        return false;
    a->v[a->n++] = x;
    return true;
}

/* Open-addressing map from a nonzero 64-bit key to a number: pairs of
 * nodes to similarity sums, terms to document frequencies. */
typedef struct u64map {
    uint64_t *keys;    /* 0 = empty */
    double *vals;
    size_t mask, count;
} u64map;

static size_t um_slot(const u64map *m, uint64_t k)
{
    size_t i = (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 20) & m->mask;
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & m->mask;
    return i;
}

static bool um_grow(u64map *m)
{
    size_t cap = m->keys ? (m->mask + 1) * 2 : 1024;
    u64map nm = {calloc(cap, sizeof(uint64_t)), malloc(cap * sizeof(double)), cap - 1, 0};
    if (!nm.keys || !nm.vals) {
        free(nm.keys);
        free(nm.vals);
        return false;
    }
    for (size_t i = 0; m->keys && i <= m->mask; i++) {
        if (!m->keys[i])
            continue;
        size_t j = um_slot(&nm, m->keys[i]);
        nm.keys[j] = m->keys[i];
        nm.vals[j] = m->vals[i];
        nm.count++;
    }
    free(m->keys);
    free(m->vals);
    *m = nm;
    return true;
}

/* Returns the value slot of key k (nonzero), creating it at 0; NULL if out
 * of memory. */
static double *um_at(u64map *m, uint64_t k)
{
    if (!m->keys || (m->count + 1) * 2 > m->mask + 1)
        if (!um_grow(m))
            return NULL;
    size_t i = um_slot(m, k);
    if (!m->keys[i]) {
        m->keys[i] = k;
        m->vals[i] = 0;
        m->count++;
    }
    return &m->vals[i];
}

static double um_get(const u64map *m, uint64_t k)
{
    if (!m->keys)
        return 0;
    size_t i = um_slot(m, k);
    return m->keys[i] ? m->vals[i] : 0;
}

static void um_free(u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Pairs of nodes as keys: (a << 32 | b) + 1 with a < b. */
typedef u64map pairmap;

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? (((uint64_t)a << 32) | b) + 1 : (((uint64_t)b << 32) | a) + 1;
}

static double *pm_at(pairmap *m, uint32_t a, uint32_t b) { return um_at(m, pair_key(a, b)); }

static double pm_get(const pairmap *m, uint32_t a, uint32_t b)
{
    return um_get(m, pair_key(a, b));
}

static void pm_free(pairmap *m) { um_free(m); }

/* Union-find with path halving; the root is the smallest member. */
static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

typedef struct keyed {
    uint64_t key;
    uint32_t idx;
} keyed;

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* ------------------------------------------------------------------ */
/* 1. Copies                                                           */
/* ------------------------------------------------------------------ */

/* Sets copy_of for exact and near copies; returns the number of groups'
 * representatives in reps (doc indices, ascending). */
static sf_status find_copies(sf_engine *e, uint32_t *parent, u32vec *reps)
{
    size_t n = e->n;
    keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return SF_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        parent[i] = i;
        k[i].key = e->docs[i].exact;
        k[i].idx = i;
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 1; i < n; i++)
        if (k[i].key == k[i - 1].key)
            uf_union(parent, k[i - 1].idx, k[i].idx);
    free(k);

    /* Near copies among the distinct texts: bucket by each band. */
    u32vec uniq = {0};
    for (uint32_t i = 0; i < n; i++)
        if (uf_find(parent, i) == i && e->docs[i].sketch.shingles)
            if (!u32vec_push(&uniq, i)) {
                free(uniq.v);
                return SF_ENOMEM;
            }
    keyed *b = malloc((uniq.n ? uniq.n : 1) * sizeof *b);
    if (!b) {
        free(uniq.v);
        return SF_ENOMEM;
    }
    for (unsigned band = 0; band < SF_SKETCH_BANDS; band++) {
        for (size_t i = 0; i < uniq.n; i++) {
            b[i].key = sf_sketch_band(&e->docs[uniq.v[i]].sketch, band);
            b[i].idx = uniq.v[i];
        }
        qsort(b, uniq.n, sizeof *b, cmp_keyed);
        for (size_t i = 0; i < uniq.n;) {
            size_t j = i + 1;
            while (j < uniq.n && b[j].key == b[i].key)
                j++;
            /* Compare each member with the bucket's first members only:
             * a bucket of near-identical texts needs no all-pairs pass. */
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j && y < x + 16; y++) {
                    uint32_t p = b[x].idx, q = b[y].idx;
                    if (uf_find(parent, p) == uf_find(parent, q))
                        continue;
                    if (sf_sketch_similarity(&e->docs[p].sketch, &e->docs[q].sketch) >=
                        e->opt.copy_threshold)
                        uf_union(parent, p, q);
                }
            i = j;
        }
    }
    free(b);
    free(uniq.v);

    e->stats.exact_copies = 0;
    e->stats.near_copies = 0;
    for (uint32_t i = 0; i < n; i++) {
        sf_doc *d = &e->docs[i];
        uint32_t r = uf_find(parent, i);
        if (r == i) {
            d->copy_of = SF_NONE;
            if (!u32vec_push(reps, i))
                return SF_ENOMEM;
            continue;
        }
        d->copy_of = r;
        sf_doc *o = &e->docs[r];
        if (d->exact == o->exact) {
            d->copy_sim = 1.0f;
            e->stats.exact_copies++;
        } else {
            d->copy_sim = (float)sf_sketch_similarity(&d->sketch, &o->sketch);
            e->stats.near_copies++;
        }
    }
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* 2. Events                                                           */
/* ------------------------------------------------------------------ */

typedef struct wterm {
    uint64_t hash;
    float w;          /* weight in the article's vector (L2-normalised) */
    uint32_t df;      /* articles (copy groups) holding the term */
} wterm;

typedef struct vecs {
    wterm **v;        /* per node, sorted by hash, L2-normalised */
    uint32_t *len;
    wterm *store;
    /* per node: the names it repeats that enough articles of the
     * collection hold to be someone the news is about (0 = none) */
    uint64_t (*names)[SF_DOC_NAMES];
} vecs;

static int cmp_wterm_weight_desc(const void *a, const void *b)
{
    float x = ((const wterm *)a)->w, y = ((const wterm *)b)->w;
    if (x != y)
        return x > y ? -1 : 1;
    uint64_t p = ((const wterm *)a)->hash, q = ((const wterm *)b)->hash;
    return p < q ? -1 : p > q;
}

static int cmp_wterm_hash(const void *a, const void *b)
{
    uint64_t p = ((const wterm *)a)->hash, q = ((const wterm *)b)->hash;
    return p < q ? -1 : p > q;
}

static double cosine(const wterm *a, uint32_t na, const wterm *b, uint32_t nb)
{
    double s = 0;
    uint32_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i].hash < b[j].hash)
            i++;
        else if (a[i].hash > b[j].hash)
            j++;
        else
            s += (double)a[i++].w * b[j++].w;
    }
    return s;
}

/* True if the sorted term list holds h. */
static bool doc_holds(const sf_doc *d, uint64_t h)
{
    uint32_t lo = 0, hi = d->nterms;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->term_hash[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nterms && d->term_hash[lo] == h;
}

/* True if a repeats a name b never mentions. */
static bool names_missing(const uint64_t *names, const sf_doc *other)
{
    for (int q = 0; q < SF_DOC_NAMES && names[q]; q++)
        if (!doc_holds(other, names[q]))
            return true;
    return false;
}

/* CONFLICT_FACTOR when the two articles are about different people: each
 * repeats a name the other never mentions, or both state ages and none
 * agree; else 1. */
static double conflict_factor(const vecs *vv, const sf_doc *a, const sf_doc *b, uint32_t na,
                              uint32_t nb)
{
    double f = 1.0;
    if (names_missing(vv->names[na], b) && names_missing(vv->names[nb], a))
        f *= CONFLICT_FACTOR;
    if (a->ages[0] && b->ages[0]) {
        bool shared = false;
        for (int p = 0; p < SF_DOC_AGES && a->ages[p] && !shared; p++)
            for (int q = 0; q < SF_DOC_AGES && b->ages[q]; q++)
                if (a->ages[p] == b->ages[q]) {
                    shared = true;
                    break;
                }
        if (!shared)
            f *= CONFLICT_FACTOR;
    }
    return f;
}

static double date_factor(int32_t a, int32_t b)
{
    if (a == SF_NO_DAY || b == SF_NO_DAY)
        return 1.0;
    double gap = fabs((double)a - (double)b) - DATE_SLACK_DAYS;
    if (gap <= 0)
        return 1.0;
    double x = gap < DATE_SPAN_DAYS ? gap / DATE_SPAN_DAYS : 1.0;
    return 1.0 - (1.0 - DATE_FLOOR) * x;
}

/* Term hashes as keys (a hash of 0 is stored as 1). */
static uint64_t term_key(uint64_t h) { return h ? h : 1; }

/* Document frequencies over the nodes, then weighted vectors of each
 * node's strongest terms, normalised. */
static sf_status build_vectors(sf_engine *e, const u32vec *nodes, vecs *out)
{
    size_t m = nodes->n, total = 0;
    for (size_t i = 0; i < m; i++)
        total += e->docs[nodes->v[i]].nterms;
    u64map df = {0};
    out->store = malloc((total ? total : 1) * sizeof *out->store);
    out->v = malloc((m ? m : 1) * sizeof *out->v);
    out->len = malloc((m ? m : 1) * sizeof *out->len);
    out->names = calloc(m ? m : 1, sizeof *out->names);
    if (!out->store || !out->v || !out->len || !out->names)
        return SF_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        const sf_doc *d = &e->docs[nodes->v[i]];
        for (uint32_t t = 0; t < d->nterms; t++) {
            double *n = um_at(&df, term_key(d->term_hash[t]));
            if (!n) {
                um_free(&df);
                return SF_ENOMEM;
            }
            *n += 1;
        }
    }
    double N = (double)m;
    /* Terms in a single article cannot link two articles; in a large
     * collection they mostly add noise to an article's norm and are
     * weighted down. In a small one nearly every term is rare, and that
     * is no evidence: the weighting fades in as the collection grows past
     * the prior's pseudo-documents. */
    double single_factor =
        SINGLE_DF_FACTOR + (1 - SINGLE_DF_FACTOR) * IDF_PRIOR_DOCS / (N + IDF_PRIOR_DOCS);
    size_t pos = 0;
    for (size_t i = 0; i < m; i++) {
        const sf_doc *d = &e->docs[nodes->v[i]];
        wterm *v = out->store + pos;
        for (uint32_t t = 0; t < d->nterms; t++) {
            uint32_t n = (uint32_t)um_get(&df, term_key(d->term_hash[t]));
            double idf = log((N + IDF_PRIOR_DOCS) / n);
            idf = idf > 0 ? pow(idf, IDF_POWER) : 0;
            if (n < MIN_DF)
                idf *= single_factor;
            double c = d->term_count[t];
            v[t].hash = d->term_hash[t];
            v[t].w = (float)(c * (BM25_K1 + 1) / (c + BM25_K1) * idf);
            v[t].df = n;
        }
        uint32_t len = d->nterms;
        /* Only the strongest terms take part in similarities: the rest
         * weigh little, and comparing long vectors is the fold's main
         * cost. Measured on the dev corpora: the same scores as whole
         * vectors at 128 terms. */
        if (len > VECTOR_TERMS) {
            qsort(v, len, sizeof *v, cmp_wterm_weight_desc);
            len = VECTOR_TERMS;
            qsort(v, len, sizeof *v, cmp_wterm_hash);
        }
        double ss = 0;
        for (uint32_t t = 0; t < len; t++)
            ss += (double)v[t].w * v[t].w;
        double inv = ss > 0 ? 1.0 / sqrt(ss) : 0;
        for (uint32_t t = 0; t < len; t++)
            v[t].w = (float)(v[t].w * inv);
        out->v[i] = v;
        out->len[i] = len;
        pos += d->nterms;
        for (int q = 0, k = 0; q < SF_DOC_NAMES && d->names[q]; q++)
            if (um_get(&df, term_key(d->names[q])) >= NAME_MIN_DF)
                out->names[i][k++] = d->names[q];
    }
    um_free(&df);
    return SF_OK;
}

static void vecs_free(vecs *v)
{
    free(v->names);
    free(v->v);
    free(v->len);
    free(v->store);
}

/* Sorts v[0..n) ascending (least significant digit radix sort, 16 bits a
 * pass). Returns false if out of memory. */
static bool sort_u64(uint64_t *v, size_t n)
{
    if (n < 2)
        return true;
    if (n < 256) {
        qsort(v, n, sizeof *v, cmp_u64);
        return true;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    size_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return false;
    }
    uint64_t *src = v, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    /* four passes: the sorted keys are back in v */
    free(tmp);
    free(count);
    return true;
}

static int cmp_float_desc(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return a > b ? -1 : a < b;
}

/* Keeps an edge only if it is among the NEIGHBOURS strongest of one of
 * its two articles, or strong on its own (STRONG_EDGE): a pair that is
 * neither is treated as never compared. In a topic holding two similar
 * events, each article's nearest neighbours are mostly its own event's,
 * while the many middling cross-event pairs would otherwise add up in the
 * average linkage and merge the two. Edges are compacted in place. */
static sf_status keep_near_neighbours(size_t m, uint64_t *pairs, float *sim, size_t *nedges)
{
    size_t n = *nedges;
    uint32_t *deg = calloc(m + 1, sizeof *deg);
    float *kth = malloc((m ? m : 1) * sizeof *kth);
    if (!deg || !kth) {
        free(deg);
        free(kth);
        return SF_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        deg[pairs[i] >> 32]++;
        deg[(uint32_t)pairs[i]]++;
    }
    /* deg becomes offsets into one array of every node's similarities */
    size_t total = 0;
    for (size_t v = 0; v < m; v++) {
        uint32_t d = deg[v];
        deg[v] = (uint32_t)total;
        total += d;
    }
    deg[m] = (uint32_t)total;
    float *all = malloc((total ? total : 1) * sizeof *all);
    uint32_t *fill = calloc(m ? m : 1, sizeof *fill);
    if (!all || !fill) {
        free(deg);
        free(kth);
        free(all);
        free(fill);
        return SF_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
        all[deg[a] + fill[a]++] = sim[i];
        all[deg[b] + fill[b]++] = sim[i];
    }
    for (size_t v = 0; v < m; v++) {
        uint32_t d = deg[v + 1] - deg[v];
        if (d <= NEIGHBOURS) {
            kth[v] = 0; /* every edge of a node with few is among its best */
            continue;
        }
        qsort(all + deg[v], d, sizeof *all, cmp_float_desc);
        kth[v] = all[deg[v] + NEIGHBOURS - 1];
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
        if (sim[i] >= kth[a] || sim[i] >= kth[b] || sim[i] >= STRONG_EDGE) {
            pairs[k] = pairs[i];
            sim[k++] = sim[i];
        }
    }
    *nedges = k;
    free(deg);
    free(kth);
    free(all);
    free(fill);
    return SF_OK;
}

/* Candidate pairs: nodes that share one of their TOP_TERMS strongest terms
 * among those held by more than one node.
 * Each pair's similarity goes into sims. */
static sf_status candidate_edges(sf_engine *e, const u32vec *nodes, const vecs *vv,
                                 pairmap *sims)
{
    size_t m = nodes->n;
    keyed *post = malloc((m ? m : 1) * TOP_TERMS * sizeof *post);
    wterm *tmp = malloc(sizeof *tmp * 1);
    if (!post || !tmp) {
        free(post);
        free(tmp);
        return SF_ENOMEM;
    }
    size_t np = 0, tmpcap = 1;
    for (size_t i = 0; i < m; i++) {
        uint32_t len = vv->len[i];
        if (len > tmpcap) {
            wterm *p = realloc(tmp, len * sizeof *p);
            if (!p) {
                free(post);
                free(tmp);
                return SF_ENOMEM;
            }
            tmp = p;
            tmpcap = len;
        }
        memcpy(tmp, vv->v[i], len * sizeof *tmp);
        qsort(tmp, len, sizeof *tmp, cmp_wterm_weight_desc);
        /* Only terms that other articles hold can link this one. */
        for (uint32_t t = 0, taken = 0; t < len && taken < TOP_TERMS; t++) {
            if (tmp[t].w <= 0)
                break;
            if (tmp[t].df < 2)
                continue;
            post[np].key = tmp[t].hash;
            post[np].idx = (uint32_t)i;
            np++;
            taken++;
        }
    }
    free(tmp);
    qsort(post, np, sizeof *post, cmp_keyed);

    /* Every pair sharing a posting list, as one 64-bit key (a < b), then
     * sorted and made unique: each pair is compared once. */
    size_t npairs = 0, cap = 0;
    uint64_t *pairs = NULL;
    for (size_t i = 0; i < np;) {
        size_t j = i + 1;
        while (j < np && post[j].key == post[i].key)
            j++;
        if (j - i <= MAX_POSTING) {
            /* Postings are in article order, which is about time order:
             * each article pairs with the next POSTING_WINDOW holders of
             * the term, so a common term costs linear, not quadratic, work
             * (a short list still gives all its pairs). */
            size_t len = j - i, w = len - 1 < POSTING_WINDOW ? len - 1 : POSTING_WINDOW;
            size_t add = len * w;
            if (!SF_GROW(pairs, cap, npairs + add)) {
                free(pairs);
                free(post);
                return SF_ENOMEM;
            }
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j && y <= x + w; y++) {
                    uint32_t a = post[x].idx, b = post[y].idx;
                    pairs[npairs++] = a < b ? ((uint64_t)a << 32) | b : ((uint64_t)b << 32) | a;
                }
        }
        i = j;
    }
    free(post);
    if (!sort_u64(pairs, npairs)) {
        free(pairs);
        return SF_ENOMEM;
    }
    /* Similarities of the unique pairs; those above the floor are kept,
     * compacted at the front of pairs, with their similarity in sim. */
    float *sim = malloc((npairs ? npairs : 1) * sizeof *sim);
    if (!sim) {
        free(pairs);
        return SF_ENOMEM;
    }
    size_t nedges = 0;
    for (size_t i = 0; i < npairs; i++) {
        if (i && pairs[i] == pairs[i - 1])
            continue;
        uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
        double s = cosine(vv->v[a], vv->len[a], vv->v[b], vv->len[b]);
        const sf_doc *da = &e->docs[nodes->v[a]], *db = &e->docs[nodes->v[b]];
        s *= date_factor(da->day, db->day);
        s *= conflict_factor(vv, da, db, a, b);
        e->stats.pairs_compared++;
        if (s < MIN_EDGE)
            continue;
        pairs[nedges] = pairs[i];
        sim[nedges++] = (float)s;
    }
    sf_status st = keep_near_neighbours(m, pairs, sim, &nedges);
    for (size_t i = 0; i < nedges && st == SF_OK; i++) {
        double *slot = pm_at(sims, (uint32_t)(pairs[i] >> 32), (uint32_t)pairs[i]);
        if (!slot)
            st = SF_ENOMEM;
        else
            *slot = sim[i];
    }
    e->stats.pairs_linked += nedges;
    free(sim);
    free(pairs);
    return st;
}

/* Max-heap of candidate merges, checked lazily against cluster versions. */
typedef struct merge {
    double avg;
    uint32_t a, b;
    uint32_t va, vb;
} merge;

typedef struct heap {
    merge *h;
    size_t n, cap;
} heap;

static bool merge_before(const merge *x, const merge *y)
{
    if (x->avg != y->avg)
        return x->avg > y->avg;
    if (x->a != y->a)
        return x->a < y->a;
    return x->b < y->b;
}

static bool heap_push(heap *h, merge m)
{
    if (!SF_GROW(h->h, h->cap, h->n + 1))
        return false;
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!merge_before(&m, &h->h[parent]))
            break;
        h->h[i] = h->h[parent];
        i = parent;
    }
    h->h[i] = m;
    return true;
}

static merge heap_pop(heap *h)
{
    merge top = h->h[0];
    merge last = h->h[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, best = i;
        const merge *bm = &last;
        if (l < h->n && merge_before(&h->h[l], bm)) {
            best = l;
            bm = &h->h[l];
        }
        if (r < h->n && merge_before(&h->h[r], bm))
            best = r;
        if (best == i)
            break;
        h->h[i] = h->h[best];
        i = best;
    }
    if (h->n)
        h->h[i] = last;
    return top;
}

typedef struct hac {
    uint32_t *size, *version, *label;
    bool *alive;
    u32vec *adj;
    pairmap *sums;
    heap heap;
    size_t m;
} hac;

static sf_status hac_push(hac *c, uint32_t a, uint32_t b, double threshold)
{
    double avg = pm_get(c->sums, a, b) / ((double)c->size[a] * c->size[b]);
    if (avg < threshold)
        return SF_OK;
    merge mg = {avg, a < b ? a : b, a < b ? b : a, 0, 0};
    mg.va = c->version[mg.a];
    mg.vb = c->version[mg.b];
    return heap_push(&c->heap, mg) ? SF_OK : SF_ENOMEM;
}

/* Merges cluster b into a: sums of similarities add up. */
static sf_status hac_merge(hac *c, uint32_t a, uint32_t b, double threshold)
{
    c->alive[b] = false;
    c->size[a] += c->size[b];
    c->version[a]++;
    for (size_t i = 0; i < c->adj[b].n; i++) {
        uint32_t x = c->adj[b].v[i];
        if (x == a || x == b || !c->alive[x])
            continue;
        double s = pm_get(c->sums, b, x);
        if (s == 0)
            continue;
        double *slot = pm_at(c->sums, a, x);
        if (!slot)
            return SF_ENOMEM;
        if (*slot == 0 && (!u32vec_push(&c->adj[a], x) || !u32vec_push(&c->adj[x], a)))
            return SF_ENOMEM;
        *slot += s;
    }
    free(c->adj[b].v);
    memset(&c->adj[b], 0, sizeof c->adj[b]);
    /* Drop stale and duplicate neighbours of a, then queue its merges. */
    u32vec *adj = &c->adj[a];
    size_t k = 0;
    for (size_t i = 0; i < adj->n; i++) {
        uint32_t x = adj->v[i];
        if (x == a || !c->alive[x] || c->label[x] == a)
            continue;
        c->label[x] = a; /* mark as seen for this pass */
        adj->v[k++] = x;
    }
    adj->n = k;
    for (size_t i = 0; i < adj->n; i++) {
        c->label[adj->v[i]] = adj->v[i];
        sf_status st = hac_push(c, a, adj->v[i], threshold);
        if (st != SF_OK)
            return st;
    }
    return SF_OK;
}

/* Average-linkage clustering of the nodes over the sparse similarity
 * graph; missing pairs count as similarity 0. On return root[i] is the
 * cluster (smallest surviving node) of node i. */
static sf_status cluster_events(size_t m, pairmap *sims, double threshold,
                                uint32_t *root)
{
    hac c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.sums = sims;
    c.size = malloc((m ? m : 1) * sizeof *c.size);
    c.version = calloc(m ? m : 1, sizeof *c.version);
    c.label = malloc((m ? m : 1) * sizeof *c.label);
    c.alive = malloc((m ? m : 1) * sizeof *c.alive);
    c.adj = calloc(m ? m : 1, sizeof *c.adj);
    sf_status st = SF_OK;
    if (!c.size || !c.version || !c.label || !c.alive || !c.adj) {
        st = SF_ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < m; i++) {
        c.size[i] = 1;
        c.label[i] = i;
        c.alive[i] = true;
        root[i] = i;
    }
    for (size_t i = 0; i <= sims->mask && sims->keys; i++) {
        if (!sims->keys[i])
            continue;
        uint64_t k = sims->keys[i] - 1;
        uint32_t a = (uint32_t)(k >> 32), b = (uint32_t)k;
        if (!u32vec_push(&c.adj[a], b) || !u32vec_push(&c.adj[b], a)) {
            st = SF_ENOMEM;
            goto out;
        }
        if ((st = hac_push(&c, a, b, threshold)) != SF_OK)
            goto out;
    }
    while (c.heap.n) {
        merge mg = heap_pop(&c.heap);
        if (!c.alive[mg.a] || !c.alive[mg.b] || c.version[mg.a] != mg.va ||
            c.version[mg.b] != mg.vb)
            continue;
        root[mg.b] = mg.a;
        if ((st = hac_merge(&c, mg.a, mg.b, threshold)) != SF_OK)
            goto out;
    }
    for (uint32_t i = 0; i < m; i++) {
        uint32_t r = i;
        while (root[r] != r)
            r = root[r];
        root[i] = r;
    }
out:
    for (size_t i = 0; c.adj && i < m; i++)
        free(c.adj[i].v);
    free(c.adj);
    free(c.size);
    free(c.version);
    free(c.label);
    free(c.alive);
    free(c.heap.h);
    return st;
}

/* ------------------------------------------------------------------ */
/* 3-4. Stories                                                        */
/* ------------------------------------------------------------------ */

void sf_fold_clear(sf_engine *e)
{
    free(e->stories);
    free(e->members);
    free(e->related);
    e->stories = NULL;
    e->members = NULL;
    e->related = NULL;
    e->nstories = 0;
    e->folded = false;
}

#define REP_SAMPLE 64

/* Picks the member whose summed similarity to the other members is highest
 * (ties: earliest), among the copy-group representatives. */
static uint32_t pick_rep(const sf_engine *e, const uint32_t *mem, uint32_t count,
                         const pairmap *sims, const uint32_t *node_of)
{
    /* A large story is judged on its first REP_SAMPLE members, so that
     * the cost stays bounded; the choice is still deterministic. */
    if (count > REP_SAMPLE)
        count = REP_SAMPLE;
    uint32_t best = mem[0];
    double best_s = -1;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t d = mem[i];
        if (e->docs[d].copy_of != SF_NONE)
            continue;
        double s = 0;
        for (uint32_t j = 0; j < count; j++) {
            uint32_t o = mem[j];
            if (o != d && e->docs[o].copy_of == SF_NONE)
                s += pm_get(sims, node_of[d], node_of[o]);
        }
        /* copies of d count as full agreement */
        for (uint32_t j = 0; j < count; j++)
            if (e->docs[mem[j]].copy_of == d)
                s += 1;
        if (s > best_s) {
            best_s = s;
            best = d;
        }
    }
    return best;
}

sf_status sf_fold_run(sf_engine *e)
{
    sf_fold_clear(e);
    size_t n = e->n;
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    uint32_t *node_of = malloc((n ? n : 1) * sizeof *node_of);
    uint32_t *root = NULL, *story_of_root = NULL;
    u32vec reps = {0};
    pairmap sims = {0};
    vecs vv = {0};
    sf_status st = SF_ENOMEM;
    if (!parent || !node_of)
        goto out;
    double t0 = sf_now();
    e->stats.pairs_compared = e->stats.pairs_linked = 0;
    if ((st = find_copies(e, parent, &reps)) != SF_OK)
        goto out;
    double t1 = sf_now();
    e->stats.copies_seconds = t1 - t0;
    for (uint32_t i = 0; i < reps.n; i++)
        node_of[reps.v[i]] = i;
    if ((st = build_vectors(e, &reps, &vv)) != SF_OK)
        goto out;
    if ((st = candidate_edges(e, &reps, &vv, &sims)) != SF_OK)
        goto out;
    st = SF_ENOMEM;
    size_t m = reps.n;
    root = malloc((m ? m : 1) * sizeof *root);
    story_of_root = malloc((m ? m : 1) * sizeof *story_of_root);
    if (!root || !story_of_root)
        goto out;
    /* cluster_events changes the sums of merged pairs: work on a copy so
     * that representatives are chosen on article similarities. */
    pairmap link = {0};
    if (sims.keys) {
        link.mask = sims.mask;
        link.count = sims.count;
        link.keys = malloc((sims.mask + 1) * sizeof *link.keys);
        link.vals = malloc((sims.mask + 1) * sizeof *link.vals);
        if (!link.keys || !link.vals) {
            pm_free(&link);
            goto out;
        }
        memcpy(link.keys, sims.keys, (sims.mask + 1) * sizeof *link.keys);
        memcpy(link.vals, sims.vals, (sims.mask + 1) * sizeof *link.vals);
    }
    /* With few articles the IDF cannot tell a topic's common words from an
     * event's own, and similarities run high: the thresholds rise by up
     * to SMALL_LIFT, fading as the collection grows past the prior's
     * pseudo-documents. */
    double lift = 1.0 + SMALL_LIFT * IDF_PRIOR_DOCS / ((double)m + IDF_PRIOR_DOCS);
    double event_t = e->opt.event_threshold * lift;
    double related_t = e->opt.related_threshold * lift;
    if ((st = cluster_events(m, &link, event_t, root)) != SF_OK) {
        pm_free(&link);
        goto out;
    }

    /* Stories in order of their first article. */
    st = SF_ENOMEM;
    for (size_t i = 0; i < m; i++)
        story_of_root[i] = SF_NONE;
    e->stories = calloc(m ? m : 1, sizeof *e->stories);
    e->members = malloc((n ? n : 1) * sizeof *e->members);
    if (!e->stories || !e->members) {
        pm_free(&link);
        goto out;
    }
    size_t ns = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = root[node_of[uf_find(parent, i)]];
        if (story_of_root[r] == SF_NONE)
            story_of_root[r] = (uint32_t)ns++;
        e->docs[i].story = story_of_root[r];
        e->stories[story_of_root[r]].count++;
    }
    uint32_t off = 0;
    for (size_t s = 0; s < ns; s++) {
        e->stories[s].first = off;
        off += e->stories[s].count;
        e->stories[s].count = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        sf_story *s = &e->stories[e->docs[i].story];
        e->members[s->first + s->count++] = i;
    }
    /* Related stories: average linkage between the event threshold and the
     * related threshold (the link map now holds sums between clusters). */
    u32vec rel_pairs = {0};
    /* sizes in the link map are counted in nodes (copy groups), not articles */
    uint32_t *nodes_in = calloc(ns ? ns : 1, sizeof *nodes_in);
    if (!nodes_in) {
        pm_free(&link);
        goto out;
    }
    for (uint32_t i = 0; i < m; i++)
        nodes_in[story_of_root[root[i]]]++;
    for (size_t i = 0; link.keys && i <= link.mask; i++) {
        if (!link.keys[i])
            continue;
        uint64_t k = link.keys[i] - 1;
        uint32_t a = (uint32_t)(k >> 32), b = (uint32_t)k;
        if (root[a] != a || root[b] != b)
            continue;
        uint32_t sa = story_of_root[a], sb = story_of_root[b];
        double avg = link.vals[i] / ((double)nodes_in[sa] * nodes_in[sb]);
        if (avg >= related_t && avg < event_t)
            if (!u32vec_push(&rel_pairs, sa) || !u32vec_push(&rel_pairs, sb)) {
                free(nodes_in);
                free(rel_pairs.v);
                pm_free(&link);
                goto out;
            }
    }
    free(nodes_in);
    pm_free(&link);
    e->related = malloc((rel_pairs.n ? rel_pairs.n : 1) * sizeof *e->related);
    if (!e->related) {
        free(rel_pairs.v);
        goto out;
    }
    for (size_t i = 0; i < rel_pairs.n; i += 2) {
        e->stories[rel_pairs.v[i]].rel_count++;
        e->stories[rel_pairs.v[i + 1]].rel_count++;
    }
    off = 0;
    for (size_t s = 0; s < ns; s++) {
        e->stories[s].rel_first = off;
        off += e->stories[s].rel_count;
        e->stories[s].rel_count = 0;
    }
    for (size_t i = 0; i < rel_pairs.n; i += 2) {
        uint32_t a = rel_pairs.v[i], b = rel_pairs.v[i + 1];
        e->related[e->stories[a].rel_first + e->stories[a].rel_count++] = b;
        e->related[e->stories[b].rel_first + e->stories[b].rel_count++] = a;
    }
    free(rel_pairs.v);
    for (size_t s = 0; s < ns; s++) {
        sf_story *story = &e->stories[s];
        const uint32_t *mem = e->members + story->first;
        story->rep = pick_rep(e, mem, story->count, &sims, node_of);
        story->first_day = story->last_day = SF_NO_DAY;
        story->copies = 0;
        for (uint32_t k = 0; k < story->count; k++) {
            const sf_doc *d = &e->docs[mem[k]];
            if (d->copy_of != SF_NONE)
                story->copies++;
            if (d->day == SF_NO_DAY)
                continue;
            if (story->first_day == SF_NO_DAY || d->day < story->first_day)
                story->first_day = d->day;
            if (story->last_day == SF_NO_DAY || d->day > story->last_day)
                story->last_day = d->day;
        }
        sf_format_day(story->first_day, story->first_date);
        sf_format_day(story->last_day, story->last_date);
        const sf_doc *first = &e->docs[mem[0]];
        snprintf(story->id, sizeof story->id, "s%016llx",
                 (unsigned long long)sf_hash64(first->id, strlen(first->id), 0x5707));
    }
    e->nstories = ns;
    e->stats.stories = ns;
    e->stats.events_seconds = sf_now() - t1;
    e->folded = true;
    st = SF_OK;
out:
    if (st != SF_OK)
        sf_fold_clear(e);
    free(parent);
    free(node_of);
    free(root);
    free(story_of_root);
    free(reps.v);
    pm_free(&sims);
    vecs_free(&vv);
    return st;
}
