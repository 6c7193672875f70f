/*
 * bench_clean.c — throughput of sf_clean alone.
 *
 * usage: bench_clean FILE.jsonl [ROUNDS]
 * Reads every article of FILE into memory (the reader is not timed), then
 * cleans all of them ROUNDS times (default 5) on one thread and prints the
 * best round's throughput in MB/s of input text (1 MB = 10^6 bytes), and
 * the throughput of the sum over pages of each page's best time: on a
 * machine other work is slowing down, a round is rarely left alone from
 * start to end, a single page often is, so that figure moves far less.
 */
#include <storyfold.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct page {
    char *text;
    size_t len;
    char *title;
    size_t title_len;
} page;

static char *dup_bytes(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_clean FILE.jsonl [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (rounds < 1)
        rounds = 1;
    sf_error err;
    sf_reader *r = sf_reader_open(argv[1], NULL, &err);
    if (!r) {
        fprintf(stderr, "bench_clean: %s\n", err.message);
        return 1;
    }
    page *pages = NULL;
    size_t n = 0, cap = 0, bytes = 0;
    sf_article a;
    sf_status st;
    while ((st = sf_reader_next(r, &a, &err)) != SF_END) {
        if (st != SF_OK)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            page *np = realloc(pages, cap * sizeof *np);
            if (!np)
                return 1;
            pages = np;
        }
        pages[n].text = dup_bytes(a.text, a.text_len);
        pages[n].len = a.text_len;
        pages[n].title = a.title ? dup_bytes(a.title, a.title_len) : NULL;
        pages[n].title_len = a.title ? a.title_len : 0;
        if (!pages[n].text)
            return 1;
        bytes += a.text_len;
        n++;
    }
    sf_reader_free(r);
    double best = 1e30;
    double *page_best = malloc((n ? n : 1) * sizeof *page_best);
    if (!page_best)
        return 1;
    for (size_t i = 0; i < n; i++)
        page_best[i] = 1e30;
    size_t kept = 0;
    for (int k = 0; k < rounds; k++) {
        kept = 0;
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            sf_article in;
            memset(&in, 0, sizeof in);
            in.text = pages[i].text;
            in.text_len = pages[i].len;
            in.title = pages[i].title;
            in.title_len = pages[i].title_len;
            sf_clean_result *c;
            double tp = now();
            if (sf_clean(&in, &c) != SF_OK) {
                fprintf(stderr, "bench_clean: sf_clean failed\n");
                return 1;
            }
            size_t len;
            sf_clean_text(c, &len);
            kept += len;
            sf_clean_result_free(c);
            tp = now() - tp;
            if (tp < page_best[i])
                page_best[i] = tp;
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += page_best[i];
    printf("%s: %zu pages, %.2f MB, best of %d: %.4f s, %.1f MB/s, kept %.1f%%; "
           "pages' best: %.1f MB/s\n",
           argv[1], n, (double)bytes / 1e6, rounds, best, (double)bytes / 1e6 / best,
           bytes ? 100.0 * (double)kept / (double)bytes : 0.0,
           sum > 0 ? (double)bytes / 1e6 / sum : 0.0);
    free(page_best);
    for (size_t i = 0; i < n; i++) {
        free(pages[i].text);
        free(pages[i].title);
    }
    free(pages);
    return 0;
}
