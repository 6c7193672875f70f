/*
 * facts_internal.h — what the facts modules share: the word tables loaded
 * from data/facts/ (facts_data.c) and the copied tokens the extractor
 * matches on (facts.c, facts_names.c). Not part of any interface beyond
 * src/facts*.c.
 */
#ifndef SF_FACTS_INTERNAL_H
#define SF_FACTS_INTERNAL_H

#include "facts.h"

/* Entry types, one per TYPE of data/facts/README.md. */
typedef enum fw_type {
    FW_DECIMAL, FW_SCALE, FW_SUFFIX, FW_NUM, FW_NUMA, FW_CUR, FW_SYM,
    FW_UNIT, FW_PERSON, FW_HARM, FW_HARMPRE, FW_AUX, FW_PER, FW_ANNUAL,
    FW_APPROX, FW_UPTO, FW_ATLEAST, FW_RANGE, FW_RANGEAND, FW_BETWEEN,
    FW_MONTH, FW_RELY, FW_RELM, FW_RELD, FW_BY, FW_SINCE, FW_CORP,
    FW_FACILITY, FW_NUMDESIG, FW_CONNECTOR, FW_TITLE, FW_PLACE, FW_COUNTRY,
    FW_BYAFTER, FW_SINCEAFTER, FW_WEEKDAY, FW_WDNEXT, FW_WDLAST,
    FW_APPROXAFTER, FW_UPTOAFTER, FW_ATLEASTAFTER, FW_TOLL, FW_NOTNAME,
    /* not a line type: marks the buckets of the second words of the
     * *after phrases ("fazla" of "den fazla"), whose first word may be
     * the ending of the word before (facts.c, qualifier_after) */
    FW_AFTER2,
    FW_TYPE_COUNT
} fw_type;

#define FW_MAX_WORDS 6
#define FW_ARG_MAX 16

/* One data line. phrase points into the embedded file (not
 * NUL-terminated); words are separated by single spaces. */
typedef struct fw_entry {
    const char *phrase;
    uint16_t len;
    uint8_t nwords;
    uint8_t type;     /* fw_type */
    uint8_t lang;     /* sf_lang; 0 = every language (common.txt) */
    double num;       /* numeric ARG (multiplier, value, month, offset) */
    char arg[FW_ARG_MAX]; /* ARG as text (ISO code, canonical unit) */
    char region[FW_ARG_MAX]; /* a place's region ("US-MO"; arg is "US"), or "" */
    int32_t next;     /* next entry with the same first-word hash, or -1 */
} fw_entry;

/* A word as the matcher sees it: normalised form and raw byte span. */
#define FT_NORM_MAX 48
typedef struct ftok {
    char norm[FT_NORM_MAX];
    uint8_t nlen;
    bool trunc;       /* norm was longer than FT_NORM_MAX - 1 and is cut */
    unsigned flags;   /* SF_TOK_* */
    size_t start, end;
    uint32_t bucket;  /* fw_bucket_of(norm) + 1, or 0 when not computed */
    uint64_t types;   /* with bucket: fw_bucket_types(bucket - 1) */
} ftok;

/* The type named s[0..n) ("scale", "byafter"), or -1 if none. */
int fw_type_named(const char *s, size_t n);

/* The word lists' hash bucket of a word, for ftok.bucket: computed once
 * per token instead of once per list looked up. */
uint32_t fw_bucket_of(const char *w, size_t n);
#define FW_BUCKETS 16384u  /* power of two; ~3,000 phrases: a bucket's type bits stay sparse */
/* The same from sf_hash64(w, n, 0) (sf_token.hash of a token whose norm
 * is w[0..n)): seed 0, as the tokeniser's, so a token's bucket is read
 * off the hash it comes with. (Which bucket a word falls in never changes
 * a match: a chain keeps the entries of one first word in list order.) */
static inline uint32_t fw_bucket_of_hash(uint64_t h) { return (uint32_t)h & (FW_BUCKETS - 1); }
/* The types of the entries starting with a word of each bucket, a bit
 * per type (a word of a bucket without type's bit starts no entry of
 * type): the table, FW_BUCKETS long, the lists loaded. */
const uint64_t *fw_bucket_type_table(void);

/* Longest entry of type whose words equal the norms of seq[0..n) from
 * the start (n_used gets its word count), for lang or every language.
 * NULL if none. seq entries may be NULL past the end of the text. */
const fw_entry *fw_match(fw_type type, sf_lang lang, const ftok *const *seq,
                         size_t n, size_t *n_used);
/* Entry of type whose phrase equals the one word w[0..n). */
const fw_entry *fw_word(fw_type type, sf_lang lang, const char *w, size_t n);
/* fw_word of a word whose bucket (fw_bucket_of) is b. */
const fw_entry *fw_word_in(fw_type type, sf_lang lang, const char *w, size_t n, uint32_t b);
/* False if no currency symbol (sym, any language) starts (ends) with
 * byte c. */
bool fw_sym_may_start(unsigned char c);
bool fw_sym_may_end(unsigned char c);
/* Calls fn for every entry of type for lang (or every language), in file
 * order; used for byte-level symbols and suffixes. */
void fw_each(fw_type type, sf_lang lang,
             void (*fn)(void *ctx, const fw_entry *e), void *ctx);
/* True if lang writes decimals with a comma (3,5); false for a dot. */
bool fw_decimal_comma(sf_lang lang);
/* The language whose word lists serve lang: itself if data/facts has its
 * file, else English. */
sf_lang fw_lang(sf_lang lang);

/* ------------------------------------------------------------------ */
/* The extractor's window (facts.c), shared with facts_names.c          */
/* ------------------------------------------------------------------ */

#define FX_RING 64   /* tokens kept */
#define FX_AHEAD 20  /* tokens a match may look ahead */

typedef struct fx {
    const char *text;
    size_t len;
    sf_lang lang;
    int32_t aday;        /* article day or INT32_MIN */
    sf_fact_fn fn;
    void *ctx;
    int stop;            /* fn asked to stop */
    sf_token_fn tee;     /* also sees every token (sf_facts_extract_tee) */
    void *tee_ctx;
    int tee_stop;        /* tee asked to stop */
    const uint64_t *btypes; /* fw_bucket_type_table() */
    ftok ring[FX_RING];
    size_t ntok;         /* tokens seen */
    size_t next;         /* next token to match at */
    size_t floor;        /* tokens before this belong to an emitted fact */
    signed char spaced;  /* text rebuilt from tokens ("5. 9", "3: 41"):
                            1 yes, -1 no, 0 not looked at yet */
    size_t line_lo, line_hi; /* the text line last looked at (hi 0: none) */
    bool line_heading;   /* ... is written in title case (fx_in_heading) */
} fx;

/* Token i (absolute index) or NULL if outside the window or the text. */
static inline const ftok *fx_tok(const fx *x, size_t i)
{
    if (i >= x->ntok || x->ntok - i > FX_RING)
        return NULL;
    return &x->ring[i % FX_RING];
}
size_t fx_seq(const fx *x, size_t i, const ftok **seq);
/* fw_match of the words from window token i on, for x's language: the
 * longest entry of type (*n its words), NULL if none. fx_match_words
 * walks the entries; fx_match first reads token i's type bits, inline:
 * most calls end there. */
const fw_entry *fx_match_words(const fx *x, fw_type type, size_t i, size_t *n);
static inline const fw_entry *fx_match(const fx *x, fw_type type, size_t i, size_t *n)
{
    const ftok *t = fx_tok(x, i);
    if (t && t->bucket && !(t->types >> type & 1))
        return NULL; /* fw_match would find none */
    return fx_match_words(x, type, i, n);
}
/* fw_word of window token t's norm (its bucket computed once); inline:
 * most calls end at the bucket's type bits. */
static inline const fw_entry *fx_word(const fx *x, fw_type type, const ftok *t)
{
    if (!t->bucket)
        return fw_word(type, x->lang, t->norm, t->nlen);
    if (!(t->types >> type & 1))
        return NULL;
    return fw_word_in(type, x->lang, t->norm, t->nlen, t->bucket - 1);
}
const fw_entry *fx_match_before(const fx *x, fw_type type, size_t i,
                                size_t lo, size_t *from);
void fx_gap(const fx *x, size_t i, const char **g, size_t *n);
bool fx_gap_space(const fx *x, size_t i);
static inline bool fx_is_word(const ftok *t)
{
    return t && !(t->flags & SF_TOK_NUMBER) && !(t->flags & SF_TOK_BIGRAM);
}
/* Hands f to the callback; returns non-zero once it asked to stop. */
int fx_emit(fx *x, const sf_fact *f);
/* True if t is an amount with its currency glued before it ("RMB10"). */
bool fx_glued_currency(const fx *x, const ftok *t);
/* A number designator at token i ("No. 2", "n° 2"): with a facility word
 * before or after it, a name ("the No. 2 plant", "plant No. 2", key
 * "plant 2"); without, a rank, neither count nor name ("the No. 1
 * seed"). *used gets the tokens consumed (facts_names.c). */
bool fx_try_designation(fx *x, size_t i, size_t *used);
/* Names at token i (facts_names.c); *used gets the tokens consumed. */
bool fx_try_name(fx *x, size_t i, size_t *used);

#endif /* SF_FACTS_INTERNAL_H */
