/*
 * clean_lines.c — the cleaner's first pass: split a page into lines and
 * compute each line's features in one scan (see clean.h), including hits
 * in the furniture phrase lists of data/clean/<lang>.txt.
 */
#include "clean.h"
#include "clean_glued.h"

#include "data.h"
#include "text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define SF_AVX2 1
#endif

/* For the few functions of the line scan that must be inlined. */
#if defined(__GNUC__)
#define SF_HOT_INLINE static inline __attribute__((always_inline))
#else
#define SF_HOT_INLINE static inline
#endif

/* ====================================================================== */
/* Reasons                                                                 */
/* ====================================================================== */

static const char *const reason_name[R_COUNT] = {
    [R_NONE] = "",
    [R_AD_CODE] = "ad-code",
    [R_CSS] = "css",
    [R_MARKUP] = "markup",
    [R_BREADCRUMB] = "breadcrumb",
    [R_BYLINE] = "byline",
    [R_CAPTION] = "caption",
    [R_CREDIT] = "credit",
    [R_SOURCE_CREDIT] = "source-credit",
    [R_COMMENT_FORM] = "comment-form",
    [R_SPONSOR] = "sponsor",
    [R_AFFILIATE] = "affiliate",
    [R_SHARE] = "share",
    [R_SUBSCRIBE] = "subscribe",
    [R_COUPON] = "coupon",
    [R_AUTHOR_BIO] = "author-bio",
    [R_TEASER] = "teaser-block",
    [R_NAVIGATION] = "navigation",
    [R_DUPLICATE] = "duplicate",
    [R_SHORT] = "short-fragment",
    [R_BOILERPLATE] = "boilerplate",
    [R_SITE_FURNITURE] = "site-furniture",
    [R_GLUED_CODE] = "glued-code",
    [R_BEFORE_DATELINE] = "before-dateline",
};

const char *sf_clean_reason_name(sf_reason r)
{
    return (unsigned)r < R_COUNT ? reason_name[r] : "";
}

static sf_reason reason_from_name(const char *s, size_t n)
{
    for (unsigned r = 1; r < R_COUNT; r++)
        if (strlen(reason_name[r]) == n && memcmp(reason_name[r], s, n) == 0)
            return (sf_reason)r;
    return R_NONE;
}

/* ====================================================================== */
/* Normalising a line for phrase matching                                  */
/* ====================================================================== */

/* Byte-level word character for phrase keys: ASCII letters and digits and
 * every non-ASCII byte (curly quotes are mapped to ASCII before). */
static bool key_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

static bool lead_junk(int32_t c)
{
    switch (c) {
    case ' ': case '\t': case '-': case '*': case '|': case '>': case '#':
    case '"': case '\'': case 0x2013: case 0x2014: case 0x2022: case 0x00B7:
    case 0x00BB: case 0x203A: case 0x2018: case 0x2019: case 0x201C:
    case 0x201D: case 0x25BA: case 0x25B6: case 0x2192: case 0x00AB:
        return true;
    default:
        return false;
    }
}

/* Writes the normalised form of s into o: lower case, curly quotes made
 * ASCII, whitespace runs made one space, no space before ':', leading
 * bullets, dashes and quotes dropped, trailing spaces dropped. At most
 * max_out bytes are produced (the rest is cut; enough for short lines).
 * o has room for NORM_ROOM(n, max_out) bytes; returns the length (o is
 * NUL-terminated). */
#define NORM_ROOM(n, max_out) (((n) < (max_out) ? 2 * (n) : (max_out)) + 8 + 1)
static size_t normalize_into(const char *s, size_t n, uint8_t *o, size_t max_out)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, len = 0;
    bool lead = true, space = false;
    while (i < n && len < max_out) {
        if (!lead) {
            /* a run of ASCII bytes after the lead: no branch but the run's
             * end (what is written past len is overwritten or cut; each
             * byte writes at most o[len + 1], inside the room) */
            while (i < n && len < max_out && p[i] < 0x80) {
                unsigned b = p[i++];
                unsigned sp = (b == ' ') | (b == '\t') | (b == '\r');
                unsigned put = (unsigned)space & !sp & (b != ':') & (len > 0);
                o[len] = ' ';
                len += put;
                o[len] = (uint8_t)(b + ((b - 'A' < 26u) << 5));
                len += !sp;
                space = sp;
            }
            if (i >= n || len >= max_out)
                break;
        }
        int32_t c = p[i];
        if (c < 0x80) {
            i++;
        } else {
            utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
            if (k <= 0) {
                i++;
                continue;
            }
            i += (size_t)k;
        }
        if (lead && lead_junk(c))
            continue;
        lead = false;
        if (c == 0x2018 || c == 0x2019)
            c = '\'';
        else if (c == 0x201C || c == 0x201D)
            c = '"';
        else if (c == 0x00A0)
            c = ' ';
        if (c == ' ' || c == '\t' || c == '\r') {
            space = true;
            continue;
        }
        if (space && c != ':' && len > 0)
            o[len++] = ' ';
        space = false;
        if (c < 0x80) {
            o[len++] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else {
            utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(c), o + len);
            if (m > 0)
                len += (size_t)m;
        }
    }
    o[len] = '\0';
    return len;
}

static bool normalize_line(const char *s, size_t n, sf_buf *out, size_t max_out)
{
    sf_buf_clear(out);
    /* each input byte gives at most two output bytes (a space before a
     * character, or a lower case written longer); the loop stops after
     * max_out, having written at most 5 more */
    if (!sf_buf_reserve(out, NORM_ROOM(n, max_out)))
        return false;
    out->len = normalize_into(s, n, (uint8_t *)out->data, max_out);
    return true;
}

/* Length of the normalised line without trailing punctuation, digits and
 * spaces: "Comments (12)" and "Leave a Reply." compare as their words. */
static size_t exact_len(const char *s, size_t n)
{
    while (n > 0) {
        unsigned char c = (unsigned char)s[n - 1];
        if (c == ' ' || c == '.' || c == ':' || c == '!' || c == '?' ||
            c == '-' || c == '|' || c == '(' || c == ')' || c == '[' ||
            c == ']' || c == '>' || c == ',' || c == '"' || c == '\'' ||
            (c >= '0' && c <= '9')) {
            n--;
            continue;
        }
        /* trailing non-ASCII dashes, bullets, arrows, quotes */
        if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 &&
            ((unsigned char)s[n - 2] == 0x80 || (unsigned char)s[n - 2] == 0x86 ||
             (unsigned char)s[n - 2] == 0x96)) {
            n -= 3;
            continue;
        }
        if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 &&
            ((unsigned char)s[n - 1] == 0xBB || (unsigned char)s[n - 1] == 0xAB)) {
            n -= 2;
            continue;
        }
        break;
    }
    return n;
}

/* ====================================================================== */
/* Characters and words                                                    */
/* ====================================================================== */

/* Phrase modes (see data/clean/README.md). */
enum { PM_PREFIX = 0, PM_CONTAINS = 1, PM_EXACT = 2, PM_SUFFIX = 3 };

/* Per-code-point classes, precomputed from utf8proc for the code points
 * below CC_TABLE (Latin, Greek, Cyrillic, Arabic, Thai, Vietnamese and the
 * general punctuation block); the rest are classified on the fly. */
enum {
    CC_WORD = 1,       /* letter, mark or number: part of a word */
    CC_UP = 2,         /* upper or title case letter */
    CC_LOW = 4,        /* lower case letter */
    CC_UNSPACED = 8,   /* Han, kana, Thai: half a word each, not in words */
    CC_CODE = 16,      /* { } [ ] ( ) ; = < > */
    CC_SPACE = 32,     /* space, tab, CR, NBSP: not counted as non-space */
    CC_LETTER = 64,    /* CC_UP or CC_LOW (scanners add (cc >> 6) & 1) */
    CC_JOIN = 128      /* '_': inside words here, between words for phrases */
};

#define CC_TABLE 0x2100u

/* Han, kana and Thai are written without spaces. */
static bool is_unspaced_cp(int32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x0E00 && c <= 0x0E7F);
}

static uint8_t cp_class(int32_t c)
{
    if (c == ' ' || c == '\t' || c == '\r' || c == 0xA0)
        return CC_SPACE;
    if (c < 0x80) {
        switch (c) {
        case '{': case '}': case '[': case ']': case '(': case ')': case ';':
        case '=': case '<': case '>':
            return CC_CODE;
        default:
            break;
        }
        if (c >= 'a' && c <= 'z')
            return CC_WORD | CC_LOW | CC_LETTER;
        if (c >= 'A' && c <= 'Z')
            return CC_WORD | CC_UP | CC_LETTER;
        return c == '_' ? CC_WORD | CC_JOIN : (c >= '0' && c <= '9') ? CC_WORD : 0;
    }
    if (is_unspaced_cp(c))
        return CC_UNSPACED;
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_NO)
        return 0;
    uint8_t f = CC_WORD;
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
        f |= CC_UP | CC_LETTER;
    else if (cat == UTF8PROC_CATEGORY_LL)
        f |= CC_LOW | CC_LETTER;
    return f;
}

static uint8_t g_cc[CC_TABLE];
static uint16_t g_lower[CC_TABLE];

static void cc_init(void)
{
    for (int32_t c = 0; c < (int32_t)CC_TABLE; c++) {
        g_cc[c] = cp_class(c);
        int32_t l = (g_cc[c] & CC_UP) ? utf8proc_tolower(c) : c;
        g_lower[c] = (uint16_t)(l >= 0 && l < 0x10000 ? l : c);
    }
}

/* The table the scan reads, 16-byte slots (g_wt's are 32) and a slot for
 * about every key (see ws_fill), so that it stays in the cache: a key's first 12 bytes and its
 * length, which tell a key of at most 12 bytes exactly; a longer one that
 * compares equal is looked up in g_wt (PF_LONG: only words of more than
 * 12 bytes that share a listed word's first 12 bytes and length do so). */
typedef struct sslot {
    uint64_t k0;
    uint32_t k1;               /* key bytes 8-11 */
    uint16_t langs;
    uint8_t len;
    uint8_t pf;                /* PF_* of g_wt, with PF_LONG */
} sslot;
#define WS_SLOTS 8192u            /* most slots of g_ws (as g_wt holds at most 4096 keys) */
#define WS_GROUPS 2048u

/* The tables the word loop reads, in one object: one base register
 * reaches them all (position-independent code cannot index a static
 * array by its address alone). spread: the 8 bits of a byte spread into
 * the 8 bytes of a word (bit i -> byte i), so that adding spread masks
 * counts up to 255 events per lane at once; disp: see ws_slot. */
static struct {
    sslot ws[WS_SLOTS];
    uint64_t spread[256];
    uint16_t disp[WS_GROUPS];
    uint32_t mask;             /* slots in use - 1 (see ws_fill) */
} g_scan __attribute__((aligned(64)));
#define g_ws g_scan.ws
#define g_spread g_scan.spread
#define g_ws_disp g_scan.disp

static void spread_init(void)
{
    for (unsigned b = 0; b < 256; b++) {
        uint64_t v = 0;
        for (unsigned i = 0; i < 8; i++)
            v |= (uint64_t)((b >> i) & 1) << (8 * i);
        g_spread[b] = v;
    }
}

/* Decodes one UTF-8 sequence at p[0..n), n >= 1, p[0] >= 0x80. Returns its
 * length; a broken sequence is one byte read as U+FFFD. */
static size_t decode(const uint8_t *p, size_t n, int32_t *out)
{
    uint8_t b = p[0];
    if (b >= 0xC2 && b <= 0xDF && n >= 2 && (p[1] & 0xC0) == 0x80) {
        *out = (int32_t)(b & 0x1F) << 6 | (p[1] & 0x3F);
        return 2;
    }
    if (b >= 0xE0 && b <= 0xEF && n >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        int32_t c = (int32_t)(b & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
            *out = c;
            return 3;
        }
    }
    if (b >= 0xF0 && b <= 0xF4 && n >= 4 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
        int32_t c = (int32_t)(b & 0x07) << 18 | (int32_t)(p[1] & 0x3F) << 12 |
                    (int32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
        if (c >= 0x10000 && c <= 0x10FFFF) {
            *out = c;
            return 4;
        }
    }
    *out = 0xFFFD;
    return 1;
}

static uint8_t class_of(int32_t c)
{
    return c < (int32_t)CC_TABLE ? g_cc[c] : cp_class(c);
}

static int32_t lower_of(int32_t c)
{
    return c < (int32_t)CC_TABLE ? g_lower[c] : utf8proc_tolower(c);
}

/* Word table: every stop word (data/stopwords/<lang>.txt) with the set of
 * languages listing it, and the first word of every furniture phrase with
 * the kinds of phrases it starts. Keys are case-folded words of at most
 * WT_KEY bytes, zero-padded; longer words are in no list. */
#define WT_KEY 32u
#define WT_FAST 16u            /* ASCII words up to this long: the fast path */
#define WT_SLOTS 8192u
#define WT_LANGS 13            /* languages with stop-word lists: 1..12 */

enum {
    PF_FIRST = 1,              /* starts a prefix or exact phrase */
    PF_FIRST_STRONG = 2,       /* ... a strong one */
    PF_ANY = 4,                /* starts a contains or suffix phrase */
    PF_ANY_STRONG = 8,
    PF_PAIR = 16,              /* first of a word pair in g_pair: check the next */
    PF_PAIR_PREV = 32,         /* second of a word pair in g_pair: check the last */
    PF_LONG = 64               /* in g_ws: the key is longer than 12 bytes (check it) */
};

typedef struct wslot {
    uint64_t k0, k1, k23;      /* bytes 0-15 of the key, a hash of 16-31 */
    uint16_t langs;            /* bit l: a stop word of language l */
    uint8_t len;               /* 0: empty slot */
    uint8_t pf;                /* PF_* */
} wslot;

/* A case-folded word as a table key. */
typedef struct wkey {
    uint64_t k0, k1, k23;
    size_t len;
} wkey;

/* The key of kb[0..32) (zero-padded, or wrapped by XOR past 32 bytes). */
static wkey key_of(const uint8_t *kb, size_t len)
{
    wkey k;
    uint64_t k2, k3;
    memcpy(&k.k0, kb, 8);
    memcpy(&k.k1, kb + 8, 8);
    memcpy(&k2, kb + 16, 8);
    memcpy(&k3, kb + 24, 8);
    k.k23 = len > 16 ? (k2 * 0xFF51AFD7ED558CCDull) ^ k3 : 0;
    k.len = len;
    return k;
}

static uint64_t word_hash(const wkey *k)
{
    return (k->k0 * 0x9E3779B97F4A7C15ull) ^ (k->k1 * 0xC2B2AE3D27D4EB4Full) ^ k->k23 ^
           k->len;
}

static wslot g_wt[WT_SLOTS];
static uint32_t g_wt_count;

/* Phrases that no word of a line can find ("©", very long words): lines
 * that start with a non-word character are always matched in full, and
 * these flags make every line a candidate for such phrases. */
static uint8_t g_pf_wordless;
/* A bit per hash of the first words of prefix and exact phrases: a line
 * whose first word has no bit set starts none of them. */
#define HEAD_BITS 4096u
static uint64_t g_head[HEAD_BITS / 64];
/* First code points of contains and suffix phrases without words ("©"):
 * a line holding one may match such a phrase. */
#define WL_MAX 8
static int32_t g_wl_cp[WL_MAX];
static uint8_t g_wl_pf[WL_MAX];
static unsigned g_wl_n;
static bool g_wl_ascii;

static const wslot *wt_find(const wkey *k, uint64_t h)
{
    uint32_t i = (uint32_t)(h >> 40) & (WT_SLOTS - 1);
    for (;;) {
        const wslot *w = &g_wt[i];
        if (w->len == 0)
            return NULL;
        if (w->len == k->len && w->k0 == k->k0 && w->k1 == k->k1 && w->k23 == k->k23)
            return w;
        i = (i + 1) & (WT_SLOTS - 1);
    }
}

/* The slot for a word, added if new; NULL if the table is full. */
static wslot *wt_put(const char *s, size_t len)
{
    if (len == 0 || len > WT_KEY || g_wt_count * 2 >= WT_SLOTS)
        return NULL;
    uint8_t kb[WT_KEY] = {0};
    memcpy(kb, s, len);
    wkey k = key_of(kb, len);
    uint64_t h = word_hash(&k);
    uint32_t home = (uint32_t)(h >> 40) & (WT_SLOTS - 1), i = home;
    while (g_wt[i].len && !(g_wt[i].len == len && g_wt[i].k0 == k.k0 &&
                            g_wt[i].k1 == k.k1 && g_wt[i].k23 == k.k23))
        i = (i + 1) & (WT_SLOTS - 1);
    if (!g_wt[i].len) {
        g_wt[i].k0 = k.k0;
        g_wt[i].k1 = k.k1;
        g_wt[i].k23 = k.k23;
        g_wt[i].len = (uint8_t)len;
        g_wt_count++;
    }
    return &g_wt[i];
}

/* Where a word's slot of g_ws is: its home (hash bits 40-52) moved by
 * the displacement of its group (hash bits 53-63), chosen when the table
 * is filled so that no two keys share a slot (hash and displace). A word
 * is then always in its own slot or in none: the scan compares one slot
 * and never searches. */

static inline uint32_t ws_slot(uint64_t h)
{
    return ((uint32_t)(h >> 40) + g_ws_disp[h >> 53]) & g_scan.mask;
}

/* Fills g_ws from g_wt once every key is in it: the groups with most keys
 * first, each at the smallest displacement that puts all its keys in free
 * slots of the first g_scan.mask + 1. False if some group finds none. */
static bool ws_place(void)
{
    static uint32_t start[WS_GROUPS + 1], order[WT_SLOTS];
    static uint64_t hash[WT_SLOTS];
    memset(start, 0, sizeof start);
    for (uint32_t i = 0; i < WT_SLOTS; i++) {
        const wslot *w = &g_wt[i];
        if (!w->len)
            continue;
        wkey k = {w->k0, w->k1, w->k23, w->len};
        hash[i] = word_hash(&k);
        start[(hash[i] >> 53) + 1]++;
    }
    uint32_t most = 0;
    for (uint32_t g = 0; g < WS_GROUPS; g++) {
        most = start[g + 1] > most ? start[g + 1] : most;
        start[g + 1] += start[g];
    }
    uint32_t fill[WS_GROUPS];
    memcpy(fill, start, sizeof fill);
    for (uint32_t i = 0; i < WT_SLOTS; i++)
        if (g_wt[i].len)
            order[fill[hash[i] >> 53]++] = i;
    for (uint32_t size = most; size >= 1; size--)
    for (uint32_t g = 0; g < WS_GROUPS; g++) {
        uint32_t s = start[g], e = start[g + 1];
        if (e - s != size)
            continue;
        uint32_t d;
        for (d = 0; d <= g_scan.mask; d++) {
            bool ok = true;
            for (uint32_t t = s; t < e && ok; t++) {
                uint32_t j = ((uint32_t)(hash[order[t]] >> 40) + d) & g_scan.mask;
                ok = g_ws[j].len == 0;
                for (uint32_t u = s; u < t && ok; u++)
                    ok = (((uint32_t)(hash[order[u]] >> 40) + d) & g_scan.mask) != j;
            }
            if (ok)
                break;
        }
        if (d > g_scan.mask)
            return false;
        g_ws_disp[g] = (uint16_t)d;
        for (uint32_t t = s; t < e; t++) {
            const wslot *w = &g_wt[order[t]];
            sslot *v = &g_ws[ws_slot(hash[order[t]])];
            v->k0 = w->k0;
            v->k1 = (uint32_t)w->k1;
            v->langs = w->langs;
            v->len = w->len;
            v->pf = (uint8_t)(w->pf | (w->len > 12 ? PF_LONG : 0));
        }
    }
    return true;
}

/* The smallest table (a power of two, an eighth more slots than keys, so
 * that it stays in the first-level cache: 1,553 keys take 2,048 slots of
 * 16 bytes) in which every key finds a slot; twice as large if not. */
static bool ws_fill(void)
{
    uint32_t slots = 256;
    while (slots < WS_SLOTS && slots < g_wt_count + g_wt_count / 8)
        slots *= 2;
    for (; slots <= WS_SLOTS; slots *= 2) {
        memset(&g_scan.ws, 0, sizeof g_scan.ws);
        memset(&g_scan.disp, 0, sizeof g_scan.disp);
        g_scan.mask = slots - 1;
        if (ws_place())
            return true;
    }
    return false;
}

static void wt_stop_line(void *ctx, const char *word, size_t len)
{
    wslot *w = wt_put(word, len);
    if (w)
        w->langs |= (uint16_t)(1u << *(const int *)ctx);
}

static void wt_load_stops(void)
{
    for (int l = 1; l < WT_LANGS; l++) {
        char name[40];
        snprintf(name, sizeof name, "stopwords/%s.txt", sf_lang_code((sf_lang)l));
        sf_data_lines(name, wt_stop_line, &l);
    }
}

/* Case-folds the first word of s[0..n) (by the scanner's word rules) into
 * out[0..WT_KEY]; returns its length, 0 if there is none or (then *too_long
 * is set) it is longer than WT_KEY. *used gets the bytes read. */
static size_t next_word(const char *s, size_t n, char *out, size_t *used, bool *too_long)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, o = 0;
    bool in = false;
    *too_long = false;
    while (i < n) {
        int32_t c = p[i];
        size_t k = c < 0x80 ? 1 : decode(p + i, n - i, &c);
        if (!(class_of(c) & CC_WORD)) {
            if (in)
                break;
            i += k;
            continue;
        }
        in = true;
        uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(lower_of(c), enc);
        if (m <= 0 || o + (size_t)m > WT_KEY)
            *too_long = true;
        else
            memcpy(out + o, enc, (size_t)m);
        o += m > 0 ? (size_t)m : 0;
        i += k;
    }
    *used = i;
    return *too_long ? 0 : o;
}

static uint64_t pair_hash(uint64_t a, uint64_t b)
{
    uint64_t h = (a + 0x632BE59BD9B4E019ull) * 0x9E3779B97F4A7C15ull ^ b;
    h *= 0xC2B2AE3D27D4EB4Full;
    return h ^ (h >> 29) ^ 1;   /* never 0: 0 marks an empty slot */
}

/* Pairs of consecutive words that start (prefix and exact phrases: the
 * line's first two words, or the first word and none) or occur in
 * (contains and suffix phrases of two or more words) a phrase. */
#define PAIR_SLOTS 2048u
#define PAIR_BLOOM 8192u
static struct {
    uint64_t key[PAIR_SLOTS];
    uint8_t pf[PAIR_SLOTS];
    uint32_t count;
    uint8_t bloom[PAIR_BLOOM];
} g_pair;

static void pair_put(uint64_t key, uint8_t pf)
{
    if (g_pair.count * 2 >= PAIR_SLOTS) {
        g_pf_wordless |= pf;   /* full: every line becomes a candidate */
        return;
    }
    uint32_t i = (uint32_t)(key >> 40) & (PAIR_SLOTS - 1);
    while (g_pair.key[i] && g_pair.key[i] != key)
        i = (i + 1) & (PAIR_SLOTS - 1);
    if (!g_pair.key[i]) {
        g_pair.key[i] = key;
        g_pair.count++;
        g_pair.bloom[(key >> 20) & (PAIR_BLOOM - 1)] = 1;
    }
    g_pair.pf[i] |= pf;
}

static uint8_t pair_get(uint64_t key)
{
    if (!g_pair.bloom[(key >> 20) & (PAIR_BLOOM - 1)])
        return 0;
    uint32_t i = (uint32_t)(key >> 40) & (PAIR_SLOTS - 1);
    while (g_pair.key[i]) {
        if (g_pair.key[i] == key)
            return g_pair.pf[i];
        i = (i + 1) & (PAIR_SLOTS - 1);
    }
    return 0;
}

/* Registers a normalised phrase so that a line it may match is found from
 * the line's words: prefix and exact phrases by their first two words;
 * contains and suffix phrases of one word by that word, of more by the
 * rarest word (the longest that is no stop word) and its neighbour. Any
 * word of a phrase is a whole word of a line it matches. */
static void wt_add_phrase(const char *s, size_t n, uint8_t mode, bool strong)
{
    bool first = mode == PM_PREFIX || mode == PM_EXACT;
    uint8_t f = first ? (strong ? PF_FIRST_STRONG : PF_FIRST)
                      : (strong ? PF_ANY_STRONG : PF_ANY);
    enum { MAXW = 16 };
    uint64_t h[MAXW];
    char kw[MAXW][WT_KEY];
    size_t kl[MAXW];
    size_t nw = 0, at = 0, used;
    bool too_long = false;
    while (at < n && nw < MAXW) {
        char w[WT_KEY];
        bool tl;
        size_t wl = next_word(s + at, n - at, w, &used, &tl);
        at += used;
        too_long = too_long || tl;
        if (wl == 0)
            break;
        uint8_t kb[WT_KEY] = {0};
        memcpy(kb, w, wl);
        memcpy(kw[nw], w, wl);
        kl[nw] = wl;
        wkey k = key_of(kb, wl);
        h[nw++] = word_hash(&k);
    }
    if (nw == 0) {
        int32_t c0 = n ? (uint8_t)s[0] : 0;
        if (c0 >= 0x80)
            decode((const uint8_t *)s, n, &c0);
        if (!too_long && !first && g_wl_n < WL_MAX) {
            g_wl_cp[g_wl_n] = c0;
            g_wl_pf[g_wl_n++] = f;
            g_wl_ascii = g_wl_ascii || c0 < 0x80;
        } else if (too_long || !first) {
            g_pf_wordless |= f;
        }
        /* wordless prefix and exact phrases: the line-start rule of scan_line */
        return;
    }
    /* a word too long for a key ends the list: the words before it do */
    if (first) {
        pair_put(pair_hash(h[0], nw > 1 ? h[1] : 0), f);
        /* lines whose first word starts no such phrase are not looked up */
        g_head[(h[0] >> 40) & (HEAD_BITS / 64 - 1)] |= 1ull << ((h[0] >> 52) & 63);
        return;
    }
    if (nw == 1) {
        wslot *slot = wt_put(kw[0], kl[0]);
        if (slot)
            slot->pf |= f;
        else
            g_pf_wordless |= f;
        return;
    }
    size_t best = 0;
    bool best_stop = true;
    for (size_t i = 0; i < nw; i++) {
        uint8_t kb[WT_KEY] = {0};
        memcpy(kb, kw[i], kl[i]);
        wkey k = key_of(kb, kl[i]);
        const wslot *ws = wt_find(&k, h[i]);
        bool stop = ws && ws->langs;
        if (i == 0 || (best_stop && !stop) || (stop == best_stop && kl[i] > kl[best])) {
            best = i;
            best_stop = stop;
        }
    }
    /* the pair of the rarest word and the next (the last: and the one
     * before), looked up when the rarest word is seen */
    size_t a = best + 1 < nw ? best : best - 1;
    wslot *slot = wt_put(kw[best], kl[best]);
    if (slot) {
        slot->pf |= a == best ? PF_PAIR : PF_PAIR_PREV;
        pair_put(pair_hash(h[a], h[a + 1]), f);
    } else {
        g_pf_wordless |= f;
    }
}

/* ====================================================================== */
/* Phrase lists (data/clean/<lang>.txt), loaded once                            */
/* ====================================================================== */

typedef struct phrase {
    const char *text;   /* normalised, owned by the table's pool */
    uint32_t len;
    uint32_t next;      /* next phrase with the same first-word bucket, or 0 */
    uint8_t mode;
    uint8_t reason;
    bool strong;        /* '!': no length limit, holds on sentence-like lines */
} phrase;

#define PH_BUCKETS 1024u
/* Lines of at most this many words may match any phrase, longer ones only
 * strong phrases. */
#define PH_SHORT_WORDS 20u

static struct {
    phrase *items;      /* items[0] unused: index 0 means "none" */
    uint32_t count, alloc;
    uint32_t bucket[PH_BUCKETS];
    uint32_t suffixes;  /* chain of PM_SUFFIX phrases */
    sf_buf pool;
    bool ok;
} g_ph;

static pthread_once_t g_ph_once = PTHREAD_ONCE_INIT;

static uint32_t key_bucket(const char *s, size_t n)
{
    return (uint32_t)(sf_hash64(s, n, 0x5f0c1ea9u) & (PH_BUCKETS - 1));
}

/* Length of the leading key word of s[0..n). */
static size_t key_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && key_char((unsigned char)s[i]))
        i++;
    return i;
}

static bool ph_add(const char *s, size_t n, uint8_t mode, uint8_t reason, bool strong)
{
    sf_buf norm;
    sf_buf_init(&norm, 0);
    if (!normalize_line(s, n, &norm, 512)) {
        sf_buf_free(&norm);
        return false;
    }
    size_t len = mode == PM_EXACT ? exact_len(norm.data ? norm.data : "", norm.len)
                                  : norm.len;
    if (mode == PM_SUFFIX)
        len = exact_len(norm.data ? norm.data : "", norm.len);
    size_t kl = key_len(norm.data ? norm.data : "", len);
    if (len == 0 || (kl == 0 && mode != PM_SUFFIX)) {  /* others start with a word */
        sf_buf_free(&norm);
        return true;
    }
    if (g_ph.count + 1 >= g_ph.alloc) {
        uint32_t na = g_ph.alloc ? g_ph.alloc * 2 : 512;
        phrase *ni = realloc(g_ph.items, na * sizeof *ni);
        if (!ni) {
            sf_buf_free(&norm);
            return false;
        }
        g_ph.items = ni;
        g_ph.alloc = na;
        if (g_ph.count == 0)
            g_ph.count = 1;
    }
    size_t at = g_ph.pool.len;
    bool ok = sf_buf_append(&g_ph.pool, norm.data, len) && sf_buf_putc(&g_ph.pool, '\0');
    sf_buf_free(&norm);
    if (!ok)
        return false;
    phrase *ph = &g_ph.items[g_ph.count];
    ph->text = (const char *)(uintptr_t)at;   /* an offset until the pool is final */
    ph->len = (uint32_t)len;
    ph->mode = mode;
    ph->reason = reason;
    ph->strong = strong;
    if (mode == PM_SUFFIX) {
        ph->next = g_ph.suffixes;
        g_ph.suffixes = g_ph.count;
    } else {
        uint32_t b = key_bucket(g_ph.pool.data + at, kl);
        ph->next = g_ph.bucket[b];
        g_ph.bucket[b] = g_ph.count;
    }
    g_ph.count++;
    return true;
}

typedef struct ph_load_ctx {
    bool ok;
} ph_load_ctx;

static void ph_load_file(void *vctx, const char *name, const char *data, size_t len)
{
    ph_load_ctx *ctx = vctx;
    size_t nl = strlen(name);
    if (!ctx->ok || nl < 4 || memcmp(name + nl - 4, ".txt", 4) != 0)
        return;
    uint8_t reason = R_BOILERPLATE;
    size_t i = 0;
    while (i < len && ctx->ok) {
        size_t j = i;
        while (j < len && data[j] != '\n')
            j++;
        const char *s = data + i;
        size_t n = j - i;
        i = j + 1;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
            n--;
        while (n > 0 && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        if (n == 0 || *s == '#')
            continue;
        if (*s == '[' && s[n - 1] == ']') {
            sf_reason r = reason_from_name(s + 1, n - 2);
            reason = (uint8_t)(r == R_NONE ? R_BOILERPLATE : r);
            continue;
        }
        uint8_t mode = PM_PREFIX;
        bool strong = false;
        if (*s == '!' && n > 1) {
            strong = true;
            s++;
            n--;
        }
        if (*s == '*' || *s == '=' || *s == '$') {
            mode = *s == '*' ? PM_CONTAINS : *s == '=' ? PM_EXACT : PM_SUFFIX;
            s++;
            n--;
        }
        if (!ph_add(s, n, mode, reason, strong))
            ctx->ok = false;
    }
}

static void ph_init(void)
{
    sf_buf_init(&g_ph.pool, 0);
    cc_init();
    spread_init();
    wt_load_stops();
    ph_load_ctx ctx = {true};
    sf_data_each("clean/", ph_load_file, &ctx);
    if (ctx.ok && g_ph.count > 0 && g_ph.pool.data) {
        for (uint32_t i = 1; i < g_ph.count; i++) {
            phrase *ph = &g_ph.items[i];
            ph->text = g_ph.pool.data + (uintptr_t)ph->text;
            wt_add_phrase(ph->text, ph->len, ph->mode, ph->strong);
        }
    } else if (ctx.ok) {
        g_ph.count = 0;
    }
    g_ph.ok = ctx.ok && ws_fill();
}

/* Loads the phrase lists once per process. False if out of memory. */
static bool ph_ready(void)
{
    pthread_once(&g_ph_once, ph_init);
    return g_ph.ok;
}

/* The phrase, if any, that matches the normalised line s[0..n) at i, the
 * start of a run of key characters (en: its length for exact phrases). */
static sf_reason ph_at(const char *s, size_t n, size_t i, size_t en, bool short_line,
                       bool *header, bool *strong)
{
    size_t kl = key_len(s + i, n - i);
    for (uint32_t k = g_ph.bucket[key_bucket(s + i, kl)]; k; k = g_ph.items[k].next) {
        const phrase *ph = &g_ph.items[k];
        if (ph->len > n - i || memcmp(ph->text, s + i, ph->len) != 0)
            continue;
        size_t end = i + ph->len;
        bool bound = end == n || !key_char((unsigned char)s[end]) ||
                     !key_char((unsigned char)ph->text[ph->len - 1]);
        if (!bound)
            continue;
        if (ph->mode == PM_EXACT) {
            if (i == 0 && ph->len == en) {
                *header = ph->reason == R_TEASER || ph->reason == R_COMMENT_FORM ||
                          ph->reason == R_AUTHOR_BIO;
                return (sf_reason)ph->reason;
            }
        } else if (ph->mode == PM_PREFIX) {
            if (i == 0 && (short_line || ph->strong)) {
                *strong = ph->strong;
                return (sf_reason)ph->reason;
            }
        } else if (short_line || ph->strong) {
            *strong = ph->strong;
            return (sf_reason)ph->reason;
        }
    }
    return R_NONE;
}

/* The phrase-list reason for a normalised line of `words` words, or
 * R_NONE. *header is set when the whole line is a teaser or comment
 * header (an exact match of such a phrase). */
static sf_reason ph_match(const char *s, size_t n, uint32_t words, bool *header,
                          bool *strong)
{
    *header = false;
    *strong = false;
    if (g_ph.count == 0 || n == 0)
        return R_NONE;
    size_t en = exact_len(s, n);
    bool short_line = words <= PH_SHORT_WORDS;
    if (short_line) {
        for (uint32_t k = g_ph.suffixes; k; k = g_ph.items[k].next) {
            const phrase *ph = &g_ph.items[k];
            if (ph->len <= en && memcmp(ph->text, s + en - ph->len, ph->len) == 0) {
                *strong = ph->strong;
                return (sf_reason)ph->reason;
            }
        }
    }
    /* the starts of runs of key characters, from a mask of 64 bytes at a
     * time (no branch per byte) */
    const uint8_t *u = (const uint8_t *)s;
    uint64_t before = 0;   /* the byte before the block is a key character */
    for (size_t blk = 0; blk < n; blk += 64) {
        size_t bn = n - blk < 64 ? n - blk : 64;
        uint64_t kc = 0;
        size_t j = 0;
#if defined(__SSE2__)
        /* 16 bytes at a time: letters and digits by signed compares of
         * the bytes moved by 0x80, bytes >= 0x80 by their sign */
        const __m128i flip = _mm_set1_epi8((char)0x80);
        for (; j + 16 <= bn; j += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(u + blk + j));
            __m128i al = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
            __m128i dg = _mm_sub_epi8(v, _mm_set1_epi8('0'));
            __m128i lim_al = _mm_set1_epi8((char)(0x80 + 26)), lim_dg = _mm_set1_epi8((char)(0x80 + 10));
            __m128i k = _mm_or_si128(_mm_cmplt_epi8(_mm_xor_si128(al, flip), lim_al),
                                     _mm_cmplt_epi8(_mm_xor_si128(dg, flip), lim_dg));
            k = _mm_or_si128(k, _mm_cmplt_epi8(v, _mm_setzero_si128()));
            kc |= (uint64_t)(uint32_t)_mm_movemask_epi8(k) << j;
        }
#endif
        for (; j < bn; j++) {
            unsigned c = u[blk + j];
            kc |= (uint64_t)(((c | 0x20) - 'a' < 26u) | (c - '0' < 10u) | (c >= 0x80)) << j;
        }
        uint64_t starts = kc & ~(kc << 1 | before);
        before = kc >> 63;
        for (; starts; starts &= starts - 1) {
            size_t i = blk + (size_t)__builtin_ctzll(starts);
            sf_reason r = ph_at(s, n, i, en, short_line, header, strong);
            if (r != R_NONE)
                return r;
        }
    }
    return R_NONE;
}

/* ====================================================================== */
/* Per-line features                                                       */
/* ====================================================================== */


static bool contains_ci(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m > n)
        return false;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m) {
            char c = s[i + j];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if (c != needle[j])
                break;
            j++;
        }
        if (j == m)
            return true;
    }
    return false;
}

/* True if the line holds a CSS rule: "sel {prop: value;" or "@media". */
static bool has_css(const char *s, size_t n)
{
    if (!memchr(s, '{', n))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '{')
            continue;
        size_t j = i + 1, colon = 0;
        while (j < n && s[j] != '{' && s[j] != '}' && j - i < 200) {
            if (s[j] == ':' && !colon)
                colon = j;
            else if (s[j] == ';' && colon)
                return true;
            j++;
        }
    }
    return contains_ci(s, n, "@media");
}

static bool has_markup(const char *s, size_t n)
{
    unsigned tags = 0;
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] != '<')
            continue;
        char c = s[i + 1];
        if (c == '/' || c == '!')
            c = s[i + 2];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            continue;
        const char *gt = memchr(s + i, '>', n - i);
        if (gt && gt - (s + i) < 400)
            tags++;
    }
    return tags > 0;
}

bool sf_clean_css_like(const sf_clean_doc *d, const sf_line *li)
{
    return (li->marks & (MARK_BRACE | MARK_AT)) && has_css(d->text + li->off, li->len);
}

bool sf_clean_markup_like(const sf_clean_doc *d, const sf_line *li)
{
    return (li->marks & MARK_LT) && has_markup(d->text + li->off, li->len);
}


static const char *const code_words[] = {
    "function(", "function (", "var ", "window.", "document.", "googletag",
    "adsbygoogle", ".push(", "=>", "});", "gtag(", "datalayer", "_gaq", "$(",
    "jquery(", "getelementby", "addeventlistener", "innerhtml", "!important",
};

/* True if s holds one of code_words, ignoring ASCII case. One pass: at
 * each byte only the words starting with that byte and going on with the
 * next one are compared. */
_Static_assert(SF_ARRAY_LEN(code_words) <= 32, "code_words: one bit each");
static uint32_t g_code_at[2][256];   /* byte -> code_words with it at 0, 1 */
static pthread_once_t g_code_once = PTHREAD_ONCE_INIT;

static void code_words_init(void)
{
    for (unsigned k = 0; k < SF_ARRAY_LEN(code_words); k++) {
        for (unsigned j = 0; j < 2; j++) {
            unsigned char c = (unsigned char)code_words[k][j];
            g_code_at[j][c] |= 1u << k;
            if (c >= 'a' && c <= 'z')
                g_code_at[j][c - 32] |= 1u << k;
        }
    }
}

static bool has_code_word(const char *s, size_t n)
{
    pthread_once(&g_code_once, code_words_init);
    const uint8_t *u = (const uint8_t *)s;
    for (size_t i = 0; i + 1 < n; i++) {
        /* every code word is at least two bytes long */
        uint32_t m = g_code_at[0][u[i]] & g_code_at[1][u[i + 1]];
        while (m) {
            unsigned k = (unsigned)__builtin_ctz(m);
            m &= m - 1;
            const char *w = code_words[k];
            size_t j = 2;
            while (w[j] && i + j < n) {
                char c = s[i + j];
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c + 32);
                if (c != w[j])
                    break;
                j++;
            }
            if (!w[j])
                return true;
        }
    }
    return false;
}

/* "ident: value," or "ident: {" — a property line of a JS object. */
static bool js_property(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t st = i;
    while (i < n && (key_char((unsigned char)s[i]) || s[i] == '_' || s[i] == '$' ||
                     s[i] == '.') && (unsigned char)s[i] < 0x80)
        i++;
    if (i == st || i >= n || s[i] != ':')
        return false;
    i++;
    while (i < n && s[i] == ' ')
        i++;
    if (i >= n)
        return true;                              /* "key:" */
    unsigned char c = (unsigned char)s[i];
    bool val = c == '{' || c == '[' || c == '(' || c == '\'' || c == '"' ||
               (c >= '0' && c <= '9') || c == 0xE2 /* curly quote */;
    unsigned char last = (unsigned char)s[n - 1];
    bool tail = last == ',' || last == '{' || last == '[' || last == '(' || last == ';' ||
                last == '\'' || last == '"' || last == 0x99 /* ’ */;
    /* "placementId: navigator.userAgent.match(...) ? ..." */
    bool call = memchr(s + i, '(', n - i) && memchr(s + i, '.', n - i) &&
                !memchr(s + i, ' ', (size_t)((const char *)memchr(s + i, '(', n - i) - (s + i)));
    return (val && tail) || call;
}

static bool is_year(const char *s, size_t n)
{
    return n == 4 && (memcmp(s, "19", 2) == 0 || memcmp(s, "20", 2) == 0) &&
           s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9';
}

/* True if the line ends with "..", maybe followed by closing quotes or
 * brackets (". ." is a typo, not an ellipsis). */
static bool ends_dots(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
        n--;
    return n >= 2 && s[n - 1] == '.' && s[n - 2] == '.';
}

/* Letters by script over the whole page, and stop-word hits per language:
 * the page's language when none is given (the same rules as
 * sf_lang_detect, counted during the line scan instead of a second pass). */
enum { SC_LATIN, SC_HAN, SC_KANA, SC_HANGUL, SC_THAI, SC_ARABIC, SC_CYRILLIC, SC_COUNT };

typedef struct scan_doc {
    uint32_t hits[WT_LANGS];
    /* stop words of the lines scanned since the last fold into hits, in
     * 16-bit lanes: languages 0, 2, 4, 6 / 1, 3, 5, 7 / 8, 10.. / 9, 11.. */
    uint64_t acc[4];
    uint32_t acc_lines;
    uint32_t script[SC_COUNT];
    uint32_t vi_letters, tr_letters;
} scan_doc;

/* Counts a non-ASCII letter of the given class towards its script. */
static void count_script(scan_doc *sd, int32_t c)
{
    if (c < 0x250) {
        sd->script[SC_LATIN]++;
        sd->tr_letters += c == 0x131 || c == 0x130 || c == 0x11E || c == 0x11F ||
                          c == 0x15E || c == 0x15F;
        sd->vi_letters += c == 0x1A0 || c == 0x1A1 || c == 0x1AF || c == 0x1B0 ||
                          c == 0x110 || c == 0x111;
    } else if (c >= 0x1E00 && c <= 0x1EFF) {
        sd->script[SC_LATIN]++;
        sd->vi_letters += c >= 0x1EA0 && c <= 0x1EF9;
    } else if (c >= 0x400 && c <= 0x4FF) {
        sd->script[SC_CYRILLIC]++;
    } else if (c >= 0x600 && c <= 0x6FF) {
        sd->script[SC_ARABIC]++;
    } else if (c >= 0x0E00 && c <= 0x0E7F) {
        sd->script[SC_THAI]++;
    } else if (c >= 0x3040 && c <= 0x30FF) {
        sd->script[SC_KANA] += c != 0x30FB;
    } else if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF)) {
        sd->script[SC_HAN]++;
    } else if (c >= 0xAC00 && c <= 0xD7AF) {
        sd->script[SC_HANGUL]++;
    }
}

static sf_lang scan_lang(const scan_doc *sd)
{
    static const sf_lang by_script[SC_COUNT] = {
        SF_LANG_UNKNOWN, SF_LANG_ZH, SF_LANG_JA, SF_LANG_KO, SF_LANG_TH, SF_LANG_AR,
        SF_LANG_RU};
    const uint32_t *s = sd->script;
    uint64_t cjk = (uint64_t)s[SC_HAN] + s[SC_KANA];
    size_t best_sc = SC_LATIN;
    uint64_t best_w = s[SC_LATIN];
    for (size_t k = 1; k < SC_COUNT; k++) {
        uint64_t w = (k == SC_HAN || k == SC_KANA) ? cjk * 2 : s[k];
        if (w > best_w) {
            best_w = w;
            best_sc = k;
        }
    }
    if (best_w < 8)
        return SF_LANG_UNKNOWN;
    if (best_sc == SC_HAN || best_sc == SC_KANA)
        return s[SC_KANA] * 10 >= cjk && s[SC_KANA] >= 3 ? SF_LANG_JA : SF_LANG_ZH;
    if (best_sc != SC_LATIN)
        return by_script[best_sc];
    if (sd->vi_letters >= 8 && (uint64_t)sd->vi_letters * 25 >= s[SC_LATIN])
        return SF_LANG_VI;
    if (sd->tr_letters >= 8 && (uint64_t)sd->tr_letters * 40 >= s[SC_LATIN])
        return SF_LANG_TR;
    sf_lang best = SF_LANG_UNKNOWN;
    uint32_t b1 = 0, b2 = 0;
    for (int l = 1; l < WT_LANGS; l++) {
        if (l == SF_LANG_RU)
            continue;
        uint32_t h = sd->hits[l];
        if (h > b1) {
            b2 = b1;
            b1 = h;
            best = (sf_lang)l;
        } else if (h > b2) {
            b2 = h;
        }
    }
    if (b1 < 3 || (uint64_t)b1 * 4 < (uint64_t)b2 * 5)
        return SF_LANG_UNKNOWN;
    return best;
}

/* The code point ending just before p[j] (j > 0); *start gets its offset. */
static int32_t char_before(const uint8_t *p, size_t j, size_t *start)
{
    size_t a = j - 1;
    while (a > 0 && (p[a] & 0xC0) == 0x80 && j - a < 4)
        a--;
    int32_t c = p[a];
    if (c >= 0x80 && decode(p + a, j - a, &c) != j - a) {
        a = j - 1;
        c = 0xFFFD;
    }
    *start = a;
    return c;
}

/* The last non-space code point before p[j], or 0; *j moves to its start. */
static int32_t prev_nonspace(const uint8_t *p, size_t *j)
{
    while (*j > 0) {
        uint8_t b = p[*j - 1];
        if (b < 0x80) {            /* ASCII: no decoding */
            --*j;
            if (!(g_cc[b] & CC_SPACE))
                return b;
            continue;
        }
        size_t a;
        int32_t c = char_before(p, *j, &a);
        *j = a;
        if (!(class_of(c) & CC_SPACE))
            return c;
    }
    return 0;
}

/* ====================================================================== */
/* Byte masks of a page                                                    */
/* ====================================================================== */

/* One bit per byte of the page (bit b of word k is byte 64k+b): ASCII word
 * characters (letters, digits, '_'), ASCII letters, ASCII capitals, and the
 * events the line scan stops at: the first byte of an ASCII word, every
 * non-ASCII byte, every other ASCII byte but the space. Spaces and the rest
 * of ASCII words are never looked at one by one. Each array has a spare
 * word at the end, so that 64 bits can be read from any byte of the page. */
typedef struct page_bits {
    uint64_t *word, *alpha, *upper, *event;
    uint64_t *newline;     /* '\n': where the lines end */
    uint64_t *high;        /* bytes >= 0x80 */
    bool heap;             /* the arrays were allocated (else: the caller's buffer) */
    bool underscore;       /* the page holds a '_' */
} page_bits;

/* Masks of 64 bytes (p[0..64)). */
SF_HOT_INLINE void bits64(const uint8_t *p, uint64_t *w, uint64_t *a, uint64_t *u, uint64_t *s,
                          uint64_t *nl, uint64_t *hi, bool *us)
{
#if defined(__SSE2__)
    const __m128i k20 = _mm_set1_epi8(0x20);
    const __m128i ka = _mm_set1_epi8((char)(128 - 'a')), kA = _mm_set1_epi8((char)(128 - 'A'));
    const __m128i k0 = _mm_set1_epi8((char)(128 - '0'));
    const __m128i l26 = _mm_set1_epi8((char)(-128 + 26)), l10 = _mm_set1_epi8((char)(-128 + 10));
    const __m128i kus = _mm_set1_epi8('_'), ksp = _mm_set1_epi8(' ');
    const __m128i knl = _mm_set1_epi8('\n');
    uint64_t rw = 0, ra = 0, ru = 0, rs = 0, rn = 0, rh = 0;
    __m128i any_us = _mm_setzero_si128();
    for (unsigned q = 0; q < 4; q++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * q));
        /* bytes moved so that the range sits at the bottom of the signed
         * byte range: one signed compare tests it */
        __m128i lt = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, k20), ka), l26);
        __m128i up = _mm_cmplt_epi8(_mm_add_epi8(x, kA), l26);
        __m128i dg = _mm_cmplt_epi8(_mm_add_epi8(x, k0), l10);
        __m128i usc = _mm_cmpeq_epi8(x, kus);
        __m128i wd = _mm_or_si128(_mm_or_si128(lt, dg), usc);
        any_us = _mm_or_si128(any_us, usc);
        unsigned sh = 16 * q;
        rw |= (uint64_t)(unsigned)_mm_movemask_epi8(wd) << sh;
        ra |= (uint64_t)(unsigned)_mm_movemask_epi8(lt) << sh;
        ru |= (uint64_t)(unsigned)_mm_movemask_epi8(up) << sh;
        rs |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, ksp)) << sh;
        rn |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, knl)) << sh;
        rh |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << sh;
    }
    *w = rw, *a = ra, *u = ru, *s = rs, *nl = rn, *hi = rh;
    *us = *us || _mm_movemask_epi8(any_us) != 0;
#else
    uint64_t rw = 0, ra = 0, ru = 0, rs = 0, rn = 0, rh = 0;
    for (unsigned b = 0; b < 64; b++) {
        uint8_t c = p[b], cc = c < 0x80 ? g_cc[c] : 0;
        rw |= (uint64_t)((cc & CC_WORD) != 0) << b;
        ra |= (uint64_t)((cc & CC_LETTER) != 0) << b;
        ru |= (uint64_t)((cc & CC_UP) != 0) << b;
        rs |= (uint64_t)(c == ' ') << b;
        rn |= (uint64_t)(c == '\n') << b;
        rh |= (uint64_t)(c >= 0x80) << b;
        *us = *us || c == '_';
    }
    *w = rw, *a = ra, *u = ru, *s = rs, *nl = rn, *hi = rh;
#endif
}

bool sf_clean_no_avx2 = false;

#if defined(SF_AVX2)
/* The masks of the first nblk whole 64-byte blocks of p, as page_bits_init
 * makes them (bits64 and the events), 32 bytes at a time where the CPU has
 * AVX2. Returns the carry: whether the last block ends inside a word. */
static __attribute__((target("avx2"))) uint64_t bits_avx2(const uint8_t *p, size_t nblk,
                                                            page_bits *pb, bool *us)
{
    const __m256i k20 = _mm256_set1_epi8(0x20);
    const __m256i ka = _mm256_set1_epi8((char)(128 - 'a')), kA = _mm256_set1_epi8((char)(128 - 'A'));
    const __m256i k0 = _mm256_set1_epi8((char)(128 - '0'));
    const __m256i l26 = _mm256_set1_epi8((char)(-128 + 26));
    const __m256i l10 = _mm256_set1_epi8((char)(-128 + 10));
    const __m256i kus = _mm256_set1_epi8('_'), ksp = _mm256_set1_epi8(' ');
    const __m256i knl = _mm256_set1_epi8('\n');
    __m256i any_us = _mm256_setzero_si256();
    uint64_t carry = 0;
    for (size_t k = 0; k < nblk; k++) {
        uint64_t rw = 0, ra = 0, ru = 0, rs = 0, rn = 0, rh = 0;
        for (unsigned q = 0; q < 2; q++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 64 * k + 32 * q));
            __m256i lt = _mm256_cmpgt_epi8(l26, _mm256_add_epi8(_mm256_or_si256(x, k20), ka));
            __m256i up = _mm256_cmpgt_epi8(l26, _mm256_add_epi8(x, kA));
            __m256i dg = _mm256_cmpgt_epi8(l10, _mm256_add_epi8(x, k0));
            __m256i usc = _mm256_cmpeq_epi8(x, kus);
            __m256i wd = _mm256_or_si256(_mm256_or_si256(lt, dg), usc);
            any_us = _mm256_or_si256(any_us, usc);
            unsigned sh = 32 * q;
            rw |= (uint64_t)(uint32_t)_mm256_movemask_epi8(wd) << sh;
            ra |= (uint64_t)(uint32_t)_mm256_movemask_epi8(lt) << sh;
            ru |= (uint64_t)(uint32_t)_mm256_movemask_epi8(up) << sh;
            rs |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, ksp)) << sh;
            rn |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, knl)) << sh;
            rh |= (uint64_t)(uint32_t)_mm256_movemask_epi8(x) << sh;
        }
        pb->newline[k] = rn;
        pb->high[k] = rh;
        pb->word[k] = rw;
        pb->alpha[k] = ra;
        pb->upper[k] = ru;
        pb->event[k] = (rw & ~(rw << 1 | carry)) | ~(rw | rs);
        carry = rw >> 63;
    }
    *us = *us || _mm256_movemask_epi8(any_us) != 0;
    return carry;
}

/* Whether bits_avx2 may run (sf_clean_no_avx2: a switch for tests). */
static bool have_avx2(void)
{
    static int known = -1;   /* (a benign race: every thread finds the same) */
    int k = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (k < 0) {
        __builtin_cpu_init();
        k = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&known, k, __ATOMIC_RELAXED);
    }
    return k && !sf_clean_no_avx2;
}
#endif

static void page_bits_free(page_bits *pb)
{
    if (pb->heap)
        free(pb->word);
    pb->word = pb->alpha = pb->upper = pb->event = pb->newline = pb->high = NULL;
}

/* Computes the masks of t[0..n). False if out of memory. */
static bool page_bits_init(page_bits *pb, const char *t, size_t n, uint64_t *buf, size_t buf_n)
{
    size_t n64 = n / 64 + 1;
    pb->heap = 6 * (n64 + 1) > buf_n;
    pb->word = pb->heap ? malloc(6 * (n64 + 1) * sizeof *pb->word) : buf;
    if (!pb->word)
        return false;
    pb->alpha = pb->word + (n64 + 1);
    pb->upper = pb->alpha + (n64 + 1);
    pb->event = pb->upper + (n64 + 1);
    pb->newline = pb->event + (n64 + 1);
    pb->high = pb->newline + (n64 + 1);
    bool us = false;
    const uint8_t *p = (const uint8_t *)t;
    uint64_t carry = 0;
    size_t k0 = 0;
#if defined(SF_AVX2)
    if (have_avx2()) {
        k0 = n / 64;
        carry = bits_avx2(p, k0, pb, &us);
    }
#endif
    for (size_t k = k0; k < n64; k++) {
        uint64_t w, a, u, s, nl, hi;
        if (64 * k + 64 <= n) {
            bits64(p + 64 * k, &w, &a, &u, &s, &nl, &hi, &us);
        } else {
            uint8_t last[64] = {0};
            if (n > 64 * k)
                memcpy(last, p + 64 * k, n - 64 * k);
            bits64(last, &w, &a, &u, &s, &nl, &hi, &us);
        }
        pb->newline[k] = nl;
        pb->high[k] = hi;
        pb->word[k] = w;
        pb->alpha[k] = a;
        pb->upper[k] = u;
        /* non-ASCII bytes are neither word bytes nor spaces */
        pb->event[k] = (w & ~(w << 1 | carry)) | ~(w | s);
        carry = w >> 63;
    }
    pb->word[n64] = pb->alpha[n64] = pb->upper[n64] = pb->event[n64] = pb->newline[n64] = 0;
    pb->high[n64] = 0;
    pb->underscore = us;
    return true;
}

/* 64 bits of m from bit pos on (pos inside the page). */
static inline uint64_t bits_at(const uint64_t *m, size_t pos)
{
    size_t k = pos >> 6;
    unsigned s = (unsigned)(pos & 63);
    uint64_t lo = m[k] >> s;
    return s ? lo | m[k + 1] << (64 - s) : lo;
}

/* The first set bit of m at or after pos, or a value >= end. */
static inline size_t next_bit(const uint64_t *m, size_t pos, size_t end)
{
    size_t k = pos >> 6;
    uint64_t x = m[k] & (~0ull << (pos & 63));
    while (!x) {
        if (++k << 6 >= end)
            return end;
        x = m[k];
    }
    return (k << 6) + (size_t)__builtin_ctzll(x);
}

/* ====================================================================== */
/* Scanning a line                                                          */
/* ====================================================================== */

/* Per line, until the page's language is known: its stop words per
 * language (byte lanes, languages 0-7 and 8-15, plus what overflowed
 * into counts), and its capitalised stop words inside a sentence. */
typedef struct line_stops {
    uint64_t lanes[2];
    uint16_t over[WT_LANGS];
    uint16_t title[WT_LANGS];
} line_stops;

/* Moves the page's 16-bit lanes into hits. */
static void acc_fold(scan_doc *sd)
{
    for (unsigned l = 0; l < WT_LANGS; l++)
        sd->hits[l] += (uint32_t)((sd->acc[(l >> 3) * 2 + (l & 1)] >> (16 * ((l & 7) >> 1))) &
                                  0xFFFF);
    memset(sd->acc, 0, sizeof sd->acc);
    sd->acc_lines = 0;
}

/* Adds the byte lanes of a line to the page's 16-bit lanes, folded into
 * hits every 256 lines, before they could overflow. */
static void acc_lanes(scan_doc *sd, const uint64_t lanes[2])
{
    const uint64_t even = 0x00FF00FF00FF00FFull;
    sd->acc[0] += lanes[0] & even;
    sd->acc[1] += (lanes[0] >> 8) & even;
    sd->acc[2] += lanes[1] & even;
    sd->acc[3] += (lanes[1] >> 8) & even;
    if (++sd->acc_lines == 256)
        acc_fold(sd);
}

/* The stop words of language l in a line. */
static uint32_t line_stop_count(const line_stops *c, unsigned l)
{
    return (uint32_t)c->over[l] + (uint32_t)((c->lanes[l >> 3] >> (8 * (l & 7))) & 0xFF);
}

/* State of one line's scan that the rare paths (non-ASCII and long words,
 * numbers, capitalised stop words) update: kept in memory. */
typedef struct line_scan {
    scan_doc *sd;
    const uint8_t *p;
    size_t n;
    sf_line *li;
    line_stops *ls;        /* stop words per language */
    uint32_t letters;      /* non-ASCII letters (ASCII ones: from the masks) */
    uint32_t nonspace;     /* non-space characters but ASCII word bytes */
    uint32_t glued, nums, years, smallnums;
    uint32_t lead_caps;    /* leading capitalised words */
    uint32_t lead_tc;      /* languages of the capitalised stop words among them */
    size_t first_cased;    /* the first non-ASCII letter or unspaced character */
    bool first_cased_low;  /* ... is a lower-case letter */
    bool low_seen;         /* a lower-case letter in a slow word */
    uint8_t pf;
    uint8_t marks;         /* MARK_* */
    uint32_t codep, unspaced, pipes, crumbs;
    uint64_t h12[2];       /* hashes of the first and second word */
    size_t avail;          /* bytes readable from p: the rest of the page */
} line_scan;

/* State that every word updates: kept in registers by the scan loop. */
typedef struct line_hot {
    uint64_t lh;           /* hash of the line's words */
    uint64_t hprev;        /* hash of the last word */
    uint64_t lane_lo, lane_hi; /* stop words per language 0-7, 8-15: byte lanes */
    uint32_t words, caps;
    uint8_t pf;
    bool prev_pair;        /* the last word may start a phrase's word pair */
    bool lead_done;        /* a word starting in lower case was seen */
} line_hot;

/* Moves stop-word lanes into the line's and the page's counts. */
static void lanes_flush(line_scan *st, uint64_t lo, uint64_t hi)
{
    for (unsigned half = 0; half < 2; half++) {
        uint64_t x = half ? hi : lo;
        while (x) {
            unsigned b = (unsigned)__builtin_ctzll(x) / 8, l = b + 8 * half;
            uint32_t v = (uint32_t)((x >> (8 * b)) & 0xFF);
            x &= ~(0xFFull << (8 * b));
            if (l < WT_LANGS) {
                st->ls->over[l] = (uint16_t)(st->ls->over[l] + v);
                st->sd->hits[l] += v;
            }
        }
    }
}

/* A word that is not the first, after a space, not after sentence or
 * heading punctuation: a capital here is no sentence start. */
static bool mid_sentence(const line_scan *st, size_t ws)
{
    if (ws == 0 || st->p[ws - 1] != ' ')
        return false;
    size_t j = ws;
    int32_t last = prev_nonspace(st->p, &j);
    return last != '.' && last != '!' && last != '?' && last != ':' && last != '"' &&
           last != 0x201C && last != '(' && last != 0x2014 && last != 0x2013 &&
           last != '-' && last != '|';
}

/* A capitalised stop word (of the languages in m) that is not the first
 * word: counted when it stands inside a sentence. */
static void title_case_stop(line_scan *st, size_t ws, uint32_t m, bool lead_done)
{
    if (!mid_sentence(st, ws))
        return;
    for (uint32_t b = m; b; b &= b - 1)
        st->ls->title[(unsigned)__builtin_ctz(b)]++;
    if (!lead_done)
        st->lead_tc |= m;
}

/* A word starting with a digit, p[ws..we). */
static void number_word(line_scan *st, size_t ws, size_t we)
{
    const char *w = (const char *)st->p + ws;
    size_t wl = we - ws;
    st->nums++;
    if (is_year(w, wl))
        st->years++;
    else if (wl <= 2)
        st->smallnums++;
    if (we + 2 < st->n && st->p[we] == ':' && st->p[we + 1] >= '0' && st->p[we + 1] <= '9')
        st->li->time_like = true;
}

/* Camel-case joins in an ASCII word ("HomeTechnology"): a capital after
 * three lower-case letters. */
static void camel_joins(line_scan *st, size_t ws, size_t we)
{
    int low_run = 0;
    for (size_t j = ws; j < we; j++) {
        uint8_t c2 = g_cc[st->p[j]];
        if ((c2 & CC_UP) && low_run >= 3)
            st->glued++;
        low_run = (c2 & CC_LOW) ? low_run + 1 : 0;
    }
}

/* Counts the word p[ws..we) whose case-folded key is k (k->len > WT_KEY:
 * in no list, but its hash still counts for the line's hash). */
SF_HOT_INLINE void word_done(line_hot *h, line_scan *st, size_t ws, size_t we, bool cap,
                             wkey key)
{
    bool mid_ok = h->words > 0;
    bool digit = (uint8_t)(st->p[ws] - '0') < 10;
    if (!h->lead_done) {
        if (cap || digit)
            st->lead_caps++;
        else
            h->lead_done = true;
    }
    if (digit)
        number_word(st, ws, we);
    uint64_t hw = word_hash(&key);
    h->lh = (h->lh ^ hw) * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    if (h->words < 2)
        st->h12[h->words] = hw;
    h->words++;
    h->caps += cap;
    /* prev_pair is set by a word before this one: this is not the first */
    if (h->prev_pair)
        h->pf |= pair_get(pair_hash(h->hprev, hw)) & (PF_ANY | PF_ANY_STRONG);
    uint64_t hprev = h->hprev;
    h->hprev = hw;
    h->prev_pair = false;
    /* Whether a word is in the table cannot be predicted: its one slot
     * is compared without a branch. */
    const sslot *w = &g_ws[ws_slot(hw)];
    uint64_t diff = (w->k0 ^ key.k0) | (w->k1 ^ (uint32_t)key.k1) | (w->len ^ key.len);
    uint32_t mask = 0u - (uint32_t)(diff == 0);
    __asm__("" : "+r"(mask));   /* a mask, not a branch */
    uint32_t m = w->langs & mask, spf = w->pf & mask;
    if (__builtin_expect(spf & PF_LONG, 0)) {
        wkey kc = key;   /* a copy: the key itself stays in registers */
        const wslot *f = wt_find(&kc, hw);
        m = f ? f->langs : 0;
        spf = f ? f->pf : 0;
    }
    h->pf |= (uint8_t)spf;   /* (its PF_ANY bits are taken at the line's end) */
    h->prev_pair = (spf & PF_PAIR) != 0;
    if (__builtin_expect(spf & PF_PAIR_PREV, 0) && mid_ok)
        h->pf |= pair_get(pair_hash(hprev, hw)) & (PF_ANY | PF_ANY_STRONG);
    h->lane_lo += g_spread[m & 0xFF];
    h->lane_hi += g_spread[(m >> 8) & 0xFF];
    /* a lane holds at most 255: flushed every 128 words */
    if ((h->words & 127) == 0) {
        lanes_flush(st, h->lane_lo, h->lane_hi);
        h->lane_lo = h->lane_hi = 0;
    }
    unsigned tc = (unsigned)(m != 0) & (unsigned)cap & (unsigned)mid_ok &
                  (unsigned)(we - ws >= 2);
    __asm__("" : "+r"(tc));        /* one branch, rarely taken */
    if (tc)
        title_case_stop(st, ws, m, h->lead_done);
}

/* Any word, code point by code point (non-ASCII or long words): folds it
 * into a 32-byte key (longer keys wrap around) in *key, its first letter's
 * case in *cap. Returns the word's end. ASCII letters and word bytes are
 * counted from the page's masks, not here. */
static size_t slow_word(line_scan *st, size_t i, wkey *key, bool *cap)
{
    const uint8_t *p = st->p;
    size_t n = st->n, ws = i;
    uint8_t kb[32];
    memset(kb, 0, sizeof kb);
    size_t kl = 0;
    int prev_case = 0, low_run = 0;
    *cap = false;
    while (i < n) {
        int32_t c = p[i];
        size_t k = c < 0x80 ? 1 : decode(p + i, n - i, &c);
        uint8_t cc = class_of(c);
        if (!(cc & CC_WORD))
            break;
        bool up = (cc & CC_UP) != 0, low = (cc & CC_LOW) != 0;
        if (i == ws)
            *cap = up;
        if (cc & CC_JOIN)
            st->pf |= PF_ANY | PF_ANY_STRONG;
        if (up || low) {
            st->low_seen |= low;
            if (c >= 0x80) {
                st->letters++;
                count_script(st->sd, c);
                if (st->first_cased == SIZE_MAX) {
                    st->first_cased = i;
                    st->first_cased_low = low;
                }
            }
        }
        if (up && prev_case == 2 && low_run >= 3)
            st->glued++;
        prev_case = up ? 1 : low ? 2 : 0;
        low_run = low ? low_run + 1 : 0;
        int32_t lc = up ? lower_of(c) : c;
        if (lc < 0x80) {
            kb[kl++ & 31] ^= (uint8_t)lc;
        } else if (lc < 0x800) {
            kb[kl++ & 31] ^= (uint8_t)(0xC0 | lc >> 6);
            kb[kl++ & 31] ^= (uint8_t)(0x80 | (lc & 0x3F));
        } else {
            uint8_t enc[4];
            utf8proc_ssize_t m = utf8proc_encode_char(lc, enc);
            for (utf8proc_ssize_t e = 0; e < m; e++)
                kb[kl++ & 31] ^= enc[e];
        }
        st->nonspace += c >= 0x80;
        i += k;
    }
    *key = key_of(kb, kl);
    return i;
}

/* Masks cutting a little-endian 8-byte load to its first m bytes (m <=
 * 16, for the first and second load) and setting bit 5 of the bytes kept
 * (ASCII lower case; digits have it already). */
static const struct {
    uint64_t cut0, cut1;
} g_keycut[WT_FAST + 1] = {
#define CUT(m) ((m) >= 8 ? ~0ull : (1ull << (8 * ((m) & 7))) - 1)
#define KC(m) {CUT(m), (m) > 8 ? CUT((m) - 8) : 0}
    KC(0), KC(1), KC(2), KC(3), KC(4), KC(5), KC(6), KC(7), KC(8),
    KC(9), KC(10), KC(11), KC(12), KC(13), KC(14), KC(15), KC(16)
#undef KC
#undef CUT
};

/* The key of the ASCII word p[ws..ws+kl), 1 <= kl <= WT_FAST. */
SF_HOT_INLINE wkey ascii_key(const line_scan *st, size_t ws, size_t kl)
{
    const uint8_t *p = st->p;
    wkey k = {0, 0, 0, kl};
    uint64_t k0, k1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (ws + WT_FAST <= st->avail) {
        /* whole 8-byte loads cut to the word (the page goes on after it) */
        memcpy(&k0, p + ws, 8);
        memcpy(&k1, p + ws + 8, 8);
    } else {
        uint8_t kb[WT_FAST] = {0};
        memcpy(kb, p + ws, kl);
        memcpy(&k0, kb, 8);
        memcpy(&k1, kb + 8, 8);
    }
#else
    uint8_t kb[WT_FAST] = {0};
    memcpy(kb, p + ws, kl);
    k0 = k1 = 0;
    for (unsigned j = 0; j < 8; j++) {
        k0 |= (uint64_t)kb[j] << (8 * j);
        k1 |= (uint64_t)kb[8 + j] << (8 * j);
    }
#endif
    k.k0 = (k0 | 0x2020202020202020ull) & g_keycut[kl].cut0;
    k.k1 = (k1 | 0x2020202020202020ull) & g_keycut[kl].cut1;
    return k;
}

/* Number of set bits. */
static inline unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* What the masks tell of the page bytes [a, b), b > a, in one pass: ASCII
 * letters, ASCII word bytes, whether a lower-case ASCII letter stands
 * inside a word (not at its start), the first ASCII letter (SIZE_MAX if
 * none), and whether an ASCII capital follows three lower-case ASCII
 * letters ("HomeTechnology": a camel-case candidate). */
typedef struct line_bits {
    uint32_t alpha, word;
    bool low_inside, camel;
    bool ascii;            /* no byte >= 0x80 */
    size_t first_alpha;
} line_bits;

SF_HOT_INLINE void line_masks(const page_bits *pb, size_t a, size_t b, line_bits *lb)
{
    uint32_t na = 0, nw = 0;
    uint64_t low = 0, camel = 0, high = 0, prev = 0; /* prev: lower-case letters before */
    size_t first = SIZE_MAX;
    for (size_t k = a >> 6; k <= (b - 1) >> 6; k++) {
        uint64_t range = ~0ull;
        if (k == a >> 6)
            range &= ~0ull << (a & 63);
        if (k == (b - 1) >> 6)
            range &= ~0ull >> (63 - ((b - 1) & 63));
        uint64_t up = pb->upper[k], al_all = pb->alpha[k], al = al_all & range;
        if (first == SIZE_MAX && al)
            first = (k << 6) + (size_t)__builtin_ctzll(al);
        na += popcount64(al);
        nw += popcount64(pb->word[k] & range);
        low |= al & ~up & ~pb->event[k];
        high |= pb->high[k] & range;
        uint64_t lw = al_all & ~up;
        camel |= up & range & (lw << 1 | prev >> 63) & (lw << 2 | prev >> 62) &
                 (lw << 3 | prev >> 61);
        prev = lw;
    }
    lb->alpha = na;
    lb->word = nw;
    lb->low_inside = low != 0;
    lb->first_alpha = first;
    lb->camel = camel != 0;
    lb->ascii = high == 0;
}

static const uint8_t g_mark[128] = {
    ['<'] = MARK_LT, ['{'] = MARK_BRACE, [';'] = MARK_SEMI, ['='] = MARK_EQ,
    [':'] = MARK_COLON, ['@'] = MARK_AT,
};

static uint8_t wordless_pf(int32_t c)
{
    uint8_t pf = 0;
    for (unsigned k = 0; k < g_wl_n; k++)
        if (g_wl_cp[k] == c)
            pf |= g_wl_pf[k];
    return pf;
}

bool sf_clean_general_scan = false;

/* The characters of a line starting with a byte >= 0x80, in order and
 * cut as scan_line's loop cuts them (a broken sequence is one byte). */
typedef struct high_chars {
    const page_bits *pb;
    size_t base, end, blk, next;
    uint64_t m;            /* the block's bytes >= 0x80 not yet seen */
} high_chars;

static void high_chars_start(high_chars *it, const page_bits *pb, size_t base, size_t end)
{
    it->pb = pb;
    it->base = base;
    it->end = end;
    it->blk = base >> 6;
    it->next = 0;
    it->m = pb->high[it->blk] & (~0ull << (base & 63));
}

/* The next character, p[*i..*i + *k) decoded as *c; false at the end. */
static bool high_chars_next(high_chars *it, const line_scan *st, size_t *i, size_t *k,
                            int32_t *c)
{
    const size_t last = (it->end - 1) >> 6;
    for (;;) {
        if (it->blk == last)
            it->m &= ~0ull >> (63 - ((it->end - 1) & 63));
        while (it->m) {
            size_t at = (it->blk << 6) + (size_t)__builtin_ctzll(it->m) - it->base;
            it->m &= it->m - 1;
            if (at < it->next)
                continue;
            *i = at;
            *k = decode(st->p + at, st->n - at, c);
            it->next = at + *k;
            return true;
        }
        if (it->blk >= last)
            return false;
        it->m = it->pb->high[++it->blk];
    }
}

/* True if no character of the line above ASCII is a letter, mark, digit
 * or unspaced character (curly quotes, dashes and the like only). */
/* True if no character above ASCII of the line is a word character or
 * unspaced: then the line's characters above ASCII are counted into st as
 * the general loop counts them (scan_plain counts the rest), read once. */
static bool high_chars_plain(line_scan *st, const page_bits *pb, size_t base, size_t end)
{
    high_chars it;
    high_chars_start(&it, pb, base, end);
    const uint8_t *p = st->p;
    const size_t n = st->n;
    size_t i, k;
    int32_t c;
    uint32_t nonspace = 0, pipes = 0, crumbs = 0;
    uint8_t pf = 0;
    while (high_chars_next(&it, st, &i, &k, &c)) {
        uint8_t cc = class_of(c);
        if (cc & (CC_WORD | CC_UNSPACED))
            return false;
        nonspace += !(cc & CC_SPACE);
        if (g_wl_n)
            pf |= wordless_pf(c);
        if (c == 0x2022)
            pipes++;
        else if ((c == 0x00BB || c == 0x203A) && i > 0 && p[i - 1] == ' ' && i + k < n &&
                 p[i + k] == ' ')
            crumbs++;
    }
    st->nonspace += nonspace;
    st->pf |= pf;
    st->pipes += pipes;
    st->crumbs += crumbs;
    return true;
}

/* The words of a plain line (scan_plain), in order. */
SF_HOT_INLINE void plain_words(line_scan *st, line_hot *h, const page_bits *pb, size_t base,
                               size_t end, const bool camel)
{
    const uint8_t *p = st->p;
    const size_t first = base >> 6, last = (end - 1) >> 6;
    const uint64_t *W = pb->word, *U = pb->upper, *E = pb->event;
    for (size_t blk = first; blk <= last; blk++) {
        uint64_t range = ~0ull;
        if (blk == first)
            range &= ~0ull << (base & 63);
        if (blk == last)
            range &= ~0ull >> (63 - ((end - 1) & 63));
        const uint64_t wb = W[blk];
        /* the last byte of every run of word bytes that ends in the block
         * (a run going on into the next block has none) */
        const uint64_t ends = wb & ~(wb >> 1 | (W[blk + 1] & 1) << 63);
        for (uint64_t m = E[blk] & wb & range; m; m &= m - 1) {
            unsigned sh = (unsigned)__builtin_ctzll(m);
            size_t i = (blk << 6) + sh - base;
            uint64_t e = ends >> sh;
            size_t kl;
            if (__builtin_expect(e != 0, 1)) {
                kl = (size_t)__builtin_ctzll(e) + 1;
            } else {
                /* across the block's end (a word of 63 bytes or more is
                 * read slowly; the top bit keeps ctz off 0) */
                uint64_t wbits = wb >> sh | (W[blk + 1] << 1) << (63 - sh);
                kl = (size_t)__builtin_ctzll(~wbits | (1ull << 63));
            }
            if (kl > WT_FAST) {
                wkey k;
                bool cap;
                size_t we = slow_word(st, i, &k, &cap);
                word_done(h, st, i, we, cap, k);
            } else if (camel) {
                uint64_t u = U[blk] >> sh | (U[blk + 1] << 1) << (63 - sh);
                u &= (1ull << kl) - 1;
                if (u >> 1)
                    camel_joins(st, i, i + kl);
                word_done(h, st, i, i + kl, u & 1, ascii_key(st, i, kl));
            } else {
                word_done(h, st, i, i + kl, (uint8_t)(p[i] - 'A') < 26, ascii_key(st, i, kl));
            }
        }
    }
}

/* The events of a line whose characters above ASCII are no word
 * characters (most lines of English text: ASCII, curly quotes, dashes):
 * punctuation is counted in any order, from the events that are no word
 * starts, and the words are taken in order from the word starts alone, so
 * neither loop asks which kind of event it has. With high_chars_plain
 * (the characters above ASCII), fills what the general loop of scan_line
 * would. */
SF_HOT_INLINE void scan_plain(line_scan *st, line_hot *h, const page_bits *pb, size_t base,
                              size_t end, bool camel)
{
    const uint8_t *p = st->p;
    const size_t n = st->n, first = base >> 6, last = (end - 1) >> 6;
    const uint64_t *W = pb->word, *E = pb->event, *H = pb->high;
    /* (characters above ASCII: counted by high_chars_plain) */
    for (size_t blk = first; blk <= last; blk++) {
        uint64_t range = ~0ull;
        if (blk == first)
            range &= ~0ull << (base & 63);
        if (blk == last)
            range &= ~0ull >> (63 - ((end - 1) & 63));
        for (uint64_t m = E[blk] & ~W[blk] & ~H[blk] & range; m; m &= m - 1) {
            size_t i = (blk << 6) + (size_t)__builtin_ctzll(m) - base;
            uint8_t b = p[i], cc = g_cc[b];
            st->marks |= g_mark[b];
            if (g_wl_ascii)
                st->pf |= wordless_pf(b);
            st->nonspace += !(cc & CC_SPACE);
            st->codep += (cc & CC_CODE) != 0;
            if (b == '|')
                st->pipes++;
            else if ((b == '>' || b == '/') && i > 0 && p[i - 1] == ' ' && i + 1 < n &&
                     p[i + 1] == ' ')
                st->crumbs++;
        }
    }
    /* (made twice, so that neither asks word by word) */
    if (camel)
        plain_words(st, h, pb, base, end, true);
    else
        plain_words(st, h, pb, base, end, false);
}

/* Scans one line (s[0..n), trimmed, n >= 1, at offset base of the page
 * whose masks are pb) and fills the counting features; stop words and
 * capitalised stop words inside a sentence are counted for every language
 * in *ls. Returns the PF_* kinds
 * of phrases that may match the line (first word, any word; a line
 * starting with a non-word character may match any).
 *
 * The scan stops only at events (word starts, non-ASCII bytes, ASCII
 * punctuation), 64 bytes of masks at a time. The byte after a line is
 * never an ASCII word byte (a space, a newline, NBSP or the page's end),
 * so a word's run of word bits ends inside its line. */
static __attribute__((noinline)) uint8_t scan_line(scan_doc *sd, const page_bits *pb, size_t base, const char *s,
                         size_t n, size_t avail, sf_line *li, line_stops *ls)
{
    line_scan st;
    memset(&st, 0, sizeof st);
    st.sd = sd;
    st.p = (const uint8_t *)s;
    st.n = n;
    st.avail = avail;
    st.li = li;
    st.ls = ls;
    st.first_cased = SIZE_MAX;
    line_hot h = {.lh = 0x84222325cbf29ce4ull};
    const uint8_t *p = st.p;
    li->time_like = false;
    /* "© 2024 ...": phrases may start with a character that is no word
     * (a line starting with an ASCII letter or digit has nothing to skip) */
    for (size_t j = (pb->word[base >> 6] >> (base & 63)) & 1 ? n : 0; j < n;) {
        int32_t c = p[j];
        size_t k = c < 0x80 ? 1 : decode(p + j, n - j, &c);
        if (lead_junk(c)) {
            j += k;
            continue;
        }
        if (!(class_of(c) & CC_WORD))
            st.pf = PF_FIRST | PF_FIRST_STRONG | PF_ANY | PF_ANY_STRONG;
        break;
    }
    const size_t end = base + n, last = (end - 1) >> 6;
    const uint64_t *W = pb->word, *U = pb->upper, *E = pb->event;
    const uint64_t last_mask = ~0ull >> (63 - ((end - 1) & 63));
    /* a capital after three lower-case letters: camel-case joins to count
     * word by word (most lines have none) */
    line_bits lb;
    line_masks(pb, base, end, &lb);
    const bool camel = lb.camel;
    if (!sf_clean_general_scan && (lb.ascii || high_chars_plain(&st, pb, base, end))) {
        scan_plain(&st, &h, pb, base, end, camel);
        goto done;
    }
    size_t blk = base >> 6;
    uint64_t ev = E[blk] & (~0ull << (base & 63)) & (blk == last ? last_mask : ~0ull);
    for (;;) {
        while (!ev) {
            if (blk == last)
                goto done;
            blk++;
            ev = E[blk] & (blk == last ? last_mask : ~0ull);
        }
        size_t pos = (blk << 6) + (size_t)__builtin_ctzll(ev);
        unsigned sh = (unsigned)(pos & 63);
        size_t i = pos - base, next;
        uint64_t wbits = W[blk] >> sh;
        if (wbits & 1) {
            /* an ASCII word: to its end by the masks; a word going on with
             * a non-ASCII letter or longer than WT_FAST is read slowly */
            /* (all 64 bits set only when the word fills the block from
             * its first byte: ctz of 0 is undefined) */
            size_t kl = ~wbits ? (size_t)__builtin_ctzll(~wbits) : 64;
            if (kl == 64 - sh)
                kl = (size_t)__builtin_ctzll(~bits_at(W, pos) | (1ull << 63));
            size_t we = i + kl;
            bool slow = kl > WT_FAST;
            if (!slow && we < n && p[we] >= 0x80) {
                int32_t c;
                decode(p + we, n - we, &c);
                slow = (class_of(c) & CC_WORD) != 0;
            }
            if (slow) {
                wkey k;
                bool cap;
                we = slow_word(&st, i, &k, &cap);
                word_done(&h, &st, i, we, cap, k);
            } else if (camel) {
                uint64_t u = U[blk] >> sh | (U[blk + 1] << 1) << (63 - sh);
                u &= (1ull << kl) - 1;
                if (u >> 1)
                    camel_joins(&st, i, we);
                word_done(&h, &st, i, we, u & 1, ascii_key(&st, i, kl));
            } else {
                word_done(&h, &st, i, we, (uint8_t)(p[i] - 'A') < 26, ascii_key(&st, i, kl));
            }
            next = we;
        } else if (p[i] < 0x80) {
            uint8_t b = p[i], cc = g_cc[b];
            st.marks |= g_mark[b];
            if (g_wl_ascii)
                st.pf |= wordless_pf(b);
            st.nonspace += !(cc & CC_SPACE);
            st.codep += (cc & CC_CODE) != 0;
            if (b == '|')
                st.pipes++;
            else if ((b == '>' || b == '/') && i > 0 && p[i - 1] == ' ' && i + 1 < n &&
                     p[i + 1] == ' ')
                st.crumbs++;
            next = i + 1;
        } else {
            int32_t c;
            size_t k = decode(p + i, n - i, &c);
            uint8_t cc = class_of(c);
            if (cc & CC_WORD) {
                wkey key;
                bool cap;
                size_t we = slow_word(&st, i, &key, &cap);
                word_done(&h, &st, i, we, cap, key);
                next = we;
            } else {
                if (cc & CC_UNSPACED) {
                    h.lh = (h.lh ^ (uint64_t)c) * 0x9E3779B97F4A7C15ull;
                    st.unspaced++;
                    st.letters++;
                    if (st.first_cased == SIZE_MAX) {
                        st.first_cased = i;
                        st.first_cased_low = false;
                    }
                    count_script(sd, c);
                }
                st.nonspace += !(cc & CC_SPACE);
                if (g_wl_n)
                    st.pf |= wordless_pf(c);
                if (c == 0x2022)
                    st.pipes++;
                else if ((c == 0x00BB || c == 0x203A) && i > 0 && p[i - 1] == ' ' &&
                         i + k < n && p[i + k] == ' ')
                    st.crumbs++;
                next = i + k;
            }
        }
        /* on to the first event at or after next */
        size_t np = base + next;
        if (np >> 6 == blk) {
            ev &= ~0ull << (np & 63);
        } else {
            if (np >= end)
                break;
            blk = np >> 6;
            ev = E[blk] & (~0ull << (np & 63)) & (blk == last ? last_mask : ~0ull);
        }
    }
done:;
    ls->lanes[0] = h.lane_lo;
    ls->lanes[1] = h.lane_hi;
    if (h.lane_lo | h.lane_hi)
        acc_lanes(sd, ls->lanes);
    uint32_t alpha = lb.alpha, wordb = lb.word;
    bool low_inside = lb.low_inside;
    size_t first_alpha = lb.first_alpha;
    sd->script[SC_LATIN] += alpha;
    /* the first letter of the line: ASCII (from the masks) or not */
    if (first_alpha != SIZE_MAX && (st.first_cased == SIZE_MAX || first_alpha - base < st.first_cased))
        li->lower_start = !((pb->upper[first_alpha >> 6] >> (first_alpha & 63)) & 1);
    else
        li->lower_start = st.first_cased != SIZE_MAX && st.first_cased_low;
    uint8_t pf = st.pf | (h.pf & (PF_ANY | PF_ANY_STRONG));
    /* "olga_photo": phrases see two words ('_' inside an ASCII word) */
    for (const uint8_t *u = pb->underscore ? memchr(p, '_', n) : NULL;
         u && (pf & (PF_ANY | PF_ANY_STRONG)) != (PF_ANY | PF_ANY_STRONG);
         u = memchr(u + 1, '_', (size_t)(p + n - u - 1)))
        if (u > p && (pb->word[(base + (size_t)(u - p) - 1) >> 6] >>
                      ((base + (size_t)(u - p) - 1) & 63)) & 1)
            pf |= PF_ANY | PF_ANY_STRONG;
    if (h.words >= 1 &&
        ((g_head[(st.h12[0] >> 40) & (HEAD_BITS / 64 - 1)] >> ((st.h12[0] >> 52) & 63)) & 1)) {
        if (h.words >= 2)
            pf |= pair_get(pair_hash(st.h12[0], st.h12[1])) & (PF_FIRST | PF_FIRST_STRONG);
        pf |= pair_get(pair_hash(st.h12[0], 0)) & (PF_FIRST | PF_FIRST_STRONG);
    }
    li->hash = h.lh;
    li->marks = st.marks;
    li->words = h.words + st.unspaced / 2;
    li->caps = h.caps;
    li->nums = st.nums;
    li->letters = st.letters + alpha;
    li->nonspace = st.nonspace + wordb;
    li->codep = st.codep;
    li->glued = st.glued;
    li->has_lower = st.low_seen || low_inside;
    li->lead_caps = st.lead_caps;
    li->lead_tc = st.lead_tc;
    li->pipes = st.pipes;
    li->crumbs = st.crumbs;
    li->date_like = st.years > 0 && (st.smallnums > 0 || li->time_like);
    /* how the line ends: look through closing quotes and brackets */
    /* (the line is trimmed: an ASCII last byte is its last character) */
    size_t j = n - 1;
    int32_t e = p[n - 1];
    if (e >= 0x80) {
        j = n;
        e = prev_nonspace(p, &j);
    }
    if (e == '"' || e == 0x201D || e == 0x2019 || e == '\'' || e == 0x00BB || e == ')')
        e = prev_nonspace(p, &j);
    /* the character before e, read only when it matters */
    if (e == 0x2026 || (e == '.' && ends_dots(s, n) && prev_nonspace(p, &j) == '.'))
        li->end = END_ELLIPSIS;
    else if (e == '.' || e == '!' || e == 0x3002 || e == 0xFF01 || e == 0x0964)
        li->end = END_PERIOD;
    else if (e == '?' || e == 0xFF1F)
        li->end = END_QUESTION;
    else if (e == ':')
        li->end = END_COLON;
    else if (e == ',' || e == ';' || e == '{' || e == '[' || e == '(')
        li->end = END_COMMA;
    else
        li->end = END_NONE;
    return pf;
}

/* True if the line looks like code: ad scripts, JS objects, lone braces. */
bool sf_clean_code_like(const sf_clean_doc *d, const sf_line *li)
{
    const char *s = d->text + li->off;
    size_t n = li->len;
    /* no cased letter: "}, {", "0, 1);" are code; Hangul, Han or Thai
     * prose has no cased letters either, but many words per bracket */
    if (li->letters == 0)
        return li->codep > 0 && li->words <= li->codep * 2;
    if ((li->marks & MARK_COLON) && js_property(s, n))
        return true;
    if (li->codep >= 2 && has_code_word(s, n))
        return true;
    bool strong = li->marks & (MARK_SEMI | MARK_BRACE | MARK_EQ);
    return strong && li->codep >= 3 && li->codep * 12 >= li->nonspace &&
           li->stops * 5 < li->words;
}

/* A person's name (or a short proper-noun label): 2-4 capitalised words,
 * no digits, no sentence punctuation, at most half stop words ("Minh Anh"),
 * not all in capitals (news agencies write sub-headings so). */
bool sf_clean_name_like(const sf_line *li)
{
    return li->words >= 2 && li->words <= 4 && li->caps == li->words && li->nums == 0 &&
           li->has_lower &&   /* "GIRLS BASKETBALL", "US FALLS": sub-headings */
           li->phrase == R_NONE && li->stops * 2 <= li->words &&
           li->end == END_NONE && li->codep == 0 && li->nonspace <= 40;
}

/* ====================================================================== */
/* Splitting a page into lines                                              */
/* ====================================================================== */

/* Lines are split at '\n'; a trailing '\r' and surrounding spaces are
 * trimmed. The number of lines (empty ones included) of a page whose
 * newline mask has n64 words. */
static size_t count_lines(const page_bits *pb, size_t n64)
{
    size_t k = 1;
    for (size_t i = 0; i < n64; i++)
        k += popcount64(pb->newline[i]);
    return k;
}

static bool is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims ASCII spaces and U+00A0 at both ends. */
static void trim(const char *t, size_t *off, size_t *len)
{
    size_t a = *off, b = *off + *len;
    for (;;) {
        if (a < b && is_space_byte((unsigned char)t[a]))
            a++;
        else if (a + 1 < b && (unsigned char)t[a] == 0xC2 && (unsigned char)t[a + 1] == 0xA0)
            a += 2;
        else
            break;
    }
    for (;;) {
        if (b > a && is_space_byte((unsigned char)t[b - 1]))
            b--;
        else if (b >= a + 2 && (unsigned char)t[b - 2] == 0xC2 && (unsigned char)t[b - 1] == 0xA0)
            b -= 2;
        else
            break;
    }
    *off = a;
    *len = b - a;
}

/* Zeroes a line record and its stop-word counts with whole vector stores
 * (memset of these sizes becomes a slow string instruction here). */
static inline void clear_line(sf_line *li, line_stops *ls)
{
#if defined(__SSE2__)
    const __m128i z = _mm_setzero_si128();
    char *a = (char *)li, *b = (char *)ls;
    /* (unrolled, or the loops become memset again) */
#pragma GCC unroll 16
    for (size_t k = 0; k + 16 <= sizeof *li; k += 16)
        _mm_storeu_si128((__m128i *)(void *)(a + k), z);
    if (sizeof *li % 16)
        _mm_storeu_si128((__m128i *)(void *)(a + sizeof *li - 16), z);
#pragma GCC unroll 16
    for (size_t k = 0; k + 16 <= sizeof *ls; k += 16)
        _mm_storeu_si128((__m128i *)(void *)(b + k), z);
    if (sizeof *ls % 16)
        _mm_storeu_si128((__m128i *)(void *)(b + sizeof *ls - 16), z);
#else
    memset(li, 0, sizeof *li);
    memset(ls, 0, sizeof *ls);
#endif
}

/* The line of t[0..tn) that starts at *off (found by the page's newline
 * mask), trimmed: *lo and *ll (0 for a blank line); *off moves past it.
 * Returns whether a '\n' ended it (false: the page's last line). */
SF_HOT_INLINE bool next_line(const page_bits *pb, const char *t, size_t tn, size_t *off,
                             size_t *lo, size_t *ll)
{
    size_t end = next_bit(pb->newline, *off, tn);
    bool nl = end < tn;
    if (!nl)
        end = tn;
    *lo = *off;
    *ll = end - *off;
    *off = end + 1;
    trim(t, lo, ll);
    return nl;
}

sf_status sf_clean_lines(const sf_article *a, sf_clean_doc *d)
{
    memset(d, 0, sizeof *d);
    if (!ph_ready())
        return SF_ENOMEM;
    const char *t = a->text ? a->text : "";
    size_t tn = a->text ? a->text_len : 0;
    d->text = t;
    /* the masks of pages up to 4 KB on the stack */
    uint64_t pb_buf[6 * 65];
    page_bits pb;
    if (!page_bits_init(&pb, t, tn, pb_buf, SF_ARRAY_LEN(pb_buf)))
        return SF_ENOMEM;
    size_t cap = count_lines(&pb, tn / 64 + 1);
    /* the lines, cleared line by line (a page's blank lines are never
     * touched), then their stop words per language until the language is
     * known, in one block freed with the lines */
    _Static_assert(sizeof(sf_line) % _Alignof(line_stops) == 0, "line_stops after lines");
    d->lines = malloc(cap * (sizeof *d->lines + sizeof(line_stops)));
    if (!d->lines) {
        page_bits_free(&pb);
        return SF_ENOMEM;
    }
    line_stops *ls = (line_stops *)(void *)(d->lines + cap);
    scan_doc sd;
    memset(&sd, 0, sizeof sd);
    size_t off = 0, no = 0;
    bool blank_before = true;
    while (off <= tn) {
        size_t lo, ll;
        bool nl = next_line(&pb, t, tn, &off, &lo, &ll);
        no++;
        if (ll == 0) {
            blank_before = true;
            if (!nl)
                break;
            continue;
        }
        sf_line *li = &d->lines[d->n];
        clear_line(li, &ls[d->n]);
        li->off = lo;
        li->len = ll;
        li->no = (uint32_t)no;
        li->joined = !blank_before;
        blank_before = false;
        uint8_t pf = scan_line(&sd, &pb, lo, t + lo, ll, tn - lo, li, &ls[d->n]);
        /* phrases: short lines may match any, long ones only strong ones */
        if (li->words > PH_SHORT_WORDS)
            pf &= PF_FIRST_STRONG | PF_ANY_STRONG;
        li->phrase = pf || (g_pf_wordless & (li->words > PH_SHORT_WORDS ? PF_ANY_STRONG : 0xF));
        d->n++;
        if (!nl)
            break;
    }
    page_bits_free(&pb);

    sf_lang lang = SF_LANG_UNKNOWN;
    if (a->lang && a->lang_len)
        lang = sf_lang_from_code(a->lang, a->lang_len);
    if (lang == SF_LANG_UNKNOWN) {
        acc_fold(&sd);
        lang = scan_lang(&sd);
    }
    d->lang = lang;
    /* pages of unknown language are counted with the English list */
    int sl = lang == SF_LANG_UNKNOWN ? SF_LANG_EN : (int)lang < WT_LANGS ? (int)lang : -1;

    /* (the longest normalised line, on the stack) */
    uint8_t norm[NORM_ROOM(SIZE_MAX, 1024)];
    for (size_t i = 0; i < d->n; i++) {
        sf_line *li = &d->lines[i];
        const line_stops *c = &ls[i];
        li->stops = sl < 0 ? 0 : line_stop_count(c, (unsigned)sl);
        li->title_case = sl < 0 ? 0 : c->title[sl];
        li->lead_tc = sl < 0 ? 0 : (li->lead_tc >> sl) & 1;
        d->total_words += li->words;
        d->total_stops += li->stops;
        if (!li->phrase)
            continue;
        size_t nl = normalize_into(t + li->off, li->len, norm, 1024);
        li->phrase = (uint8_t)ph_match((const char *)norm, nl, li->words, &li->header,
                                       &li->strong_phrase);
    }
    return sf_glued_split(d);
}

/* The hash of the first non-empty line of s[0..n), as sf_clean_lines gives
 * it, without the rest of the page's work (its language, phrases and glued
 * lines): a given title is looked up among a page's lines by it. */
sf_status sf_clean_first_line_hash(const char *s, size_t n, uint64_t *hash)
{
    *hash = 0;
    if (!s)
        return SF_EINVAL;
    if (!ph_ready())
        return SF_ENOMEM;
    uint64_t pb_buf[6 * 65];
    page_bits pb;
    if (!page_bits_init(&pb, s, n, pb_buf, SF_ARRAY_LEN(pb_buf)))
        return SF_ENOMEM;
    sf_status st = SF_EINVAL;
    for (size_t off = 0; off <= n;) {
        size_t lo, ll;
        bool nl = next_line(&pb, s, n, &off, &lo, &ll);
        if (ll > 0) {
            scan_doc sd;
            memset(&sd, 0, sizeof sd);
            sf_line li;
            line_stops ls;
            clear_line(&li, &ls);
            (void)scan_line(&sd, &pb, lo, s + lo, ll, n - lo, &li, &ls);
            *hash = li.hash;
            st = SF_OK;
            break;
        }
        if (!nl)
            break;
    }
    page_bits_free(&pb);
    return st;
}

void sf_clean_doc_free(sf_clean_doc *d)
{
    free(d->lines);
    d->lines = NULL;
    d->n = 0;
}
