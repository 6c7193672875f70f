/*
 * utf8.c — validating and repairing UTF-8.
 *
 * Well-formed sequences are those of the Unicode standard, chapter 3,
 * table 3-7: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF. Repair follows the standard's "maximal subpart" practice
 * (also the WHATWG decoder's): each maximal prefix of a well-formed
 * sequence that cannot be completed, or each single byte that cannot start
 * one, becomes exactly one U+FFFD.
 */
#include "utf8.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Sequence rules                                                      */
/* ------------------------------------------------------------------ */

/* Length of a sequence starting with lead byte c (0 if c cannot start
 * one) and the allowed range of its second byte. */
typedef struct lead_rule {
    unsigned char len, lo, hi;
} lead_rule;

static lead_rule lead_of(unsigned char c)
{
    if (c < 0x80)
        return (lead_rule){1, 0, 0};
    if (c < 0xC2)
        return (lead_rule){0, 0, 0};
    if (c < 0xE0)
        return (lead_rule){2, 0x80, 0xBF};
    if (c == 0xE0)
        return (lead_rule){3, 0xA0, 0xBF};   /* no overlongs */
    if (c == 0xED)
        return (lead_rule){3, 0x80, 0x9F};   /* no surrogates */
    if (c < 0xF0)
        return (lead_rule){3, 0x80, 0xBF};
    if (c == 0xF0)
        return (lead_rule){4, 0x90, 0xBF};   /* no overlongs */
    if (c < 0xF4)
        return (lead_rule){4, 0x80, 0xBF};
    if (c == 0xF4)
        return (lead_rule){4, 0x80, 0x8F};   /* nothing above U+10FFFF */
    return (lead_rule){0, 0, 0};
}

/* Looks at the non-ASCII sequence at s[0..n). Returns its length if it is
 * well-formed; otherwise returns 0 and sets *bad to the length of its
 * maximal subpart (at least 1), the bytes one U+FFFD replaces. */
static size_t seq_check(const unsigned char *s, size_t n, size_t *bad)
{
    lead_rule r = lead_of(s[0]);
    *bad = 1;
    if (r.len == 0)
        return 0;
    if (n < 2 || s[1] < r.lo || s[1] > r.hi)
        return 0;
    for (size_t k = 2; k < r.len; k++) {
        *bad = k;
        if (k >= n || (s[k] & 0xC0) != 0x80)
            return 0;
    }
    return r.len;
}

/* Index of the first byte >= 0x80 in s[i..n), or n. Eight bytes at a
 * time: news text is mostly ASCII even in languages that are not. */
static size_t skip_ascii(const unsigned char *s, size_t i, size_t n)
{
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        i += 8;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

/* ------------------------------------------------------------------ */
/* Public (internal) interface                                         */
/* ------------------------------------------------------------------ */

bool sf_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    for (;;) {
        i = skip_ascii(s, i, len);
        if (i >= len)
            return true;
        size_t bad;
        size_t n = seq_check(s + i, len - i, &bad);
        if (n == 0)
            return false;
        i += n;
    }
}

bool sf_utf8_repair(const char *str, size_t len, sf_buf *out, size_t *repairs)
{
    static const char fffd[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
    const unsigned char *s = (const unsigned char *)str;
    const size_t start_len = out->len;
    size_t count = 0;
    size_t run = 0;   /* start of the pending run of good bytes */
    size_t i = 0;
    if (repairs)
        *repairs = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c != 0 && c < 0x80) {
            i++;
            continue;
        }
        size_t bad = 1;
        size_t n = c ? seq_check(s + i, len - i, &bad) : 0;
        if (n) {
            i += n;
            continue;
        }
        if (!sf_buf_append(out, str + run, i - run))
            goto oom;
        if (c != 0) {   /* NUL bytes are dropped, not replaced */
            if (!sf_buf_append(out, fffd, sizeof fffd))
                goto oom;
            count++;
        }
        i += bad;
        run = i;
    }
    if (!sf_buf_append(out, str + run, len - run))
        goto oom;
    if (repairs)
        *repairs = count;
    return true;
oom:
    out->len = start_len;
    if (out->data)
        out->data[out->len] = '\0';
    return false;
}
