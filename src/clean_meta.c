/*
 * clean_meta.c — metadata printed on a page, read from the lines the
 * cleaner removed: the byline ("By Anna Keller" gives "Anna Keller"), the
 * source credited ("Source: RPP", "According to Reuters", "Image credits-
 * First Post") and the page's date ("PUBLISHED: THURSDAY, MAY 2, 2013"
 * gives 2013-05-02).
 *
 * Words before a name or a source and month names come from
 * data/clean/meta.lst (any language, matched word by word after case
 * folding). A line is read word by word: words split at spaces, each
 * stripped of brackets and trailing punctuation, then case-folded.
 */
#include "clean.h"
#include "data.h"

#include <pthread.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>

/* ====================================================================== */
/* Word lists (data/clean/meta.lst), loaded once                           */
/* ====================================================================== */

enum { L_BYLINE = 0, L_SOURCE, L_IMAGE, L_MONTH, L_JOIN, L_STOP, L_LABEL, L_UPDATE, L_COUNT };

enum {
    MAX_ENTRIES = 512,
    MAX_WORDS = 48,          /* words of a line looked at */
    VALUE_MAX_WORDS = 6,     /* a name or a source is short */
    META_MAX_WORDS = 24      /* longer lines are sentences, not metadata */
};

/* An entry: case-folded words joined by single spaces, in the pool. */
typedef struct entry {
    size_t off, len;
    uint8_t list;
    uint8_t month;           /* 1-12 for L_MONTH */
    uint8_t words;
    bool need_sep;           /* written with a final ':': a separator must follow */
} entry;

#define META_REACH 40        /* lines around the article read for metadata */
#define META_BUCKETS 256     /* per list: entries by their first word */

static struct {
    sf_buf pool;
    entry items[MAX_ENTRIES];
    size_t count;
    int16_t head[L_COUNT][META_BUCKETS]; /* first entry of a bucket, -1 = none */
    int16_t next[MAX_ENTRIES];           /* next entry of the same bucket */
    bool ok;
} g_meta;

static pthread_once_t g_meta_once = PTHREAD_ONCE_INIT;

typedef struct load_ctx {
    uint8_t list, month;
    bool ok;
    sf_buf norm;
} load_ctx;

static bool add_entry(load_ctx *lc, const char *s, size_t n)
{
    if (g_meta.count == MAX_ENTRIES)
        return true;                  /* the list is ours: never this long */
    bool need_sep = n > 1 && s[n - 1] == ':';
    sf_buf_clear(&lc->norm);
    if (!sf_normalize(s, need_sep ? n - 1 : n, &lc->norm))
        return false;
    entry *e = &g_meta.items[g_meta.count];
    e->need_sep = need_sep;
    e->off = g_meta.pool.len;
    e->len = lc->norm.len;
    e->list = lc->list;
    e->month = lc->month;
    e->words = 1;
    for (size_t i = 0; i < lc->norm.len; i++)
        e->words = (uint8_t)(e->words + (lc->norm.data[i] == ' '));
    if (!sf_buf_append(&g_meta.pool, lc->norm.data, lc->norm.len))
        return false;
    g_meta.count++;
    return true;
}

static void load_line(void *vctx, const char *s, size_t n)
{
    load_ctx *lc = vctx;
    if (!lc->ok)
        return;
    if (s[0] == '[' && s[n - 1] == ']') {
        lc->month = 0;
        if (n == 8 && memcmp(s, "[byline]", 8) == 0)
            lc->list = L_BYLINE;
        else if (n == 8 && memcmp(s, "[source]", 8) == 0)
            lc->list = L_SOURCE;
        else if (n == 7 && memcmp(s, "[image]", 7) == 0)
            lc->list = L_IMAGE;
        else if (n == 6 && memcmp(s, "[join]", 6) == 0)
            lc->list = L_JOIN;
        else if (n == 6 && memcmp(s, "[stop]", 6) == 0)
            lc->list = L_STOP;
        else if (n == 7 && memcmp(s, "[label]", 7) == 0)
            lc->list = L_LABEL;
        else if (n == 8 && memcmp(s, "[update]", 8) == 0)
            lc->list = L_UPDATE;
        else if (n > 8 && memcmp(s, "[month ", 7) == 0) {
            lc->list = L_MONTH;
            lc->month = (uint8_t)atoi(s + 7);
        } else {
            lc->list = L_COUNT;       /* unknown section: ignored */
        }
        return;
    }
    if (lc->list == L_COUNT)
        return;
    if (lc->list != L_MONTH && lc->list != L_JOIN && lc->list != L_STOP) {
        lc->ok = add_entry(lc, s, n);
        return;
    }
    /* month, join and stop lines list words separated by spaces */
    size_t i = 0;
    while (i < n && lc->ok) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j > i)
            lc->ok = add_entry(lc, s + i, j - i);
        i = j;
    }
}

/* Bucket of a word (the first word of an entry): bytes up to a space. */
static unsigned word_bucket(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n && s[i] != ' '; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h & (META_BUCKETS - 1);
}

static void meta_init(void)
{
    sf_buf_init(&g_meta.pool, 0);
    load_ctx lc = {.list = L_COUNT, .ok = true};
    sf_buf_init(&lc.norm, 0);
    g_meta.ok = sf_data_lines("clean/meta.lst", load_line, &lc) && lc.ok;
    sf_buf_free(&lc.norm);
    /* Entries by list and first word, so that a line or a word is matched
     * against the few entries that can match it. Kept in file order. */
    memset(g_meta.head, 0xff, sizeof g_meta.head);
    for (size_t k = g_meta.count; k > 0; k--) {
        const entry *e = &g_meta.items[k - 1];
        unsigned b = word_bucket(g_meta.pool.data + e->off, e->len);
        g_meta.next[k - 1] = g_meta.head[e->list][b];
        g_meta.head[e->list][b] = (int16_t)(k - 1);
    }
}

/* ====================================================================== */
/* Words of a line                                                         */
/* ====================================================================== */

typedef struct word {
    size_t start, end;       /* the stripped word in the page text */
    size_t noff, nlen;       /* its case-folded form in the words' buffer */
    bool cut;                /* a value ends after it: "," ";" "|" after it */
    bool sep;                /* ":", "|" or a dash after it */
    bool digit;              /* holds a digit */
    bool alnum;              /* holds a letter or a digit (non-ASCII counts) */
} word;

typedef struct words {
    word w[MAX_WORDS];
    size_t n;
    sf_buf norm;
} words;

static bool trail_punct(unsigned char c)
{
    return c == ',' || c == '.' || c == ':' || c == ';' || c == '-' || c == '|' ||
           c == ')' || c == ']' || c == '"' || c == '\'' || c == '!' || c == '?';
}

/* Length in bytes of the dash (- – —), guillemet or other punctuation that
 * ends s[0..n), 0 if none. */
static size_t trail_len(const char *s, size_t n)
{
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
        ((unsigned char)s[n - 1] == 0x93 || (unsigned char)s[n - 1] == 0x94))
        return 3;                     /* – — */
    if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xBB)
        return 2;                     /* » */
    return n >= 1 && trail_punct((unsigned char)s[n - 1]) ? 1 : 0;
}

/* Splits text[off, off+len) into words; with first_only, stops after the
 * first word that holds anything after stripping. False if out of
 * memory. */
static bool split_words(const char *text, size_t off, size_t len, words *ws,
                        bool first_only)
{
    ws->n = 0;
    sf_buf_clear(&ws->norm);
    size_t i = off, end = off + len;
    while (i < end && ws->n < MAX_WORDS) {
        while (i < end && (text[i] == ' ' || text[i] == '\t'))
            i++;
        size_t j = i;
        while (j < end && text[j] != ' ' && text[j] != '\t')
            j++;
        if (j == i)
            break;
        size_t a = i, b = j;
        i = j;
        while (a < b && (text[a] == '(' || text[a] == '[' || text[a] == '"' || text[a] == '\''))
            a++;
        bool cut = false, sep = false;
        size_t t;
        while (b > a && (t = trail_len(text + a, b - a)) > 0) {
            char c = text[b - 1];
            cut = cut || c == ',' || c == ';' || c == '|' || c == ')';
            sep = sep || c == ':' || c == '|' || c == '-' || t == 3;
            b -= t;
        }
        word *w = &ws->w[ws->n];
        w->start = a;
        w->end = b;
        w->cut = cut;
        w->sep = sep;
        w->digit = w->alnum = false;
        bool ascii = true;
        for (size_t k = a; k < b; k++) {
            unsigned char c = (unsigned char)text[k];
            w->digit = w->digit || (c >= '0' && c <= '9');
            w->alnum = w->alnum || w->digit || c >= 0x80 || (c >= 'a' && c <= 'z') ||
                       (c >= 'A' && c <= 'Z');
            ascii = ascii && c < 0x80;
        }
        /* full-width and other non-ASCII punctuation ("／", "•") */
        if (w->alnum && !w->digit && b - a <= 3 && (unsigned char)text[a] >= 0x80 &&
            ((unsigned char)text[a] == 0xE2 || (unsigned char)text[a] == 0xEF ||
             (unsigned char)text[a] == 0xC2))
            w->alnum = false;
        w->noff = ws->norm.len;
        if (ascii && b > a) {
            /* lower-casing is all that sf_normalize does to ASCII */
            if (!sf_buf_reserve(&ws->norm, b - a))
                return false;
            char *o = ws->norm.data + ws->norm.len;
            for (size_t k = a; k < b; k++) {
                char c = text[k];
                *o++ = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
            ws->norm.len += b - a;
            ws->norm.data[ws->norm.len] = '\0';
        } else if (b > a && !sf_normalize(text + a, b - a, &ws->norm)) {
            return false;
        }
        w->nlen = ws->norm.len - w->noff;
        ws->n++;
        if (first_only && w->nlen > 0)
            break;
    }
    return true;
}

static bool word_is(const words *ws, size_t i, const char *s, size_t n)
{
    return ws->w[i].nlen == n && memcmp(ws->norm.data + ws->w[i].noff, s, n) == 0;
}

/* Number of words of the entry matched at the start of the line (words
 * with nothing left after stripping are skipped), 0 if it does not. */
static size_t match_entry(const words *ws, const entry *e)
{
    const char *p = g_meta.pool.data + e->off;
    size_t pn = e->len, i = 0, pi = 0;
    while (pi < pn) {
        while (i < ws->n && ws->w[i].nlen == 0)
            i++;
        if (i == ws->n)
            return 0;
        size_t q = pi;
        while (q < pn && p[q] != ' ')
            q++;
        if (!word_is(ws, i, p + pi, q - pi))
            return 0;
        i++;
        pi = q < pn ? q + 1 : q;
    }
    if (e->need_sep && !ws->w[i - 1].sep && !(i < ws->n && ws->w[i].nlen == 0))
        return 0;
    return i;
}

/* The entry of `list` that is the case-folded word i, or NULL. */
static const entry *word_entry(const words *ws, size_t i, uint8_t list)
{
    unsigned b = word_bucket(ws->norm.data + ws->w[i].noff, ws->w[i].nlen);
    for (int k = g_meta.head[list][b]; k >= 0; k = g_meta.next[k]) {
        const entry *e = &g_meta.items[k];
        if (ws->w[i].nlen == e->len &&
            memcmp(ws->norm.data + ws->w[i].noff, g_meta.pool.data + e->off, e->len) == 0)
            return e;
    }
    return NULL;
}

/* The month (1-12) the case-folded word names, or 0. */
static unsigned month_of(const words *ws, size_t i)
{
    const entry *e = word_entry(ws, i, L_MONTH);
    return e ? e->month : 0;
}

/* ====================================================================== */
/* Names and sources                                                       */
/* ====================================================================== */

static bool is_lower_ascii(char c)
{
    return c >= 'a' && c <= 'z';
}

/* True if the first word that holds anything is the first word of an
 * entry of a byline, source or image list: else find_value finds nothing. */
static bool starts_entry(const words *ws)
{
    size_t w0 = 0;
    while (w0 < ws->n && ws->w[w0].nlen == 0)
        w0++;
    if (w0 == ws->n)
        return false;
    const char *s = ws->norm.data + ws->w[w0].noff;
    size_t n = ws->w[w0].nlen;
    unsigned b = word_bucket(s, n);
    static const uint8_t lists[] = {L_BYLINE, L_SOURCE, L_IMAGE};
    for (size_t l = 0; l < sizeof lists; l++)
        for (int k = g_meta.head[lists[l]][b]; k >= 0; k = g_meta.next[k]) {
            const entry *e = &g_meta.items[k];
            const char *p = g_meta.pool.data + e->off;
            size_t q = 0;
            while (q < e->len && p[q] != ' ')
                q++;
            if (q == n && memcmp(p, s, n) == 0)
                return true;
        }
    return false;
}

/* The name or source after the words of an entry of `list` at the start of
 * the line: up to a digit, a separator or a comma, at most
 * VALUE_MAX_WORDS words, not starting in lower case. */
static bool find_value(const char *text, const words *ws, uint8_t list, size_t *off,
                       size_t *len)
{
    /* entries match from the line's first word that holds anything */
    size_t w0 = 0;
    while (w0 < ws->n && ws->w[w0].nlen == 0)
        w0++;
    if (w0 == ws->n)
        return false;
    unsigned b = word_bucket(ws->norm.data + ws->w[w0].noff, ws->w[w0].nlen);
    for (int k = g_meta.head[list][b]; k >= 0; k = g_meta.next[k]) {
        const entry *e = &g_meta.items[k];
        size_t i = match_entry(ws, e);
        if (i == 0)
            continue;
        while (i < ws->n && !ws->w[i].alnum && !ws->w[i].cut)
            i++;                      /* separators, "©" */
        size_t first = i, last = i;
        for (; i < ws->n; i++) {
            const word *w = &ws->w[i];
            if (w->digit || !w->alnum || text[w->start] == '@' ||
                (i + 1 < ws->n && ws->w[i + 1].digit && month_of(ws, i)))
                break;
            /* a byline's names end at "Updated", "on Monday", "publiziert am" */
            if (list == L_BYLINE && i > first &&
                (word_entry(ws, i, L_STOP) ||
                 (is_lower_ascii(text[w->start]) && !word_entry(ws, i, L_JOIN))))
                break;
            last = i + 1;
            if (w->cut)
                break;
        }
        if (last <= first || last - first > VALUE_MAX_WORDS ||
            is_lower_ascii(text[ws->w[first].start]))
            continue;
        /* "Sean Martin Sean Martin": a name printed twice */
        size_t half = (last - first) / 2;
        if (half > 0 && (last - first) % 2 == 0) {
            bool twice = true;
            for (size_t h = 0; h < half && twice; h++)
                twice = ws->w[first + h].nlen == ws->w[first + half + h].nlen &&
                        memcmp(ws->norm.data + ws->w[first + h].noff,
                               ws->norm.data + ws->w[first + half + h].noff,
                               ws->w[first + h].nlen) == 0;
            if (twice)
                last = first + half;
        }
        *off = ws->w[first].start;
        *len = ws->w[last - 1].end - *off;
        return true;
    }
    return false;
}

/* "(Reuters)", "(AP)": a line that is only a source in brackets. */
static bool bracket_source(const char *text, const sf_line *li, size_t *off, size_t *len)
{
    const char *s = text + li->off;
    if (li->len < 3 || li->len > 40 || s[0] != '(' || s[li->len - 1] != ')' ||
        li->words == 0 || li->words > 3 || is_lower_ascii(s[1]) || li->nums > 0 ||
        memchr(s, ':', li->len))
        return false;
    *off = li->off + 1;
    *len = li->len - 2;
    return true;
}

/* ====================================================================== */
/* Dates                                                                   */
/* ====================================================================== */

/* A day "3", "03", "3." or "1er", "1st": 1-31, else 0. */
static unsigned day_of(const char *text, const word *w)
{
    unsigned v = 0;
    size_t k = w->start, digits = 0;
    while (k < w->end && text[k] >= '0' && text[k] <= '9' && digits < 3) {
        v = v * 10 + (unsigned)(text[k] - '0');
        k++;
        digits++;
    }
    size_t rest = w->end - k;
    if (digits == 0 || digits > 2 || v < 1 || v > 31)
        return 0;
    if (rest == 0 || (rest == 2 && (memcmp(text + k, "st", 2) == 0 || memcmp(text + k, "nd", 2) == 0 ||
                                    memcmp(text + k, "rd", 2) == 0 || memcmp(text + k, "th", 2) == 0 ||
                                    memcmp(text + k, "er", 2) == 0)))
        return v;
    return 0;
}

/* A year 1900-2099 written with four digits, else 0. */
static unsigned year_of(const char *text, const word *w)
{
    if (w->end - w->start != 4)
        return 0;
    unsigned v = 0;
    for (size_t k = w->start; k < w->end; k++) {
        if (text[k] < '0' || text[k] > '9')
            return 0;
        v = v * 10 + (unsigned)(text[k] - '0');
    }
    return v >= 1900 && v <= 2099 ? v : 0;
}

/* Reads up to three numbers separated by sep from s[0..n); count in *k. */
static void numbers(const char *s, size_t n, char sep, unsigned v[3], size_t len[3], size_t *k)
{
    *k = 0;
    size_t i = 0;
    while (*k < 3) {
        size_t st = i;
        v[*k] = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 5)
            v[*k] = v[*k] * 10 + (unsigned)(s[i++] - '0');
        len[*k] = i - st;
        if (len[*k] == 0)
            return;
        (*k)++;
        if (i == n || s[i] != sep)
            break;
        i++;
    }
    if (i != n)
        *k = 0;
}

static bool valid(unsigned y, unsigned m, unsigned dd)
{
    static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && dd >= 1 && dd <= mdays[m - 1];
}

/* One word holding a whole date: 2013-05-03, 03.05.2013, 03/05/2013
 * (month first in English unless the first number is above 12). */
static bool numeric_date(const char *text, const word *w, sf_lang lang, unsigned *y,
                         unsigned *m, unsigned *dd)
{
    const char *s = text + w->start;
    size_t n = w->end - w->start;
    static const char seps[3] = {'-', '.', '/'};
    for (int si = 0; si < 3; si++) {
        unsigned v[3];
        size_t l[3], k;
        if (!memchr(s, seps[si], n))
            continue;
        numbers(s, n, seps[si], v, l, &k);
        if (k != 3)
            continue;
        if (l[0] == 4 && seps[si] == '-') {
            *y = v[0], *m = v[1], *dd = v[2];
        } else if (l[2] == 4 && l[0] <= 2 && l[1] <= 2 && seps[si] != '-') {
            bool month_first = seps[si] == '/' && lang == SF_LANG_EN && v[0] <= 12;
            *y = v[2];
            *m = month_first ? v[0] : v[1];
            *dd = month_first ? v[1] : v[0];
        } else {
            continue;
        }
        if (valid(*y, *m, *dd))
            return true;
    }
    return false;
}

/* "de", "del" (es, pt) and "năm" (vi) may stand between day, month and year. */
static bool filler(const words *ws, size_t i)
{
    return word_is(ws, i, "de", 2) || word_is(ws, i, "del", 3) ||
           word_is(ws, i, "n\xc4\x83m", 4);
}

/* The first date in the line as "YYYY-MM-DD" in out (11 bytes). */
static bool find_date(const char *text, const words *ws, sf_lang lang, char *out)
{
    size_t idx[MAX_WORDS], n = 0;
    for (size_t i = 0; i < ws->n; i++)
        if (ws->w[i].nlen > 0 && !filler(ws, i))
            idx[n++] = i;
    for (size_t k = 0; k < n; k++) {
        const word *w = &ws->w[idx[k]];
        unsigned y = 0, m = 0, dd = 0;
        if (w->digit && numeric_date(text, w, lang, &y, &m, &dd)) {
            /* found */
        } else if (word_is(ws, idx[k], "th\xc3\xa1ng", 6) && k > 0 && k + 2 < n) {
            /* vi: "ngày 3 tháng 5 năm 2013" */
            dd = day_of(text, &ws->w[idx[k - 1]]);
            m = day_of(text, &ws->w[idx[k + 1]]);
            y = year_of(text, &ws->w[idx[k + 2]]);
        } else if (!w->digit && (m = month_of(ws, idx[k])) != 0) {
            if (k > 0 && k + 1 < n && (dd = day_of(text, &ws->w[idx[k - 1]])) != 0 &&
                (y = year_of(text, &ws->w[idx[k + 1]])) != 0) {
                /* 3 May 2013, 3 de mayo de 2013, 3. Mai 2013 */
            } else if (k + 2 < n && (dd = day_of(text, &ws->w[idx[k + 1]])) != 0) {
                y = year_of(text, &ws->w[idx[k + 2]]);   /* May 3, 2013 */
            }
        }
        if (valid(y, m, dd)) {
            out[0] = (char)('0' + y / 1000);
            out[1] = (char)('0' + y / 100 % 10);
            out[2] = (char)('0' + y / 10 % 10);
            out[3] = (char)('0' + y % 10);
            out[4] = '-';
            out[5] = (char)('0' + m / 10);
            out[6] = (char)('0' + m % 10);
            out[7] = '-';
            out[8] = (char)('0' + dd / 10);
            out[9] = (char)('0' + dd % 10);
            out[10] = '\0';
            return true;
        }
    }
    return false;
}

/* ====================================================================== */
/* The page                                                                */
/* ====================================================================== */

sf_status sf_clean_find_meta(const sf_clean_doc *d, sf_clean_meta *m)
{
    memset(m, 0, sizeof *m);
    pthread_once(&g_meta_once, meta_init);
    if (!g_meta.ok)
        return SF_ENOMEM;
    /* bylines and dates stand above the article's end: below it, dates
     * belong to teasers and comments */
    size_t limit = d->n;
    for (size_t i = d->n; i > 0; i--)
        if (d->lines[i - 1].keep) {
            limit = i - 1;
            break;
        }
    /* and they stand near it: menus and footers far from it are not read */
    size_t from = 0;
    while (from < d->n && !d->lines[from].keep)
        from++;
    from = from > META_REACH ? from - META_REACH : 0;
    size_t to = limit + META_REACH < d->n ? limit + META_REACH + 1 : d->n;
    words wsb;   /* (~2 KB) */
    words *ws = &wsb;
    sf_buf_init(&ws->norm, 0);
    bool have_source = false, have_image = false;
    size_t img_off = 0, img_len = 0;
    sf_status st = SF_OK;
    for (size_t i = from; i < to; i++) {
        const sf_line *li = &d->lines[i];
        if (li->keep || li->words == 0 || li->words > META_MAX_WORDS)
            continue;
        bool above = i < limit;
        if (have_source && (!above || (m->byline_len && m->date[0])))
            continue;
        size_t off, len;
        /* most lines start with no entry's word and hold no date: the
         * first word tells, the rest is not read */
        bool want_date = above && !m->date[0] && li->nums > 0;
        if (!split_words(d->text, li->off, li->len, ws, true)) {
            st = SF_ENOMEM;
            break;
        }
        if (!want_date && !starts_entry(ws)) {
            if (!have_source && bracket_source(d->text, li, &off, &len)) {
                have_source = true;
                m->credit_off = off;
                m->credit_len = len;
            }
            continue;
        }
        if (!split_words(d->text, li->off, li->len, ws, false)) {
            st = SF_ENOMEM;
            break;
        }
        if (above && !m->byline_len && find_value(d->text, ws, L_BYLINE, &off, &len)) {
            m->byline_off = off;
            m->byline_len = len;
        }
        /* every date has a word starting with a digit, which the line
         * scan counted */
        if (want_date)
            find_date(d->text, ws, d->lang, m->date);
        if (!have_source && (find_value(d->text, ws, L_SOURCE, &off, &len) ||
                             bracket_source(d->text, li, &off, &len))) {
            have_source = true;
            m->credit_off = off;
            m->credit_len = len;
        } else if (!have_source && !have_image &&
                   find_value(d->text, ws, L_IMAGE, &img_off, &img_len)) {
            have_image = true;
        }
    }
    /* the source of the story before the source of a picture */
    if (!have_source && have_image) {
        m->credit_off = img_off;
        m->credit_len = img_len;
    }
    sf_buf_free(&ws->norm);
    return st;
}

/* ====================================================================== */
/* Datelines                                                               */
/* ====================================================================== */

enum {
    DL_HEAD = 200,           /* bytes of a line read for its dateline */
    DL_TOKENS = 16,
    DL_PLACE_WORDS = 4,      /* "RIO DE JANEIRO", "ST. JOSEPH" */
    DL_REGION_WORDS = 5,     /* ", United Arab Emirates", ", 5 nov" */
    DL_AGENCY = 32,          /* bytes of "(Reuters)" */
    DL_AFTER = 6             /* words of the sentence after the dash */
};

typedef struct dl_token {
    const char *s;
    size_t n;
} dl_token;

/* Letters of s[0..n): *upper and *lower count the cased ones, *cap tells
 * whether the first is a capital; false if it holds a digit or a
 * character no place name has. */
static bool place_word(const char *s, size_t n, unsigned *upper, unsigned *lower, bool *cap)
{
    *upper = *lower = 0;
    *cap = false;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            return false;
        i += (size_t)k;
        utf8proc_category_t cat = utf8proc_category(c);
        if (*upper + *lower == 0)
            *cap = cat == UTF8PROC_CATEGORY_LU;
        if (cat == UTF8PROC_CATEGORY_LU)
            (*upper)++;
        else if (cat == UTF8PROC_CATEGORY_LL)
            (*lower)++;
        else if (cat != UTF8PROC_CATEGORY_LO && cat != UTF8PROC_CATEGORY_MN &&
                 c != '.' && c != '\'' && c != 0x2019 && c != '-')
            return false;
    }
    return *upper + *lower > 0;
}

/* An entry of list (data/clean/meta.lst) that is the whole of s[0..n). */
static bool is_entry(const char *s, size_t n, uint8_t list)
{
    sf_buf norm;
    sf_buf_init(&norm, 0);
    bool found = false;
    if (sf_normalize(s, n, &norm))
        for (size_t k = 0; k < g_meta.count && !found; k++) {
            const entry *e = &g_meta.items[k];
            found = e->list == list && e->len == norm.len &&
                    memcmp(g_meta.pool.data + e->off, norm.data, norm.len) == 0;
        }
    sf_buf_free(&norm);
    return found;
}

bool sf_clean_dateline(const char *s, size_t n)
{
    if (n < 40)
        return false;
    /* most lines tell at once: a dateline starts with two capitals
     * ("WASHINGTON", "ST. JOSEPH") or holds an agency's bracket early
     * ("Berlin (dpa)"); lines of other scripts are read in full */
    unsigned char c0 = (unsigned char)s[0], c1 = (unsigned char)s[1];
    if (c0 < 0x80 && !((unsigned)(c0 - 'A') < 26u && ((unsigned)(c1 - 'A') < 26u || c1 >= 0x80)) &&
        !memchr(s, '(', n < 48 ? n : 48))
        return false;
    /* and a dash soon after the place, the region and the agency */
    size_t head = n < 120 ? n : 120;
    if (!memchr(s, '-', head) && !memchr(s, 0xE2, head))
        return false;
    pthread_once(&g_meta_once, meta_init);
    if (!g_meta.ok)
        return false;
    /* the head of the line with its dashes as ASCII words of their own:
     * "—", "–", "--", ".-" and a "-" glued to the agency or the place */
    char buf[DL_HEAD * 2];
    size_t m = 0;
    for (size_t i = 0; i < n && i < DL_HEAD && m + 4 < sizeof buf;) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x94 || (unsigned char)s[i + 2] == 0x93)) {
            memcpy(buf + m, " - ", 3), m += 3, i += 3;
        } else if (c == '-' && ((i + 1 < n && s[i + 1] == '-') ||
                                (i > 0 && (s[i - 1] == ')' || s[i - 1] == '.')))) {
            memcpy(buf + m, " - ", 3), m += 3;
            i += i + 1 < n && s[i + 1] == '-' ? 2 : 1;
        } else {
            buf[m++] = (char)c, i++;
        }
    }
    dl_token t[DL_TOKENS];
    size_t nt = 0;
    for (size_t i = 0; i < m && nt < DL_TOKENS;) {
        while (i < m && buf[i] == ' ')
            i++;
        size_t j = i;
        while (j < m && buf[j] != ' ')
            j++;
        if (j > i)
            t[nt++] = (dl_token){buf + i, j - i};
        i = j;
    }
    /* the place: words until a comma, an agency or the dash */
    size_t k = 0, place_end = 0;
    unsigned upper = 0, lower = 0;
    bool comma = false, capitalised = true;
    while (k < nt && k < DL_PLACE_WORDS) {
        size_t len = t[k].n;
        comma = len > 1 && t[k].s[len - 1] == ',';
        if (comma)
            len--;
        if ((t[k].s[0] == '(' || (len == 1 && t[k].s[0] == '-')) && k > 0)
            break;
        unsigned u, l;
        bool cap;
        if (!place_word(t[k].s, len, &u, &l, &cap))
            return false;
        capitalised = capitalised && cap;
        upper += u;
        lower += l;
        place_end = (size_t)(t[k].s - buf) + len;
        k++;
        if (comma)
            break;
    }
    if (k == 0 || upper + lower < 2 || !capitalised || is_entry(buf, place_end, L_LABEL) ||
        is_entry(buf, place_end, L_UPDATE))
        return false;
    /* a region after the comma: "Mich.", "United Arab Emirates", "5 nov" */
    if (comma) {
        size_t r = 0;
        while (k < nt && r < DL_REGION_WORDS && t[k].s[0] != '(' &&
               !(t[k].n == 1 && t[k].s[0] == '-'))
            k++, r++;
        if (r == 0)
            return false;
    }
    /* the agency: "(AP)", "(Reuters)", "(EFE)." */
    bool agency = false;
    if (k < nt && t[k].s[0] == '(') {
        size_t bytes = 0;
        while (k < nt && bytes <= DL_AGENCY) {
            bytes += t[k].n + 1;
            bool closes = memchr(t[k].s, ')', t[k].n) != NULL;
            k++;
            if (closes) {
                agency = true;
                break;
            }
        }
        if (!agency)
            return false;
    }
    /* a place in capitals, or any place with an agency */
    if ((lower > 0 || upper < 2) && !agency)
        return false;
    if (k >= nt || t[k].n != 1 || t[k].s[0] != '-')
        return false;
    k++;
    /* and the sentence: words, the first a capital or a digit */
    if (nt - k < DL_AFTER && n <= DL_HEAD)
        return false;
    return k < nt;
}

bool sf_clean_update_line(const char *s, size_t n)
{
    pthread_once(&g_meta_once, meta_init);
    if (!g_meta.ok)
        return false;
    /* the first word, after a time or a date ("2 p.m. UPDATE:"), without
     * the punctuation around it */
    size_t i = 0;
    for (unsigned w = 0; w < 4 && i < n; w++) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        bool digit = false, dot = false;
        while (j < n && s[j] != ' ') {
            digit = digit || (unsigned)(s[j] - '0') < 10u;
            dot = dot || s[j] == '.';
            j++;
        }
        if (digit || (dot && j - i <= 4)) {
            i = j;
            continue;
        }
        size_t a = i, b = j;
        while (a < b && !((unsigned char)s[a] >= 0x80 || (unsigned)((s[a] | 0x20) - 'a') < 26u))
            a++;
        while (b > a && !((unsigned char)s[b - 1] >= 0x80 || (unsigned)((s[b - 1] | 0x20) - 'a') < 26u))
            b--;
        return b > a && is_entry(s + a, b - a, L_UPDATE);
    }
    return false;
}
