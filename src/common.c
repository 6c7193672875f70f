/*
 * common.c — buffers, arenas, error records, status names.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

const char *sf_version(void) { return SF_VERSION_STRING; }

const char *sf_strerror(sf_status status)
{
    switch (status) {
    case SF_OK: return "ok";
    case SF_END: return "end of input";
    case SF_ENOMEM: return "out of memory";
    case SF_EINVAL: return "invalid argument";
    case SF_EIO: return "input/output error";
    case SF_EPARSE: return "malformed record";
    case SF_ENOTEXT: return "no usable text";
    case SF_ETOOBIG: return "record too large";
    case SF_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

sf_status sf_error_set(sf_error *err, sf_status code, const char *file,
                       uint64_t line, uint64_t offset, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->file = file;
    err->line = line;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* ---- buffer ----------------------------------------------------------- */

void sf_buf_init(sf_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap ? cap : SF_BUF_DEFAULT_CAP;
}

bool sf_buf_reserve(sf_buf *b, size_t extra)
{
    if (extra > b->cap || b->len > b->cap - extra)
        return false;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return true;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    char *p = realloc(b->data, n);
    if (!p)
        return false;
    b->data = p;
    b->alloc = n;
    return true;
}

bool sf_buf_append(sf_buf *b, const void *p, size_t n)
{
    if (!sf_buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool sf_buf_putc(sf_buf *b, char c) { return sf_buf_append(b, &c, 1); }

bool sf_buf_puts(sf_buf *b, const char *s) { return sf_buf_append(b, s, strlen(s)); }

bool sf_buf_printf(sf_buf *b, const char *fmt, ...)
{
    /* One pass when the text fits in the room the buffer has (the common
     * case); a second only when it did not. */
    va_list ap;
    if (!sf_buf_reserve(b, 0))
        return false;
    size_t room = b->alloc - b->len; /* with the terminating NUL */
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0 || !sf_buf_reserve(b, (size_t)n)) {
        b->data[b->len] = '\0';
        return false;
    }
    if ((size_t)n >= room) {
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return true;
}

bool sf_buf_put_uint(sf_buf *b, uint64_t v)
{
    char tmp[20];
    size_t k = sizeof tmp;
    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return sf_buf_append(b, tmp + k, sizeof tmp - k);
}

bool sf_buf_json_string(sf_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t start_len = b->len;
    if (!sf_buf_reserve(b, n + 2))
        return false;
    b->data[b->len++] = '"';
    size_t run = 0; /* start of the current run of bytes copied verbatim */
    for (size_t i = 0; i < n; i++) {
        /* 16 (SSE2), then 8 bytes at a time past bytes that need no
         * escape (most text): any byte below 0x20, '"' or '\\' among them
         * stops the skip */
#if defined(__SSE2__)
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i m = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));
            unsigned hit = (unsigned)_mm_movemask_epi8(m);
            if (hit) {
                i += (size_t)__builtin_ctz(hit);
                break;
            }
            i += 16;
        }
#endif
        while (i + 8 <= n) {
            const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
            uint64_t x, q, e;
            memcpy(&x, s + i, 8);
            q = x ^ 0x2222222222222222ull;
            e = x ^ 0x5c5c5c5c5c5c5c5cull;
            if (((x - 0x20 * ones) & ~x) & highs || ((q - ones) & ~q & highs) ||
                ((e - ones) & ~e & highs))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (!sf_buf_append(b, s + run, i - run))
            goto fail;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t elen = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        }
        if (!sf_buf_append(b, esc, elen))
            goto fail;
        run = i + 1;
    }
    if (!sf_buf_append(b, s + run, n - run) || !sf_buf_putc(b, '"'))
        goto fail;
    return true;
fail:
    b->len = start_len;
    if (b->data)
        b->data[b->len] = '\0';
    return false;
}

void sf_buf_clear(sf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sf_buf_free(sf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

char *sf_buf_take(sf_buf *b, size_t *len)
{
    if (!b->data && !sf_buf_reserve(b, 0))
        return NULL;
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->alloc = 0;
    return p;
}

/* ---- growable arrays ---------------------------------------------------- */

bool sf_grow(void **p, size_t *cap, size_t n, size_t elem_size)
{
    if (n <= *cap)
        return true;
    size_t c = *cap < 16 ? 16 : *cap;
    while (c < n) {
        if (c > SIZE_MAX / 2)
            return false;
        c *= 2;
    }
    if (c > SIZE_MAX / elem_size)
        return false;
    void *q = realloc(*p, c * elem_size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* ---- arena ------------------------------------------------------------ */

struct sf_arena_block {
    sf_arena_block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char mem[];
};

void sf_arena_init(sf_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
}

size_t sf_arena_used(const sf_arena *a)
{
    size_t n = 0;
    for (const sf_arena_block *b = a->head; b; b = b->next)
        n += b->used;
    return n;
}

size_t sf_arena_bytes(const sf_arena *a)
{
    size_t n = 0;
    for (const sf_arena_block *b = a->head; b; b = b->next)
        n += sizeof *b + b->size;
    return n;
}

void *sf_arena_alloc(sf_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    sf_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > a->block_size ? n : a->block_size;
        if (size > SIZE_MAX - sizeof *b)
            return NULL;
        sf_arena_block *nb = malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->size = size;
        nb->used = 0;
        /* A block bigger than usual goes second so the usual one keeps
         * serving small requests. */
        if (b && size > a->block_size) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->mem + b->used;
    b->used += n;
    return p;
}

char *sf_arena_strndup(sf_arena *a, const char *s, size_t n)
{
    char *p = sf_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void sf_arena_reset(sf_arena *a)
{
    sf_arena_block *keep = NULL;
    sf_arena_block *b = a->head;
    while (b) {
        sf_arena_block *next = b->next;
        if (!keep && b->size == a->block_size) {
            keep = b;
            keep->used = 0;
        } else {
            free(b);
        }
        b = next;
    }
    if (keep)
        keep->next = NULL;
    a->head = keep;
}

void sf_arena_free(sf_arena *a)
{
    sf_arena_block *b = a->head;
    while (b) {
        sf_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---- small things ------------------------------------------------------ */

char *sf_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

double sf_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t sf_hash64(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}

/* Sorts v[0..n) ascending (a few hundred keys at most: insertion sort
 * of short runs, quicksort above, no calls through pointers). */
void sf_sort_u64(uint64_t *v, uint32_t n)
{
    while (n > 16) {
        uint64_t a = v[0], b = v[n / 2], c = v[n - 1], t;
        uint64_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        uint32_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            t = v[i];
            v[i++] = v[j];
            v[j--] = t;
        }
        /* v[0..j] <= pivot <= v[j+1..n); recurse on the smaller side */
        uint32_t left = j + 1;
        if (left >= n)
            break; /* no split (cannot happen with distinct keys) */
        if (left < n - left) {
            sf_sort_u64(v, left);
            v += left;
            n -= left;
        } else {
            sf_sort_u64(v + left, n - left);
            n = left;
        }
    }
    for (uint32_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        uint32_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}
