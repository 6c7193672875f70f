/*
 * facts_data.c — the word tables of fact extraction, read once from the
 * embedded files data/facts/common.txt and data/facts/<lang>.txt (format in
 * data/facts/README.md) into fixed static arrays that point into the
 * embedded bytes: loading never allocates and cannot fail; lines beyond
 * the table's size are ignored (a test checks that none are).
 */
#include "facts_internal.h"

#include "data.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FW_MAX_ENTRIES 4096

static fw_entry fw_entries[FW_MAX_ENTRIES];
static size_t fw_count;
static int32_t fw_bucket[FW_BUCKETS];
/* The types of the entries of each bucket, a bit per type: most words
 * start no phrase of the type looked for, and need no walk of the chain. */
static uint64_t fw_bucket_type_bits[FW_BUCKETS];
_Static_assert(FW_TYPE_COUNT <= 64, "a bit per type");
/* The first and the last bytes of the currency symbols (sym), a bit per
 * byte value: most numbers follow and precede no such byte. */
static uint64_t fw_sym_first[4], fw_sym_last[4];
static bool fw_has_file[SF_LANG_COUNT];
static signed char fw_decimal[SF_LANG_COUNT]; /* 1 comma, 0 dot, -1 unset */
static pthread_once_t fw_once = PTHREAD_ONCE_INIT;
/* The entries of each type in file order, as chains through fw_type_next
 * (-1 ends one), so that fw_each visits only its type. */
static int32_t fw_type_first[FW_TYPE_COUNT];
static int32_t fw_type_next[FW_MAX_ENTRIES];
/* Places by their whole name (sf_place_index): a key per name of the
 * gazetteer, its country as an index into place_codes (1-based). */
#define PLACE_SLOTS 8192u  /* power of two, at most half full */
typedef struct place_slot {
    uint64_t key;          /* 0 = empty */
    uint8_t cc;
} place_slot;
static place_slot place_tab[PLACE_SLOTS];
static char place_codes[SF_PLACE_CODES][FW_ARG_MAX];
static uint8_t place_parent[SF_PLACE_CODES + 1]; /* a region's country, else 0 */
static uint64_t place_first[SF_PLACE_WORD_BITS / 64];
/* Words before a place name that are not part of it ("Southern Iran"):
 * sf_place_qualifier. */
static const char *const place_qualifier_words[] = {
    "northern", "southern", "eastern", "western", "central", "north", "south", "east",
    "west", "northeastern", "northwestern", "southeastern", "southwestern", "northeast",
    "northwest", "southeast", "southwest", "upper", "lower", "greater"};
static unsigned place_ncodes;

static const char *const fw_type_names[FW_TYPE_COUNT] = {
    [FW_DECIMAL] = "decimal", [FW_SCALE] = "scale", [FW_SUFFIX] = "suffix",
    [FW_NUM] = "num", [FW_NUMA] = "numa", [FW_CUR] = "cur", [FW_SYM] = "sym",
    [FW_UNIT] = "unit", [FW_PERSON] = "person", [FW_HARM] = "harm",
    [FW_HARMPRE] = "harmpre", [FW_AUX] = "aux", [FW_PER] = "per",
    [FW_ANNUAL] = "annual", [FW_APPROX] = "approx", [FW_UPTO] = "upto",
    [FW_ATLEAST] = "atleast", [FW_RANGE] = "range", [FW_RANGEAND] = "rangeand",
    [FW_BETWEEN] = "between", [FW_MONTH] = "month", [FW_RELY] = "rely",
    [FW_RELM] = "relm", [FW_RELD] = "reld", [FW_BY] = "by",
    [FW_SINCE] = "since", [FW_CORP] = "corp", [FW_FACILITY] = "facility",
    [FW_NUMDESIG] = "numdesig", [FW_CONNECTOR] = "connector",
    [FW_TITLE] = "title", [FW_PLACE] = "place", [FW_COUNTRY] = "country",
    [FW_BYAFTER] = "byafter", [FW_SINCEAFTER] = "sinceafter",
    [FW_WEEKDAY] = "weekday", [FW_WDNEXT] = "wdnext", [FW_WDLAST] = "wdlast",
    [FW_APPROXAFTER] = "approxafter", [FW_UPTOAFTER] = "uptoafter",
    [FW_ATLEASTAFTER] = "atleastafter", [FW_TOLL] = "toll", [FW_NOTNAME] = "notname",
};

int fw_type_named(const char *s, size_t n)
{
    for (int t = 0; t < FW_TYPE_COUNT; t++)
        if (fw_type_names[t] && strlen(fw_type_names[t]) == n &&
            memcmp(fw_type_names[t], s, n) == 0)
            return t;
    return -1;
}

/* Types whose line has no ARG: TYPE PHRASE. */
static bool fw_no_arg(fw_type t)
{
    return t == FW_PERSON || t == FW_AUX || t == FW_APPROX || t == FW_UPTO ||
           t == FW_ATLEAST || t == FW_RANGE || t == FW_RANGEAND ||
           t == FW_BETWEEN || t == FW_BY || t == FW_SINCE || t == FW_CORP ||
           t == FW_BYAFTER || t == FW_SINCEAFTER || t == FW_WDNEXT ||
           t == FW_WDLAST || t == FW_APPROXAFTER || t == FW_UPTOAFTER ||
           t == FW_ATLEASTAFTER ||
           t == FW_NUMDESIG || t == FW_CONNECTOR || t == FW_TITLE || t == FW_NOTNAME;
}

static uint32_t fw_hash(const char *w, size_t n)
{
    return fw_bucket_of_hash(sf_hash64(w, n, 0));
}

uint32_t fw_bucket_of(const char *w, size_t n) { return fw_hash(w, n); }

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static void fw_add_line(const char *a, const char *b, sf_lang lang)
{
    /* TYPE */
    const char *sp = memchr(a, ' ', (size_t)(b - a));
    size_t tl = sp ? (size_t)(sp - a) : (size_t)(b - a);
    int type = fw_type_named(a, tl);
    if (type < 0)
        return;
    if (type == FW_DECIMAL) {
        if (sp && sp + 1 < b)
            fw_decimal[lang] = sp[1] == ',' ? 1 : 0;
        return;
    }
    if (!sp || fw_count >= FW_MAX_ENTRIES)
        return;
    fw_entry *e = &fw_entries[fw_count];
    memset(e, 0, sizeof *e);
    const char *p = sp + 1;
    if (!fw_no_arg((fw_type)type)) {
        const char *sp2 = memchr(p, ' ', (size_t)(b - p));
        if (!sp2)
            return;
        size_t al = (size_t)(sp2 - p);
        if (al >= FW_ARG_MAX)
            return;
        memcpy(e->arg, p, al);
        e->num = strtod(e->arg, NULL);
        /* "US-MO": a place in a region of its country; arg stays the
         * country (facts), the region goes to the places' index */
        char *dash = strchr(e->arg, '-');
        if (type == FW_PLACE && dash && dash > e->arg) {
            memcpy(e->region, e->arg, FW_ARG_MAX);
            *dash = '\0';
        }
        p = sp2 + 1;
    }
    if (p >= b || (size_t)(b - p) > 200)
        return;
    e->phrase = p;
    e->len = (uint16_t)(b - p);
    e->nwords = 1;
    for (const char *q = p; q < b; q++)
        if (*q == ' ')
            e->nwords++;
    if (e->nwords > FW_MAX_WORDS)
        return;
    e->type = (uint8_t)type;
    e->lang = (uint8_t)lang;
    const char *w_end = memchr(p, ' ', (size_t)(b - p));
    size_t fl = w_end ? (size_t)(w_end - p) : (size_t)(b - p);
    uint32_t h = fw_hash(p, fl);
    e->next = fw_bucket[h];
    fw_bucket[h] = (int32_t)fw_count;
    fw_bucket_type_bits[h] |= 1ull << type;
    if (type == FW_SYM) {
        unsigned char c0 = (unsigned char)p[0], c1 = (unsigned char)b[-1];
        fw_sym_first[c0 >> 6] |= 1ull << (c0 & 63);
        fw_sym_last[c1 >> 6] |= 1ull << (c1 & 63);
    }
    if ((type == FW_APPROXAFTER || type == FW_UPTOAFTER || type == FW_ATLEASTAFTER) &&
        w_end) {
        const char *w2 = w_end + 1, *w2_end = memchr(w2, ' ', (size_t)(b - w2));
        fw_bucket_type_bits[fw_hash(w2, (size_t)((w2_end ? w2_end : b) - w2))] |=
            1ull << FW_AFTER2;
    }
    fw_count++;
}

typedef struct fw_file {
    sf_lang lang;
} fw_file;

static void fw_line(void *ctx, const char *line, size_t len)
{
    fw_add_line(line, line + len, ((const fw_file *)ctx)->lang);
}

static void fw_load_file(const char *name, sf_lang lang)
{
    fw_file f = {lang};
    if (sf_data_lines(name, fw_line, &f) && lang != SF_LANG_UNKNOWN)
        fw_has_file[lang] = true;
}

static uint64_t place_key(const char *name, size_t len)
{
    uint64_t k = sf_hash64(name, len, 0x9a7e5u);
    return k ? k : 1;
}

/* The country index of code cc, added when new (0 when the table is full). */
static uint8_t place_code_index(const char *cc)
{
    for (unsigned i = 0; i < place_ncodes; i++)
        if (strcmp(place_codes[i], cc) == 0)
            return (uint8_t)(i + 1);
    if (place_ncodes == SF_PLACE_CODES)
        return 0;
    memcpy(place_codes[place_ncodes], cc, FW_ARG_MAX);
    return (uint8_t)++place_ncodes;
}

/* Every country and place name of the gazetteer, by its whole name (the
 * first entry of a name wins, as in fw_match). */
static void place_index_build(void)
{
    for (size_t i = 0; i < SF_ARRAY_LEN(place_qualifier_words); i++) {
        uint32_t bit = sf_place_word_bit(place_qualifier_words[i], strlen(place_qualifier_words[i]));
        place_first[bit / 64] |= 1ull << (bit % 64);
    }
    for (size_t i = 0; i < fw_count; i++) {
        const fw_entry *e = &fw_entries[i];
        if (e->type != FW_COUNTRY && e->type != FW_PLACE)
            continue;
        uint8_t cc = place_code_index(e->region[0] ? e->region : e->arg);
        if (!cc)
            continue;
        if (e->region[0])
            place_parent[cc] = place_code_index(e->arg);
        const char *sp = memchr(e->phrase, ' ', e->len);
        uint32_t bit = sf_place_word_bit(e->phrase, sp ? (size_t)(sp - e->phrase) : e->len);
        place_first[bit / 64] |= 1ull << (bit % 64);
        uint64_t k = place_key(e->phrase, e->len);
        size_t j = (size_t)(k >> 32) & (PLACE_SLOTS - 1);
        while (place_tab[j].key && place_tab[j].key != k)
            j = (j + 1) & (PLACE_SLOTS - 1);
        if (!place_tab[j].key) {
            place_tab[j].key = k;
            place_tab[j].cc = cc;
        }
    }
}

static void fw_load(void)
{
    for (size_t i = 0; i < FW_BUCKETS; i++)
        fw_bucket[i] = -1;
    for (int l = 0; l < SF_LANG_COUNT; l++)
        fw_decimal[l] = -1;
    /* Languages without a file of their own still have a decimal mark. */
    fw_decimal[SF_LANG_TR] = fw_decimal[SF_LANG_RU] = 1;
    fw_decimal[SF_LANG_NL] = fw_decimal[SF_LANG_PL] = 1;
    fw_load_file("facts/common.txt", SF_LANG_UNKNOWN);
    fw_load_file("facts/places.txt", SF_LANG_UNKNOWN);
    for (int l = SF_LANG_EN; l < SF_LANG_COUNT; l++) {
        char name[40];
        snprintf(name, sizeof name, "facts/%s.txt", sf_lang_code((sf_lang)l));
        fw_load_file(name, (sf_lang)l);
    }
    place_index_build();
    for (int t = 0; t < FW_TYPE_COUNT; t++)
        fw_type_first[t] = -1;
    for (size_t i = fw_count; i-- > 0;) {
        fw_type_next[i] = fw_type_first[fw_entries[i].type];
        fw_type_first[fw_entries[i].type] = (int32_t)i;
    }
}

/* ------------------------------------------------------------------ */
/* Lookup                                                              */
/* ------------------------------------------------------------------ */

const uint64_t *fw_bucket_type_table(void)
{
    pthread_once(&fw_once, fw_load);
    return fw_bucket_type_bits;
}

sf_lang fw_lang(sf_lang lang)
{
    pthread_once(&fw_once, fw_load);
    if ((int)lang <= 0 || lang >= SF_LANG_COUNT || !fw_has_file[lang])
        return SF_LANG_EN;
    return lang;
}

bool fw_decimal_comma(sf_lang lang)
{
    pthread_once(&fw_once, fw_load);
    if ((int)lang <= 0 || lang >= SF_LANG_COUNT)
        return false;
    return fw_decimal[lang] == 1;
}

/* Does e's phrase equal the norms of seq[0..e->nwords)? */
static bool fw_phrase_matches(const fw_entry *e, const ftok *const *seq, size_t n)
{
    if (e->nwords > n)
        return false;
    const char *p = e->phrase, *end = e->phrase + e->len;
    for (size_t i = 0; i < e->nwords; i++) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        size_t wl = sp ? (size_t)(sp - p) : (size_t)(end - p);
        const ftok *t = seq[i];
        if (!t || t->trunc || t->nlen != wl || memcmp(t->norm, p, wl) != 0)
            return false;
        p += wl + 1;
    }
    return true;
}

const fw_entry *fw_match(fw_type type, sf_lang lang, const ftok *const *seq,
                         size_t n, size_t *n_used)
{
    if (n == 0 || !seq[0] || seq[0]->trunc)
        return NULL;
    sf_lang l = fw_lang(lang);
    const fw_entry *best = NULL;
    uint32_t b = seq[0]->bucket ? seq[0]->bucket - 1 : fw_hash(seq[0]->norm, seq[0]->nlen);
    if (!(fw_bucket_type_bits[b] >> type & 1))
        return NULL;
    for (int32_t i = fw_bucket[b]; i >= 0;
         i = fw_entries[i].next) {
        const fw_entry *e = &fw_entries[i];
        if (e->type != type || (e->lang != 0 && e->lang != l))
            continue;
        if ((!best || e->nwords > best->nwords) && fw_phrase_matches(e, seq, n))
            best = e;
    }
    if (best && n_used)
        *n_used = best->nwords;
    return best;
}

const fw_entry *fw_word_in(fw_type type, sf_lang lang, const char *w, size_t n, uint32_t b)
{
    if (n == 0 || n >= FT_NORM_MAX)
        return NULL;
    sf_lang l = fw_lang(lang);
    b &= FW_BUCKETS - 1;
    if (!(fw_bucket_type_bits[b] >> type & 1))
        return NULL;
    /* what fw_match finds for one word: its first one-word entry */
    for (int32_t i = fw_bucket[b]; i >= 0; i = fw_entries[i].next) {
        const fw_entry *e = &fw_entries[i];
        if (e->type == type && (e->lang == 0 || e->lang == l) && e->nwords == 1 &&
            e->len == n && memcmp(e->phrase, w, n) == 0)
            return e;
    }
    return NULL;
}

const fw_entry *fw_word(fw_type type, sf_lang lang, const char *w, size_t n)
{
    if (n == 0 || n >= FT_NORM_MAX)
        return NULL;
    return fw_word_in(type, lang, w, n, fw_hash(w, n));
}

void fw_each(fw_type type, sf_lang lang,
             void (*fn)(void *ctx, const fw_entry *e), void *ctx)
{
    sf_lang l = fw_lang(lang); /* loads the lists */
    if ((unsigned)type >= FW_TYPE_COUNT)
        return;
    for (int32_t i = fw_type_first[type]; i >= 0; i = fw_type_next[i])
        if (fw_entries[i].lang == 0 || fw_entries[i].lang == l)
            fn(ctx, &fw_entries[i]);
}

bool fw_sym_may_start(unsigned char c)
{
    pthread_once(&fw_once, fw_load);
    return fw_sym_first[c >> 6] >> (c & 63) & 1;
}

bool fw_sym_may_end(unsigned char c)
{
    pthread_once(&fw_once, fw_load);
    return fw_sym_last[c >> 6] >> (c & 63) & 1;
}

/* ------------------------------------------------------------------ */
/* Places                                                              */
/* ------------------------------------------------------------------ */

unsigned sf_place_index(const char *name, size_t len)
{
    pthread_once(&fw_once, fw_load);
    if (!name || len == 0)
        return 0;
    uint64_t k = place_key(name, len);
    for (size_t j = (size_t)(k >> 32) & (PLACE_SLOTS - 1); place_tab[j].key;
         j = (j + 1) & (PLACE_SLOTS - 1))
        if (place_tab[j].key == k)
            return place_tab[j].cc;
    return 0;
}

unsigned sf_place_code_index(const char *code)
{
    pthread_once(&fw_once, fw_load);
    for (unsigned i = 0; code && i < place_ncodes; i++)
        if (strcmp(place_codes[i], code) == 0)
            return i + 1;
    return 0;
}

const uint8_t *sf_place_parents(void)
{
    pthread_once(&fw_once, fw_load);
    return place_parent;
}

bool sf_place_qualifier(const char *w, size_t n)
{
    for (size_t i = 0; i < SF_ARRAY_LEN(place_qualifier_words); i++)
        if (strlen(place_qualifier_words[i]) == n && memcmp(place_qualifier_words[i], w, n) == 0)
            return true;
    return false;
}

const uint64_t *sf_place_first_words(void)
{
    pthread_once(&fw_once, fw_load);
    return place_first;
}

const char *sf_place_code(unsigned index)
{
    pthread_once(&fw_once, fw_load);
    return index >= 1 && index <= place_ncodes ? place_codes[index - 1] : NULL;
}

const char *sf_place_country(const char *name, size_t len, bool *is_country)
{
    if (!name || len == 0)
        return NULL;
    ftok toks[FW_MAX_WORDS];
    const ftok *seq[FW_MAX_WORDS];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && name[j] != ' ')
            j++;
        if (j == i || n == FW_MAX_WORDS || j - i >= FT_NORM_MAX)
            return NULL;
        memset(&toks[n], 0, sizeof toks[n]);
        memcpy(toks[n].norm, name + i, j - i);
        toks[n].nlen = (uint8_t)(j - i);
        seq[n] = &toks[n];
        n++;
        i = j + 1;
    }
    size_t used = 0;
    const fw_entry *e = fw_match(FW_COUNTRY, SF_LANG_UNKNOWN, seq, n, &used);
    bool country = e && used == n;
    if (!country) {
        e = fw_match(FW_PLACE, SF_LANG_UNKNOWN, seq, n, &used);
        if (!e || used != n)
            return NULL;
    }
    if (is_country)
        *is_country = country;
    return e->arg;
}
