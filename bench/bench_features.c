/*
 * bench_features.c — throughput of the per-article feature stage, stage by
 * stage, and the memory the engine keeps per article.
 *
 * usage: bench_features FILE.jsonl [ROUNDS [STAGE]]
 *
 * Reads and cleans every article of FILE first (neither is timed), then
 * times on one thread, best of ROUNDS (default 5; the tokenize and stem
 * rounds start with a new context, the features rounds go on with the
 * worker's, as sf_engine_add does):
 *   tokenize  sf_tokenize of the clean title and text, no stemming
 *   stem      the same with stemming (what the features use)
 *   sketch    sf_sketch_build alone, from the body's word hashes
 *   features  sf_doc_features: everything sf_engine_add does after cleaning
 *             (tokens, stems, word hashes, terms, names, ages, exact hash,
 *             sketch, copying the strings the engine keeps)
 * STAGE (tokenize, stem, sketch or features) times that stage only, for
 * profilers. MB/s is of the clean title + text bytes the stage reads (1 MB = 10^6
 * bytes). Then it prints the bytes per article that the features keep,
 * by field (what sf_engine_add holds per article until the engine is
 * freed).
 *
 * Uses the library's internal headers (src/): it times internal stages.
 */
#include "clean.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct page {
    sf_article a;           /* id, url, source, date point into owned copies */
    char *title, *text;     /* clean */
    size_t tlen, xlen;
    sf_lang lang;
    uint64_t *words;        /* body word hashes, for the sketch stage */
    size_t nwords;
} page;

static char *dup_bytes(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        fprintf(stderr, "bench_features: out of memory\n");
        exit(1);
    }
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct words_ctx {
    uint64_t *v;
    size_t n, cap;
    size_t tokens;
} words_ctx;

static int count_token(void *ctx, const sf_token *t)
{
    words_ctx *c = ctx;
    c->tokens += t->norm_len;
    return 0;
}

/* The body's word hashes as the engine makes them (every token's norm). */
static int hash_token(void *ctx, const sf_token *t)
{
    words_ctx *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) {
            fprintf(stderr, "bench_features: out of memory\n");
            exit(1);
        }
    }
    c->v[c->n++] = t->hash;
    return 0;
}

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

static void report(const char *stage, double best, size_t bytes, size_t n, int rounds)
{
    printf("  %-9s best of %d: %8.4f s  %7.1f MB/s  %9.0f articles/s\n", stage, rounds, best,
           (double)bytes / 1e6 / best, (double)n / best);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_features FILE.jsonl [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (rounds < 1)
        rounds = 1;
    const char *only = argc > 3 ? argv[3] : NULL;
    sf_error err;
    sf_reader *r = sf_reader_open(argv[1], NULL, &err);
    if (!r) {
        fprintf(stderr, "bench_features: %s\n", err.message);
        return 1;
    }
    page *pages = NULL;
    size_t n = 0, cap = 0, bytes = 0, raw = 0;
    sf_article a;
    sf_status st;
    while ((st = sf_reader_next(r, &a, &err)) != SF_END) {
        if (st != SF_OK)
            continue;
        sf_clean_result *cr;
        if (sf_clean(&a, &cr) != SF_OK)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            pages = realloc(pages, cap * sizeof *pages);
            if (!pages)
                return 1;
        }
        page *p = &pages[n++];
        memset(p, 0, sizeof *p);
        p->a.id = dup_bytes(a.id ? a.id : "", a.id_len);
        p->a.id_len = a.id_len;
        p->a.url = dup_bytes(a.url ? a.url : "", a.url_len);
        p->a.url_len = a.url_len;
        p->a.source = dup_bytes(a.source ? a.source : "", a.source_len);
        p->a.source_len = a.source_len;
        p->a.date = dup_bytes(a.date ? a.date : "", a.date_len);
        p->a.date_len = a.date_len;
        const char *s = sf_clean_title(cr, &p->tlen);
        p->title = dup_bytes(s ? s : "", s ? p->tlen : 0);
        s = sf_clean_text(cr, &p->xlen);
        p->text = dup_bytes(s ? s : "", s ? p->xlen : 0);
        p->lang = sf_clean_result_lang(cr);
        sf_clean_result_free(cr);
        p->a.text = p->text;
        p->a.text_len = p->xlen;
        bytes += p->tlen + p->xlen;
        raw += a.text_len;
    }
    sf_reader_free(r);

    sf_options opt;
    sf_options_default(&opt);
    sf_worker w;
    if (!sf_worker_init(&w)) {
        fprintf(stderr, "bench_features: out of memory\n");
        return 1;
    }
    /* Word hashes for the sketch stage (lang as the features see it), with
     * a context of their own: the features start with a cold word table. */
    sf_text *tx = sf_text_new();
    if (!tx)
        return 1;
    size_t nwords = 0;
    for (size_t i = 0; i < n; i++) {
        page *p = &pages[i];
        sf_lang lang = p->lang ? p->lang : sf_lang_detect(p->text, p->xlen);
        words_ctx c = {0};
        sf_tokenize(tx, p->text, p->xlen, lang, SF_TOKENIZE_STEM, hash_token, &c);
        p->words = c.v;
        p->nwords = c.n;
        nwords += c.n;
        p->lang = lang;
    }
    printf("%s: %zu articles, %.2f MB of page text, %.2f MB clean (title + text), "
           "%.0f words/article\n",
           argv[1], n, (double)raw / 1e6, (double)bytes / 1e6, n ? (double)nwords / (double)n : 0.0);

    static const struct { const char *name; unsigned opts; } tok_stages[] = {
        {"tokenize", 0}, {"stem", SF_TOKENIZE_STEM}};
    for (size_t s = 0; s < 2; s++) {
        if (only && strcmp(only, tok_stages[s].name) != 0)
            continue;
        double best = 1e30;
        for (int k = 0; k < rounds; k++) {
            words_ctx c = {0};
            sf_text_free(tx);
            tx = sf_text_new();
            if (!tx)
                return 1;
            double t0 = now();
            for (size_t i = 0; i < n; i++) {
                sf_tokenize(tx, pages[i].title, pages[i].tlen, pages[i].lang,
                            tok_stages[s].opts, count_token, &c);
                sf_tokenize(tx, pages[i].text, pages[i].xlen, pages[i].lang,
                            tok_stages[s].opts, count_token, &c);
            }
            double t = now() - t0;
            best = t < best ? t : best;
        }
        report(tok_stages[s].name, best, bytes, n, rounds);
    }

    double best = 1e30;
    uint32_t check = 0;
    for (int k = 0; k < rounds && (!only || strcmp(only, "sketch") == 0); k++) {
        sf_sketch sk;
        check = 0;
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            sf_sketch_build(pages[i].words, pages[i].nwords, opt.shingle_words, &sk);
            check += sk.v[0];
        }
        double t = now() - t0;
        best = t < best ? t : best;
    }
    if (!only || strcmp(only, "sketch") == 0) {
        report("sketch", best, bytes, n, rounds);
        printf("            %.1f M shingles/s (check %08x)\n", (double)nwords / 1e6 / best,
               (unsigned)check);
    }
    if (only && strcmp(only, "features") != 0)
        rounds = 1;

    sf_doc *docs = malloc((n ? n : 1) * sizeof *docs);
    if (!docs)
        return 1;
    best = 1e30;
    for (int k = 0; k < rounds; k++) {
        sf_arena_free(&w.strings);
        sf_arena_init(&w.strings, 1 << 20);
        w.npend = 0; /* the term hashes the engine would number after each batch */
        double t0 = now();
        for (size_t i = 0; i < n; i++)
            if (sf_doc_features(&w, &opt, &pages[i].a, pages[i].title, pages[i].tlen,
                                pages[i].text, pages[i].xlen, pages[i].text,
                                pages[i].xlen, pages[i].lang,
                                &docs[i]) != SF_OK) {
                fprintf(stderr, "bench_features: sf_doc_features failed\n");
                return 1;
            }
        double t = now() - t0;
        best = t < best ? t : best;
    }
    report("features", best, bytes, n, rounds);

    /* What the features keep per article: the sf_doc, and one arena
     * block (rounded to 16 bytes) of term arrays and strings. */
    size_t strings = 0, text = 0, terms = 0, nterms = 0, blocks = 0;
    for (size_t i = 0; i < n; i++) {
        const sf_doc *d = &docs[i];
        size_t sl = strlen(d->id) + strlen(d->title) + strlen(d->url) + strlen(d->source) +
                    strlen(d->date) + 5;
        size_t tb = d->nterms * (sizeof *d->term_id + sizeof *d->term_count) + sizeof(sf_sketch);
        strings += sl;
        text += d->text_len + 1;
        terms += tb;
        nterms += d->nterms;
        blocks += round16(sl + d->text_len + 1 + tb);
    }
    double dn = n ? (double)n : 1.0;
    printf("  kept per article: %.0f bytes = sf_doc %zu + strings %.0f "
           "+ clean text %.0f + terms and signature (%zu) %.0f (%.0f terms) + rounding %.0f\n",
           (double)(n * sizeof *docs + blocks) / dn, sizeof *docs, (double)strings / dn,
           (double)text / dn, sizeof(sf_sketch), (double)terms / dn, (double)nterms / dn,
           (double)(blocks - strings - text - terms) / dn);

    free(docs);
    sf_text_free(tx);
    sf_worker_free(&w);
    for (size_t i = 0; i < n; i++) {
        free((char *)pages[i].a.id);
        free((char *)pages[i].a.url);
        free((char *)pages[i].a.source);
        free((char *)pages[i].a.date);
        free(pages[i].title);
        free(pages[i].text);
        free(pages[i].words);
    }
    free(pages);
    return 0;
}
