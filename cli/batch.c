/*
 * batch.c — copying articles into batches.
 */
#include "batch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void batch_init(batch *b) { memset(b, 0, sizeof *b); }

void batch_free(batch *b)
{
    free(b->arts);
    free(b->bytes);
    memset(b, 0, sizeof *b);
}

/* Appends s to the bytes and stores its offset in *field (as a pointer
 * sized integer until batch_seal turns it into a pointer). */
static bool put(batch *b, const char **field, const char *s, size_t n)
{
    if (!s) {
        *field = NULL;
        return true;
    }
    if (b->used + n + 1 > b->size) {
        size_t size = b->size ? b->size : (size_t)1 << 20;
        while (size < b->used + n + 1)
            size *= 2;
        char *p = realloc(b->bytes, size);
        if (!p)
            return false;
        b->bytes = p;
        b->size = size;
    }
    memcpy(b->bytes + b->used, s, n);
    b->bytes[b->used + n] = '\0';
    *field = (const char *)(uintptr_t)(b->used + 1); /* + 1: 0 stays NULL */
    b->used += n + 1;
    return true;
}

bool batch_push(batch *b, const sf_article *a)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        sf_article *p = realloc(b->arts, cap * sizeof *p);
        if (!p)
            return false;
        b->arts = p;
        b->cap = cap;
    }
    sf_article *d = &b->arts[b->n];
    *d = *a;
    if (!put(b, &d->id, a->id, a->id_len) || !put(b, &d->title, a->title, a->title_len) ||
        !put(b, &d->text, a->text, a->text_len) || !put(b, &d->url, a->url, a->url_len) ||
        !put(b, &d->source, a->source, a->source_len) ||
        !put(b, &d->date, a->date, a->date_len) || !put(b, &d->lang, a->lang, a->lang_len))
        return false;
    b->n++;
    return true;
}

bool batch_full(const batch *b) { return b->n >= BATCH_ARTICLES || b->used >= BATCH_BYTES; }

static void seal(const batch *b, const char **field)
{
    uintptr_t off = (uintptr_t)*field;
    *field = off ? b->bytes + off - 1 : NULL;
}

void batch_seal(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        sf_article *a = &b->arts[i];
        seal(b, &a->id);
        seal(b, &a->title);
        seal(b, &a->text);
        seal(b, &a->url);
        seal(b, &a->source);
        seal(b, &a->date);
        seal(b, &a->lang);
    }
}

void batch_clear(batch *b)
{
    b->n = 0;
    b->used = 0;
}

void put_json_string(FILE *f, const char *s, size_t n)
{
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            putc(c, f);
    }
    putc('"', f);
}
