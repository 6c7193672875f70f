/*
 * clean_lines.c — the cleaner's first pass: split a page into lines and
 * compute each line's features in one scan (see clean.h), including hits
 * in the furniture phrase lists of data/clean/<lang>.txt.
 */
#include "clean.h"

#include "data.h"
#include "text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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

/* Appends the normalised form of s to out: lower case, curly quotes made
 * ASCII, whitespace runs made one space, no space before ':', leading
 * bullets, dashes and quotes dropped, trailing spaces dropped. At most
 * max_out bytes are produced (the rest is cut; enough for short lines). */
static bool normalize_line(const char *s, size_t n, sf_buf *out, size_t max_out)
{
    sf_buf_clear(out);
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    bool lead = true, space = false;
    while (i < n && out->len < max_out) {
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0) {
            i++;
            continue;
        }
        i += (size_t)k;
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
        if (space && c != ':' && out->len > 0 && !sf_buf_putc(out, ' '))
            return false;
        space = false;
        if (c < 0x80) {
            char ch = (char)c;
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch + 32);
            if (!sf_buf_putc(out, ch))
                return false;
        } else {
            uint8_t enc[4];
            utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(c), enc);
            if (m > 0 && !sf_buf_append(out, enc, (size_t)m))
                return false;
        }
    }
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
/* Phrase lists (data/clean/<lang>.txt), loaded once                            */
/* ====================================================================== */

enum { PM_PREFIX = 0, PM_CONTAINS = 1, PM_EXACT = 2, PM_SUFFIX = 3 };

typedef struct phrase {
    const char *text;   /* normalised, owned by the table's pool */
    uint32_t len;
    uint32_t next;      /* next phrase with the same first-word bucket, or 0 */
    uint8_t mode;
    uint8_t reason;
    bool strong;        /* '!': no length limit, holds on sentence-like lines */
} phrase;

#define PH_BUCKETS 1024u

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
    ph_load_ctx ctx = {true};
    sf_data_each("clean/", ph_load_file, &ctx);
    if (ctx.ok && g_ph.count > 0 && g_ph.pool.data) {
        for (uint32_t i = 1; i < g_ph.count; i++)
            g_ph.items[i].text = g_ph.pool.data + (uintptr_t)g_ph.items[i].text;
    } else if (ctx.ok) {
        g_ph.count = 0;
    }
    g_ph.ok = ctx.ok;
}

/* Loads the phrase lists once per process. False if out of memory. */
static bool ph_ready(void)
{
    pthread_once(&g_ph_once, ph_init);
    return g_ph.ok;
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
    bool short_line = words <= 20;
    if (short_line) {
        for (uint32_t k = g_ph.suffixes; k; k = g_ph.items[k].next) {
            const phrase *ph = &g_ph.items[k];
            if (ph->len <= en && memcmp(ph->text, s + en - ph->len, ph->len) == 0) {
                *strong = ph->strong;
                return (sf_reason)ph->reason;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!key_char((unsigned char)s[i]) || (i > 0 && key_char((unsigned char)s[i - 1])))
            continue;
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
    }
    return R_NONE;
}

/* ====================================================================== */
/* Per-line features                                                       */
/* ====================================================================== */


static bool is_code_punct(int32_t c)
{
    switch (c) {
    case '{': case '}': case '[': case ']': case '(': case ')': case ';':
    case '=': case '<': case '>':
        return true;
    default:
        return false;
    }
}

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
    return has_css(d->text + li->off, li->len);
}

bool sf_clean_markup_like(const sf_clean_doc *d, const sf_line *li)
{
    return memchr(d->text + li->off, '<', li->len) && has_markup(d->text + li->off, li->len);
}


static const char *const code_words[] = {
    "function(", "function (", "var ", "window.", "document.", "googletag",
    "adsbygoogle", ".push(", "=>", "});", "gtag(", "datalayer", "_gaq", "$(",
    "jquery(", "getelementby", "addeventlistener", "innerhtml", "!important",
};

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

typedef struct word_ctx {
    sf_lang lang;
    char fold[64];
} word_ctx;

/* Case-folds a word into ctx->fold; returns its length or 0 if too long. */
static size_t fold_word(word_ctx *wc, const char *w, size_t n)
{
    if (n >= sizeof wc->fold)
        return 0;
    size_t o = 0;
    const uint8_t *p = (const uint8_t *)w;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            char c = (char)p[i++];
            wc->fold[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            continue;
        }
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            return 0;
        i += (size_t)k;
        uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(c), enc);
        if (m <= 0 || o + (size_t)m >= sizeof wc->fold)
            return 0;
        memcpy(wc->fold + o, enc, (size_t)m);
        o += (size_t)m;
    }
    return o;
}

static bool is_word_cp(int32_t c, utf8proc_category_t cat)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_';
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
}

/* Han, kana and Thai are written without spaces: each character counts as
 * half a word. */
static bool is_unspaced_cp(int32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x0E00 && c <= 0x0E7F);
}

/* True if the line ends with "..", maybe followed by closing quotes or
 * brackets (". ." is a typo, not an ellipsis). */
static bool ends_dots(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
        n--;
    return n >= 2 && s[n - 1] == '.' && s[n - 2] == '.';
}

/* Scans one line (s[0..n), trimmed) and fills the counting features. */
static void scan_line(word_ctx *wc, const char *s, size_t n, sf_line *li)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    uint32_t words = 0, stops = 0, caps = 0, nums = 0, letters = 0, nonspace = 0;
    uint32_t codep = 0, unspaced = 0, glued = 0, years = 0, smallnums = 0, pipes = 0;
    uint32_t title_case = 0, crumbs = 0;
    bool in_word = false, word_cap = false, first_letter_seen = false, mid = false;
    int prev_case = 0, low_run = 0;   /* case of previous letter in word, lower-case run */
    size_t wstart = 0;
    int32_t last = 0, prev_last = 0, prev_prev_last = 0;
    li->lower_start = false;
    li->time_like = false;
    while (i <= n) {
        int32_t c = 0;
        utf8proc_ssize_t k = 1;
        utf8proc_category_t cat = UTF8PROC_CATEGORY_CN;
        if (i < n) {
            if (p[i] < 0x80) {
                c = p[i];
            } else {
                k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
                if (k <= 0) {
                    k = 1;
                    c = 0xFFFD;
                }
                cat = utf8proc_category(c);
            }
        }
        bool word = i < n && is_word_cp(c, cat) && !is_unspaced_cp(c);
        if (word && !in_word) {
            in_word = true;
            wstart = i;
            mid = words > 0 && i > 0 && (p[i - 1] == ' ') && last != '.' && last != '!' && last != '?' && last != ':' &&
                  last != '"' && last != 0x201C && last != '(' && last != 0x2014 &&
                  last != 0x2013 && last != '-' && last != '|';
            word_cap = false;
            prev_case = 0;
            low_run = 0;
        }
        if (word) {
            bool up = c < 0x80 ? (c >= 'A' && c <= 'Z')
                               : (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT);
            bool low = c < 0x80 ? (c >= 'a' && c <= 'z') : cat == UTF8PROC_CATEGORY_LL;
            if (up || low) {
                letters++;
                if (!first_letter_seen) {
                    first_letter_seen = true;
                    li->lower_start = low;
                }
            }
            if (i == wstart)
                word_cap = up;
            if (up && prev_case == 2 && low_run >= 3)
                glued++;
            prev_case = up ? 1 : low ? 2 : 0;
            low_run = low ? low_run + 1 : 0;
        } else if (in_word) {
            in_word = false;
            const char *w = s + wstart;
            size_t wl = i - wstart;
            words++;
            if (word_cap)
                caps++;
            if (w[0] >= '0' && w[0] <= '9') {
                nums++;
                if (is_year(w, wl))
                    years++;
                else if (wl <= 2)
                    smallnums++;
                if (i < n && c == ':' && i + 2 < n && p[i + 1] >= '0' && p[i + 1] <= '9')
                    li->time_like = true;
            }
            size_t fl = fold_word(wc, w, wl);
            if (fl && sf_is_stopword(wc->lang, wc->fold, fl)) {
                stops++;
                if (word_cap && mid && wl >= 2)
                    title_case++;
            }
        }
        if (i >= n)
            break;
        if (is_unspaced_cp(c)) {
            unspaced++;
            letters++;
            if (!first_letter_seen)
                first_letter_seen = true;
        }
        if (c != ' ' && c != '\t' && c != 0xA0 && c != '\r') {
            nonspace++;
            prev_prev_last = prev_last;
            prev_last = last;
            last = c;
        }
        if (is_code_punct(c))
            codep++;
        if (c == '|' || c == 0x2022)
            pipes++;
        else if ((c == '>' || c == '/' || c == 0x00BB || c == 0x203A) && i > 0 &&
                 p[i - 1] == ' ' && i + (size_t)k < n && p[i + (size_t)k] == ' ')
            crumbs++;
        i += (size_t)k;
    }
    li->words = words + unspaced / 2;
    li->stops = stops;
    li->caps = caps;
    li->nums = nums;
    li->letters = letters;
    li->nonspace = nonspace;
    li->codep = codep;
    li->glued = glued;
    li->pipes = pipes;
    li->title_case = title_case;
    li->crumbs = crumbs;
    li->date_like = years > 0 && (smallnums > 0 || li->time_like);
    /* how the line ends: look through closing quotes and brackets */
    int32_t e = last;
    if (e == '"' || e == 0x201D || e == 0x2019 || e == '\'' || e == 0x00BB || e == ')') {
        e = prev_last;
        prev_last = prev_prev_last;
    }
    if (e == 0x2026 || (e == '.' && prev_last == '.' && ends_dots(s, n)))
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
}

/* True if the line looks like code: ad scripts, JS objects, lone braces. */
bool sf_clean_code_like(const sf_clean_doc *d, const sf_line *li)
{
    const char *s = d->text + li->off;
    size_t n = li->len;
    if (li->letters == 0)
        return li->codep > 0;
    if (js_property(s, n))
        return true;
    unsigned kw = 0;
    for (size_t k = 0; li->codep >= 2 && k < SF_ARRAY_LEN(code_words); k++)
        if (contains_ci(s, n, code_words[k]))
            kw++;
    if (kw > 0 && li->codep >= 2)
        return true;
    bool strong = memchr(s, ';', n) || memchr(s, '{', n) || memchr(s, '=', n);
    return strong && li->codep >= 3 && li->codep * 12 >= li->nonspace &&
           li->stops * 5 < li->words;
}

/* A person's name (or a short proper-noun label): 2-4 capitalised words,
 * no digits, no sentence punctuation, at most half stop words ("Minh Anh"). */
bool sf_clean_name_like(const sf_line *li)
{
    return li->words >= 2 && li->words <= 4 && li->caps == li->words && li->nums == 0 &&
           li->phrase == R_NONE && li->stops * 2 <= li->words &&
           li->end == END_NONE && li->codep == 0 && li->nonspace <= 40;
}

/* ====================================================================== */
/* Splitting a page into lines                                              */
/* ====================================================================== */

/* Lines are split at '\n'; a trailing '\r' and surrounding spaces are
 * trimmed. Returns the number of lines (empty ones included). */
static size_t count_lines(const char *t, size_t n)
{
    size_t k = 1;
    for (const char *p = t; (p = memchr(p, '\n', (size_t)(t + n - p))) != NULL; p++)
        k++;
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

sf_status sf_clean_lines(const sf_article *a, sf_clean_doc *d)
{
    memset(d, 0, sizeof *d);
    if (!ph_ready())
        return SF_ENOMEM;
    const char *t = a->text ? a->text : "";
    size_t tn = a->text ? a->text_len : 0;
    d->text = t;
    size_t cap = count_lines(t, tn);
    d->lines = calloc(cap, sizeof *d->lines);
    if (!d->lines)
        return SF_ENOMEM;

    sf_lang lang = SF_LANG_UNKNOWN;
    if (a->lang && a->lang_len)
        lang = sf_lang_from_code(a->lang, a->lang_len);
    if (lang == SF_LANG_UNKNOWN)
        lang = sf_lang_detect(t, tn);
    d->lang = lang;

    word_ctx wc;
    wc.lang = lang;
    sf_buf norm;
    sf_buf_init(&norm, 0);
    size_t off = 0, no = 0;
    bool blank_before = true;
    while (off <= tn) {
        const char *nl = memchr(t + off, '\n', tn - off);
        size_t end = nl ? (size_t)(nl - t) : tn;
        size_t lo = off, ll = end - off;
        no++;
        off = end + 1;
        trim(t, &lo, &ll);
        if (ll == 0) {
            blank_before = true;
            if (!nl)
                break;
            continue;
        }
        sf_line *li = &d->lines[d->n++];
        li->off = lo;
        li->len = ll;
        li->no = (uint32_t)no;
        li->joined = !blank_before;
        blank_before = false;
        scan_line(&wc, t + lo, ll, li);
        if (!normalize_line(t + lo, ll, &norm, 1024)) {
            sf_buf_free(&norm);
            return SF_ENOMEM;
        }
        const char *ns = norm.data ? norm.data : "";
        li->hash = sf_hash64(ns, exact_len(ns, norm.len), 0x9e3779b9u);
        li->phrase = (uint8_t)ph_match(ns, norm.len, li->words, &li->header,
                                       &li->strong_phrase);
        d->total_words += li->words;
        d->total_stops += li->stops;
        if (!nl)
            break;
    }
    sf_buf_free(&norm);
    return SF_OK;
}

void sf_clean_doc_free(sf_clean_doc *d)
{
    free(d->lines);
    d->lines = NULL;
    d->n = 0;
}
