/*
 * eval.c — scoring storyfold's output against labelled data:
 * clusterings (B-cubed, adjusted Rand index, pairwise) and cleaned text
 * (word 4-gram shingles, as the article-extraction benchmark scores it).
 */
#include "common.h"
#include "strmap.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------------ */
/* Clusterings                                                         */
/* ------------------------------------------------------------------ */

typedef struct pair64 {
    uint64_t a, b;
} pair64;

static int cmp_pair(const void *x, const void *y)
{
    const pair64 *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return 0;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static double choose2(double n) { return n * (n - 1) / 2; }

/* Sum over groups of equal values in sorted v of f(group size); also
 * writes each item's group size into size_of (indexed like v's order). */
static double sum_choose2_sorted(const uint64_t *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j] == v[i])
            j++;
        s += choose2((double)(j - i));
        i = j;
    }
    return s;
}

/* Size of the group holding value x in sorted v. */
static size_t group_size(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - first;
}

static size_t count_distinct_sorted(const uint64_t *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || v[i] != v[i - 1])
            k++;
    return k;
}

sf_status sf_eval_clusters(const uint64_t *pred, const uint64_t *gold, size_t n,
                           sf_cluster_scores *out)
{
    if (!out || (n && (!pred || !gold)))
        return SF_EINVAL;
    memset(out, 0, sizeof *out);
    out->items = n;
    if (n == 0)
        return SF_OK;
    uint64_t *ps = malloc(n * sizeof *ps);
    uint64_t *gs = malloc(n * sizeof *gs);
    pair64 *pg = malloc(n * sizeof *pg);
    if (!ps || !gs || !pg) {
        free(ps);
        free(gs);
        free(pg);
        return SF_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        ps[i] = pred[i];
        gs[i] = gold[i];
        pg[i].a = pred[i];
        pg[i].b = gold[i];
    }
    qsort(ps, n, sizeof *ps, cmp_u64);
    qsort(gs, n, sizeof *gs, cmp_u64);
    qsort(pg, n, sizeof *pg, cmp_pair);

    /* Each cell (pred cluster i, gold cluster j) with n_ij items adds
     * n_ij^2 / |pred_i| to precision and n_ij^2 / |gold_j| to recall. */
    double bp = 0, br = 0, sum_nij2 = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pg[j].a == pg[i].a && pg[j].b == pg[i].b)
            j++;
        double nij = (double)(j - i);
        bp += nij * nij / (double)group_size(ps, n, pg[i].a);
        br += nij * nij / (double)group_size(gs, n, pg[i].b);
        sum_nij2 += choose2(nij);
        i = j;
    }
    double N = (double)n;
    out->bcubed_p = bp / N;
    out->bcubed_r = br / N;
    out->bcubed_f1 = out->bcubed_p + out->bcubed_r > 0
                         ? 2 * out->bcubed_p * out->bcubed_r /
                               (out->bcubed_p + out->bcubed_r)
                         : 0;

    double sum_a = sum_choose2_sorted(ps, n), sum_b = sum_choose2_sorted(gs, n);
    out->pair_p = sum_a > 0 ? sum_nij2 / sum_a : 1.0;
    out->pair_r = sum_b > 0 ? sum_nij2 / sum_b : 1.0;
    out->pair_f1 = out->pair_p + out->pair_r > 0
                       ? 2 * out->pair_p * out->pair_r / (out->pair_p + out->pair_r)
                       : 0;
    double total = choose2(N);
    double expected = total > 0 ? sum_a * sum_b / total : 0;
    double maxi = (sum_a + sum_b) / 2;
    out->ari = fabs(maxi - expected) < 1e-12 ? 1.0
                                             : (sum_nij2 - expected) / (maxi - expected);
    out->pred_clusters = count_distinct_sorted(ps, n);
    out->gold_clusters = count_distinct_sorted(gs, n);
    free(ps);
    free(gs);
    free(pg);
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* Reading JSON Lines for evaluation                                   */
/* ------------------------------------------------------------------ */

/* Calls fn for every non-blank line of path parsed as a JSON object.
 * Stops with SF_EPARSE (err filled) at the first line that is not one. */
typedef sf_status (*json_line_fn)(void *ctx, json_t *obj, uint64_t line,
                                  sf_error *err);

static sf_status each_json_line(const char *path, json_line_fn fn, void *ctx,
                                sf_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sf_error_set(err, SF_EIO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t lineno = 0;
    sf_status st = SF_OK;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                       line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        if (len == 0)
            continue;
        json_error_t jerr;
        json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
        if (!obj || !json_is_object(obj)) {
            st = sf_error_set(err, SF_EPARSE, path, lineno, 0, "%s",
                              obj ? "not a JSON object" : jerr.text);
            json_decref(obj);
            break;
        }
        st = fn(ctx, obj, lineno, err);
        json_decref(obj);
        if (st != SF_OK)
            break;
    }
    if (st == SF_OK && ferror(f))
        st = sf_error_set(err, SF_EIO, path, lineno, 0, "read error");
    free(line);
    fclose(f);
    return st;
}

/* A string or integer JSON value as text in buf (for ids and labels).
 * Returns NULL for other types. */
static const char *scalar_text(json_t *v, char *buf, size_t bufsz, size_t *len)
{
    if (json_is_string(v)) {
        *len = json_string_length(v);
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        int k = snprintf(buf, bufsz, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *len = (size_t)k;
        return buf;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Scoring fold output                                                 */
/* ------------------------------------------------------------------ */

typedef struct fold_eval {
    const char *path;
    sf_strmap pred;      /* article id -> story number + 1 */
    sf_strmap labels;    /* label -> label number */
    uint64_t story;      /* current story number */
    uint64_t *gold, *predv;
    size_t n, gold_cap, pred_cap;
    uint64_t missing;    /* labelled items absent from the prediction */
    const char *label_field;
} fold_eval;

static sf_status read_pred_story(void *ctx, json_t *obj, uint64_t line, sf_error *err)
{
    fold_eval *fe = ctx;
    json_t *arts = json_object_get(obj, "articles");
    if (!json_is_array(arts))
        return sf_error_set(err, SF_EPARSE, fe->path, line, 0,
                            "no \"articles\" list: not a fold output");
    size_t i;
    json_t *a;
    json_array_foreach(arts, i, a) {
        char buf[32];
        size_t len;
        const char *id = scalar_text(json_is_object(a) ? json_object_get(a, "id") : a,
                                     buf, sizeof buf, &len);
        if (!id)
            return sf_error_set(err, SF_EPARSE, fe->path, line, 0,
                                "article %zu has no id", i + 1);
        bool added;
        uint64_t *v = sf_strmap_put(&fe->pred, id, len, fe->story + 1, &added);
        if (!v)
            return SF_ENOMEM;
        if (!added)
            return sf_error_set(err, SF_EPARSE, fe->path, line, 0,
                                "article \"%.*s\" appears in two stories",
                                (int)(len > 80 ? 80 : len), id);
    }
    fe->story++;
    return SF_OK;
}

static sf_status read_gold_item(void *ctx, json_t *obj, uint64_t line, sf_error *err)
{
    fold_eval *fe = ctx;
    char ibuf[32], lbuf[32];
    size_t ilen, llen;
    const char *id = scalar_text(json_object_get(obj, "id"), ibuf, sizeof ibuf, &ilen);
    const char *label = scalar_text(json_object_get(obj, fe->label_field), lbuf,
                                    sizeof lbuf, &llen);
    if (!id)
        return sf_error_set(err, SF_EPARSE, fe->path, line, 0, "record has no id");
    if (!label || llen == 0)
        return SF_OK; /* unlabelled: not scored */
    if (!SF_GROW(fe->gold, fe->gold_cap, fe->n + 1) ||
        !SF_GROW(fe->predv, fe->pred_cap, fe->n + 1))
        return SF_ENOMEM;
    uint64_t *lab = sf_strmap_put(&fe->labels, label, llen, fe->labels.count, NULL);
    if (!lab)
        return SF_ENOMEM;
    fe->gold[fe->n] = *lab;
    uint64_t *p = sf_strmap_get(&fe->pred, id, ilen);
    /* A missing item is its own singleton: numbers past every story. */
    fe->predv[fe->n] = p ? *p : ((uint64_t)1 << 62) + fe->n;
    if (!p)
        fe->missing++;
    fe->n++;
    (void)line;
    return SF_OK;
}

sf_status sf_eval_fold_files(const char *pred_path, const char *gold_path,
                             const char *label_field, sf_cluster_scores *out,
                             sf_error *err)
{
    if (!pred_path || !gold_path || !label_field || !out)
        return SF_EINVAL;
    fold_eval fe;
    memset(&fe, 0, sizeof fe);
    sf_strmap_init(&fe.pred);
    sf_strmap_init(&fe.labels);
    fe.label_field = label_field;
    fe.path = pred_path;
    sf_status st = each_json_line(pred_path, read_pred_story, &fe, err);
    if (st == SF_OK) {
        fe.path = gold_path;
        st = each_json_line(gold_path, read_gold_item, &fe, err);
    }
    if (st == SF_OK) {
        st = sf_eval_clusters(fe.predv, fe.gold, fe.n, out);
        out->missing = fe.missing;
    }
    sf_strmap_free(&fe.pred);
    sf_strmap_free(&fe.labels);
    free(fe.gold);
    free(fe.predv);
    return st;
}

/* ------------------------------------------------------------------ */
/* Scoring clean output                                                */
/* ------------------------------------------------------------------ */

/* Python's \w: letters, numbers (any numeric category) and underscore;
 * combining marks are not word characters. */
static bool is_word_char(utf8proc_int32_t c)
{
    if (c == '_')
        return true;
    if (c < 128)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

#define SHINGLE_N 4

/* Appends the hashes of the word 4-grams of s to *v (a text with fewer
 * than four words gives one shingle of all its words, none if empty).
 * Returns the number of shingles, or -1 if out of memory. */
static long shingle_hashes(const char *s, size_t len, uint64_t **v)
{
    size_t cap = 256, n = 0, nw = 0;
    uint64_t *out = malloc(cap * sizeof *out);
    uint64_t words[SHINGLE_N];
    if (!out)
        return -1;
    size_t i = 0;
    for (;;) {
        /* find the next word */
        size_t start = len, end = len;
        while (i < len) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                  (utf8proc_ssize_t)(len - i), &c);
            if (k <= 0) {
                i++;
                if (start != len) {
                    end = i - 1;
                    break;
                }
                continue;
            }
            if (is_word_char(c)) {
                if (start == len)
                    start = i;
                i += (size_t)k;
                end = i;
            } else {
                i += (size_t)k;
                if (start != len)
                    break;
            }
        }
        if (start == len)
            break;
        uint64_t wh = sf_hash64(s + start, end - start, 0x5eed);
        if (nw < SHINGLE_N) {
            words[nw++] = wh;
            if (nw < SHINGLE_N)
                continue;
        } else {
            memmove(words, words + 1, (SHINGLE_N - 1) * sizeof *words);
            words[SHINGLE_N - 1] = wh;
        }
        if (!SF_GROW(out, cap, n + 1)) {
            free(out);
            return -1;
        }
        out[n++] = sf_hash64(words, sizeof words, 4);
    }
    if (nw > 0 && nw < SHINGLE_N)
        out[n++] = sf_hash64(words, nw * sizeof *words, nw);
    qsort(out, n, sizeof *out, cmp_u64);
    *v = out;
    return (long)n;
}

sf_status sf_eval_text_pair(const char *kept, size_t kept_len, const char *gold,
                            size_t gold_len, sf_shingle_counts *out)
{
    if (!out)
        return SF_EINVAL;
    memset(out, 0, sizeof *out);
    uint64_t *p = NULL, *g = NULL;
    long np = shingle_hashes(kept ? kept : "", kept ? kept_len : 0, &p);
    long ng = np < 0 ? -1 : shingle_hashes(gold ? gold : "", gold ? gold_len : 0, &g);
    if (np < 0 || ng < 0) {
        free(p);
        return SF_ENOMEM;
    }
    /* Merge two sorted multisets: the common part is clipped. */
    size_t i = 0, j = 0;
    while (i < (size_t)np || j < (size_t)ng) {
        if (j == (size_t)ng || (i < (size_t)np && p[i] < g[j])) {
            out->fp++;
            i++;
        } else if (i == (size_t)np || g[j] < p[i]) {
            out->fn++;
            j++;
        } else {
            out->tp++;
            i++;
            j++;
        }
    }
    free(p);
    free(g);
    return SF_OK;
}

typedef struct clean_eval {
    const char *path;
    const char *field;
    sf_strmap ids;          /* prediction id -> index + 1 into texts */
    char **texts;
    size_t *lens;
    size_t n, texts_cap, lens_cap;
    double psum, rsum;
    uint64_t pn, rn, pages, missing;
} clean_eval;

static sf_status read_pred_text(void *ctx, json_t *obj, uint64_t line, sf_error *err)
{
    clean_eval *ce = ctx;
    char buf[32];
    size_t ilen;
    const char *id = scalar_text(json_object_get(obj, "id"), buf, sizeof buf, &ilen);
    json_t *t = json_object_get(obj, "text");
    if (!id || !json_is_string(t))
        return sf_error_set(err, SF_EPARSE, ce->path, line, 0,
                            "record needs an id and a \"text\" string");
    if (!SF_GROW(ce->texts, ce->texts_cap, ce->n + 1) ||
        !SF_GROW(ce->lens, ce->lens_cap, ce->n + 1))
        return SF_ENOMEM;
    char *copy = sf_strndup(json_string_value(t), json_string_length(t));
    if (!copy)
        return SF_ENOMEM;
    bool added;
    uint64_t *v = sf_strmap_put(&ce->ids, id, ilen, ce->n + 1, &added);
    if (!v) {
        free(copy);
        return SF_ENOMEM;
    }
    if (!added) {
        free(copy);
        return sf_error_set(err, SF_EPARSE, ce->path, line, 0, "id appears twice");
    }
    ce->texts[ce->n] = copy;
    ce->lens[ce->n] = json_string_length(t);
    ce->n++;
    return SF_OK;
}

static sf_status score_gold_page(void *ctx, json_t *obj, uint64_t line, sf_error *err)
{
    clean_eval *ce = ctx;
    char buf[32];
    size_t ilen;
    const char *id = scalar_text(json_object_get(obj, "id"), buf, sizeof buf, &ilen);
    json_t *body = json_object_get(obj, ce->field);
    if (!id)
        return sf_error_set(err, SF_EPARSE, ce->path, line, 0, "record has no id");
    if (!json_is_string(body))
        return SF_OK; /* no gold body: not scored */
    uint64_t *k = sf_strmap_get(&ce->ids, id, ilen);
    if (!k)
        ce->missing++;
    sf_shingle_counts c;
    sf_status st = sf_eval_text_pair(k ? ce->texts[*k - 1] : "", k ? ce->lens[*k - 1] : 0,
                                     json_string_value(body), json_string_length(body), &c);
    if (st != SF_OK)
        return st;
    /* The benchmark's conventions: a page with neither false positives nor
     * false negatives scores 1; precision is averaged over pages that
     * predicted something, recall over pages with something to find. */
    ce->pages++;
    if (c.fp == 0 && c.fn == 0) {
        ce->psum += 1;
        ce->rsum += 1;
        ce->pn++;
        ce->rn++;
        return SF_OK;
    }
    if (c.tp + c.fp > 0) {
        ce->psum += (double)c.tp / (double)(c.tp + c.fp);
        ce->pn++;
    }
    if (c.tp + c.fn > 0) {
        ce->rsum += (double)c.tp / (double)(c.tp + c.fn);
        ce->rn++;
    }
    return SF_OK;
}

sf_status sf_eval_clean_files(const char *pred_path, const char *gold_path,
                              const char *body_field, sf_text_scores *out,
                              sf_error *err)
{
    if (!pred_path || !gold_path || !body_field || !out)
        return SF_EINVAL;
    memset(out, 0, sizeof *out);
    clean_eval ce;
    memset(&ce, 0, sizeof ce);
    sf_strmap_init(&ce.ids);
    ce.field = body_field;
    ce.path = pred_path;
    sf_status st = each_json_line(pred_path, read_pred_text, &ce, err);
    if (st == SF_OK) {
        ce.path = gold_path;
        st = each_json_line(gold_path, score_gold_page, &ce, err);
    }
    if (st == SF_OK) {
        out->p = ce.pn ? ce.psum / (double)ce.pn : 0;
        out->r = ce.rn ? ce.rsum / (double)ce.rn : 0;
        out->f1 = out->p + out->r > 0 ? 2 * out->p * out->r / (out->p + out->r) : 0;
        out->pages = ce.pages;
        out->missing = ce.missing;
    }
    for (size_t i = 0; i < ce.n; i++)
        free(ce.texts[i]);
    free(ce.texts);
    free(ce.lens);
    sf_strmap_free(&ce.ids);
    return st;
}

/* ------------------------------------------------------------------ */
/* Scoring pair similarities                                           */
/* ------------------------------------------------------------------ */

/* Ranks of v (1-based, ties get their average rank) in r. */
static bool ranks(const double *v, size_t n, double *r)
{
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix)
        return false;
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    /* a stable bottom-up merge sort of the indices by value */
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp) {
        free(ix);
        return false;
    }
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = v[ix[b]] < v[ix[a]] ? ix[b++] : ix[a++];
            while (a < mid)
                tmp[k++] = ix[a++];
            while (b < hi)
                tmp[k++] = ix[b++];
        }
        memcpy(ix, tmp, n * sizeof *ix);
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && v[ix[j]] == v[ix[i]])
            j++;
        double avg = (double)(i + 1 + j) / 2; /* ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            r[ix[k]] = avg;
        i = j;
    }
    free(tmp);
    free(ix);
    return true;
}

static double pearson(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return 0;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++)
        mx += x[i], my += y[i];
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

sf_status sf_eval_correlation(const double *x, const double *y, size_t n, double *pearson_out,
                              double *spearman_out)
{
    if ((!x || !y) && n)
        return SF_EINVAL;
    if (pearson_out)
        *pearson_out = pearson(x, y, n);
    if (spearman_out) {
        double *rx = malloc((n ? n : 1) * sizeof *rx), *ry = malloc((n ? n : 1) * sizeof *ry);
        bool ok = rx && ry && ranks(x, n, rx) && ranks(y, n, ry);
        if (ok)
            *spearman_out = pearson(rx, ry, n);
        free(rx);
        free(ry);
        if (!ok)
            return SF_ENOMEM;
    }
    return SF_OK;
}

typedef struct pair_eval {
    const char *path;
    /* A pair id may occur more than once (a pair labelled twice, texts
     * fetched twice): the k-th occurrence in the gold file is matched
     * with the k-th in the prediction. */
    sf_strmap seen;      /* pair id -> occurrences so far in the file being read */
    char key[320];       /* pair id + occurrence */
    sf_strmap pred;      /* key -> index into sim + 1 */
    double *sim, *x, *y;
    size_t nsim, sim_cap, n, x_cap, y_cap;
    uint64_t missing;
    const char *label_field;
    bool distance;
} pair_eval;

/* The key of this occurrence of pair id (in pe->key), or NULL if out of
 * memory; *klen gets its length. */
static const char *occurrence_key(pair_eval *pe, const char *id, size_t len, size_t *klen)
{
    uint64_t *n = sf_strmap_put(&pe->seen, id, len, 0, NULL);
    if (!n)
        return NULL;
    if (len > 256)
        len = 256; /* longer ids are compared by their first 256 bytes */
    memcpy(pe->key, id, len);
    int k = snprintf(pe->key + len, sizeof pe->key - len, "#%" PRIu64, (*n)++);
    *klen = len + (size_t)k;
    return pe->key;
}

static sf_status read_pred_pair(void *ctx, json_t *obj, uint64_t line, sf_error *err)
{
    pair_eval *pe = ctx;
    char buf[32];
    size_t len;
    const char *id = scalar_text(json_object_get(obj, "pair_id"), buf, sizeof buf, &len);
    json_t *s = json_object_get(obj, "similarity");
    if (!id)
        return sf_error_set(err, SF_EPARSE, pe->path, line, 0, "record has no pair_id");
    if (!json_is_number(s))
        return sf_error_set(err, SF_EPARSE, pe->path, line, 0,
                            "no numeric \"similarity\": not a pairs output");
    size_t klen;
    const char *key = occurrence_key(pe, id, len, &klen);
    if (!key || !SF_GROW(pe->sim, pe->sim_cap, pe->nsim + 1) ||
        !sf_strmap_put(&pe->pred, key, klen, pe->nsim + 1, NULL))
        return SF_ENOMEM;
    pe->sim[pe->nsim++] = json_number_value(s);
    return SF_OK;
}

static sf_status read_gold_pair(void *ctx, json_t *obj, uint64_t line, sf_error *err)
{
    pair_eval *pe = ctx;
    char buf[32];
    size_t len;
    const char *id = scalar_text(json_object_get(obj, "pair_id"), buf, sizeof buf, &len);
    json_t *label = json_object_get(obj, pe->label_field);
    if (!id)
        return sf_error_set(err, SF_EPARSE, pe->path, line, 0, "record has no pair_id");
    if (!json_is_number(label))
        return SF_OK; /* unlabelled: not scored */
    size_t klen;
    const char *key = occurrence_key(pe, id, len, &klen);
    if (!key)
        return SF_ENOMEM;
    uint64_t *p = sf_strmap_get(&pe->pred, key, klen);
    if (!p) {
        pe->missing++;
        return SF_OK;
    }
    if (!SF_GROW(pe->x, pe->x_cap, pe->n + 1) || !SF_GROW(pe->y, pe->y_cap, pe->n + 1))
        return SF_ENOMEM;
    double g = json_number_value(label);
    pe->x[pe->n] = pe->sim[*p - 1];
    pe->y[pe->n] = pe->distance ? -g : g;
    pe->n++;
    return SF_OK;
}

sf_status sf_eval_pair_files(const char *pred_path, const char *gold_path,
                             const char *label_field, int label_is_distance,
                             sf_pair_scores *out, sf_error *err)
{
    if (!pred_path || !gold_path || !label_field || !out)
        return SF_EINVAL;
    pair_eval pe;
    memset(&pe, 0, sizeof pe);
    sf_strmap_init(&pe.pred);
    pe.label_field = label_field;
    pe.distance = label_is_distance != 0;
    sf_strmap_init(&pe.seen);
    pe.path = pred_path;
    sf_status st = each_json_line(pred_path, read_pred_pair, &pe, err);
    if (st == SF_OK) {
        sf_strmap_free(&pe.seen);
        sf_strmap_init(&pe.seen);
        pe.path = gold_path;
        st = each_json_line(gold_path, read_gold_pair, &pe, err);
    }
    if (st == SF_OK) {
        memset(out, 0, sizeof *out);
        st = sf_eval_correlation(pe.x, pe.y, pe.n, &out->pearson, &out->spearman);
        out->pairs = pe.n;
        out->missing = pe.missing;
    }
    sf_strmap_free(&pe.pred);
    sf_strmap_free(&pe.seen);
    free(pe.sim);
    free(pe.x);
    free(pe.y);
    return st;
}
