/*
 * common.h — internal helpers shared by the library's modules: growable
 * byte buffers with a hard cap, an arena for per-document scratch memory,
 * and filling sf_error records. Not part of the public API.
 */
#ifndef SF_COMMON_H
#define SF_COMMON_H

#include "storyfold.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- growable buffer ------------------------------------------------ */

/* A byte buffer that grows by doubling up to cap bytes. data is always
 * NUL-terminated when non-NULL. A failed append leaves the buffer as it was
 * and returns false. */
typedef struct sf_buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap;   /* hard limit on len; 0 = SF_BUF_DEFAULT_CAP */
} sf_buf;

#define SF_BUF_DEFAULT_CAP ((size_t)1 << 31)

void sf_buf_init(sf_buf *b, size_t cap);
bool sf_buf_reserve(sf_buf *b, size_t extra);
bool sf_buf_append(sf_buf *b, const void *p, size_t n);
bool sf_buf_putc(sf_buf *b, char c);
bool sf_buf_puts(sf_buf *b, const char *s);
bool sf_buf_printf(sf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends v in decimal (as printf's "%llu"), without printf's cost. */
bool sf_buf_put_uint(sf_buf *b, uint64_t v);
/* Appends s as a JSON string literal (quotes included). s must be valid
 * UTF-8; control characters are escaped. */
bool sf_buf_json_string(sf_buf *b, const char *s, size_t n);
void sf_buf_clear(sf_buf *b);
void sf_buf_free(sf_buf *b);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *sf_buf_take(sf_buf *b, size_t *len);

/* ---- growable arrays ------------------------------------------------ */

/* Makes room for at least n elements of elem_size bytes in the array *p of
 * capacity *cap (in elements), doubling from at least 16. Returns false,
 * leaving *p and *cap as they were, if out of memory or on overflow. */
bool sf_grow(void **p, size_t *cap, size_t n, size_t elem_size);

/* Grows array a (a typed pointer lvalue) with capacity cap to hold n. */
#define SF_GROW(a, cap, n) sf_grow((void **)&(a), &(cap), (n), sizeof *(a))

/* ---- arena ---------------------------------------------------------- */

/* Bump allocator for scratch memory that dies together (one document).
 * sf_arena_reset() keeps the first block and frees the rest. */
typedef struct sf_arena_block sf_arena_block;
typedef struct sf_arena {
    sf_arena_block *head;
    size_t block_size;
} sf_arena;

void sf_arena_init(sf_arena *a, size_t block_size);
/* Returns 16-byte aligned memory, or NULL if out of memory. */
void *sf_arena_alloc(sf_arena *a, size_t n);
/* Bytes the arena has taken from malloc. */
/* Bytes handed out by its blocks (sf_arena_bytes: the blocks themselves). */
size_t sf_arena_used(const sf_arena *a);
size_t sf_arena_bytes(const sf_arena *a);
char *sf_arena_strndup(sf_arena *a, const char *s, size_t n);
void sf_arena_reset(sf_arena *a);
void sf_arena_free(sf_arena *a);

/* ---- errors --------------------------------------------------------- */

/* Fills err (if non-NULL) and returns code. */
sf_status sf_error_set(sf_error *err, sf_status code, const char *file,
                       uint64_t line, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---- small things ----------------------------------------------------- */

char *sf_strndup(const char *s, size_t n);
/* Seconds on a monotonic clock, for timing stages. */
double sf_now(void);
/* 64-bit hash of bytes (xxh3). */
uint64_t sf_hash64(const void *p, size_t n, uint64_t seed);
/* Sorts v[0..n) ascending (meant for a few hundred keys: insertion sort
 * of short runs, quicksort above, no calls through pointers). */
void sf_sort_u64(uint64_t *v, uint32_t n);

#endif /* SF_COMMON_H */
