/*
 * reader.c — the input reader: JSON Lines files, standard input, folders of
 * .txt files, a single .txt file.
 *
 * JSON Lines are read through one large buffer (read(2) into at least
 * 1 MiB, newlines found with memchr) and each line is parsed with jansson.
 * A line longer than max_record_bytes is never held whole: once the partial
 * line passes the limit, the rest is read and thrown away chunk by chunk.
 *
 * Bad records never stop the reader: sf_reader_next() returns an error
 * status with the place and reason, counts the record as skipped, and the
 * next call goes on with the next record. Invalid UTF-8 is not an error: it
 * is replaced by U+FFFD (counted in stats.repaired) before parsing, because
 * jansson rejects it.
 */
#include "reader_internal.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <jansson.h>
#include <utf8proc.h>

#define DEFAULT_MAX_RECORD ((size_t)64 << 20)
/* Largest accepted max_record_bytes: keeps every size sum below overflow. */
#define LIMIT_MAX_RECORD (SIZE_MAX / 8)
#define READ_BUF_INIT ((size_t)1 << 20)
#define FILE_READ_CHUNK ((size_t)1 << 20)

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

typedef enum reader_mode { MODE_JSONL, MODE_DIR, MODE_TXT } reader_mode;

typedef enum line_kind { LINE_OK, LINE_END, LINE_TOOLONG, LINE_EIO } line_kind;

struct sf_reader {
    reader_mode mode;
    size_t max;             /* max_record_bytes in force */
    char *path;             /* input as named by the caller; "-" for stdin */
    sf_reader_stats stats;

    /* Byte source for JSON Lines and the single .txt file: a descriptor,
     * or borrowed memory when mem is non-NULL. */
    int fd;
    bool close_fd;
    const char *mem;
    size_t mem_len, mem_pos;

    /* Read buffer: rb[pos, end) is unconsumed; memchr resumes at scan. */
    char *rb;
    size_t rb_alloc, rb_pos, rb_end, rb_scan;
    size_t rb_init;         /* first allocation */
    size_t chunk;           /* largest single read (test hook); 0 = no limit */
    bool eof;               /* the source has no more bytes */
    bool failed;            /* a read error ended this source */
    uint64_t line_no;       /* lines consumed so far */
    uint64_t next_off;      /* source offset of rb[rb_pos] */
    uint64_t rec_off;       /* source offset of the current line */

    /* The current record. */
    json_t *root;           /* the line as jansson read it, or NULL */
    bool fast;              /* try the fast path first (test hook) */
    bool fast_rec;          /* the fast path read the current line */
    struct member *members; /* its top-level members, in order */
    size_t n_members, members_alloc;
    bool pairs;             /* each JSON line holds two articles (fields 1, 2) */
    bool pair_pending;      /* the current line's second article is next */
    sf_article cur;         /* the article last returned (for .txt fields) */
    bool have_cur;
    sf_buf fixed;           /* a line or file after UTF-8 / escape repair */
    sf_buf idbuf;           /* generated or formatted id */
    sf_arena scratch;       /* texts of number fields for sf_reader_field */

    /* Folders and .txt files. */
    char **names;           /* .txt names of a folder, sorted */
    size_t n_names, next_name;
    sf_buf file_path;       /* path of the file being read */
    sf_buf file_data;       /* its bytes */
    sf_buf txt_id;          /* its id: the file name */
};

/* ------------------------------------------------------------------ */
/* Small text helpers                                                  */
/* ------------------------------------------------------------------ */

/* Writes a byte count the way people read limits: "64 MiB", "3 KiB". */
static void format_limit(char *out, size_t n, size_t bytes)
{
    if (bytes >= ((size_t)1 << 20) && bytes % ((size_t)1 << 20) == 0)
        snprintf(out, n, "%zu MiB", bytes >> 20);
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(out, n, "%zu KiB", bytes >> 10);
    else
        snprintf(out, n, "%zu-byte", bytes);
}

static bool ends_with_txt(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".txt") == 0;
}

/* Word-at-a-time byte tests: nonzero iff some byte of w is below n
 * (n <= 128), or equal to c. */
#define BYTES_ONES UINT64_C(0x0101010101010101)
#define BYTES_HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t bytes_below(uint64_t w, unsigned n)
{
    return (w - BYTES_ONES * n) & ~w & BYTES_HIGHS;
}
static inline uint64_t bytes_equal(uint64_t w, unsigned char c)
{
    return bytes_below(w ^ (BYTES_ONES * c), 1);
}

/* A control character that has no place in text: C0 other than tab,
 * newline, carriage return and form feed, or DEL. */
static inline bool is_binary_ctrl(unsigned c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ||
           c == 0x7F;
}

/* Binary content: any NUL byte, or more than one byte in ten a control
 * character (is_binary_ctrl). Text in any language has almost none. */
static bool looks_binary(const char *s, size_t n)
{
    size_t ctrl = 0;
    size_t i = 0;
    for (;;) {
        /* Skip the words without any byte below 0x20 or DEL. */
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (bytes_below(w, 0x20) | bytes_equal(w, 0x7F))
                break;
            i += 8;
        }
        size_t stop = n - i >= 8 ? i + 8 : n;
        if (i >= stop)
            break;
        for (; i < stop; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == 0)
                return true;
            ctrl += is_binary_ctrl(c);
        }
    }
    return ctrl * 10 > n;
}

/* More than a quarter of the bytes invalid: not UTF-8 at all (random
 * bytes, or a legacy 8-bit encoding whose letters would all become
 * U+FFFD). Text in Latin-1 with a few accented letters stays well below. */
static bool mostly_invalid(size_t repairs, size_t n)
{
    return repairs * 4 > n;
}

/* True if the valid UTF-8 s[0..n) holds no visible character: only white
 * space (Unicode Zs, Zl, Zp, ASCII controls of spacing) and invisible
 * format characters used as spaces (zero-width space, BOM). */
static bool is_blank_text(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
                c != '\v')
                return false;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return false;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat != UTF8PROC_CATEGORY_ZS && cat != UTF8PROC_CATEGORY_ZL &&
            cat != UTF8PROC_CATEGORY_ZP && cp != 0x85 && cp != 0x200B &&
            cp != 0xFEFF && cp != 0x180E)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* A line of ASCII white space only (skipped silently). */
static bool is_blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' &&
            s[i] != '\v')
            return false;
    return true;
}

static bool has_bom(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The code unit of the escape "\uXXXX" at s[i..n), or -1 if there is none. */
static long escape_at(const char *s, size_t n, size_t i)
{
    if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
        return -1;
    long v = 0;
    for (size_t k = 2; k < 6; k++) {
        int h = hex_value(s[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Rewrites in place, within JSON text s[0..n), the escapes jansson rejects
 * although they only stand for bad characters: "\u0000" and surrogates
 * without their pair (strings cut in half by JavaScript producers). Each
 * becomes "\uFFFD", which has the same length, so byte positions hold.
 * Returns the number of escapes rewritten. */
static size_t repair_escapes(char *s, size_t n)
{
    size_t count = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] != '\\') {
            i++;
            continue;
        }
        long v = escape_at(s, n, i);
        if (v < 0) {
            i += 2;   /* some other escape, or a broken one: not ours */
            continue;
        }
        if (v >= 0xD800 && v <= 0xDBFF) {
            long lo = escape_at(s, n, i + 6);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                i += 12;
                continue;
            }
        } else if (v != 0 && (v < 0xDC00 || v > 0xDFFF)) {
            i += 6;
            continue;
        }
        memcpy(s + i, "\\uFFFD", 6);
        count++;
        i += 6;
    }
    return count;
}

/* ------------------------------------------------------------------ */
/* Buffered line source                                                */
/* ------------------------------------------------------------------ */

/* Reads up to n bytes from the source into p. Returns the count, 0 at the
 * end, -1 on a read error (errno set). */
static ssize_t source_read(sf_reader *r, char *p, size_t n)
{
    if (r->chunk && n > r->chunk)
        n = r->chunk;
    if (r->mem) {
        size_t left = r->mem_len - r->mem_pos;
        if (n > left)
            n = left;
        if (n)
            memcpy(p, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t got = read(r->fd, p, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

/* Appends more source bytes after rb_end, making room first: by moving
 * the unconsumed part to the front, else by doubling the buffer (never
 * past max + 2 bytes, enough for a full record and its "\r\n"). Returns
 * the byte count, 0 at the end of the source, -1 on error (errno set; ENOMEM
 * when the buffer cannot grow). */
static ssize_t rb_fill(sf_reader *r)
{
    if (!r->rb) {
        size_t n = r->rb_init;
        r->rb = malloc(n);
        if (!r->rb) {
            errno = ENOMEM;
            return -1;
        }
        r->rb_alloc = n;
    }
    if (r->rb_end == r->rb_alloc && r->rb_pos > 0) {
        size_t keep = r->rb_end - r->rb_pos;
        memmove(r->rb, r->rb + r->rb_pos, keep);
        r->rb_scan -= r->rb_pos;
        r->rb_end = keep;
        r->rb_pos = 0;
    }
    if (r->rb_end == r->rb_alloc) {
        size_t limit = r->max + 2;
        size_t n = r->rb_alloc < limit / 2 ? r->rb_alloc * 2 : limit;
        if (n <= r->rb_alloc) {   /* callers prevent this; be safe */
            errno = ENOMEM;
            return -1;
        }
        char *p = realloc(r->rb, n);
        if (!p) {
            errno = ENOMEM;
            return -1;
        }
        r->rb = p;
        r->rb_alloc = n;
    }
    ssize_t got = source_read(r, r->rb + r->rb_end, r->rb_alloc - r->rb_end);
    if (got > 0)
        r->rb_end += (size_t)got;
    else if (got == 0)
        r->eof = true;
    return got;
}

/* Consumes a line known to be longer than the limit without keeping it:
 * what is buffered is dropped, the rest is read chunk by chunk up to the
 * next newline. *total receives the line's length. */
static line_kind skip_long_line(sf_reader *r, uint64_t *total)
{
    uint64_t n = r->rb_end - r->rb_pos;
    char last = n ? r->rb[r->rb_end - 1] : '\0';   /* the line's last byte */
    bool newline = false;
    r->rb_pos = r->rb_end = r->rb_scan = 0;
    for (;;) {
        ssize_t got = rb_fill(r);
        if (got < 0)
            return LINE_EIO;
        if (got == 0)
            break;
        const char *nl = memchr(r->rb, '\n', r->rb_end);
        size_t k = nl ? (size_t)(nl - r->rb) : r->rb_end;
        if (k)
            last = r->rb[k - 1];
        n += k;
        if (nl) {
            r->rb_pos = r->rb_scan = k + 1;
            newline = true;
            break;
        }
        r->rb_end = 0;
    }
    uint64_t used = n + (newline ? 1 : 0);
    r->line_no++;
    r->rec_off = r->next_off;
    r->next_off += used;
    r->stats.bytes += used;
    /* Measured as next_line() measures: without a final "\r". */
    *total = last == '\r' ? n - 1 : n;
    return LINE_TOOLONG;
}

/* Hands out the next line (without "\n" or a final "\r"), in the read
 * buffer, where the caller may change it; it stays valid until the next call. LINE_TOOLONG sets *total to the length of a line
 * over the limit, which is consumed but not returned. */
static line_kind next_line(sf_reader *r, char **line, size_t *len,
                           uint64_t *total)
{
    for (;;) {
        const char *nl = NULL;
        if (r->rb_end > r->rb_scan)
            nl = memchr(r->rb + r->rb_scan, '\n', r->rb_end - r->rb_scan);
        if (nl || (r->eof && r->rb_pos < r->rb_end)) {
            size_t end = nl ? (size_t)(nl - r->rb) : r->rb_end;
            char *p = r->rb + r->rb_pos;
            size_t n = end - r->rb_pos;
            size_t used = n + (nl ? 1 : 0);
            r->rb_pos += used;
            r->rb_scan = r->rb_pos;
            r->line_no++;
            r->rec_off = r->next_off;
            r->next_off += used;
            r->stats.bytes += used;
            if (n && p[n - 1] == '\r')
                n--;
            if (n > r->max) {
                *total = n;
                return LINE_TOOLONG;
            }
            *line = p;
            *len = n;
            return LINE_OK;
        }
        if (r->eof)
            return LINE_END;
        r->rb_scan = r->rb_end;
        if (r->rb_end - r->rb_pos > r->max + 1)
            return skip_long_line(r, total);
        if (rb_fill(r) < 0)
            return LINE_EIO;
    }
}

/* ------------------------------------------------------------------ */
/* Record values                                                       */
/* ------------------------------------------------------------------ */

/* A top-level value of the current record, whichever parser read it. */
typedef struct value {
    char kind;              /* 0 absent; s i r b n a o: string, integer, real,
                             * boolean, null, array, object */
    const char *str;        /* 's': NUL-terminated, valid UTF-8 */
    size_t len;
    size_t ctrl;            /* 's': is_binary_ctrl() characters, or
                             * SIZE_MAX if not counted */
    long long ival;         /* 'i' */
    double rval;            /* 'r' */
} value;

/* A member of the top-level object, as the fast parser found it. Before
 * decoding, key and v.str are raw spans of the line (without quotes). */
struct member {
    char *key;
    size_t key_len;
    bool key_esc, str_esc;  /* the raw span holds escapes */
    value v;
};

static const char *kind_name(char kind)
{
    switch (kind) {
    case 'o': return "an object";
    case 'a': return "an array";
    case 's': return "a string";
    case 'i':
    case 'r': return "a number";
    case 'b': return "a boolean";
    case 'n': return "null";
    }
    return "something else";
}

static void value_of_json(const json_t *j, value *v)
{
    memset(v, 0, sizeof *v);
    if (!j)
        return;
    switch (json_typeof(j)) {
    case JSON_OBJECT: v->kind = 'o'; break;
    case JSON_ARRAY: v->kind = 'a'; break;
    case JSON_STRING:
        v->kind = 's';
        v->str = json_string_value(j);
        v->len = json_string_length(j);
        v->ctrl = SIZE_MAX;
        break;
    case JSON_INTEGER:
        v->kind = 'i';
        v->ival = (long long)json_integer_value(j);
        break;
    case JSON_REAL:
        v->kind = 'r';
        v->rval = json_real_value(j);
        break;
    case JSON_TRUE:
    case JSON_FALSE: v->kind = 'b'; break;
    case JSON_NULL: v->kind = 'n'; break;
    }
}

/* The value of the current record's top-level field name (kind 0 if
 * absent). Duplicate keys: the last one wins, as in jansson. */
static void record_get(const sf_reader *r, const char *name, value *v)
{
    if (r->fast_rec) {
        size_t n = strlen(name);
        for (size_t i = r->n_members; i-- > 0;) {
            const struct member *m = &r->members[i];
            if (m->key_len == n && memcmp(m->key, name, n) == 0) {
                *v = m->v;
                return;
            }
        }
        memset(v, 0, sizeof *v);
        return;
    }
    value_of_json(r->root ? json_object_get(r->root, name) : NULL, v);
}

/* A number as text: integers exactly, reals in the shortest form that
 * reads back to the same double. Returns NULL if out of memory. */
static char *number_text(sf_arena *a, const value *v, size_t *len)
{
    char tmp[40];
    if (v->kind == 'i') {
        snprintf(tmp, sizeof tmp, "%lld", v->ival);
    } else {
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, v->rval);
            if (strtod(tmp, NULL) == v->rval)
                break;
        }
    }
    *len = strlen(tmp);
    return sf_arena_strndup(a, tmp, *len);
}

/* ------------------------------------------------------------------ */
/* Fast path for JSON lines                                            */
/* ------------------------------------------------------------------ */

/*
 * jansson reads a byte at a time through a callback and copies every
 * string; on news pages it manages about 40 MB/s, an eighth of what the
 * reader must do. The common record, an object of valid UTF-8 with plain
 * values, is read here instead, in two passes over the line held in the
 * read buffer: the first checks the whole line against the JSON grammar
 * and notes where the top-level members are, changing nothing; the second
 * decodes the top-level strings in place (an escape is never shorter than
 * what it stands for) and NUL-terminates them where their closing quote
 * was. Anything this path does not accept exactly as jansson would -- any
 * error, "\u0000", a lone surrogate, a number out of range, nesting deeper
 * than FAST_MAX_DEPTH -- makes it give up before changing the line, and
 * jansson, the reference, reads the line instead (fuzz_reader checks that
 * both give the same records).
 */

#define FAST_MAX_DEPTH 64

typedef struct fast_parser {
    const char *p, *end;
} fast_parser;

static void fast_ws(fast_parser *f)
{
    while (f->p < f->end &&
           (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r'))
        f->p++;
}

/* Checks the string whose opening quote is at f->p; *body and *len get its
 * raw span, *esc whether it holds escapes, *ctrl how many characters of
 * the decoded string is_binary_ctrl() would count. */
static bool fast_string(fast_parser *f, const char **body, size_t *len, bool *esc,
                        size_t *ctrl)
{
    const char *p = f->p + 1;
    const char *end = f->end;
    bool any = false;
    size_t nctrl = 0;
    for (;;) {
#if defined(__SSE2__)
        /* 16 bytes at a time: '"', '\\', DEL, or below 0x20 (the byte
         * equals its unsigned minimum with 0x1F) */
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
        const __m128i del = _mm_set1_epi8(0x7F), c1f = _mm_set1_epi8(0x1F);
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i m = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                _mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v)));
            unsigned hit = (unsigned)_mm_movemask_epi8(m);
            if (hit) {
                p += __builtin_ctz(hit);
                break;
            }
            p += 16;
        }
#endif
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            uint64_t hit = bytes_below(w, 0x20) | bytes_equal(w, '"') | bytes_equal(w, '\\') |
                           bytes_equal(w, 0x7F);
            if (hit) {
                /* the lowest flag is the first such byte (the tests'
                 * borrows only run upwards): straight to it */
                p += __builtin_ctzll(hit) >> 3;
                break;
            }
            p += 8;
        }
        while (p < end && (unsigned char)*p >= 0x20 && *p != '"' && *p != '\\' &&
               *p != 0x7F)
            p++;
        if (p >= end || (unsigned char)*p < 0x20)
            return false;
        if (*p == 0x7F) {
            nctrl++;
            p++;
            continue;
        }
        if (*p == '"')
            break;
        any = true;
        if (p + 1 >= end)
            return false;
        switch (p[1]) {
        case 'b':
            nctrl++;
            /* fall through */
        case '"': case '\\': case '/': case 'f': case 'n': case 'r': case 't':
            p += 2;
            continue;
        case 'u': break;
        default: return false;
        }
        long v = escape_at(p, (size_t)(end - p), 0);
        if (v <= 0 || (v >= 0xDC00 && v <= 0xDFFF))
            return false;   /* broken, "\u0000", or a lone low surrogate */
        if (v >= 0xD800 && v <= 0xDBFF) {
            long lo = escape_at(p, (size_t)(end - p), 6);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return false;
            p += 12;
        } else {
            nctrl += v < 0x80 && is_binary_ctrl((unsigned)v);
            p += 6;
        }
    }
    *body = f->p + 1;
    *len = (size_t)(p - (f->p + 1));
    *esc = any;
    *ctrl = nctrl;
    f->p = p + 1;
    return true;
}

/* Checks a number; fills v with its value. Out-of-range numbers are left
 * to jansson, which rejects some of them. */
static bool fast_number(fast_parser *f, value *v)
{
    const char *s = f->p, *p = f->p, *end = f->end;
    bool real = false;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return false;
    if (p < end && *p == '.') {
        real = true;
        if (++p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = true;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    char tmp[64];
    size_t n = (size_t)(p - s);
    if (n >= sizeof tmp)
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    if (real) {
        v->kind = 'r';
        v->rval = strtod(tmp, NULL);
    } else {
        v->kind = 'i';
        v->ival = strtoll(tmp, NULL, 10);
    }
    if (errno != 0)
        return false;
    f->p = p;
    return true;
}

static bool fast_literal(fast_parser *f, const char *word, char kind, value *v)
{
    size_t n = strlen(word);
    if ((size_t)(f->end - f->p) < n || memcmp(f->p, word, n) != 0)
        return false;
    f->p += n;
    v->kind = kind;
    return true;
}

/* Checks one value at f->p (white space already skipped) into v; the
 * string span is noted, not decoded. */
static bool fast_value(fast_parser *f, int depth, value *v, bool *esc)
{
    memset(v, 0, sizeof *v);
    *esc = false;
    if (f->p >= f->end)
        return false;
    char c = *f->p;
    if (c == '"') {
        v->kind = 's';
        return fast_string(f, &v->str, &v->len, esc, &v->ctrl);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return fast_number(f, v);
    if (c == 't')
        return fast_literal(f, "true", 'b', v);
    if (c == 'f')
        return fast_literal(f, "false", 'b', v);
    if (c == 'n')
        return fast_literal(f, "null", 'n', v);
    if (c != '{' && c != '[')
        return false;
    if (depth >= FAST_MAX_DEPTH)
        return false;
    const char close = c == '{' ? '}' : ']';
    v->kind = c == '{' ? 'o' : 'a';
    f->p++;
    fast_ws(f);
    if (f->p < f->end && *f->p == close) {
        f->p++;
        return true;
    }
    for (;;) {
        value inner;
        bool inner_esc;
        if (close == '}') {
            const char *k;
            size_t klen, kctrl;
            if (f->p >= f->end || *f->p != '"' ||
                !fast_string(f, &k, &klen, &inner_esc, &kctrl))
                return false;
            fast_ws(f);
            if (f->p >= f->end || *f->p != ':')
                return false;
            f->p++;
            fast_ws(f);
        }
        if (!fast_value(f, depth + 1, &inner, &inner_esc))
            return false;
        fast_ws(f);
        if (f->p >= f->end)
            return false;
        if (*f->p == close) {
            f->p++;
            return true;
        }
        if (*f->p != ',')
            return false;
        f->p++;
        fast_ws(f);
    }
}

/* Writes code point cp as UTF-8 at w; returns the byte count. */
static size_t put_utf8(char *w, unsigned long cp)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the checked string span s[0..n) in place and NUL-terminates it
 * (at the latest where its closing quote was). Returns the new length. */
static size_t decode_in_place(char *s, size_t n, bool esc)
{
    if (!esc) {
        s[n] = '\0';
        return n;
    }
    char *w = s;
    size_t i = 0;
    while (i < n) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
        if (w != s + i)
            memmove(w, s + i, run);
        w += run;
        i += run;
        if (!bs)
            break;
        char e = s[i + 1];
        switch (e) {
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': break;
        default: *w++ = e; break;   /* " \ / */
        }
        if (e != 'u') {
            i += 2;
            continue;
        }
        unsigned long cp = (unsigned long)escape_at(s, n, i);
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned long lo = (unsigned long)escape_at(s, n, i);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        w += put_utf8(w, cp);
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* Reads the line as one object with the fast path. Returns false, with the
 * line untouched, if jansson must read it. line must be valid UTF-8. */
static bool fast_parse(sf_reader *r, char *line, size_t n)
{
    fast_parser f = {line, line + n};
    r->n_members = 0;
    fast_ws(&f);
    if (f.p >= f.end || *f.p != '{')
        return false;
    f.p++;
    fast_ws(&f);
    bool empty = f.p < f.end && *f.p == '}';
    if (empty)
        f.p++;
    while (!empty) {
        if (r->n_members == r->members_alloc) {
            size_t k = r->members_alloc ? r->members_alloc * 2 : 16;
            struct member *m = realloc(r->members, k * sizeof *m);
            if (!m)
                return false;   /* jansson may still manage */
            r->members = m;
            r->members_alloc = k;
        }
        struct member *m = &r->members[r->n_members];
        const char *k;
        size_t kctrl;
        if (f.p >= f.end || *f.p != '"' ||
            !fast_string(&f, &k, &m->key_len, &m->key_esc, &kctrl))
            return false;
        m->key = line + (k - line);
        fast_ws(&f);
        if (f.p >= f.end || *f.p != ':')
            return false;
        f.p++;
        fast_ws(&f);
        if (!fast_value(&f, 1, &m->v, &m->str_esc))
            return false;
        r->n_members++;
        fast_ws(&f);
        if (f.p >= f.end)
            return false;
        if (*f.p == '}') {
            f.p++;
            break;
        }
        if (*f.p != ',')
            return false;
        f.p++;
        fast_ws(&f);
    }
    fast_ws(&f);
    if (f.p != f.end)
        return false;
    /* Checked: now decode. Every span lies inside line. */
    for (size_t i = 0; i < r->n_members; i++) {
        struct member *m = &r->members[i];
        m->key_len = decode_in_place(m->key, m->key_len, m->key_esc);
        if (m->v.kind == 's') {
            char *s = line + (m->v.str - line);
            m->v.len = decode_in_place(s, m->v.len, m->str_esc);
            m->v.str = s;
        }
    }
    r->fast_rec = true;
    return true;
}

/* ------------------------------------------------------------------ */
/* JSON Lines records                                                  */
/* ------------------------------------------------------------------ */

static void drop_record(sf_reader *r)
{
    if (r->root) {
        json_decref(r->root);
        r->root = NULL;
    }
    r->fast_rec = false;
    r->n_members = 0;
    r->have_cur = false;
    sf_arena_reset(&r->scratch);
}

/* A string field of the current record, or NULL/0 if absent or not a
 * string. */
static const char *string_field(const sf_reader *r, const char *name, size_t *len)
{
    value v;
    record_get(r, name, &v);
    if (v.kind != 's') {
        *len = 0;
        return NULL;
    }
    *len = v.len;
    return v.str;
}

/* Reports a jansson parse error: its text, with "end of file" (which here
 * is the end of the line) said as such. */
static sf_status parse_error(sf_reader *r, const json_error_t *je, uint64_t offset,
                             sf_error *err)
{
    char text[sizeof je->text + 16];
    const char *eof = strstr(je->text, "end of file");
    if (eof)
        snprintf(text, sizeof text, "%.*send of line%s", (int)(eof - je->text),
                 je->text, eof + strlen("end of file"));
    else
        snprintf(text, sizeof text, "%s", je->text);
    return sf_error_set(err, SF_EPARSE, r->path, r->line_no, offset,
                        "invalid JSON: %s", text);
}

/* Reads the line with jansson, repairing invalid UTF-8 and the escapes
 * jansson rejects (repair_escapes) on the way. *repairs gets the count.
 * On success r->root holds an object. */
static sf_status parse_with_jansson(sf_reader *r, const char *line, size_t n,
                                    size_t *repairs, sf_error *err)
{
    const uint64_t off = r->rec_off;
    json_error_t je;
    *repairs = 0;
    r->root = json_loadb(line, n, JSON_DECODE_ANY, &je);
    if (!r->root) {
        /* The slow path: find out why, repair what can be repaired. */
        if (looks_binary(line, n))
            return sf_error_set(err, SF_ENOTEXT, r->path, r->line_no, off,
                                "binary content");
        bool moved = false;   /* byte positions no longer match the line */
        sf_buf_clear(&r->fixed);
        if (!sf_utf8_valid(line, n)) {
            if (!sf_utf8_repair(line, n, &r->fixed, repairs))
                return sf_error_set(err, SF_ENOMEM, r->path, r->line_no, off,
                                    "out of memory repairing UTF-8");
            if (mostly_invalid(*repairs, n))
                return sf_error_set(err, SF_ENOTEXT, r->path, r->line_no, off,
                                    "binary content or not UTF-8 (%zu invalid "
                                    "sequences in %zu bytes)", *repairs, n);
            moved = true;
        } else if (!sf_buf_append(&r->fixed, line, n)) {
            return sf_error_set(err, SF_ENOMEM, r->path, r->line_no, off,
                                "out of memory");
        }
        *repairs += repair_escapes(r->fixed.data, r->fixed.len);
        if (*repairs)
            r->root = json_loadb(r->fixed.data, r->fixed.len, JSON_DECODE_ANY, &je);
        if (!r->root)
            return parse_error(r, &je, moved ? off : off + (uint64_t)je.position,
                               err);
    }
    if (!json_is_object(r->root)) {
        value v;
        value_of_json(r->root, &v);
        return sf_error_set(err, SF_EPARSE, r->path, r->line_no, off,
                            "the line is %s, not a JSON object", kind_name(v.kind));
    }
    return SF_OK;
}

/* Parses one non-blank line into *out. The line may be changed in place.
 * On failure nothing is kept. */
/* A field name with the pair side's suffix ("text" + "1"). */
static const char *field_name(char *buf, size_t n, const char *name, const char *suffix)
{
    snprintf(buf, n, "%s%s", name, suffix);
    return buf;
}

/* SF_OK if the current record's text field (with suffix) is a non-empty,
 * non-binary string; else fills err. */
static sf_status check_text(sf_reader *r, const char *suffix, sf_error *err)
{
    const uint64_t off = r->rec_off;
    char name[16];
    value text;
    record_get(r, field_name(name, sizeof name, "text", suffix), &text);
    if (!text.kind)
        return sf_error_set(err, SF_ENOTEXT, r->path, r->line_no, off,
                            "missing \"%s\" field", name);
    if (text.kind != 's')
        return sf_error_set(err, SF_ENOTEXT, r->path, r->line_no, off,
                            "\"%s\" is %s, not a string", name, kind_name(text.kind));
    if (is_blank_text(text.str, text.len))
        return sf_error_set(err, SF_ENOTEXT, r->path, r->line_no, off, "\"%s\" is empty",
                            name);
    if (text.ctrl == SIZE_MAX ? looks_binary(text.str, text.len) : text.ctrl * 10 > text.len)
        return sf_error_set(err, SF_ENOTEXT, r->path, r->line_no, off,
                            "binary content%s%s", *suffix ? " in " : "", *suffix ? name : "");
    return SF_OK;
}

/* Fills out from the current record's fields with suffix ("" for an
 * article line, "1" or "2" for a side of a pair). The text was checked. */
static sf_status record_article(sf_reader *r, const char *suffix, sf_article *out,
                                sf_error *err)
{
    char name[16];
    value text;
    record_get(r, field_name(name, sizeof name, "text", suffix), &text);
    out->text = text.str;
    out->text_len = text.len;
    out->title = string_field(r, field_name(name, sizeof name, "title", suffix), &out->title_len);
    out->url = string_field(r, field_name(name, sizeof name, "url", suffix), &out->url_len);
    out->source = string_field(r, field_name(name, sizeof name, "source", suffix),
                               &out->source_len);
    out->date = string_field(r, field_name(name, sizeof name, "date", suffix), &out->date_len);
    out->lang = string_field(r, field_name(name, sizeof name, "lang", suffix), &out->lang_len);

    /* id: a non-empty string, a number as its text, else "<file>:<line>";
     * a side of a pair without its own id: "<pair_id>:<side>", else
     * "<file>:<line>:<side>". */
    value id, pid;
    record_get(r, field_name(name, sizeof name, "id", suffix), &id);
    out->id = NULL;
    if (id.kind == 's' && id.len > 0) {
        out->id = id.str;
        out->id_len = id.len;
    } else if (id.kind == 'i' || id.kind == 'r') {
        out->id = number_text(&r->scratch, &id, &out->id_len);
    } else {
        sf_buf_clear(&r->idbuf);
        bool ok;
        record_get(r, "pair_id", &pid);
        if (*suffix && pid.kind == 's' && pid.len > 0)
            ok = sf_buf_append(&r->idbuf, pid.str, pid.len) &&
                 sf_buf_printf(&r->idbuf, ":%s", suffix);
        else if (*suffix && (pid.kind == 'i' || pid.kind == 'r')) {
            size_t plen = 0;
            const char *ptext = number_text(&r->scratch, &pid, &plen);
            ok = ptext && sf_buf_append(&r->idbuf, ptext, plen) &&
                 sf_buf_printf(&r->idbuf, ":%s", suffix);
        }
        else
            ok = sf_buf_printf(&r->idbuf, "%s:%" PRIu64 "%s%s", r->path, r->line_no,
                               *suffix ? ":" : "", suffix);
        if (ok)
            out->id = r->idbuf.data, out->id_len = r->idbuf.len;
    }
    if (!out->id)
        return sf_error_set(err, SF_ENOMEM, r->path, r->line_no, r->rec_off, "out of memory");
    return SF_OK;
}

static sf_status parse_line(sf_reader *r, char *line, size_t n, sf_article *out,
                            sf_error *err)
{
    size_t repairs = 0;
    sf_status st = SF_OK;
    if (!(r->fast && sf_utf8_valid(line, n) && fast_parse(r, line, n)))
        st = parse_with_jansson(r, line, n, &repairs, err);
    if (st != SF_OK) {
        drop_record(r);
        return st;
    }
    if (r->pairs) {
        /* Both articles are checked now: a pair with a bad side is
         * skipped whole, never half-read. */
        if ((st = check_text(r, "1", err)) == SF_OK && (st = check_text(r, "2", err)) == SF_OK &&
            (st = record_article(r, "1", out, err)) == SF_OK)
            r->pair_pending = true;
    } else if ((st = check_text(r, "", err)) == SF_OK) {
        st = record_article(r, "", out, err);
    }
    if (st != SF_OK) {
        drop_record(r);
        return st;
    }
    if (repairs)
        r->stats.repaired++;
    return SF_OK;
}

static sf_status next_jsonl(sf_reader *r, sf_article *out, sf_error *err)
{
    for (;;) {
        if (r->failed)
            return SF_END;
        char *line = NULL;
        size_t n = 0;
        uint64_t total = 0;
        line_kind k = next_line(r, &line, &n, &total);
        if (k == LINE_END)
            return SF_END;
        if (k == LINE_EIO) {
            int e = errno;
            r->failed = true;
            return sf_error_set(err, e == ENOMEM ? SF_ENOMEM : SF_EIO, r->path,
                                r->line_no + 1, r->next_off, "read error: %s",
                                strerror(e));
        }
        if (k == LINE_TOOLONG) {
            char lim[32];
            format_limit(lim, sizeof lim, r->max);
            r->stats.skipped++;
            return sf_error_set(err, SF_ETOOBIG, r->path, r->line_no, r->rec_off,
                                "record of %" PRIu64 " bytes exceeds the %s limit",
                                total, lim);
        }
        if (r->line_no == 1 && has_bom(line, n)) {
            line += 3;
            n -= 3;
        }
        if (is_blank_line(line, n))
            continue;
        sf_status st = parse_line(r, line, n, out, err);
        if (st == SF_OK)
            r->stats.records++;
        else
            r->stats.skipped++;
        return st;
    }
}

/* ------------------------------------------------------------------ */
/* .txt files                                                          */
/* ------------------------------------------------------------------ */

/* Reads the open file fd (closed here) as one article with the given id.
 * path names it in errors. */
static sf_status read_txt(sf_reader *r, int fd, const char *path, const char *id,
                          size_t id_len, sf_article *out, sf_error *err)
{
    char lim[32];
    format_limit(lim, sizeof lim, r->max);
    sf_buf *d = &r->file_data;
    sf_buf_clear(d);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > r->max) {
        r->stats.bytes += (uint64_t)st.st_size;
        close(fd);
        return sf_error_set(err, SF_ETOOBIG, path, 0, 0,
                            "record of %" PRIu64 " bytes exceeds the %s limit",
                            (uint64_t)st.st_size, lim);
    }
    /* Read to the end; a file that grows past the limit meanwhile (or a
     * pipe) is measured to its end but not kept. */
    uint64_t total = 0;
    for (;;) {
        if (d->len > r->max) {
            total += d->len;
            sf_buf_clear(d);
        }
        if (!sf_buf_reserve(d, FILE_READ_CHUNK)) {
            close(fd);
            return sf_error_set(err, SF_ENOMEM, path, 0, total + d->len,
                                "out of memory");
        }
        ssize_t got;
        do
            got = read(fd, d->data + d->len, FILE_READ_CHUNK);
        while (got < 0 && errno == EINTR);
        if (got < 0) {
            int e = errno;
            close(fd);
            return sf_error_set(err, SF_EIO, path, 0, total + d->len,
                                "read error: %s", strerror(e));
        }
        if (got == 0)
            break;
        d->len += (size_t)got;
    }
    close(fd);
    total += d->len;
    r->stats.bytes += total;
    if (total > r->max)
        return sf_error_set(err, SF_ETOOBIG, path, 0, 0,
                            "record of %" PRIu64 " bytes exceeds the %s limit",
                            total, lim);
    d->data[d->len] = '\0';
    if (d->len == 0)
        return sf_error_set(err, SF_ENOTEXT, path, 0, 0, "empty file");

    const char *text = d->data;
    size_t n = d->len;
    if (has_bom(text, n)) {
        text += 3;
        n -= 3;
    }
    if (looks_binary(text, n))
        return sf_error_set(err, SF_ENOTEXT, path, 0, 0, "binary content");
    size_t repairs = 0;
    if (!sf_utf8_valid(text, n)) {
        sf_buf_clear(&r->fixed);
        if (!sf_utf8_repair(text, n, &r->fixed, &repairs))
            return sf_error_set(err, SF_ENOMEM, path, 0, 0,
                                "out of memory repairing UTF-8");
        if (mostly_invalid(repairs, n))
            return sf_error_set(err, SF_ENOTEXT, path, 0, 0,
                                "binary content or not UTF-8 (%zu invalid "
                                "sequences in %zu bytes)", repairs, n);
        text = r->fixed.data;
        n = r->fixed.len;
    }
    if (is_blank_text(text, n))
        return sf_error_set(err, SF_ENOTEXT, path, 0, 0,
                            "the file holds only white space");

    sf_buf_clear(&r->txt_id);
    if (!sf_buf_append(&r->txt_id, id, id_len))
        return sf_error_set(err, SF_ENOMEM, path, 0, 0, "out of memory");
    memset(out, 0, sizeof *out);
    out->id = r->txt_id.data;
    out->id_len = r->txt_id.len;
    out->text = text;
    out->text_len = n;
    if (repairs)
        r->stats.repaired++;
    r->cur = *out;
    r->have_cur = true;
    return SF_OK;
}

/* The id of a .txt file: its name, without the folders. */
static void txt_id_of(const char *path, const char **id, size_t *len)
{
    const char *slash = strrchr(path, '/');
    *id = slash ? slash + 1 : path;
    *len = strlen(*id);
}

static sf_status next_txt(sf_reader *r, sf_article *out, sf_error *err)
{
    if (r->fd < 0)
        return SF_END;
    int fd = r->fd;
    r->fd = -1;
    r->close_fd = false;
    const char *id;
    size_t id_len;
    txt_id_of(r->path, &id, &id_len);
    sf_status st = read_txt(r, fd, r->path, id, id_len, out, err);
    if (st == SF_OK)
        r->stats.records++;
    else
        r->stats.skipped++;
    return st;
}

static sf_status next_dir(sf_reader *r, sf_article *out, sf_error *err)
{
    if (r->next_name >= r->n_names)
        return SF_END;
    const char *name = r->names[r->next_name++];
    sf_buf *p = &r->file_path;
    sf_buf_clear(p);
    size_t plen = strlen(r->path);
    bool slash = plen > 0 && r->path[plen - 1] == '/';
    if (!sf_buf_puts(p, r->path) || (!slash && !sf_buf_putc(p, '/')) ||
        !sf_buf_puts(p, name)) {
        r->stats.skipped++;
        return sf_error_set(err, SF_ENOMEM, r->path, 0, 0, "out of memory");
    }
    sf_status st;
    int fd = open(p->data, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        st = sf_error_set(err, SF_EIO, p->data, 0, 0, "cannot open: %s",
                          strerror(errno));
    } else {
        const char *id;
        size_t id_len;
        txt_id_of(name, &id, &id_len);
        st = read_txt(r, fd, p->data, id, id_len, out, err);
    }
    if (st == SF_OK)
        r->stats.records++;
    else
        r->stats.skipped++;
    return st;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True if the folder entry is a regular file, or might be one (then
 * opening it later tells). */
static bool entry_is_file(const char *dir, const struct dirent *de)
{
#ifdef DT_REG
    if (de->d_type == DT_REG)
        return true;
    if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
        return false;
#endif
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path)
        return true;
    struct stat st;
    if (stat(path, &st) != 0)
        return true;   /* a dangling link: reported when read */
    return S_ISREG(st.st_mode);
}

/* Lists the folder's .txt files (not hidden ones: "._x.txt" are macOS
 * metadata) in byte order of their names. */
static sf_status list_folder(sf_reader *r, sf_error *err)
{
    DIR *dir = opendir(r->path);
    if (!dir)
        return sf_error_set(err, SF_EIO, r->path, 0, 0, "cannot open folder: %s",
                            strerror(errno));
    size_t alloc = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || !ends_with_txt(de->d_name) ||
            !entry_is_file(r->path, de))
            continue;
        if (r->n_names == alloc) {
            size_t n = alloc ? alloc * 2 : 64;
            char **p = realloc(r->names, n * sizeof *p);
            if (!p)
                goto oom;
            r->names = p;
            alloc = n;
        }
        char *name = sf_strndup(de->d_name, strlen(de->d_name));
        if (!name)
            goto oom;
        r->names[r->n_names++] = name;
        errno = 0;
    }
    if (errno != 0) {
        int e = errno;
        closedir(dir);
        return sf_error_set(err, SF_EIO, r->path, 0, 0, "cannot list folder: %s",
                            strerror(e));
    }
    closedir(dir);
    if (r->n_names > 1)
        qsort(r->names, r->n_names, sizeof *r->names, compare_names);
    return SF_OK;
oom:
    closedir(dir);
    return sf_error_set(err, SF_ENOMEM, r->path, 0, 0, "out of memory");
}

static sf_reader *reader_new(const char *path, const sf_reader_options *opt,
                             sf_error *err)
{
    sf_reader *r = calloc(1, sizeof *r);
    char *p = sf_strndup(path, strlen(path));
    if (!r || !p) {
        free(r);
        free(p);
        sf_error_set(err, SF_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    r->path = p;
    r->max = opt && opt->max_record_bytes ? opt->max_record_bytes
                                          : DEFAULT_MAX_RECORD;
    if (r->max > LIMIT_MAX_RECORD)
        r->max = LIMIT_MAX_RECORD;
    r->pairs = opt && opt->pairs;
    r->fd = -1;
    r->rb_init = READ_BUF_INIT;
    r->fast = true;
    /* A repaired line may be three times as long as the line. */
    sf_buf_init(&r->fixed, SIZE_MAX / 2);
    sf_buf_init(&r->idbuf, 0);
    sf_buf_init(&r->file_path, 0);
    sf_buf_init(&r->file_data, r->max + FILE_READ_CHUNK + 1);
    sf_buf_init(&r->txt_id, 0);
    sf_arena_init(&r->scratch, 1024);
    return r;
}

sf_reader *sf_reader_open(const char *path, const sf_reader_options *opt,
                          sf_error *err)
{
    if (!path) {
        sf_error_set(err, SF_EINVAL, NULL, 0, 0, "no input path");
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        sf_reader *r = reader_new(path, opt, err);
        if (r) {
            r->mode = MODE_JSONL;
            r->fd = STDIN_FILENO;
        }
        return r;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        sf_error_set(err, SF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    sf_reader *r = reader_new(path, opt, err);
    if (!r)
        return NULL;
    if (S_ISDIR(st.st_mode)) {
        r->mode = MODE_DIR;
        sf_error e;
        if (list_folder(r, &e) != SF_OK) {
            /* e.file points into r, which is going away. */
            sf_error_set(err, e.code, path, 0, 0, "%s", e.message);
            sf_reader_free(r);
            return NULL;
        }
        return r;
    }
    r->mode = S_ISREG(st.st_mode) && ends_with_txt(path) ? MODE_TXT : MODE_JSONL;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        sf_error_set(err, SF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        sf_reader_free(r);
        return NULL;
    }
    r->close_fd = true;
    return r;
}

sf_reader *sf_reader_open_memory(const void *data, size_t len, const char *name,
                                 const sf_reader_options *opt, sf_error *err)
{
    sf_reader *r = reader_new(name ? name : "<memory>", opt, err);
    if (!r)
        return NULL;
    r->mode = MODE_JSONL;
    r->mem = data ? data : "";
    r->mem_len = data ? len : 0;
    return r;
}

void sf_reader_set_fast(sf_reader *r, bool on)
{
    if (r)
        r->fast = on;
}

void sf_reader_set_chunk(sf_reader *r, size_t chunk)
{
    if (!r || r->rb || chunk == 0)
        return;
    r->chunk = chunk;
    r->rb_init = chunk;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

sf_status sf_reader_next(sf_reader *r, sf_article *out, sf_error *err)
{
    if (!r || !out)
        return sf_error_set(err, SF_EINVAL, NULL, 0, 0, "no reader or no article");
    memset(out, 0, sizeof *out);
    if (r->pair_pending) {
        /* the second article of the line read last */
        r->pair_pending = false;
        sf_status st = record_article(r, "2", out, err);
        if (st == SF_OK)
            r->stats.records++;
        else
            r->stats.skipped++;
        return st;
    }
    drop_record(r);
    switch (r->mode) {
    case MODE_JSONL: return next_jsonl(r, out, err);
    case MODE_TXT: return next_txt(r, out, err);
    case MODE_DIR: return next_dir(r, out, err);
    }
    return sf_error_set(err, SF_EINTERNAL, r->path, 0, 0, "bad reader mode");
}

const char *sf_reader_field(const sf_reader *r, const char *name, size_t *len)
{
    size_t dummy;
    if (!len)
        len = &dummy;
    *len = 0;
    if (!r || !name)
        return NULL;
    if (r->root || r->fast_rec) {
        value v;
        record_get(r, name, &v);
        if (v.kind == 's') {
            *len = v.len;
            return v.str;
        }
        if (v.kind == 'i' || v.kind == 'r') {
            /* The arena is scratch owned by the reader; it is reset per
             * record, so handing out from a const reader is safe. */
            sf_arena *a = (sf_arena *)&r->scratch;
            return number_text(a, &v, len);
        }
        return NULL;
    }
    if (r->have_cur) {
        if (strcmp(name, "id") == 0) {
            *len = r->cur.id_len;
            return r->cur.id;
        }
        if (strcmp(name, "text") == 0) {
            *len = r->cur.text_len;
            return r->cur.text;
        }
    }
    return NULL;
}

void sf_reader_stats_get(const sf_reader *r, sf_reader_stats *out)
{
    if (!out)
        return;
    if (!r) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = r->stats;
}

void sf_reader_free(sf_reader *r)
{
    if (!r)
        return;
    drop_record(r);
    if (r->close_fd && r->fd >= 0)
        close(r->fd);
    for (size_t i = 0; i < r->n_names; i++)
        free(r->names[i]);
    free(r->names);
    free(r->rb);
    free(r->members);
    free(r->path);
    sf_buf_free(&r->fixed);
    sf_buf_free(&r->idbuf);
    sf_buf_free(&r->file_path);
    sf_buf_free(&r->file_data);
    sf_buf_free(&r->txt_id);
    sf_arena_free(&r->scratch);
    free(r);
}
