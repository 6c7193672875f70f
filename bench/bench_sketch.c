/*
 * bench_sketch.c — throughput of the sketch of raw text that `storyfold
 * dedup` computes per article (issue 6: at least 300 MB/s a core).
 *
 * usage: bench_sketch FILE.jsonl [ROUNDS [STAGE]]
 *
 * Reads every article's text of FILE into memory first (not timed), then
 * times on one thread, best of ROUNDS (default 5):
 *   words   sf_plain_words: the lower-cased \w+ words of the raw text,
 *           hashed
 *   sketch  sf_sketch_text: the words, then the 128-value one permutation
 *           MinHash with densification of their 5-word shingles
 *   dedup   what a dedup worker does per article: the sketch, the exact
 *           hash of the text and the LSH band keys (sf_dedup_sketch)
 * STAGE times that stage only, for profilers. MB/s is of the raw text
 * bytes (1 MB = 10^6 bytes).
 *
 * Uses the library's internal headers (src/): it times internal stages.
 */
#include "dedup.h"
#include "sketch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct text {
    char *p;
    size_t n;
} text;

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: bench_sketch FILE.jsonl [ROUNDS [words|sketch|dedup]]\n");
        return 1;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    const char *only = argc > 3 ? argv[3] : NULL;
    if (rounds < 1)
        rounds = 1;
    sf_error err;
    sf_reader *r = sf_reader_open(argv[1], NULL, &err);
    if (!r) {
        fprintf(stderr, "bench_sketch: %s: %s\n", argv[1], err.message);
        return 1;
    }
    text *t = NULL;
    size_t n = 0, cap = 0, bytes = 0;
    sf_article a;
    sf_status st;
    while ((st = sf_reader_next(r, &a, &err)) != SF_END) {
        if (st != SF_OK)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            t = realloc(t, cap * sizeof *t);
            if (!t)
                return 2;
        }
        t[n].p = malloc(a.text_len + 1);
        if (!t[n].p)
            return 2;
        memcpy(t[n].p, a.text, a.text_len);
        t[n].n = a.text_len;
        bytes += a.text_len;
        n++;
    }
    sf_reader_free(r);
    const char *stages[] = {"words", "sketch", "dedup"};
    sf_sketch_scratch s = {0};
    sf_dedup_options o;
    sf_dedup_options_default(&o);
    sf_dedup_plan plan;
    sf_dedup_plan_make(&o, &plan);
    uint64_t sink = 0;
    printf("%s: %zu articles, %.2f MB of text\n", argv[1], n, (double)bytes / 1e6);
    for (unsigned k = 0; k < 3; k++) {
        if (only && strcmp(only, stages[k]) != 0)
            continue;
        double best = 1e30;
        for (int round = 0; round < rounds; round++) {
            double t0 = now();
            for (size_t i = 0; i < n; i++) {
                if (k == 0) {
                    size_t w = sf_plain_words(&s, t[i].p, t[i].n);
                    sink += w ? s.words[w - 1] : w;
                } else if (k == 1) {
                    sf_sketch sk;
                    if (!sf_sketch_text(&s, t[i].p, t[i].n, 5, &sk))
                        return 2;
                    sink += sk.v[0];
                } else {
                    sf_dedup_item it;
                    if (!sf_dedup_sketch(&plan, &s, t[i].p, t[i].n, &it))
                        return 2;
                    sink += it.tags[0];
                }
            }
            double el = now() - t0;
            if (el < best)
                best = el;
        }
        printf("  %-7s %8.1f MB/s  %9.0f articles/s  (best of %d)\n", stages[k],
               (double)bytes / best / 1e6, (double)n / best, rounds);
    }
    sf_sketch_scratch_free(&s);
    for (size_t i = 0; i < n; i++)
        free(t[i].p);
    free(t);
    return sink == 42 ? 3 : 0;
}
