/*
 * text.c — normalising (NFKC + case folding), tokenising with byte offsets,
 * character bigrams for scripts without spaces, and Snowball stemming.
 * Languages and stop words are in lang.c.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ------------------------------------------------------------------ */
/* Normalising                                                         */
/* ------------------------------------------------------------------ */

/* NFKC + full case folding; default-ignorable characters (soft hyphen,
 * zero-width joiners, BOM, variation selectors) are dropped so that
 * invisible web debris does not split or change words. */
#define NORM_OPTS                                                           \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE |              \
                         UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |             \
                         UTF8PROC_IGNORE))

/* Normalises the valid UTF-8 s[0..len) and appends it to out, using *cps
 * (*cap code points, grown as needed) as scratch. */
static bool norm_valid(const char *s, size_t len, sf_buf *out,
                       utf8proc_int32_t **cps, size_t *cap)
{
    for (;;) {
        utf8proc_ssize_t n = utf8proc_decompose(
            (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, *cps,
            (utf8proc_ssize_t)*cap, NORM_OPTS);
        if (n < 0)
            return false;
        if ((size_t)n <= *cap) {
            n = utf8proc_reencode(*cps, n, NORM_OPTS);
            if (n < 0)
                return false;
            return sf_buf_append(out, *cps, (size_t)n);
        }
        size_t want = (size_t)n + 16;
        if (want > SIZE_MAX / sizeof **cps)
            return false;
        utf8proc_int32_t *p = realloc(*cps, want * sizeof **cps);
        if (!p)
            return false;
        *cps = p;
        *cap = want;
    }
}

bool sf_normalize(const char *s, size_t len, sf_buf *out)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    /* ASCII prefix: lower-casing is all NFKC + folding does to it. */
    while (i < len && u[i] < 0x80)
        i++;
    if (!sf_buf_reserve(out, len))
        return false;
    for (size_t k = 0; k < i; k++) {
        char c = s[k];
        out->data[out->len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out->data[out->len] = '\0';
    if (i == len)
        return true;

    /* The rest goes to utf8proc in maximal valid runs; invalid bytes are
     * skipped. The run restarts at the last ASCII byte before the first
     * non-ASCII one, since a combining mark may attach to it. */
    size_t start = i;
    if (start > 0) {
        start--;
        out->len--;
        out->data[out->len] = '\0';
    }
    utf8proc_int32_t *cps = NULL;
    size_t cap = 0;
    bool ok = true;
    i = start;
    while (ok && i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
        if (n < 0) {
            if (i > start)
                ok = norm_valid(s + start, i - start, out, &cps, &cap);
            i++;
            start = i;
        } else {
            i += (size_t)n;
        }
    }
    if (ok && i > start)
        ok = norm_valid(s + start, i - start, out, &cps, &cap);
    free(cps);
    return ok;
}
