/*
 * synth.h — a small synthetic news corpus for tests that need more than a
 * handful of articles: events with their own made-up names and words,
 * articles about them (reports, exact copies, follow-ups), topics whose
 * words several events share (so that stories get related links), all
 * from a fixed seed.
 */
#ifndef SF_TEST_SYNTH_H
#define SF_TEST_SYNTH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storyfold.h"

typedef struct synth {
    sf_article *arts;
    char **bytes;       /* what the articles point to: 3 strings each */
    size_t n;
} synth;

static uint64_t synth_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* A made-up word of 2-4 syllables, from number k (distinct numbers give
 * distinct words but for rare clashes). */
static void synth_word(uint64_t k, char *out, int capital)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba",
                                      "de", "fi", "go", "hu", "ja", "ke", "li", "mo", "nu",
                                      "pa", "re", "so", "tu", "ve", "zo"};
    /* splitmix64: every bit of k moves every syllable */
    uint64_t h = k + 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
    int n = 2 + (int)(h % 3);
    h /= 3;
    out[0] = '\0';
    for (int i = 0; i < n; i++, h /= 24)
        strcat(out, syl[h % 24]);
    if (capital)
        out[0] = (char)(out[0] - 32);
}

/* n articles about n / 3 events in topics of 4 events. */
static void synth_make(synth *c, size_t n, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    c->arts = calloc(n, sizeof *c->arts);
    c->bytes = calloc(n * 3, sizeof *c->bytes);
    if (!c->arts || !c->bytes)
        abort();
    size_t events = n / 3 + 1;
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        size_t ev = synth_next(&s) % events, topic = ev / 4;
        sf_article *a = &c->arts[i];
        /* an exact copy of an earlier article of the event, now and then */
        if (i > 0 && synth_next(&s) % 6 == 0) {
            size_t j = synth_next(&s) % i;
            *a = c->arts[j];
            char *id = malloc(32);
            snprintf(id, 32, "a%05zu", i);
            c->bytes[3 * i] = id;
            a->id = id;
            a->id_len = strlen(id);
            c->n++;
            continue;
        }
        char *text = malloc(8192), *title = malloc(256), *id = malloc(32);
        if (!text || !title || !id)
            abort();
        snprintf(id, 32, "a%05zu", i);
        char w[40], place[40], person[40];
        synth_word(ev * 31 + 7, place, 1);
        synth_word(ev * 31 + 11, person, 1);
        title[0] = '\0';
        snprintf(title, 256, "%s in %s:", person, place);
        for (int k = 0; k < 4; k++) {
            synth_word(ev * 97 + synth_next(&s) % 6, w, 0);
            strcat(title, " ");
            strcat(title, w);
        }
        /* English-like sentences: stop words hold them together, the
         * content words come from the event (most), its topic or anyone */
        static const char *const frame[] = {"The %s of %s said on Monday that the %s was %s.",
                                            "Officials in %s told reporters the %s and %s "
                                            "would be %s within a week.",
                                            "According to %s, the %s had been %s for %s.",
                                            "It is not yet clear whether %s will %s the %s "
                                            "before %s."};
        size_t len = 0;
        int sentences = 8 + (int)(synth_next(&s) % 6);
        for (int k = 0; k < sentences; k++) {
            char v[4][40];
            for (int x = 0; x < 4; x++) {
                uint64_t r = synth_next(&s) % 100;
                if (x == 1 && k % 2 == 0)
                    snprintf(v[x], sizeof v[x], "%s", k % 4 ? place : person);
                else if (r < 50)
                    synth_word(ev * 97 + synth_next(&s) % 12, v[x], 0);
                else if (r < 75)
                    synth_word(100000 + topic * 53 + synth_next(&s) % 10, v[x], 0);
                else
                    synth_word(200000 + synth_next(&s) % 400, v[x], 0);
            }
            len += (size_t)snprintf(text + len, 8192 - len, frame[synth_next(&s) % 4], v[0],
                                    v[1], v[2], v[3]);
            len += (size_t)snprintf(text + len, 8192 - len, k % 3 == 2 ? "\n" : " ");
        }
        a->id = id;
        a->id_len = strlen(id);
        a->title = title;
        a->title_len = strlen(title);
        a->text = text;
        a->text_len = len;
        c->bytes[3 * i] = id;
        c->bytes[3 * i + 1] = title;
        c->bytes[3 * i + 2] = text;
        c->n++;
    }
}

static void synth_free(synth *c)
{
    for (size_t i = 0; i < c->n * 3; i++)
        free(c->bytes[i]);
    free(c->bytes);
    free(c->arts);
    memset(c, 0, sizeof *c);
}

#endif /* SF_TEST_SYNTH_H */
