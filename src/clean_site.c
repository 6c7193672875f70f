/*
 * clean_site.c — site furniture across pages: how many of a site's pages
 * hold each (normalised) line. A site is the article's source, else the
 * host of its url (without "www."). clean.c removes a line as
 * "site-furniture" when the model says it recurs (sf_site_recurring) and
 * it is no long paragraph of the article.
 *
 * Storage: one open-addressing table keyed by a hash of (site, line hash)
 * with the number of pages holding the line, and one keyed by site with
 * its number of pages. Each page counts a line once.
 */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

enum {
    SITE_MIN_PAGES = 3,      /* a line on fewer pages is no furniture */
    SITE_SHARE_DIV = 2       /* ... nor on fewer than 1/2 of the site's pages */
};

typedef struct slot {
    uint64_t key;            /* 0 = empty */
    uint32_t count;
} slot;

typedef struct table {
    slot *s;
    size_t cap, n;           /* cap a power of two */
} table;

struct sf_site_model {
    table lines;             /* (site, line) -> pages */
    table sites;             /* site -> pages */
};

/* ====================================================================== */
/* Tables                                                                  */
/* ====================================================================== */

static uint64_t nonzero(uint64_t k)
{
    return k ? k : 1;
}

static slot *find(const table *t, uint64_t key)
{
    if (!t->cap)
        return NULL;
    size_t h = (size_t)(key ^ (key >> 29)) & (t->cap - 1);
    while (t->s[h].key && t->s[h].key != key)
        h = (h + 1) & (t->cap - 1);
    return &t->s[h];
}

static bool grow(table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    slot *s = calloc(cap, sizeof *s);
    if (!s)
        return false;
    table nt = {s, cap, 0};
    for (size_t i = 0; i < t->cap; i++)
        if (t->s[i].key) {
            slot *d = find(&nt, t->s[i].key);
            *d = t->s[i];
            nt.n++;
        }
    free(t->s);
    *t = nt;
    return true;
}

/* Adds one to key's count. False if out of memory. */
static bool bump(table *t, uint64_t key)
{
    if ((t->n + 1) * 4 >= t->cap * 3 && !grow(t))
        return false;
    slot *s = find(t, key);
    if (!s->key) {
        s->key = key;
        t->n++;
    }
    s->count++;
    return true;
}

static uint32_t count_of(const table *t, uint64_t key)
{
    const slot *s = find(t, key);
    return s && s->key ? s->count : 0;
}

/* ====================================================================== */
/* Sites                                                                   */
/* ====================================================================== */

uint64_t sf_site_key(const sf_article *a)
{
    if (a->source && a->source_len)
        return nonzero(sf_hash64(a->source, a->source_len, 0x51e));
    if (!a->url || !a->url_len)
        return 0;
    const char *u = a->url, *end = a->url + a->url_len;
    for (const char *p = u; p + 2 < end; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
            u = p + 3;
            break;
        }
    if (end - u > 4 && (u[0] == 'w' || u[0] == 'W') && (u[1] == 'w' || u[1] == 'W') &&
        (u[2] == 'w' || u[2] == 'W') && u[3] == '.')
        u += 4;
    char host[256];
    size_t n = 0;
    for (; u < end && n < sizeof host; u++) {
        char c = *u;
        if (c == '/' || c == ':' || c == '?' || c == '#')
            break;
        host[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    return n ? nonzero(sf_hash64(host, n, 0x51e)) : 0;
}

static uint64_t line_key(uint64_t site, uint64_t line)
{
    uint64_t k[2] = {site, line};
    return nonzero(sf_hash64(k, sizeof k, 0x11e));
}

sf_site_model *sf_site_model_new(void)
{
    return calloc(1, sizeof(sf_site_model));
}

void sf_site_model_free(sf_site_model *m)
{
    if (!m)
        return;
    free(m->lines.s);
    free(m->sites.s);
    free(m);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

sf_status sf_site_model_add(sf_site_model *m, const sf_article *a)
{
    if (!m || !a)
        return SF_EINVAL;
    uint64_t site = sf_site_key(a);
    if (!site || !a->text || !a->text_len)
        return SF_OK;                 /* no site, or nothing to count */
    sf_clean_doc d;
    sf_status st = sf_clean_lines(a, &d);
    uint64_t *h = st == SF_OK && d.n ? malloc(d.n * sizeof *h) : NULL;
    if (st == SF_OK && d.n && !h)
        st = SF_ENOMEM;
    if (st == SF_OK && !bump(&m->sites, site))
        st = SF_ENOMEM;
    if (st == SF_OK && d.n) {
        for (size_t i = 0; i < d.n; i++)
            h[i] = d.lines[i].hash;
        qsort(h, d.n, sizeof *h, cmp_u64);
        for (size_t i = 0; i < d.n && st == SF_OK; i++)
            if ((i == 0 || h[i] != h[i - 1]) && !bump(&m->lines, line_key(site, h[i])))
                st = SF_ENOMEM;
    }
    free(h);
    sf_clean_doc_free(&d);
    return st;
}

bool sf_site_recurring(const sf_site_model *m, uint64_t site, uint64_t line_hash)
{
    if (!m || !site)
        return false;
    uint32_t pages = count_of(&m->sites, site);
    uint32_t n = count_of(&m->lines, line_key(site, line_hash));
    return n >= SITE_MIN_PAGES && (uint64_t)n * SITE_SHARE_DIV >= pages;
}
