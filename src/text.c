/*
 * text.c — normalising (NFKC + case folding), tokenising with byte offsets,
 * character bigrams for scripts without spaces, and Snowball stemming.
 * Languages and stop words are in lang.c.
 */
#include "text.h"

#include <pthread.h>
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
        if (n == 0)
            return true; /* only ignorable characters (utf8proc_reencode
                          * would write its terminator through a NULL) */
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

/* ------------------------------------------------------------------ */
/* Tokenising context                                                  */
/* ------------------------------------------------------------------ */

#include <libstemmer.h>

/* Longest token handed to a stemmer; longer ones are left as they are
 * (they are URLs, hashes or run-together junk, not words). */
#define STEM_MAX 96

/* What the tokeniser works out for a word from its normal form (stop
 * word? month or weekday? its stem; the hash of the form handed out) costs
 * far more than reading it (a stemmer call is ~2,000 instructions), and
 * word frequencies are skewed, so each context keeps a table of the words
 * it has seen: WORD_SLOTS open-addressing slots holding at most
 * WORD_ENTRIES words of up to WORD_KEY_MAX bytes, their bytes in a pool.
 * When it is full it starts again empty (4.6 MiB per context,
 * allocated on first use). A result never depends on what the table
 * holds. */
#define WORD_SLOTS (1u << 17)
#define WORD_ENTRIES (WORD_SLOTS / 2)
#define WORD_KEY_MAX 32
#define WORD_OUT_MAX 64
#define WORD_POOL (WORD_ENTRIES * 8u)

/* A key is handled as WORD_KEY_MAX bytes, zero after its end, in 64-bit
 * words: hashing and comparing take whole words, no byte loops. */
#define KEY_WORDS (WORD_KEY_MAX / 8)
/* The big table is far larger than a core's cache, and a word looked up
 * there costs a cache miss (on ECB+ dev, a third of the features stage's
 * time went to it). The words used last are also found in a small table in
 * front of it (128 KiB): two ways a set, the most recent first; on ECB+
 * dev, 82% of lookups end there (a third of the other 18% are first
 * sightings). */
#define FRONT_SLOTS (1u << 12)
_Static_assert(WORD_KEY_MAX % 8 == 0 && WORD_KEY_MAX < STEM_MAX, "word table keys");

typedef struct word_slot {
    uint64_t key[2];    /* the key's first 16 bytes, zero-padded */
    uint64_t hash;      /* sf_hash64 of the output form */
    uint32_t off;       /* the output in the pool, after the key's bytes
                         * past the 16th (if any) */
    uint8_t klen, olen; /* bytes of key (0 = empty slot) and output */
    uint8_t mode;       /* language * 2 + stemmed */
    uint8_t flags;      /* SF_TOK_STOP or SF_TOK_CALENDAR */
} word_slot;

typedef struct word_table {
    word_slot *slot;    /* WORD_SLOTS, NULL until first use */
    word_slot *front;   /* FRONT_SLOTS after them: copies of the slots of
                         * recent words of up to 16 bytes, by hash */
    char *pool;         /* WORD_POOL bytes */
    size_t used, count;
} word_table;

struct sf_text {
    sf_buf norm;                 /* the current token's normal form */
    utf8proc_int32_t *cps;       /* utf8proc scratch */
    size_t cps_cap;
    struct sb_stemmer *stemmer[SF_LANG_COUNT];
    word_table words;            /* see word_slot */
};

sf_text *sf_text_new(void)
{
    sf_text *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    sf_buf_init(&t->norm, 0);
    return t;
}

void sf_text_free(sf_text *t)
{

    if (!t)
        return;
    for (int l = 0; l < SF_LANG_COUNT; l++)
        if (t->stemmer[l])
            sb_stemmer_delete(t->stemmer[l]);
    sf_buf_free(&t->norm);
    free(t->cps);
    free(t->words.slot);
    free(t->words.pool);
    free(t);
}

/* Snowball algorithm names; NULL where libstemmer has none. */
static const char *stemmer_name(sf_lang l)
{
    switch (l) {
    case SF_LANG_EN: return "english";
    case SF_LANG_ES: return "spanish";
    case SF_LANG_IT: return "italian";
    case SF_LANG_DE: return "german";
    case SF_LANG_FR: return "french";
    case SF_LANG_PT: return "portuguese";
    case SF_LANG_ID: return "indonesian";
    case SF_LANG_TR: return "turkish";
    case SF_LANG_RU: return "russian";
    case SF_LANG_NL: return "dutch";
    case SF_LANG_AR: return "arabic";
    default: return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Character classes                                                   */
/* ------------------------------------------------------------------ */

/* ASCII byte classes for the fast paths. */
/* A_UPPER << 4 is the ASCII case bit (make_norm relies on it). */
enum { A_OTHER = 0, A_LOWER = 1, A_UPPER = 2, A_DIGIT = 4, A_SENT = 8,
       A_APOS = 16, A_NUMSEP = 32 };
#define A_WORD (A_LOWER | A_UPPER | A_DIGIT)

static const unsigned char ascii_class[128] = {
    ['\n'] = A_SENT, ['.'] = A_SENT | A_NUMSEP, ['!'] = A_SENT,
    ['?'] = A_SENT, [','] = A_NUMSEP, ['\''] = A_APOS,
    ['0'] = A_DIGIT, ['1'] = A_DIGIT, ['2'] = A_DIGIT, ['3'] = A_DIGIT,
    ['4'] = A_DIGIT, ['5'] = A_DIGIT, ['6'] = A_DIGIT, ['7'] = A_DIGIT,
    ['8'] = A_DIGIT, ['9'] = A_DIGIT,
    ['a'] = A_LOWER, ['b'] = A_LOWER, ['c'] = A_LOWER, ['d'] = A_LOWER,
    ['e'] = A_LOWER, ['f'] = A_LOWER, ['g'] = A_LOWER, ['h'] = A_LOWER,
    ['i'] = A_LOWER, ['j'] = A_LOWER, ['k'] = A_LOWER, ['l'] = A_LOWER,
    ['m'] = A_LOWER, ['n'] = A_LOWER, ['o'] = A_LOWER, ['p'] = A_LOWER,
    ['q'] = A_LOWER, ['r'] = A_LOWER, ['s'] = A_LOWER, ['t'] = A_LOWER,
    ['u'] = A_LOWER, ['v'] = A_LOWER, ['w'] = A_LOWER, ['x'] = A_LOWER,
    ['y'] = A_LOWER, ['z'] = A_LOWER,
    ['A'] = A_UPPER, ['B'] = A_UPPER, ['C'] = A_UPPER, ['D'] = A_UPPER,
    ['E'] = A_UPPER, ['F'] = A_UPPER, ['G'] = A_UPPER, ['H'] = A_UPPER,
    ['I'] = A_UPPER, ['J'] = A_UPPER, ['K'] = A_UPPER, ['L'] = A_UPPER,
    ['M'] = A_UPPER, ['N'] = A_UPPER, ['O'] = A_UPPER, ['P'] = A_UPPER,
    ['Q'] = A_UPPER, ['R'] = A_UPPER, ['S'] = A_UPPER, ['T'] = A_UPPER,
    ['U'] = A_UPPER, ['V'] = A_UPPER, ['W'] = A_UPPER, ['X'] = A_UPPER,
    ['Y'] = A_UPPER, ['Z'] = A_UPPER,
};

/* What a code point is to the tokeniser. */
enum kind {
    K_OTHER,  /* separates tokens */
    K_LOWER,  /* lower-case letter */
    K_UPPER,  /* upper- or title-case letter */
    K_LETTER, /* letter without case (Lo, Lm) */
    K_MARK,   /* combining mark */
    K_DIGIT,  /* decimal digit */
    K_NUM,    /* other number (Nl, No: ² ½ Ⅻ) */
    K_CJ,     /* Han, Hiragana, Katakana: bigrams */
    K_THAI,   /* Thai letters: bigrams */
    K_APOS,   /* apostrophe: ' ’ ʼ */
    K_NUMSEP, /* inside numbers between digits: , . and no-break spaces */
    K_JOIN,   /* invisible, kept inside words: soft hyphen, ZWJ, ZWNJ */
    K_SENT    /* ends a sentence */
};

static bool is_cj(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x3041 && c <= 0x309F) ||
           (c >= 0x30A1 && c <= 0x30FF && c != 0x30FB) ||
           (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3005 && c <= 0x3007) ||
           (c >= 0x20000 && c <= 0x3134F) || (c >= 0x1B000 && c <= 0x1B16F);
}

static enum kind kind_slow(int32_t c)
{
    if (c < 0x80) {
        unsigned a = ascii_class[c];
        if (a & A_LOWER) return K_LOWER;
        if (a & A_UPPER) return K_UPPER;
        if (a & A_DIGIT) return K_DIGIT;
        if (a & A_APOS) return K_APOS;
        if (c == ',' ) return K_NUMSEP;
        if (a & A_SENT) return K_SENT; /* '.' is both; see scan_word */
        return K_OTHER;
    }
    if (c >= 0xE01 && c <= 0xE4E && c != 0xE3F) {
        /* vowel signs above and below, tone marks: combining */
        if (c == 0xE31 || (c >= 0xE34 && c <= 0xE3A) || c >= 0xE47)
            return K_MARK;
        return K_THAI;
    }
    if (is_cj(c))
        return K_CJ;
    switch (c) {
    case 0x2019: case 0x02BC: return K_APOS;
    case 0x00A0: case 0x202F: case 0x2009: return K_NUMSEP;
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060: return K_JOIN;
    case 0x3002: case 0xFF01: case 0xFF1F: case 0x2026: case 0x061F:
    case 0x06D4: case 0x0964: case 0x2029: case 0x2028: return K_SENT;
    default: break;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return K_UPPER;
    case UTF8PROC_CATEGORY_LL: return K_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return K_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return K_MARK;
    case UTF8PROC_CATEGORY_ND: return K_DIGIT;
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return K_NUM;
    default: return K_OTHER;
    }
}

/* kind_slow of every code point below KIND_TAB (Latin, Greek, Cyrillic,
 * Hebrew, Arabic, ...), filled once by fold_init. */
#define KIND_TAB 0x800
static uint8_t kind_tab[KIND_TAB];

static inline enum kind kind_of(int32_t c)
{
    return (uint32_t)c < KIND_TAB ? (enum kind)kind_tab[c] : kind_slow(c);
}

static bool kind_in_word(enum kind k)
{
    return k >= K_LOWER && k <= K_NUM;
}

/* Decodes the code point at s[i] (i < len): *c gets it (-1 if invalid) and
 * the return value its length in bytes (1 for an invalid byte). */
static inline size_t decode(const utf8proc_uint8_t *s, size_t len, size_t i,
                            int32_t *c)
{
    unsigned b0 = s[i];
    if (b0 < 0x80) {
        *c = (int32_t)b0;
        return 1;
    }
    /* two- and three-byte sequences here, as utf8proc_iterate takes them
     * (no overlong forms, no surrogates); the rest goes to it */
    if (b0 >= 0xC2 && b0 < 0xE0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
        *c = (int32_t)((b0 & 0x1F) << 6 | (s[i + 1] & 0x3Fu));
        return 2;
    }
    if (b0 >= 0xE0 && b0 < 0xF0 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
        int32_t v = (int32_t)((b0 & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu));
        if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
            *c = v;
            return 3;
        }
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n < 0) {
        *c = -1;
        return 1;
    }
    *c = cp;
    return (size_t)n;
}

/* ------------------------------------------------------------------ */
/* Direct folding of common letters                                    */
/* ------------------------------------------------------------------ */

/* Most non-ASCII words (Latin with accents, Greek, Cyrillic, Vietnamese)
 * are made of letters that NFKC + case folding maps one to one, whatever
 * surrounds them. fold_tab holds that image for such letters (0 for any
 * other code point), built once from utf8proc itself, so these words skip
 * the general path. A word with a combining mark, or any letter outside
 * the table, still goes through utf8proc. */
#define FOLD_A_LO 0x80
#define FOLD_A_HI 0x530    /* Latin-1 .. Cyrillic Supplement */
#define FOLD_B_LO 0x1E00
#define FOLD_B_HI 0x1F00   /* Latin Extended Additional (Vietnamese) */
#define FOLD_SIZE ((FOLD_A_HI - FOLD_A_LO) + (FOLD_B_HI - FOLD_B_LO))

static uint16_t fold_tab[FOLD_SIZE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static int fold_index(int32_t c)
{
    if (c >= FOLD_A_LO && c < FOLD_A_HI)
        return c - FOLD_A_LO;
    if (c >= FOLD_B_LO && c < FOLD_B_HI)
        return c - FOLD_B_LO + (FOLD_A_HI - FOLD_A_LO);
    return -1;
}

static bool is_letter_cat(utf8proc_category_t cat)
{
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static void fold_fill(int32_t lo, int32_t hi)
{
    for (int32_t c = lo; c < hi; c++) {
        if (!is_letter_cat(utf8proc_category(c)))
            continue;
        utf8proc_uint8_t in[4];
        utf8proc_ssize_t n = utf8proc_encode_char(c, in);
        utf8proc_int32_t out[8];
        utf8proc_ssize_t m = utf8proc_decompose(in, n, out, 8, NORM_OPTS);
        if (m < 1 || m > 8)
            continue;
        m = utf8proc_reencode(out, m, NORM_OPTS);
        if (m < 1)
            continue;
        int32_t r;
        const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)out;
        if (utf8proc_iterate(u, m, &r) != m || r > 0xFFFF ||
            !is_letter_cat(utf8proc_category(r)))
            continue;
        fold_tab[fold_index(c)] = (uint16_t)r;
    }
}

/* Characters of bigram scripts (Thai U+0E00..U+0E7F, kana and CJK
 * ideographs U+3000..U+9FFF) that NFKC and case folding leave as they
 * are, one bit each; filled once from utf8proc. None of them composes
 * with a following starter, so a bigram of two of them, without marks,
 * is its own normal form. */
#define SAME_A_LO 0x0E00
#define SAME_A_HI 0x0E80
#define SAME_B_LO 0x3000
#define SAME_B_HI 0xA000
static uint64_t same_bits[((SAME_A_HI - SAME_A_LO) + (SAME_B_HI - SAME_B_LO)) / 64];

static int same_index(int32_t c)
{
    if (c >= SAME_A_LO && c < SAME_A_HI)
        return c - SAME_A_LO;
    if (c >= SAME_B_LO && c < SAME_B_HI)
        return c - SAME_B_LO + (SAME_A_HI - SAME_A_LO);
    return -1;
}

static bool norm_same(int32_t c)
{
    int i = same_index(c);
    return i >= 0 && (same_bits[i >> 6] >> (i & 63) & 1);
}

static void same_fill(int32_t lo, int32_t hi)
{
    for (int32_t c = lo; c < hi; c++) {
        utf8proc_uint8_t in[4];
        utf8proc_ssize_t n = utf8proc_encode_char(c, in);
        utf8proc_int32_t out[8];
        utf8proc_ssize_t m = utf8proc_decompose(in, n, out, 8, NORM_OPTS);
        if (m == 1 && out[0] == c) {
            int i = same_index(c);
            same_bits[i >> 6] |= 1ULL << (i & 63);
        }
    }
}

static void fold_init(void)
{
    same_fill(SAME_A_LO, SAME_A_HI);
    same_fill(SAME_B_LO, SAME_B_HI);
    for (int32_t c = 0; c < KIND_TAB; c++)
        kind_tab[c] = (uint8_t)kind_slow(c);
    fold_fill(FOLD_A_LO, FOLD_A_HI);
    fold_fill(FOLD_B_LO, FOLD_B_HI);
}

/* The direct image of c, or 0 if c needs the general path. */
static int32_t fold_direct(int32_t c)
{
    int i = fold_index(c);
    return i < 0 ? 0 : fold_tab[i];
}

/* Writes c (below U+10000, not a surrogate) as UTF-8 at o; returns its
 * length. */
static inline size_t put_utf8(int32_t c, unsigned char *o)
{
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | c >> 6);
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    o[0] = (unsigned char)(0xE0 | c >> 12);
    o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
}

/* Kind of the code point at s[i], or K_OTHER past the end or if invalid. */
static enum kind kind_at(const utf8proc_uint8_t *s, size_t len, size_t i)
{
    if (i >= len)
        return K_OTHER;
    int32_t c;
    decode(s, len, i, &c);
    return c < 0 ? K_OTHER : kind_of(c);
}

/* ------------------------------------------------------------------ */
/* Emitting tokens                                                     */
/* ------------------------------------------------------------------ */

typedef struct tokenizer {
    sf_text *t;
    const char *text;
    size_t len;
    sf_lang lang;
    unsigned opts;
    sf_token_fn fn;
    void *ctx;
    bool sent;   /* the next token starts a sentence */
    bool stop;   /* fn asked to stop */
    bool stems;  /* stemming asked for, and lang has a stemmer */
} tokenizer;

/* How a token's normal form is made: ASCII is only lower-cased, DIRECT
 * words map letter by letter through fold_tab, FULL ones go to utf8proc,
 * SAME ones (bigrams of characters NFKC and folding leave alone) are
 * copied. */
enum norm_mode { NORM_ASCII, NORM_DIRECT, NORM_FULL, NORM_SAME };

/* Puts the normal form of text[start..end) in t->norm. */
static bool make_norm(tokenizer *k, size_t start, size_t end,
                      enum norm_mode mode)
{
    sf_buf *b = &k->t->norm;
    size_t n = end - start;
    b->len = 0;
    if (mode == NORM_FULL)
        return norm_valid(k->text + start, n, b, &k->t->cps,
                          &k->t->cps_cap);
    if (mode == NORM_SAME)
        return sf_buf_append(b, k->text + start, n);
    /* A direct image takes at most 3 bytes for 2 or more in the source;
     * ASCII is written 8 bytes at a time, up to 7 past the end. */
    size_t need = mode == NORM_ASCII ? n + 8 : n + n / 2 + 4;
    if (b->alloc < need + 1 && !sf_buf_reserve(b, need))
        return false;
    const unsigned char *s = (const unsigned char *)k->text + start;
    unsigned char *o = (unsigned char *)b->data;
    size_t w = 0, i = 0;
    if (mode == NORM_ASCII) {
        /* 8 bytes at a time: a byte b < 0x80 is in A-Z when b + 0x3F
         * reaches 0x80 and b + 0x25 does not; its bit 0x20 is then set.
         * The last block may read past the word (not past the text): a
         * byte >= 0x80 there carries only towards later bytes, which are
         * cut off (little-endian only). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        size_t whole = start + ((n + 7) & ~(size_t)7) <= k->len ? n + 7 : n;
#else
        size_t whole = n;
#endif
        for (; i + 8 <= whole; i += 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            uint64_t up = (x + 0x3F3F3F3F3F3F3F3FULL) & ~(x + 0x2525252525252525ULL) &
                          0x8080808080808080ULL;
            x |= up >> 2;
            memcpy(o + i, &x, 8);
        }
        w = i < n ? i : n;
        i = w;
    }
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            o[w++] = (unsigned char)(c | (ascii_class[c] & A_UPPER) << 4); /* +32 */
            i++;
            continue;
        }
        int32_t cp;
        i += decode(s, n, i, &cp);
        w += put_utf8(fold_direct(cp), o + w);
    }
    b->len = w;
    b->data[w] = '\0';
    return true;
}

/* Stems the word w[0..n) of lang (which has a stemmer) and points *out at
 * the stem, valid until the next call. Returns false if out of memory. */
static bool stem_word(sf_text *t, sf_lang lang, const char *w, size_t n,
                      const char **out, size_t *out_len)
{
    struct sb_stemmer **st = &t->stemmer[lang];
    if (!*st) {
        *st = sb_stemmer_new(stemmer_name(lang), "UTF_8");
        if (!*st)
            return false; /* the name is known to exist */
    }
    const sb_symbol *r = sb_stemmer_stem(*st, (const sb_symbol *)w, (int)n);
    if (!r)
        return false;
    *out = (const char *)r;
    *out_len = (size_t)sb_stemmer_length(*st);
    return true;
}

/* Hash of a word table key (kw: the key's bytes, zero after its end) of
 * n bytes in mode. */
static inline uint64_t word_key_hash(const uint64_t kw[KEY_WORDS], size_t n, unsigned mode)
{
    uint64_t h = ((uint64_t)mode << 8 | n) * 0x9e3779b97f4a7c15ULL;
    h ^= kw[0] * 0xff51afd7ed558ccdULL ^ kw[1] * 0xc4ceb9fe1a85ec53ULL ^
         kw[2] * 0xd6e8feb86659fd93ULL ^ kw[3] * 0xa0761d6478bd642fULL;
    h ^= h >> 32;
    h *= 0xe7037ed1a0b428dbULL;
    return h ^ (h >> 29);
}

/* Allocates the word table on first use; false if out of memory. */
static bool word_table_init(word_table *wt)
{
    if (wt->slot)
        return true;
    wt->slot = calloc(WORD_SLOTS + FRONT_SLOTS, sizeof *wt->slot);
    wt->front = wt->slot ? wt->slot + WORD_SLOTS : NULL;
    wt->pool = malloc(WORD_POOL);
    if (!wt->slot || !wt->pool) {
        free(wt->slot);
        free(wt->pool);
        wt->slot = NULL;
        wt->front = NULL;
        wt->pool = NULL;
        return false;
    }
    return true;
}

/* The slot of key kw (n bytes) in mode: the word's own slot if the table
 * holds it (or its copy in front), else the empty slot where it would go.
 * The table must be allocated. */
static inline __attribute__((always_inline)) word_slot *
word_find(const word_table *wt, const uint64_t kw[KEY_WORDS], size_t n, unsigned mode)
{
    uint64_t h = word_key_hash(kw, n, mode);
    word_slot *f = &wt->front[((h >> 40) & (FRONT_SLOTS / 2 - 1)) * 2];
    if (f->key[0] == kw[0] && f->key[1] == kw[1] && f->klen == n && f->mode == mode)
        return f; /* (an empty one has klen 0) */
    if (f[1].key[0] == kw[0] && f[1].key[1] == kw[1] && f[1].klen == n && f[1].mode == mode) {
        /* the most recent of the two goes first */
        word_slot t = f[1];
        f[1] = f[0];
        f[0] = t;
        return f;
    }
    for (size_t i = (size_t)h & (WORD_SLOTS - 1);; i = (i + 1) & (WORD_SLOTS - 1)) {
        word_slot *e = &wt->slot[i];
        if (!e->klen)
            return e;
        if (e->key[0] == kw[0] && e->key[1] == kw[1] && e->klen == n && e->mode == mode &&
            (n <= 16 || memcmp(wt->pool + e->off - (n - 16), kw + 2, n - 16) == 0)) {
            if (n <= 16) {
                f[1] = f[0];
                f[0] = *e;
            }
            return e;
        }
    }
}

/* The output form of the word in slot e. */
static inline const char *word_out(const word_table *wt, const word_slot *e)
{
    return e->off == UINT32_MAX ? (const char *)e->key : wt->pool + e->off;
}

/* Keeps key kw (n bytes) in mode -> (flags, out, hash) in slot e (empty,
 * from word_find). An output that begins a key of at most 16 bytes is
 * read from the key itself; other outputs, and the bytes of a longer key
 * past the 16th, go to the pool. When the table is full it is emptied
 * first (and the key goes wherever it then belongs). */
static void word_keep(word_table *wt, word_slot *e, const uint64_t kw[KEY_WORDS], size_t n,
                      unsigned mode, unsigned flags, const char *out, size_t olen,
                      uint64_t hash)
{
    if (olen > WORD_OUT_MAX)
        return;
    bool inside = n <= 16 && olen <= n && memcmp(kw, out, olen) == 0;
    size_t extra = inside ? 0 : olen + (n > 16 ? n - 16 : 0);
    if (wt->count >= WORD_ENTRIES || wt->used + extra > WORD_POOL) {
        memset(wt->slot, 0, (WORD_SLOTS + FRONT_SLOTS) * sizeof *wt->slot);
        wt->used = 0;
        wt->count = 0;
        e = word_find(wt, kw, n, mode);
    }
    e->key[0] = kw[0];
    e->key[1] = kw[1];
    if (inside) {
        e->off = UINT32_MAX;
    } else {
        if (n > 16) {
            memcpy(wt->pool + wt->used, kw + 2, n - 16);
            wt->used += n - 16;
        }
        memcpy(wt->pool + wt->used, out, olen);
        e->off = (uint32_t)wt->used;
        wt->used += olen;
    }
    e->hash = hash;
    e->klen = (uint8_t)n;
    e->olen = (uint8_t)olen;
    e->mode = (uint8_t)mode;
    e->flags = (uint8_t)flags;
    wt->count++;
}

/* Emits the token text[start..end) whose normal form is norm[0..norm_len)
 * (not empty); kw holds it zero-padded to WORD_KEY_MAX bytes when
 * norm_len <= WORD_KEY_MAX, else it is NULL. Returns SF_OK, SF_ENOMEM;
 * sets k->stop if fn asked to stop. */
static sf_status emit_norm(tokenizer *k, size_t start, size_t end, unsigned flags,
                           const char *norm, size_t norm_len, const uint64_t *kw)
{
    if (k->sent) {
        flags |= SF_TOK_SENTSTART;
        k->sent = false;
    }
    uint64_t hash;
    if (!(flags & (SF_TOK_NUMBER | SF_TOK_BIGRAM))) {
        bool stem = k->stems && norm_len <= STEM_MAX;
        unsigned wmode = (unsigned)k->lang * 2u + stem, wflags = 0;
        word_slot *e = NULL;
        if (kw) {
            if (!word_table_init(&k->t->words))
                return SF_ENOMEM;
            e = word_find(&k->t->words, kw, norm_len, wmode);
        }
        if (e && e->klen) {
            wflags = e->flags;
            norm = word_out(&k->t->words, e);
            norm_len = e->olen;
            hash = e->hash;
        } else {
            size_t key_len = norm_len;
            if (sf_is_stopword(k->lang, norm, norm_len))
                wflags = SF_TOK_STOP;
            else if (sf_is_calendar_word(k->lang, norm, norm_len))
                wflags = SF_TOK_CALENDAR;
            else if (stem && !stem_word(k->t, k->lang, norm, norm_len, &norm, &norm_len))
                return SF_ENOMEM;
            hash = sf_hash64(norm, norm_len, 0);
            if (e)
                word_keep(&k->t->words, e, kw, key_len, wmode, wflags, norm, norm_len, hash);
        }
        if ((wflags & SF_TOK_STOP) && (k->opts & SF_TOKENIZE_NOSTOP))
            return SF_OK;
        flags |= wflags;
    } else {
        hash = sf_hash64(norm, norm_len, 0);
    }
    sf_token tok = {norm, norm_len, start, end, flags, hash};
    if (k->fn(k->ctx, &tok) != 0)
        k->stop = true;
    return SF_OK;
}

/* Returns SF_OK, SF_ENOMEM; sets k->stop if fn asked to stop. */
static sf_status emit(tokenizer *k, size_t start, size_t end, unsigned flags,
                      enum norm_mode mode)
{
    if (!make_norm(k, start, end, mode))
        return SF_ENOMEM;
    sf_buf *b = &k->t->norm;
    if (flags & SF_TOK_NUMBER) {
        /* No-break and thin spaces between digit groups became ' ' under
         * NFKC: "300 000" is 300000. */
        size_t w = 0;
        for (size_t r = 0; r < b->len; r++)
            if (b->data[r] != ' ')
                b->data[w++] = b->data[r];
        b->len = w;
        b->data[w] = '\0';
    }
    if (b->len == 0)
        return SF_OK;
    uint64_t kw[KEY_WORDS] = {0};
    bool keyed = b->len <= WORD_KEY_MAX && !(flags & (SF_TOK_NUMBER | SF_TOK_BIGRAM));
    if (keyed)
        memcpy(kw, b->data, b->len);
    return emit_norm(k, start, end, flags, b->data, b->len, keyed ? kw : NULL);
}

/* ------------------------------------------------------------------ */
/* Scanning                                                            */
/* ------------------------------------------------------------------ */

/* Where scanning goes on after a word ending at j whose last character
 * was of kind prev. An apostrophe between letters ends the word. What
 * follows it is dropped when it is the English possessive "s" or, in
 * Turkish, a suffix on a name (Türkiye'nin); otherwise (l'auto, don't) it
 * is a word of its own. */
static size_t apostrophe_tail(const tokenizer *k, size_t j, enum kind prev)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)k->text;
    size_t len = k->len;
    if (j < len && (s[j] == '\'' || s[j] == 0xE2 || s[j] == 0xCA) &&
        prev != K_DIGIT && prev != K_NUMSEP) {
        int32_t c;
        size_t n = decode(s, len, j, &c);
        if (c >= 0 && kind_of(c) == K_APOS) {
            size_t tail = j + n, e = tail;
            while (e < len) {
                int32_t c2;
                size_t n2 = decode(s, len, e, &c2);
                enum kind k2 = c2 < 0 ? K_OTHER : kind_of(c2);
                if (k2 != K_LOWER && k2 != K_UPPER && k2 != K_LETTER &&
                    k2 != K_MARK)
                    break;
                e += n2;
            }
            if (e > tail) {
                bool poss = e == tail + 1 && (s[tail] | 0x20) == 's' &&
                            !kind_in_word(kind_at(s, len, e));
                if (poss || k->lang == SF_LANG_TR)
                    return e;
            }
        }
    }
    return j;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ASCII_WORDS 1
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The top bit of each byte of y (bytes below 0x80) that lies in lo..hi,
 * kept where mask has it: y + 0x80 - lo reaches 0x80 from lo on, and
 * y + 0x7F - hi from hi + 1 on; neither carries into the next byte. */
static inline uint64_t bytes_in(uint64_t y, uint64_t mask, unsigned lo, unsigned hi)
{
    return (y + (0x80 - lo) * ONES) & ~(y + (0x7F - hi) * ONES) & mask;
}

/* The 8 bytes of the text at i, zeros past its end (i <= len). */
static inline uint64_t load_block(const unsigned char *s, size_t i, size_t len)
{
    uint64_t x = 0;
    if (i + 8 <= len)
        memcpy(&x, s + i, 8);
    else
        for (size_t b = 0; i + b < len; b++)
            x |= (uint64_t)s[i + b] << (8 * b);
    return x;
}

/* The common word: ASCII letters and digits ended by what surely ends it
 * (a space, most punctuation, the end of the text). Reads it 8 bytes at a
 * time, lower-casing it into its word table key as it goes, and emits it
 * as scan_word would; a word the table holds is handed out from there
 * without further calls. Returns where scanning goes on, or 0 if the word
 * is not of that kind (longer than WORD_KEY_MAX, or it may go on with a
 * separator or a non-ASCII character): scan_word then reads it. */
static inline __attribute__((always_inline)) size_t
scan_ascii_word(tokenizer *k, size_t i, sf_status *st)
{
    const unsigned char *s = (const unsigned char *)k->text;
    size_t len = k->len, n = 0;
    uint64_t kw[KEY_WORDS + 1] = {0}, lower = 0;
    unsigned ups = 0; /* upper-case letters, counted up to 2 */
    unsigned first = ascii_class[s[i]];
    for (size_t b = 0;; b++) {
        uint64_t x = load_block(s, i + 8 * b, len);
        uint64_t y = x & ~HIGHS, ascii = ~x & HIGHS;
        /* | 0x20 folds A-Z onto a-z (and no other byte into it) */
        uint64_t letter = bytes_in(y | 0x20 * ONES, ascii, 'a', 'z');
        uint64_t digit = bytes_in(y, ascii, '0', '9');
        uint64_t up = letter & ~(y << 2), lo = letter & (y << 2);
        uint64_t end = ~(letter | digit) & HIGHS;
        size_t m = 8;
        if (end) {
            m = (size_t)__builtin_ctzll(end) >> 3;
            uint64_t keep = (1ULL << (8 * m)) - 1; /* m < 8 */
            up &= keep;
            lo &= keep;
            x &= keep;
        }
        lower |= lo;
        if (up)
            ups += (up & (up - 1)) ? 2 : 1;
        kw[b] = x | up >> 2; /* A-Z + 0x20 */
        n += m;
        if (m < 8)
            break;
        if (b == KEY_WORDS)
            return 0; /* more than WORD_KEY_MAX bytes */
    }
    if (n > WORD_KEY_MAX)
        return 0;
    size_t j = i + n;
    bool number = first == A_DIGIT;
    bool last_digit = ascii_class[s[j - 1]] == A_DIGIT;
    unsigned char c = j < len ? s[j] : ' ';
    if (c < 0x80) {
        /* "3.5", "300,000": a separator between digits goes on */
        if ((ascii_class[c] & A_NUMSEP) && number && last_digit &&
            (j + 1 >= len || s[j + 1] >= 0x80 || ascii_class[s[j + 1]] == A_DIGIT))
            return 0;
    } else {
        int32_t cp;
        decode(s, len, j, &cp);
        enum kind kd = cp < 0 ? K_OTHER : kind_of(cp);
        if (kind_in_word(kd) || kd == K_JOIN || (kd == K_NUMSEP && number && last_digit))
            return 0;
    }
    unsigned flags = 0;
    if (number)
        flags |= SF_TOK_NUMBER;
    if (first == A_UPPER)
        flags |= SF_TOK_CAPITAL;
    if (ups >= 2 && !lower)
        flags |= SF_TOK_ALLCAPS;
    word_slot *e;
    if (!number && k->t->words.slot &&
        (e = word_find(&k->t->words, kw, n, (unsigned)k->lang * 2u + k->stems))->klen) {
        /* the word table holds it (STEM_MAX > WORD_KEY_MAX: a key is stemmed
         * whenever stems are asked for) */
        if (k->sent) {
            flags |= SF_TOK_SENTSTART;
            k->sent = false;
        }
        if (!((e->flags & SF_TOK_STOP) && (k->opts & SF_TOKENIZE_NOSTOP))) {
            sf_token tok = {word_out(&k->t->words, e), e->olen, i, j, flags | e->flags,
                            e->hash};
            if (k->fn(k->ctx, &tok) != 0)
                k->stop = true;
        }
    } else {
        *st = emit_norm(k, i, j, flags, (const char *)kw, n, number ? NULL : kw);
    }
    if (c == '\'' || c == 0xE2 || c == 0xCA)
        return apostrophe_tail(k, j, last_digit ? K_DIGIT : K_LOWER);
    return j;
}
#endif

/* Scans the word starting at i (a word character), emits it and returns
 * where scanning goes on. */
static size_t scan_word(tokenizer *k, size_t i, sf_status *st)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)k->text;
    size_t len = k->len, start = i, j = i;
    size_t uppers = 0, lowers = 0;
    enum norm_mode mode = NORM_ASCII;
    bool number, capital;
    enum kind prev = K_OTHER;

    /* The first character decides NUMBER and CAPITAL. */
    if (s[i] < 0x80) {
        number = ascii_class[s[i]] == A_DIGIT;
        capital = ascii_class[s[i]] == A_UPPER;
    } else {
        int32_t c0;
        decode(s, len, i, &c0);
        enum kind k0 = kind_of(c0);
        number = k0 == K_DIGIT || k0 == K_NUM;
        capital = k0 == K_UPPER;
    }
    while (j < len) {
        /* ASCII letters and digits: the common case, no decoding. */
        unsigned char b = s[j];
        if (b < 0x80) {
            unsigned a = ascii_class[b];
            if (a & A_WORD) {
                /* the whole run of them; upper-case letters are counted
                 * only while no lower-case one is seen (ALLCAPS) */
                size_t run = j;
                unsigned seen = 0;
                do {
                    seen |= a;
                    j++;
                } while (j < len && s[j] < 0x80 && ((a = ascii_class[s[j]]) & A_WORD));
                if (seen & A_LOWER)
                    lowers++;
                else if (seen & A_UPPER && !lowers)
                    for (; run < j; run++)
                        uppers += ascii_class[s[run]] == A_UPPER;
                prev = ascii_class[s[j - 1]] == A_DIGIT ? K_DIGIT : K_LOWER;
                continue;
            }
            if (!(a & (A_NUMSEP | A_APOS)))
                break; /* space and most punctuation */
        }
        int32_t c;
        size_t n = decode(s, len, j, &c);
        if (c < 0)
            break;
        enum kind kd = kind_of(c);
        if (c == '.')
            kd = K_NUMSEP;
        if (kind_in_word(kd)) {
            uppers += kd == K_UPPER;
            lowers += kd == K_LOWER;
            if (mode == NORM_ASCII || (mode == NORM_DIRECT && c >= 0x80))
                mode = fold_direct(c) ? NORM_DIRECT : NORM_FULL;
            prev = kd;
            j += n;
            continue;
        }
        if (kd == K_NUMSEP && number && prev == K_DIGIT &&
            kind_at(s, len, j + n) == K_DIGIT) {
            if (c >= 0x80)
                mode = NORM_FULL;
            prev = K_NUMSEP;
            j += n;
            continue;
        }
        if (kd == K_JOIN && kind_in_word(kind_at(s, len, j + n))) {
            mode = NORM_FULL;
            j += n;
            continue;
        }
        break;
    }

    unsigned flags = 0;
    if (number)
        flags |= SF_TOK_NUMBER;
    if (capital)
        flags |= SF_TOK_CAPITAL;
    if (uppers >= 2 && lowers == 0)
        flags |= SF_TOK_ALLCAPS;
    *st = emit(k, start, j, flags, mode);

    return apostrophe_tail(k, j, prev);
}

/* Scans a run of bigram-script characters (kind K_CJ or K_THAI) from i.
 * A unit is one character with the combining marks that follow it. */
static size_t scan_bigrams(tokenizer *k, size_t i, enum kind run,
                           sf_status *st)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)k->text;
    size_t len = k->len, j = i;
    size_t prev_start = 0, prev_end = 0, units = 0;
    bool prev_same = false; /* the previous unit is one character of same_bits */

    while (j < len && !k->stop) {
        int32_t c;
        size_t n = decode(s, len, j, &c);
        if (c < 0 || kind_of(c) != run)
            break;
        size_t ustart = j;
        bool same = norm_same(c);
        j += n;
        while (j < len) {
            n = decode(s, len, j, &c);
            if (c < 0 || kind_of(c) != K_MARK)
                break;
            j += n;
            same = false;
        }
        if (units > 0) {
            *st = emit(k, prev_start, j, SF_TOK_BIGRAM,
                       prev_same && same ? NORM_SAME : NORM_FULL);
            if (*st != SF_OK)
                return j;
        }
        prev_start = ustart;
        prev_end = j;
        prev_same = same;
        units++;
    }
    if (units == 1)
        *st = emit(k, prev_start, prev_end, 0, prev_same ? NORM_SAME : NORM_FULL);
    return j;
}

sf_status sf_tokenize(sf_text *t, const char *text, size_t len, sf_lang lang,
                      unsigned opts, sf_token_fn fn, void *ctx)
{
    if (!t || !fn || (!text && len))
        return SF_EINVAL;
    if ((int)lang < 0 || lang >= SF_LANG_COUNT)
        lang = SF_LANG_UNKNOWN;
    pthread_once(&fold_once, fold_init);
    tokenizer k = {t, text, len, lang, opts, fn, ctx, true, false,
                   (opts & SF_TOKENIZE_STEM) && stemmer_name(lang)};
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    size_t i = 0;
    sf_status st = SF_OK;

    while (i < len && !k.stop && st == SF_OK) {
        if (s[i] < 0x80) {
            unsigned a = ascii_class[s[i]];
            if (a & A_WORD) {
#ifdef ASCII_WORDS
                size_t e = scan_ascii_word(&k, i, &st);
                i = e ? e : scan_word(&k, i, &st);
#else
                i = scan_word(&k, i, &st);
#endif
            } else {
                if (a & A_SENT)
                    k.sent = true;
                i++;
            }
            continue;
        }
        int32_t c;
        size_t n = decode(s, len, i, &c);
        if (c < 0) {
            i++;
            continue;
        }
        enum kind kd = kind_of(c);
        if (kind_in_word(kd) && kd != K_MARK)
            i = scan_word(&k, i, &st);
        else if (kd == K_CJ || kd == K_THAI)
            i = scan_bigrams(&k, i, kd, &st);
        else {
            if (kd == K_SENT)
                k.sent = true;
            i += n;
        }
    }
    return st;
}
