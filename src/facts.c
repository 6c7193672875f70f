/*
 * facts.c — the fact extractor: a window over the tokeniser's output in
 * which quantities, money, dates and people counts are matched; names are
 * in facts_names.c.
 *
 * Tokens are copied into a ring of FX_RING entries; the token at position
 * p is matched once FX_AHEAD later tokens have arrived (or the text has
 * ended), so a pattern may look FX_AHEAD tokens ahead and
 * FX_RING - FX_AHEAD - 1 behind. A match consumes its tokens. At each
 * position the matchers are tried in order: date, number, name.
 */
#include "facts_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Window                                                              */
/* ------------------------------------------------------------------ */

/* Up to FW_MAX_WORDS tokens from i, for phrase matching. */
size_t fx_seq(const fx *x, size_t i, const ftok **seq)
{
    size_t n = 0;
    while (n < FW_MAX_WORDS) {
        seq[n] = fx_tok(x, i + n);
        if (!seq[n])
            break;
        n++;
    }
    return n;
}

/* The phrase of type starting at i; *n gets its length in tokens. */
const fw_entry *fx_match_words(const fx *x, fw_type type, size_t i, size_t *n)
{
    const ftok *seq[FW_MAX_WORDS];
    size_t k = fx_seq(x, i, seq);
    return fw_match(type, x->lang, seq, k, n);
}

/* The phrase of type that ends right before token i (at most
 * FW_MAX_WORDS words, none before lo); *from gets its first token. */
const fw_entry *fx_match_before(const fx *x, fw_type type, size_t i,
                                size_t lo, size_t *from)
{
    for (size_t k = FW_MAX_WORDS; k >= 1; k--) {
        if (i < k || i - k < lo || !fx_tok(x, i - k))
            continue;
        const ftok *t0 = fx_tok(x, i - k);
        if (t0->bucket && !(t0->types >> type & 1))
            continue; /* fw_match would find none */
        size_t used = 0;
        const ftok *seq[FW_MAX_WORDS];
        for (size_t j = 0; j < k; j++)
            seq[j] = fx_tok(x, i - k + j);
        const fw_entry *e = fw_match(type, x->lang, seq, k, &used);
        if (e && used == k) {
            *from = i - k;
            return e;
        }
    }
    return NULL;
}

/* The bytes between tokens i-1 and i. */
void fx_gap(const fx *x, size_t i, const char **g, size_t *n)
{
    const ftok *a = fx_tok(x, i - 1), *b = fx_tok(x, i);
    if (i == 0 || !a || !b) {
        *g = "";
        *n = 0;
        return;
    }
    *g = x->text + a->end;
    *n = b->start - a->end;
}

/* True if the gap before token i holds only spaces and tabs (no line
 * break, no punctuation). */
bool fx_gap_space(const fx *x, size_t i)
{
    const char *g;
    size_t n;
    fx_gap(x, i, &g, &n);
    if (!fx_tok(x, i) || !fx_tok(x, i - 1))
        return false;
    for (size_t k = 0; k < n; k++)
        if (g[k] != ' ' && g[k] != '\t')
            return false;
    return true;
}

/* True if the gap before token i is spaces around exactly one of the
 * punctuation bytes in set (ASCII) or a dash (– —) when set has '-'. */
static bool gap_punct(const fx *x, size_t i, const char *set)
{
    const char *g;
    size_t n;
    if (!fx_tok(x, i) || !fx_tok(x, i - 1))
        return false;
    fx_gap(x, i, &g, &n);
    size_t k = 0, seen = 0;
    while (k < n) {
        if (g[k] == ' ') {
            k++;
        } else if (strchr(set, g[k]) && g[k] != '\0') {
            seen++;
            k++;
        } else if (strchr(set, '-') && n - k >= 3 &&
                   memcmp(g + k, "\xE2\x80", 2) == 0 &&
                   ((unsigned char)g[k + 2] == 0x93 ||
                    (unsigned char)g[k + 2] == 0x94)) {
            seen++;
            k += 3;
        } else {
            return false;
        }
    }
    return seen == 1;
}

/* Spaces, or ". " after a short abbreviation ("2 Mrd. Euro", "3 Tsd.
 * Fahrzeuge"): the dot is the abbreviation's, not a sentence end. */
/* A word that may say what a number counts: a lower-case word that is
 * not a stop word, a calendar word, a period ("a year"), a harm ("killed")
 * or an auxiliary. */
static bool plain_unit_word(const fx *x, size_t i)
{
    const ftok *t = fx_tok(x, i);
    size_t n;
    /* (a number word counts nothing: "one of six") */
    return t && fx_is_word(t) && !(t->flags & (SF_TOK_STOP | SF_TOK_CAPITAL | SF_TOK_CALENDAR)) &&
           !t->trunc && !fx_match(x, FW_PER, i, &n) && !fx_match(x, FW_HARM, i, &n) &&
           !fx_match(x, FW_AUX, i, &n) && !fx_match(x, FW_NUM, i, &n) &&
           !fx_match(x, FW_NUMA, i, &n) && !fx_match(x, FW_SCALE, i, &n);
}

/* An English plural: ends in s (not ss), or one of the common irregular
 * plurals of counted nouns. */
static bool looks_plural(const ftok *t)
{
    static const char *const irregular[] = {"people", "children", "men", "women", "police",
                                            "staff", "personnel", "cattle", "feet", "teeth"};
    if (t->nlen >= 3 && t->norm[t->nlen - 1] == 's' && t->norm[t->nlen - 2] != 's')
        return true;
    for (size_t k = 0; k < sizeof irregular / sizeof *irregular; k++)
        if (strlen(irregular[k]) == t->nlen && memcmp(irregular[k], t->norm, t->nlen) == 0)
            return true;
    return false;
}

/* Characters (not bytes) of a token's norm: "тыс" is 3, as "tsd" is. */
static size_t norm_chars(const ftok *t)
{
    size_t c = 0;
    for (size_t k = 0; k < t->nlen; k++)
        c += ((unsigned char)t->norm[k] & 0xC0) != 0x80;
    return c;
}

static bool gap_soft(const fx *x, size_t i)
{
    if (fx_gap_space(x, i))
        return true;
    const ftok *p = fx_tok(x, i - 1);
    const char *g;
    size_t n;
    if (!p || !fx_tok(x, i) || norm_chars(p) > 4 || (p->flags & SF_TOK_NUMBER))
        return false;
    fx_gap(x, i, &g, &n);
    /* elision: "d'euros", "dell'anno" */
    if (!(p->flags & SF_TOK_NUMBER) &&
        ((n == 1 && g[0] == '\'') || (n == 3 && memcmp(g, "\xE2\x80\x99", 3) == 0)))
        return true;
    if (n < 2 || g[0] != '.')
        return false;
    for (size_t k = 1; k < n; k++)
        if (g[k] != ' ')
            return false;
    return true;
}

static bool all_digits(const ftok *t)
{
    if (!t || t->nlen == 0 || t->trunc)
        return false;
    for (size_t i = 0; i < t->nlen; i++)
        if (t->norm[i] < '0' || t->norm[i] > '9')
            return false;
    return true;
}

static long small_int(const ftok *t)
{
    if (!all_digits(t) || t->nlen > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < t->nlen; i++)
        v = v * 10 + (t->norm[i] - '0');
    return v;
}

int fx_emit(fx *x, const sf_fact *f)
{
    if (x->stop)
        return 1;
    if (x->fn(x->ctx, f))
        x->stop = 1;
    return x->stop;
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */
/* ------------------------------------------------------------------ */

/* A value read from tokens [first, last]. */
typedef struct numr {
    double v, alt;
    double scale;   /* the multiplier applied (1 if none) */
    bool amb, words, scaled, plain_int;
    size_t first, last;
    const fw_entry *cur; /* a currency code glued before it ("RMB10") */
} numr;

/* Splits "300k" / "10bn" / "1.5b" into digits and a suffix multiplier. */
static bool read_suffixed(const fx *x, const ftok *t, numr *r)
{
    size_t i = 0;
    while (i < t->nlen && ((t->norm[i] >= '0' && t->norm[i] <= '9') ||
                           t->norm[i] == '.' || t->norm[i] == ','))
        i++;
    if (i == 0 || i == t->nlen)
        return false;
    const fw_entry *e = fw_word(FW_SUFFIX, x->lang, t->norm + i, t->nlen - i);
    if (!e)
        return false;
    if (!sf_facts_parse_number(t->norm, i, x->lang, &r->v, &r->alt, &r->amb))
        return false;
    r->v *= e->num;
    r->alt *= e->num;
    r->scale = e->num;
    r->scaled = true;
    return true;
}

/* "RMB10", "Rs500", "USD10bn", "Rp10.000": a currency code or word of two
 * to four letters glued to the number (the tokeniser keeps them one
 * word). */
/* A digit at t's third, fourth or fifth byte, where the amount of a
 * glued currency starts: most words hold none. */
static inline bool glued_digit(const ftok *t)
{
    return t->nlen >= 3 && ((t->norm[2] >= '0' && t->norm[2] <= '9') ||
                            (t->nlen > 3 && t->norm[3] >= '0' && t->norm[3] <= '9') ||
                            (t->nlen > 4 && t->norm[4] >= '0' && t->norm[4] <= '9'));
}

static bool read_glued_currency(const fx *x, const ftok *t, numr *r)
{
    if (!glued_digit(t))
        return false;
    size_t k = 0;
    while (k < t->nlen && t->norm[k] >= 'a' && t->norm[k] <= 'z')
        k++;
    if (k < 2 || k > 4 || k == t->nlen || t->norm[k] < '0' || t->norm[k] > '9')
        return false;
    const fw_entry *c = fw_word(FW_CUR, x->lang, t->norm, k);
    if (!c)
        return false;
    ftok rest = *t;
    rest.nlen = (uint8_t)(t->nlen - k);
    memcpy(rest.norm, t->norm + k, rest.nlen);
    rest.norm[rest.nlen] = '\0';
    if (!sf_facts_parse_number(rest.norm, rest.nlen, x->lang, &r->v, &r->alt, &r->amb) &&
        !read_suffixed(x, &rest, r))
        return false;
    r->cur = c;
    return true;
}

bool fx_glued_currency(const fx *x, const ftok *t)
{
    numr r;
    memset(&r, 0, sizeof r);
    return t && !(t->flags & SF_TOK_NUMBER) && read_glued_currency(x, t, &r);
}

/* "000", "00": zeros alone are the tail of a number split by a space
 * ("31, 000" in text rebuilt from tokens), never a count of their own. */
static bool zeros_only(const ftok *t)
{
    if (!t || !(t->flags & SF_TOK_NUMBER) || t->nlen < 2)
        return false;
    for (size_t k = 0; k < t->nlen; k++)
        if (t->norm[k] != '0')
            return false;
    return true;
}

/* True if x's text was rebuilt from tokens, a space after every
 * punctuation mark, as ECB+'s is: it splits a decimal or a time ("5. 9",
 * "3: 41"), which no writer does. Looked at once per text, when first
 * asked. */
static bool spaced_text(fx *x)
{
    if (!x->spaced) {
        x->spaced = -1;
        for (size_t k = 1; k + 2 < x->len; k++)
            if ((x->text[k] == '.' || x->text[k] == ':') && x->text[k + 1] == ' ' &&
                x->text[k - 1] >= '0' && x->text[k - 1] <= '9' && x->text[k + 2] >= '0' &&
                x->text[k + 2] <= '9') {
                x->spaced = 1;
                break;
            }
    }
    return x->spaced > 0;
}

/* "31, 000", "2, 129" in text rebuilt from tokens: a group of three
 * digits after ", " continues a number of one to three digits written
 * with a dot for decimals. "000" always does (zeros alone are no number
 * of their own); other digits only in a spaced text (spaced_text), and
 * not after a number joined to a word by a hyphen ("5-foot-8, 135
 * pounds" is a height and a weight). */
static bool comma_space_group(fx *x, size_t i, size_t j)
{
    const ftok *g = fx_tok(x, j);
    const char *gap;
    size_t gn;
    if (!all_digits(g) || g->nlen != 3 || fw_decimal_comma(x->lang))
        return false;
    fx_gap(x, j, &gap, &gn);
    if (gn != 2 || gap[0] != ',' || gap[1] != ' ')
        return false;
    if (zeros_only(g))
        return true;
    const ftok *t = fx_tok(x, i);
    if (t->start > 0 && x->text[t->start - 1] != ' ' && x->text[t->start - 1] != '\n' &&
        x->text[t->start - 1] != '(' && x->text[t->start - 1] != '$')
        return false;
    return spaced_text(x);
}

/* Reads a value starting at token i: digits (joined across single spaces
 * in "300 000", or after ", " in text rebuilt from tokens: "31, 000"), a
 * suffixed number, number words, or "a" + scale word; then an optional
 * scale phrase. */
static bool read_value(fx *x, size_t i, numr *r)
{
    const ftok *t = fx_tok(x, i);
    /* The common word: no number, no number word, no "a" of "a million"
     * (its bucket has neither type) and no glued currency. */
    if (t && !(t->flags & SF_TOK_NUMBER) && t->bucket &&
        !(t->types & (1ull << FW_NUM | 1ull << FW_NUMA)) && !glued_digit(t))
        return false;
    memset(r, 0, sizeof *r);
    r->scale = 1;
    if (!t || t->trunc)
        return false;
    r->first = r->last = i;
    if (t->flags & SF_TOK_NUMBER) {
        if (!sf_facts_parse_number(t->norm, t->nlen, x->lang, &r->v, &r->alt,
                                   &r->amb)) {
            if (!read_suffixed(x, t, r))
                return false;
        } else {
            r->plain_int = all_digits(t);
            /* "300 000": groups of three after a short head, one space
             * apart. */
            if (all_digits(t) && t->nlen <= 3) {
                size_t j = i + 1;
                while (fx_tok(x, j) && all_digits(fx_tok(x, j)) &&
                       fx_tok(x, j)->nlen == 3 && fx_gap_space(x, j)) {
                    const char *g;
                    size_t gn;
                    fx_gap(x, j, &g, &gn);
                    if (gn != 1)
                        break;
                    r->v = r->v * 1000 + (double)small_int(fx_tok(x, j));
                    r->alt = r->v;
                    r->last = j++;
                }
                if (r->last == i && !r->amb)
                    while (comma_space_group(x, i, j)) {
                        r->v = r->v * 1000 + (double)small_int(fx_tok(x, j));
                        r->alt = r->v;
                        r->last = j++;
                    }
            }
        }
    } else if (read_glued_currency(x, t, r)) {
        /* "Rp10.000", "Rs10,000": the tokeniser splits at the group
         * mark; the scale phrase follows ("RMB10 billion") */
        char group = fw_decimal_comma(x->lang) ? '.' : ',';
        size_t j = r->first + 1;
        while (!r->scaled && all_digits(fx_tok(x, j)) && fx_tok(x, j)->nlen == 3) {
            const char *g;
            size_t gn;
            fx_gap(x, j, &g, &gn);
            if (gn != 1 || g[0] != group || r->v != floor(r->v))
                break;
            r->v = r->alt = r->v * 1000 + (double)small_int(fx_tok(x, j));
            r->last = j++;
        }
    } else {
        const fw_entry *e = fx_word(x, FW_NUM, t);
        if (e) {
            double total = 0, cur = 0;
            size_t j = i;
            while (e) {
                if (e->num == 100)
                    cur = (cur ? cur : 1) * 100;
                else
                    cur += e->num;
                r->last = j++;
                const ftok *n = fx_tok(x, j);
                if (!n || (!fx_gap_space(x, j) && !gap_punct(x, j, "-")))
                    break;
                e = fx_word(x, FW_NUM, n);
            }
            total += cur;
            r->v = r->alt = total;
            r->words = true;
        } else {
            e = fx_word(x, FW_NUMA, t);
            size_t n = 0;
            if (!e || !fx_gap_space(x, i + 1) ||
                !fx_match(x, FW_SCALE, i + 1, &n))
                return false;
            r->v = r->alt = e->num;
            r->words = true;
        }
    }
    /* Scale phrase ("million", "mil millones", "nghìn tỷ"). */
    size_t n = 0;
    if (fx_gap_space(x, r->last + 1)) {
        const fw_entry *s = fx_match(x, FW_SCALE, r->last + 1, &n);
        if (s) {
            r->v *= s->num;
            r->alt *= s->num;
            r->scale *= s->num;
            r->scaled = true;
            r->last += n;
        }
    }
    if (!isfinite(r->v) || !isfinite(r->alt))
        return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* Currency                                                            */
/* ------------------------------------------------------------------ */

typedef struct sym_find {
    const char *text;
    size_t pos;     /* look for a symbol ending (before) or starting (after) here */
    size_t limit;   /* bytes available */
    bool after;
    const fw_entry *best;
} sym_find;

static void sym_try(void *ctx, const fw_entry *e)
{
    sym_find *s = ctx;
    if (e->len > s->limit || (s->best && s->best->len >= e->len))
        return;
    const char *p = s->after ? s->text + s->pos : s->text + s->pos - e->len;
    if (memcmp(p, e->phrase, e->len) == 0)
        s->best = e;
}

/* A currency symbol right before byte pos (spaces allowed between),
 * not before lo; *sym_start gets where it begins. */
static const fw_entry *symbol_before(const fx *x, size_t pos, size_t lo,
                                     size_t *sym_start)
{
    while (pos > lo && x->text[pos - 1] == ' ')
        pos--;
    if (pos == lo || !fw_sym_may_end((unsigned char)x->text[pos - 1]))
        return NULL;
    sym_find s = {x->text, pos, pos - lo, false, NULL};
    fw_each(FW_SYM, x->lang, sym_try, &s);
    if (s.best)
        *sym_start = pos - s.best->len;
    return s.best;
}

static const fw_entry *symbol_after(const fx *x, size_t pos, size_t hi,
                                    size_t *sym_end)
{
    while (pos < hi && x->text[pos] == ' ')
        pos++;
    if (pos == hi || !fw_sym_may_start((unsigned char)x->text[pos]))
        return NULL;
    sym_find s = {x->text, pos, hi - pos, true, NULL};
    fw_each(FW_SYM, x->lang, sym_try, &s);
    if (s.best)
        *sym_end = pos + s.best->len;
    return s.best;
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

static void set_date(sf_fact *f, int32_t y, int32_t m, int32_t d)
{
    f->kind = SF_FACT_DATE;
    f->year = y;
    f->month = m;
    f->day = d;
    f->prec = d ? SF_DATE_DAY : m ? SF_DATE_MONTH : SF_DATE_YEAR;
    f->days = sf_days_from_civil(y, m ? m : 1, d ? d : 1);
    f->value = f->value_max = f->value_alt = y;
    if (f->prec == SF_DATE_DAY)
        snprintf(f->key, sizeof f->key, "d:%04d-%02d-%02d", (int)y, (int)m, (int)d);
    else if (f->prec == SF_DATE_MONTH)
        snprintf(f->key, sizeof f->key, "d:%04d-%02d", (int)y, (int)m);
    else
        snprintf(f->key, sizeof f->key, "d:%04d", (int)y);
}

static bool valid_ymd(long y, long m, long d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= mdays[m - 1];
}

static bool year_like(const ftok *t)
{
    long y = small_int(t);
    return t && t->nlen == 4 && y >= 1800 && y <= 2200;
}

/* Flags and start from "by" / "since" right before token i. */
static void date_prefix(const fx *x, size_t i, sf_fact *f)
{
    size_t from = 0;
    if (fx_match_before(x, FW_BY, i, x->floor, &from)) {
        f->flags |= SF_FACT_BY;
        f->start = fx_tok(x, from)->start;
    } else if (fx_match_before(x, FW_SINCE, i, x->floor, &from)) {
        f->flags |= SF_FACT_SINCE;
        f->start = fx_tok(x, from)->start;
    }
}

/* A day written as "20", "20th", "1st". */
static long day_number(const ftok *t)
{
    if (!t || (t->flags & SF_TOK_NUMBER) == 0)
        return -1;
    long d = small_int(t);
    if (d < 0 && t->nlen >= 3 && t->nlen <= 4) {
        const char *s = t->norm + t->nlen - 2;
        if (memcmp(s, "st", 2) == 0 || memcmp(s, "nd", 2) == 0 ||
            memcmp(s, "rd", 2) == 0 || memcmp(s, "th", 2) == 0) {
            d = 0;
            for (size_t k = 0; k + 2 < t->nlen; k++) {
                if (t->norm[k] < '0' || t->norm[k] > '9')
                    return -1;
                d = d * 10 + (t->norm[k] - '0');
            }
        }
    }
    return d >= 1 && d <= 31 ? d : -1;
}

/* A connector between a month and its year ("of", "de", "del", "năm"). */
static bool month_year_link(const ftok *t)
{
    static const char *const links[] = {"of", "de", "del", "năm", "di"};
    if (!t)
        return false;
    for (size_t k = 0; k < SF_ARRAY_LEN(links); k++)
        if (strlen(links[k]) == t->nlen && memcmp(links[k], t->norm, t->nlen) == 0)
            return true;
    return false;
}

/* Month at token i (may be several words: "tháng 4"), then optional day,
 * then optional year. Fills *m and returns the last token used. */
static size_t month_and_rest(const fx *x, size_t i, long *m, long *d, long *y)
{
    size_t n = 0;
    const fw_entry *e = fx_match(x, FW_MONTH, i, &n);
    *m = (long)e->num;
    size_t last = i + n - 1;
    size_t j = last + 1;
    if (*d < 0 && fx_tok(x, j) && (fx_gap_space(x, j) || gap_punct(x, j, "."))) {
        long dd = day_number(fx_tok(x, j));
        if (dd > 0 && !year_like(fx_tok(x, j))) {
            *d = dd;
            last = j++;
        }
    }
    /* "April 20, 2023", "November of 2021", "20 de abril de 2023",
     * "tháng 4 năm 2023" */
    if (fx_tok(x, j) && month_year_link(fx_tok(x, j)) && fx_gap_space(x, j))
        j++;
    if (fx_tok(x, j) && year_like(fx_tok(x, j)) &&
        (fx_gap_space(x, j) || gap_punct(x, j, ",."))) {
        *y = small_int(fx_tok(x, j));
        last = j;
    }
    return last;
}

/* Emits a date whose year comes from the article when the text has none. */
static int emit_date(fx *x, sf_fact *f, long y, long m, long d, bool inferred)
{
    if (inferred) {
        f->flags |= SF_FACT_RELATIVE;
        if (x->aday == INT32_MIN) {
            f->flags |= SF_FACT_UNRESOLVED;
            f->kind = SF_FACT_DATE;
            f->month = (int32_t)m;
            f->day = (int32_t)(d > 0 ? d : 0);
            f->prec = d > 0 ? SF_DATE_DAY : SF_DATE_MONTH;
            snprintf(f->key, sizeof f->key, "d:?-%02ld", m);
            return fx_emit(x, f);
        }
        int32_t ay, am, ad;
        sf_civil_from_days(x->aday, &ay, &am, &ad);
        y = ay;
    }
    if (!valid_ymd(y, m ? m : 1, d > 0 ? d : 1))
        return 0;
    set_date(f, (int32_t)y, (int32_t)m, (int32_t)(d > 0 ? d : 0));
    return fx_emit(x, f);
}

/* Relative phrase at i: "last year", "earlier this year", "yesterday". */
static bool try_relative(fx *x, size_t i, size_t *used)
{
    static const fw_type types[] = {FW_RELY, FW_RELM, FW_RELD};
    for (size_t k = 0; k < SF_ARRAY_LEN(types); k++) {
        size_t n = 0;
        const fw_entry *e = fx_match(x, types[k], i, &n);
        if (!e)
            continue;
        sf_fact f;
        memset(&f, 0, sizeof f);
        f.start = fx_tok(x, i)->start;
        f.end = fx_tok(x, i + n - 1)->end;
        f.flags = SF_FACT_RELATIVE;
        f.offset = (int32_t)e->num;
        *used = n;
        if (x->aday == INT32_MIN) {
            f.kind = SF_FACT_DATE;
            f.flags |= SF_FACT_UNRESOLVED;
            f.prec = types[k] == FW_RELY ? SF_DATE_YEAR
                     : types[k] == FW_RELM ? SF_DATE_MONTH : SF_DATE_DAY;
            snprintf(f.key, sizeof f.key, "d:?%c%+d",
                     "ymd"[f.prec - 1], (int)f.offset);
            fx_emit(x, &f);
            return true;
        }
        int32_t y, m, d;
        if (types[k] == FW_RELD) {
            sf_civil_from_days(x->aday + f.offset, &y, &m, &d);
            set_date(&f, y, m, d);
        } else {
            sf_civil_from_days(x->aday, &y, &m, &d);
            if (types[k] == FW_RELY) {
                set_date(&f, y + f.offset, 0, 0);
            } else {
                int32_t mm = (y * 12 + (m - 1)) + f.offset;
                set_date(&f, mm / 12, mm % 12 + 1, 0);
            }
        }
        f.flags |= SF_FACT_RELATIVE;
        f.offset = (int32_t)e->num;
        fx_emit(x, &f);
        return true;
    }
    return false;
}

/* ISO weekday (1 Monday .. 7 Sunday) of a day since 1970-01-01, a
 * Thursday. */
static int iso_weekday(int32_t days)
{
    int r = (int)(((int64_t)days % 7 + 7) % 7); /* 0 Thursday */
    return (r + 3) % 7 + 1;
}

/* A weekday entry's case rule (its ARG after the number): 'c' only with
 * its last word capitalised or a digit ("thứ Tư", "thứ 4", not "lần thứ
 * hai"; "Minggu", not "minggu"), 'l' not capitalised inside a sentence
 * ("el domingo", not "Santo Domingo"). */
static bool weekday_case_ok(const fw_entry *e, const ftok *first, const ftok *last)
{
    const char *rule = e->arg;
    while (*rule >= '0' && *rule <= '9')
        rule++;
    if (*rule == 'c')
        return (last->flags & SF_TOK_NUMBER) ||
               ((last->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) &&
                !(last->flags & SF_TOK_SENTSTART));
    if (*rule == 'l')
        return !(first->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) ||
               (first->flags & SF_TOK_SENTSTART);
    return true;
}

/* A weekday at i ("on Wednesday", "el miércoles", "thứ Tư", "в среду"),
 * with "next"/"last" before or after it ("last Friday", "mercredi
 * dernier", "Rabu depan"): the day it names, resolved against the
 * article's date. News tells of the past: a weekday is the most recent
 * such day on or before the article's date (on a Wednesday, "Wednesday"
 * is that day); "last" is the most recent one before it, "next" the
 * first one after it. Unresolved without an article date. Not a date:
 * a weekday inside a name ("Black Friday", "Santo Domingo": a
 * capitalised word right before it, not at a sentence start) or before
 * the date it heads
 * ("Wednesday, April 20, 2022": the date is read instead). */
static bool try_weekday(fx *x, size_t i, size_t *used)
{
    size_t n = 0, first = i, wd_at = i;
    int dir = 0; /* -1 last, 1 next */
    const fw_entry *e = fx_match(x, FW_WEEKDAY, i, &n);
    if (!e) {
        size_t m = 0;
        if (fx_match(x, FW_WDNEXT, i, &m))
            dir = 1;
        else if (fx_match(x, FW_WDLAST, i, &m))
            dir = -1;
        else
            return false;
        wd_at = i + m;
        if (!fx_tok(x, wd_at) || !fx_gap_space(x, wd_at) ||
            !(e = fx_match(x, FW_WEEKDAY, wd_at, &n)))
            return false;
    }
    size_t last = wd_at + n - 1;
    for (size_t k = wd_at + 1; k <= last; k++)
        if (!fx_gap_space(x, k) && !gap_punct(x, k, "-"))
            return false; /* "quarta-feira" is "quarta feira" */
    const ftok *w0 = fx_tok(x, wd_at);
    if (!weekday_case_ok(e, w0, fx_tok(x, last)))
        return false;
    const ftok *prev = first > x->floor ? fx_tok(x, first - 1) : NULL;
    if (prev && fx_is_word(prev) && (prev->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) &&
        !(prev->flags & (SF_TOK_STOP | SF_TOK_CALENDAR | SF_TOK_SENTSTART)) &&
        !(fx_tok(x, first)->flags & SF_TOK_SENTSTART) && fx_gap_space(x, first))
        return false;
    const ftok *nx = fx_tok(x, last + 1);
    if (nx && (fx_gap_space(x, last + 1) || gap_punct(x, last + 1, ",")) &&
        ((nx->flags & SF_TOK_NUMBER) || fx_word(x, FW_MONTH, nx))) {
        *used = last - i + 1; /* the date it heads follows */
        return true;
    }
    if (!dir && nx && fx_gap_space(x, last + 1)) {
        size_t m = 0;
        if (fx_match(x, FW_WDNEXT, last + 1, &m))
            dir = 1, last += m;
        else if (fx_match(x, FW_WDLAST, last + 1, &m))
            dir = -1, last += m;
    }
    int target = (int)e->num;
    if (target < 1 || target > 7)
        return false;
    sf_fact f;
    memset(&f, 0, sizeof f);
    f.kind = SF_FACT_DATE;
    f.start = fx_tok(x, first)->start;
    f.end = fx_tok(x, last)->end;
    f.flags = SF_FACT_RELATIVE | SF_FACT_WEEKDAY;
    *used = last - i + 1;
    if (x->aday == INT32_MIN) {
        f.flags |= SF_FACT_UNRESOLVED;
        f.prec = SF_DATE_DAY;
        snprintf(f.key, sizeof f.key, "d:?w%d%s", target,
                 dir < 0 ? "-" : dir > 0 ? "+" : "");
        fx_emit(x, &f);
        return true;
    }
    int aw = iso_weekday(x->aday);
    int32_t off;
    if (dir > 0) {
        off = (target - aw + 7) % 7;
        if (off == 0)
            off = 7;
    } else {
        off = -((aw - target + 7) % 7);
        if (dir < 0 && off == 0)
            off = -7;
    }
    int32_t y, m, d;
    sf_civil_from_days(x->aday + off, &y, &m, &d);
    set_date(&f, y, m, d);
    f.flags |= SF_FACT_RELATIVE | SF_FACT_WEEKDAY;
    f.offset = off;
    fx_emit(x, &f);
    return true;
}

/* Languages that put "by" and "since" after the year (Turkish "2024'e
 * kadar", "2008'den beri"): the tokens of such a phrase after the year
 * at i (after a space, or an apostrophe and the case ending), 0 if none
 * or if a word before already said it. */
static size_t date_suffix(const fx *x, size_t i, sf_fact *f)
{
    size_t n = 0;
    if (!fx_tok(x, i + 1) || (f->flags & (SF_FACT_BY | SF_FACT_SINCE)))
        return 0;
    const char *g;
    size_t gn;
    fx_gap(x, i + 1, &g, &gn);
    if (!(gn == 1 && (g[0] == ' ' || g[0] == '\'')) &&
        !(gn == 3 && memcmp(g, "\xE2\x80\x99", 3) == 0))
        return 0;
    unsigned flag = 0;
    if (fx_match(x, FW_BYAFTER, i + 1, &n))
        flag = SF_FACT_BY;
    else if (fx_match(x, FW_SINCEAFTER, i + 1, &n))
        flag = SF_FACT_SINCE;
    if (!flag)
        return 0;
    for (size_t k = i + 2; k <= i + n; k++)
        if (!fx_gap_space(x, k))
            return 0;
    f->flags |= flag;
    f->end = fx_tok(x, i + n)->end;
    return n;
}

/* Dates at token i; *used gets the tokens consumed. */
static bool try_date(fx *x, size_t i, size_t *used)
{
    const ftok *t = fx_tok(x, i);
    /* A word that starts no relative phrase and no month (its bucket has
     * none of their types) starts no date: the common case, decided
     * before anything else. */
    if (!(t->flags & SF_TOK_NUMBER) &&
        !(t->types & (1ull << FW_RELY | 1ull << FW_RELM | 1ull << FW_RELD |
                      1ull << FW_MONTH | 1ull << FW_WEEKDAY | 1ull << FW_WDNEXT |
                      1ull << FW_WDLAST)))
        return false;
    sf_fact f;
    memset(&f, 0, sizeof f);
    f.start = t->start;
    if (t->flags & SF_TOK_NUMBER) {
        /* ISO 2023-04-20 */
        if (year_like(t) && gap_punct(x, i + 1, "-") && gap_punct(x, i + 2, "-")) {
            long m = small_int(fx_tok(x, i + 1)), d = small_int(fx_tok(x, i + 2));
            if (fx_tok(x, i + 1)->nlen <= 2 && fx_tok(x, i + 2)->nlen <= 2 &&
                valid_ymd(small_int(t), m, d)) {
                f.end = fx_tok(x, i + 2)->end;
                *used = 3;
                emit_date(x, &f, small_int(t), m, d, false);
                return true;
            }
        }
        /* 20/04/2023 (04/20/2023 in English when the first cannot be a
         * month... or by default) and 20.04.2023 */
        long a = -1, b = -1, y = -1;
        size_t last = i;
        if (gap_punct(x, i + 1, "/") && gap_punct(x, i + 2, "/") &&
            all_digits(fx_tok(x, i + 2)) && fx_tok(x, i + 2)->nlen == 4) {
            a = small_int(t);
            b = small_int(fx_tok(x, i + 1));
            y = small_int(fx_tok(x, i + 2));
            last = i + 2;
        } else if (t->nlen >= 8 && t->nlen <= 10) {
            int p1 = -1, p2 = -1;
            for (int k = 0; k < t->nlen; k++)
                if (t->norm[k] == '.') {
                    if (p1 < 0)
                        p1 = k;
                    else if (p2 < 0)
                        p2 = k;
                    else
                        p1 = 99;
                }
            if (p1 >= 1 && p1 <= 2 && p2 == p1 + 3 && t->nlen - p2 - 1 == 4) {
                a = strtol(t->norm, NULL, 10);
                b = strtol(t->norm + p1 + 1, NULL, 10);
                y = strtol(t->norm + p2 + 1, NULL, 10);
            }
        }
        if (y > 0) {
            long d = a, m = b;
            if ((fw_lang(x->lang) == SF_LANG_EN && a <= 12 && b > 12) ||
                (x->lang == SF_LANG_EN && a <= 12 && b <= 12 &&
                 !gap_punct(x, i + 1, ".")))
                d = b, m = a;
            if (valid_ymd(y, m, d)) {
                f.end = fx_tok(x, last)->end;
                *used = last - i + 1;
                emit_date(x, &f, y, m, d, false);
                return true;
            }
        }
        /* 20 April [2023], 20. April, 20 de abril de 2023, 20 tháng 4 */
        long d = day_number(t);
        size_t j = i + 1;
        if (d > 0 && fx_tok(x, j) && month_year_link(fx_tok(x, j)) &&
            fx_gap_space(x, j) && fx_tok(x, j)->norm[0] == 'd')
            j++; /* "de" */
        size_t n = 0;
        if (d > 0 && fx_tok(x, j) &&
            (fx_gap_space(x, j) || gap_punct(x, j, ".")) &&
            fx_match(x, FW_MONTH, j, &n)) {
            long m = 0, yy = -1;
            size_t l = month_and_rest(x, j, &m, &d, &yy);
            f.end = fx_tok(x, l)->end;
            *used = l - i + 1;
            emit_date(x, &f, yy, m, d, yy < 0);
            return true;
        }
        return false;
    }
    if (try_relative(x, i, used) || try_weekday(x, i, used))
        return true;
    /* Month first: "April 20, 2023", "November of 2021", "tháng 4 năm
     * 2023". A month name alone is not a date ("may" is a verb). */
    size_t n = 0;
    if (fx_match(x, FW_MONTH, i, &n)) {
        long m = 0, d = -1, y = -1;
        size_t l = month_and_rest(x, i, &m, &d, &y);
        if (d < 0 && y < 0)
            return false;
        date_prefix(x, i, &f);
        f.end = fx_tok(x, l)->end;
        *used = l - i + 1;
        emit_date(x, &f, y, m, d, y < 0);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Quantities, money, people                                           */
/* ------------------------------------------------------------------ */

static void set_unit(sf_fact *f, const char *s, size_t n)
{
    if (n >= sizeof f->unit)
        n = sizeof f->unit - 1;
    /* never cut a UTF-8 sequence */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80 && n < strlen(s))
        n--;
    memcpy(f->unit, s, n);
    f->unit[n] = '\0';
}

/* v as printf's "%.9g" writes it (out: 32 bytes). A whole number of up
 * to nine digits, the common case, is that number's digits. */
static void put_g9(char *out, double v)
{
    if (v == floor(v) && fabs(v) < 1e9 && !(v == 0 && signbit(v))) {
        long long n = (long long)v;
        unsigned long long u = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
        char tmp[24];
        size_t k = 0, o = 0;
        do {
            tmp[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (n < 0)
            out[o++] = '-';
        while (k)
            out[o++] = tmp[--k];
        out[o] = '\0';
        return;
    }
    snprintf(out, 32, "%.9g", v);
}

/* a, b, c and d one after the other in key (cap bytes), cut as snprintf
 * cuts. */
static void key_join(char *key, size_t cap, const char *a, const char *b, const char *c,
                     const char *d)
{
    const char *parts[4] = {a, b, c, d};
    size_t o = 0;
    for (size_t p = 0; p < 4; p++)
        for (const char *q = parts[p]; *q && o + 1 < cap; q++)
            key[o++] = *q;
    key[o] = '\0';
}

/* A qualifier after the value (or its unit) ending at token k: "300 or
 * more", "300 с лишним", Turkish "300.000'e kadar" (up to), "5 binden
 * fazla" (more than), "300'ü aşkın" (over), "300 kadar" (about). The
 * phrase follows after spaces, or after an apostrophe when it starts with
 * the number's case ending ("'e kadar"); its first word may also be the
 * case ending of word k itself ("binden fazla": "den fazla"), whose
 * length in bytes goes to *ending (0 if none). With min_words 2 a
 * one-word phrase does not count (after a unit: "3 kali lebih besar").
 * Returns the flag and sets *end to the phrase's last token; 0 if none. */
static unsigned qualifier_after(const fx *x, size_t k, size_t min_words, size_t *end,
                                size_t *ending)
{
    static const struct {
        fw_type type;
        unsigned flag;
    } quals[] = {{FW_UPTOAFTER, SF_FACT_UP_TO},
                 {FW_ATLEASTAFTER, SF_FACT_AT_LEAST},
                 {FW_APPROXAFTER, SF_FACT_APPROX}};
    const ftok *t = fx_tok(x, k), *nx = fx_tok(x, k + 1);
    *ending = 0;
    if (!t || !nx)
        return 0;
    const char *g;
    size_t gn;
    fx_gap(x, k + 1, &g, &gn);
    bool space = fx_gap_space(x, k + 1);
    bool apos = (t->flags & SF_TOK_NUMBER) &&
                ((gn == 1 && g[0] == '\'') || (gn == 3 && memcmp(g, "\xE2\x80\x99", 3) == 0));
    if (!space && !apos)
        return 0;
    const ftok *seq[FW_MAX_WORDS];
    size_t n = 0;
    if (!(nx->bucket && !(nx->types & (1ull << FW_UPTOAFTER | 1ull << FW_ATLEASTAFTER |
                                       1ull << FW_APPROXAFTER)))) {
        size_t ns = fx_seq(x, k + 1, seq);
        for (size_t q = 0; q < SF_ARRAY_LEN(quals); q++)
            if (fw_match(quals[q].type, x->lang, seq, ns, &n) && n >= min_words) {
                for (size_t w = 2; w <= n; w++)
                    if (!fx_gap_space(x, k + w))
                        return 0;
                *end = k + n;
                return quals[q].flag;
            }
    }
    /* the ending of word k: its last one to three letters, when the
     * next word can be a phrase's second one */
    if (!space || (t->flags & SF_TOK_NUMBER) || t->trunc ||
        (nx->bucket && !(nx->types >> FW_AFTER2 & 1)))
        return 0;
    for (size_t chars = 3; chars >= 1; chars--) {
        size_t b = t->nlen, c = 0;
        while (b > 0 && c < chars) {
            b--;
            if (((unsigned char)t->norm[b] & 0xC0) != 0x80)
                c++;
        }
        if (c < chars || b == 0)
            continue;
        ftok tail;
        memset(&tail, 0, sizeof tail);
        tail.nlen = (uint8_t)(t->nlen - b);
        memcpy(tail.norm, t->norm + b, tail.nlen);
        const ftok *seq2[FW_MAX_WORDS + 1];
        seq2[0] = &tail;
        size_t ns = 1 + fx_seq(x, k + 1, seq2 + 1);
        if (ns > FW_MAX_WORDS)
            ns = FW_MAX_WORDS;
        for (size_t q = 0; q < SF_ARRAY_LEN(quals); q++)
            if (fw_match(quals[q].type, x->lang, seq2, ns, &n) && n >= 2) {
                for (size_t w = 2; w < n; w++)
                    if (!fx_gap_space(x, k + w))
                        return 0;
                *end = k + n - 1;
                *ending = tail.nlen;
                return quals[q].flag;
            }
    }
    return 0;
}

/* The harm a harm, harmpre or toll entry names (its ARG: killed,
 * injured, arrested, missing). */
static sf_harm harm_of(const fw_entry *h)
{
    return h->arg[0] == 'k' ? SF_HARM_KILLED
           : h->arg[0] == 'i' ? SF_HARM_INJURED
           : h->arg[0] == 'a' ? SF_HARM_ARRESTED : SF_HARM_MISSING;
}

/* A toll phrase ("death toll") among the TOLL_REACH tokens before token i
 * in its sentence, ending before i: its entry, *from its first token. */
#define TOLL_REACH 20
static const fw_entry *toll_before(const fx *x, size_t i, size_t *from)
{
    for (size_t k = i; k-- > 0 && i - k <= TOLL_REACH;) {
        const ftok *t = fx_tok(x, k);
        if (!t)
            break;
        size_t n = 0;
        const fw_entry *e = fx_match(x, FW_TOLL, k, &n);
        if (e && k + n <= i) {
            *from = k;
            return e;
        }
        if (t->flags & SF_TOK_SENTSTART)
            break;
    }
    return NULL;
}

/* True if the gap before token i is exactly c, or c and one space (texts
 * rebuilt from tokens write "8: 30 p. m."). */
static bool gap_is(const fx *x, size_t i, char c)
{
    const char *g;
    size_t n;
    fx_gap(x, i, &g, &n);
    return (n == 1 && g[0] == c) || (n == 2 && g[0] == c && g[1] == ' ');
}

/* True if tokens from j on read "a.m.", "p.m.", "am" or "pm". */
static bool am_pm_at(const fx *x, size_t j)
{
    const ftok *a = fx_tok(x, j), *m = fx_tok(x, j + 1);
    if (!a)
        return false;
    if (a->nlen == 2 && (memcmp(a->norm, "am", 2) == 0 || memcmp(a->norm, "pm", 2) == 0))
        return true;
    return a->nlen == 1 && (a->norm[0] == 'a' || a->norm[0] == 'p') && m && m->nlen == 1 &&
           m->norm[0] == 'm' && gap_is(x, j + 1, '.');
}

/* True if token i is part of a clock time: the hour or the minutes of
 * "2:30", or an hour or minutes followed by "a.m.", "p.m.", "am" or "pm"
 * ("10 p.m."), alone or ending a range ("from 5 to 7 p.m."). A time is no
 * count ("30 p" was read from "2:30 p.m."). */
static bool clock_time(const fx *x, size_t i)
{
    const ftok *t = fx_tok(x, i), *p = i > 0 ? fx_tok(x, i - 1) : NULL;
    if (!t || !(t->flags & SF_TOK_NUMBER) || t->nlen > 2)
        return false;
    if (p && (p->flags & SF_TOK_NUMBER) && p->nlen <= 2 && t->nlen == 2 && gap_is(x, i, ':'))
        return true;
    const ftok *a = fx_tok(x, i + 1);
    if (!a)
        return false;
    if ((a->flags & SF_TOK_NUMBER) && a->nlen == 2 && gap_is(x, i + 1, ':'))
        return true;   /* the hour of "7:45" */
    if (am_pm_at(x, i + 1))
        return true;
    /* "5 to 7 p.m.", "5-7 p.m." */
    size_t k = i + 1;
    if (a->nlen == 2 && memcmp(a->norm, "to", 2) == 0)
        k++;
    else if (!gap_is(x, i + 1, '-'))
        return false;
    const ftok *e = fx_tok(x, k);
    return e && (e->flags & SF_TOK_NUMBER) && e->nlen <= 2 && am_pm_at(x, k + 1);
}

/* True if token i is an age: "17-year-old", "6 years old", "2-month-old"
 * (ages are no counts: "killed 17-year-old Ackeem Davis" killed one). */
static bool age_number(const fx *x, size_t i)
{
    const ftok *y = fx_tok(x, i + 1), *o = fx_tok(x, i + 2);
    if (!y || !o || !(fx_tok(x, i)->flags & SF_TOK_NUMBER) ||
        !(gap_is(x, i + 1, '-') || gap_is(x, i + 1, ' ')) ||
        !(gap_is(x, i + 2, '-') || gap_is(x, i + 2, ' ')) || o->nlen != 3 ||
        memcmp(o->norm, "old", 3) != 0)
        return false;
    static const char *const units[] = {"year", "years", "month", "months", "week", "weeks",
                                        "day", "days", "yr"};
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strlen(units[k]) == y->nlen && memcmp(units[k], y->norm, y->nlen) == 0)
            return true;
    return false;
}

/* "two of the three victims died": the count before "of (the)" in front of
 * token head is who the harm befell (English). *value gets it and *from
 * its token; false if there is none. */
static bool count_of_before(const fx *x, size_t head, double *value, size_t *from)
{
    if (fw_lang(x->lang) != SF_LANG_EN || head < 2)
        return false;
    size_t k = head - 1;
    const ftok *t = fx_tok(x, k);
    if (t && ((t->nlen == 3 && memcmp(t->norm, "the", 3) == 0) ||
              (t->nlen == 5 && memcmp(t->norm, "those", 5) == 0))) {
        if (k == 0)
            return false;
        t = fx_tok(x, --k);
    }
    if (!t || t->nlen != 2 || memcmp(t->norm, "of", 2) != 0 || k == 0 || !fx_gap_space(x, k) ||
        !fx_gap_space(x, k + 1))
        return false;
    const ftok *n = fx_tok(x, k - 1);
    if (!n)
        return false;
    long v = small_int(n);
    if (v < 0) {
        const fw_entry *e = fx_word(x, FW_NUM, n);
        if (!e || e->num >= 100)
            return false;
        v = (long)e->num;
    }
    *value = (double)v;
    *from = k - 1;
    return true;
}

static bool try_number(fx *x, size_t i, size_t *used)
{
    numr r;
    if (zeros_only(fx_tok(x, i)) || clock_time(x, i) || age_number(x, i)) {
        *used = 1;
        return true;
    }
    if (!read_value(x, i, &r))
        return false;
    const ftok *t0 = fx_tok(x, i);
    sf_fact f;
    memset(&f, 0, sizeof f);
    f.start = t0->start;
    size_t last = r.last;
    size_t lo = x->floor;

    /* Currency before: a symbol in the bytes ("US$10", "€ 5") or a word
     * ("RMB 10 billion", "Rs 500 crore"). */
    const ftok *prev = i > 0 && i - 1 >= lo ? fx_tok(x, i - 1) : NULL;
    size_t byte_lo = prev ? prev->start
                     : (i > 0 && fx_tok(x, i - 1)) ? fx_tok(x, i - 1)->end : 0;
    if (t0->start - byte_lo > 16)
        byte_lo = t0->start - 16;
    size_t sym_start = 0, head = i;
    const fw_entry *cur = r.cur ? r.cur : symbol_before(x, t0->start, byte_lo, &sym_start);
    if (r.cur) {
        /* "RMB10": the code is the token's own start */
    } else if (cur) {
        f.start = sym_start;
        if (prev && sym_start < prev->end)
            head = i - 1; /* the "US" of "US$" is a token of its own */
    } else if (prev && !(prev->flags & SF_TOK_NUMBER) &&
               (fx_gap_space(x, i) || (prev->nlen <= 3 && !(prev->flags & SF_TOK_ALLCAPS) &&
                                       gap_punct(x, i, ".")))) {
        /* "RMB 10 billion"; "Rs. 500 crore", "Rs.500" (not "... in USD. 300
         * workers") */
        cur = fx_word(x, FW_CUR, prev);
        if (cur) {
            f.start = prev->start;
            head = i - 1;
        }
    }

    /* Qualifiers before: about, up to, at least, between. */
    size_t from = 0;
    bool between = false;
    if (fx_match_before(x, FW_APPROX, head, lo, &from)) {
        f.flags |= SF_FACT_APPROX;
        f.start = fx_tok(x, from)->start;
        head = from;
    } else if (fx_match_before(x, FW_UPTO, head, lo, &from)) {
        f.flags |= SF_FACT_UP_TO;
        f.start = fx_tok(x, from)->start;
        head = from;
    } else if (fx_match_before(x, FW_ATLEAST, head, lo, &from)) {
        f.flags |= SF_FACT_AT_LEAST;
        f.start = fx_tok(x, from)->start;
        head = from;
    }
    if (fx_match_before(x, FW_BETWEEN, head, lo, &from)) {
        between = true;
        f.start = fx_tok(x, from)->start;
        head = from;
    }

    /* A range: "10 to 20", "10-20", "between 10 and 20". */
    f.value = r.v;
    f.value_max = r.v;
    f.value_alt = r.alt;
    if (r.amb)
        f.flags |= SF_FACT_AMBIGUOUS;
    if (r.words)
        f.flags |= SF_FACT_WORDS;
    {
        size_t n = 0;
        size_t j = last + 1;
        bool linked = false;
        if (fx_tok(x, j) && gap_punct(x, j, "-") && !year_like(fx_tok(x, last)))
            linked = true;
        else if (fx_gap_space(x, j) && fx_match(x, FW_RANGE, j, &n))
            linked = true, j += n;
        else if (between && fx_gap_space(x, j) && fx_match(x, FW_RANGEAND, j, &n))
            linked = true, j += n;
        numr r2;
        if (linked && fx_tok(x, j) && (fx_gap_space(x, j) || gap_punct(x, j, "-")) &&
            read_value(x, j, &r2)) {
            /* "10 to 20 million": the scale of the second applies to both */
            if (r2.scaled && !r.scaled) {
                f.value = r.v * r2.scale;
                f.value_alt = r.alt * r2.scale;
            }
            if (r2.v > f.value) {
                f.value_max = r2.v;
                f.flags |= SF_FACT_RANGE;
                last = r2.last;
            } else {
                f.value = r.v;
                f.value_alt = r.alt;
            }
        }
    }

    /* A qualifier after the number ("300.000'e kadar", "300 or more");
     * a year it follows stays a date unless a unit follows ("2024'e
     * kadar" is a deadline, see date_suffix). */
    size_t qend = 0, qending = 0;
    unsigned qflag = qualifier_after(x, last, 1, &qend, &qending);
    if (qflag && !qending) {
        f.flags |= qflag;
        last = qend;
    } else if (!qflag && !r.scaled && fx_tok(x, last + 1) && fx_gap_space(x, last + 1) &&
               (qflag = qualifier_after(x, last + 1, 2, &qend, &qending)) != 0 && qending) {
        /* a scale word with the case ending: "5 binden fazla" */
        const ftok *sw = fx_tok(x, last + 1);
        const fw_entry *s = sw->nlen > qending
                                ? fw_word(FW_SCALE, x->lang, sw->norm, sw->nlen - qending)
                                : NULL;
        if (s) {
            f.value *= s->num;
            f.value_max *= s->num;
            f.value_alt *= s->num;
            f.flags |= qflag;
            last = qend;
        }
    }
    /* A plain four-digit year: a date unless a unit or currency follows. */
    size_t j = last + 1;
    size_t n = 0;
    const fw_entry *unit = NULL;
    bool person = false;
    size_t after = j;
    if (fx_tok(x, j) && gap_soft(x, j) && fx_match(x, FW_CONNECTOR, j, &n) &&
        (r.scaled || r.words))
        after = j + n; /* "3 millones de vehículos" */
    if (fx_tok(x, after) && gap_soft(x, after)) {
        unit = fx_match(x, FW_UNIT, after, &n);
        if (!unit && fx_match(x, FW_PERSON, after, &n))
            person = true;
    }
    size_t sym_end = 0;
    const ftok *lt = fx_tok(x, last);
    const ftok *nt = fx_tok(x, last + 1);
    size_t hi = nt ? nt->start : x->len;
    if (!cur) {
        cur = symbol_after(x, lt->end, hi < lt->end + 8 ? hi : lt->end + 8, &sym_end);
        if (cur)
            f.end = sym_end;
        else if (fx_tok(x, after) && gap_soft(x, after) &&
                 (cur = fx_match(x, FW_CUR, after, &n)) != NULL) {
            last = after + n - 1;
            unit = NULL;
            person = false;
        }
    }
    if (!cur && r.plain_int && !unit && !person && year_like(t0) && r.last == i &&
        !(f.flags & SF_FACT_RANGE)) {
        memset(&f, 0, sizeof f);
        f.start = t0->start;
        f.end = t0->end;
        date_prefix(x, i, &f);
        *used = 1 + date_suffix(x, i, &f);
        emit_date(x, &f, small_int(t0), 0, 0, false);
        return true;
    }

    /* "a 2012 car": a model's year, no count */
    if (!cur && r.plain_int && year_like(t0) && r.last == i && fw_lang(x->lang) == SF_LANG_EN &&
        fx_tok(x, after) && gap_soft(x, after) && !looks_plural(fx_tok(x, after))) {
        *used = 1;
        return true;
    }

    if (cur) {
        f.kind = SF_FACT_MONEY;
        memcpy(f.currency, cur->arg, 3);
        f.currency[3] = '\0';
        if (!f.end)
            f.end = fx_tok(x, last)->end;
        if (f.value == f.value_alt && !(f.flags & SF_FACT_AMBIGUOUS))
            f.flags &= ~(unsigned)SF_FACT_AMBIGUOUS;
        char num[32];
        put_g9(num, f.value);
        key_join(f.key, sizeof f.key, "m:", f.currency, ":", num);
        *used = last - i + 1;
        fx_emit(x, &f);
        return true;
    }

    /* Percent right after the number. */
    f.kind = SF_FACT_QUANTITY;
    if (lt->end < x->len && x->text[lt->end] == '%') {
        set_unit(&f, "%", 1);
        f.end = lt->end + 1;
    } else if (unit) {
        set_unit(&f, unit->arg, strlen(unit->arg));
        if (strcmp(f.unit, "unit") != 0)
            f.flags |= SF_FACT_KNOWN_UNIT;
        last = after + n - 1;
    } else if (person) {
        set_unit(&f, "people", 6);
        last = after + n - 1;
    } else if (fx_tok(x, after) && gap_soft(x, after) && plain_unit_word(x, after)) {
        /* English puts modifiers before the counted noun: "three auto
         * factories", "85 different sector visits". When the first word
         * is not plural, the unit is the first plural word of the next
         * two, if there is one. */
        size_t noun = after;
        if (fw_lang(x->lang) == SF_LANG_EN && f.value != 1 && !looks_plural(fx_tok(x, after)))
            for (size_t k = after + 1; k <= after + 2; k++) {
                if (!fx_gap_space(x, k) || !plain_unit_word(x, k))
                    break;
                if (looks_plural(fx_tok(x, k))) {
                    noun = k;
                    break;
                }
            }
        /* several of a singular noun modify another: "the 4400 block of",
         * "a 911 call", "a 12 year old", "a .380 caliber gun", "a 2012
         * car": an address, a number, an age, a size, a model, no count */
        if (fw_lang(x->lang) == SF_LANG_EN && f.value != 1 && !looks_plural(fx_tok(x, noun))) {
            *used = 1;
            return true;
        }
        set_unit(&f, fx_tok(x, noun)->norm, fx_tok(x, noun)->nlen);
        last = noun;
    }

    /* A qualifier after the unit: "300 vehicles or more", "50 kişiden
     * fazla" (the unit is then the word without its ending: "kişi"). */
    if (f.unit[0] && last > r.last && !(f.flags & (SF_FACT_UP_TO | SF_FACT_AT_LEAST))) {
        size_t uend = 0, uending = 0;
        unsigned uflag = qualifier_after(x, last, 2, &uend, &uending);
        /* and the clause ends there, or a period or harm follows: not "300
         * cars or more trucks" */
        size_t m = 0;
        if (uflag && fx_tok(x, uend + 1) && fx_gap_space(x, uend + 1) &&
            !fx_match(x, FW_PER, uend + 1, &m) && !fx_match(x, FW_HARM, uend + 1, &m) &&
            !fx_match(x, FW_AUX, uend + 1, &m))
            uflag = 0;
        const ftok *ut = fx_tok(x, last);
        if (uflag && uending && !(f.flags & SF_FACT_KNOWN_UNIT) && strcmp(f.unit, "people") != 0 &&
            ut->nlen > uending) {
            const fw_entry *u = fw_word(FW_UNIT, x->lang, ut->norm, ut->nlen - uending);
            if (u) {
                set_unit(&f, u->arg, strlen(u->arg));
                if (strcmp(f.unit, "unit") != 0)
                    f.flags |= SF_FACT_KNOWN_UNIT;
            } else if (fw_word(FW_PERSON, x->lang, ut->norm, ut->nlen - uending)) {
                set_unit(&f, "people", 6);
            } else {
                set_unit(&f, ut->norm, ut->nlen - uending);
            }
        }
        if (uflag && (!uending || !(f.flags & SF_FACT_KNOWN_UNIT) || ut->nlen > uending)) {
            f.flags |= uflag;
            last = uend;
        }
    }

    /* A number word alone ("one of them") says nothing. */
    if (r.words && !r.scaled && f.unit[0] == '\0' && !fx_match(x, FW_HARM, last + 1, &n)) {
        *used = last - i + 1;
        return true;
    }

    /* People: "12 people were killed", "5 muertos", "killing 12". */
    if (f.unit[0] == '\0' || strcmp(f.unit, "people") == 0) {
        size_t k = last + 1;
        bool finite = false;   /* "were killed", "died": a verb of its own, no participle */
        for (int hops = 0; hops < 4 && fx_tok(x, k) && fx_gap_space(x, k); hops++) {
            const fw_entry *h = fx_match(x, FW_HARM, k, &n);
            if (h) {
                f.kind = SF_FACT_PEOPLE;
                f.harm = harm_of(h);
                finite = finite || (n == 1 && fx_tok(x, k)->nlen == 4 &&
                                    memcmp(fx_tok(x, k)->norm, "died", 4) == 0);
                last = k + n - 1;
                break;
            }
            if (!fx_match(x, FW_AUX, k, &n))
                break;
            finite = true;
            k += n;
        }
        if (f.kind != SF_FACT_PEOPLE) {
            const fw_entry *h = fx_match_before(x, FW_HARMPRE, head, lo, &from);
            if (h) {
                f.kind = SF_FACT_PEOPLE;
                f.harm = harm_of(h);
                f.start = fx_tok(x, from)->start;
            }
        }
        if (f.kind != SF_FACT_PEOPLE && f.unit[0] == '\0' && !cur) {
            /* a bare count with its name earlier in the sentence: "the
             * death toll from Tuesday's quake has risen to 14" */
            const fw_entry *h = toll_before(x, head, &from);
            if (h) {
                f.kind = SF_FACT_PEOPLE;
                f.harm = harm_of(h);
                f.start = fx_tok(x, from)->start;
            }
        }
        if (f.kind == SF_FACT_PEOPLE) {
            set_unit(&f, "people", 6);
            /* "two of the three people died", "one of the six people was
             * killed": one; but "one of the 12 people killed" (a
             * participle: 12 were) */
            double part;
            size_t pfrom;
            if (finite && count_of_before(x, head, &part, &pfrom) && part < f.value) {
                f.value = f.value_max = f.value_alt = part;
                f.flags &= ~(unsigned)(SF_FACT_RANGE | SF_FACT_APPROX | SF_FACT_UP_TO |
                                       SF_FACT_AT_LEAST | SF_FACT_AMBIGUOUS | SF_FACT_WORDS);
                f.start = fx_tok(x, pfrom)->start;
            }
        }
    }

    /* Period after ("a year", "for each yr") or before ("annual"). */
    if (fx_tok(x, last + 1) && fx_gap_space(x, last + 1)) {
        const fw_entry *p = fx_match(x, FW_PER, last + 1, &n);
        if (p) {
            f.flags |= p->arg[0] == 'y' ? SF_FACT_PER_YEAR
                       : p->arg[0] == 'm' ? SF_FACT_PER_MONTH
                       : p->arg[0] == 'w' ? SF_FACT_PER_WEEK : SF_FACT_PER_DAY;
            last += n;
        }
    }
    if (!(f.flags & (SF_FACT_PER_YEAR | SF_FACT_PER_MONTH | SF_FACT_PER_WEEK |
                     SF_FACT_PER_DAY))) {
        for (size_t k = 1; k <= 6 && head >= k && head - k >= lo; k++) {
            const ftok *b = fx_tok(x, head - k);
            if (!b)
                break;
            const fw_entry *p = fx_word(x, FW_ANNUAL, b);
            if (p) {
                f.flags |= p->arg[0] == 'y' ? SF_FACT_PER_YEAR
                           : p->arg[0] == 'm' ? SF_FACT_PER_MONTH
                           : p->arg[0] == 'w' ? SF_FACT_PER_WEEK : SF_FACT_PER_DAY;
                break;
            }
            if (b->flags & SF_TOK_SENTSTART)
                break;
        }
    }
    if (!f.end || f.end < fx_tok(x, last)->end)
        f.end = fx_tok(x, last)->end;
    char num[32];
    if (f.kind == SF_FACT_PEOPLE) {
        static const char *const harm_names[] = {"", "killed", "injured",
                                                 "arrested", "missing"};
        put_g9(num, f.value);
        key_join(f.key, sizeof f.key, "p:", harm_names[f.harm], ":", num);
    } else {
        put_g9(num, f.value);
        key_join(f.key, sizeof f.key, "q:", num, ":", f.unit);
    }
    *used = last - i + 1;
    fx_emit(x, &f);
    return true;
}

/* ------------------------------------------------------------------ */
/* Driving the window                                                  */
/* ------------------------------------------------------------------ */

/* Matches at position x->next and moves on. */
static void fx_step(fx *x)
{
    size_t i = x->next;
    size_t used = 0;
    const ftok *t = fx_tok(x, i);
    if (!t) {
        x->next++;
        return;
    }
    /* The common word: no number, no capital, no glued currency, and its
     * bucket starts no date, designation or amount. Each matcher below
     * would return false at its first test; decided here once. */
    if (!(t->flags & (SF_TOK_NUMBER | SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) &&
        !(t->types & (1ull << FW_RELY | 1ull << FW_RELM | 1ull << FW_RELD | 1ull << FW_MONTH |
                      1ull << FW_WEEKDAY | 1ull << FW_WDNEXT | 1ull << FW_WDLAST |
                      1ull << FW_NUMDESIG | 1ull << FW_NUM | 1ull << FW_NUMA)) &&
        !glued_digit(t)) {
        x->next = i + 1;
        return;
    }
    if (!x->stop && (try_date(x, i, &used) || fx_try_designation(x, i, &used) ||
                     try_number(x, i, &used) || fx_try_name(x, i, &used))) {
        if (used == 0)
            used = 1;
        x->next = i + used;
        x->floor = x->next;
        return;
    }
    x->next = i + 1;
}

static int fx_on_token(void *ctx, const sf_token *tok)
{
    fx *x = ctx;
    if (x->tee && !x->tee_stop)
        x->tee_stop = x->tee(x->tee_ctx, tok);
    if (x->stop)
        return !x->tee || x->tee_stop;
    ftok *t = &x->ring[x->ntok % FX_RING];
    size_t n = tok->norm_len;
    t->trunc = n >= FT_NORM_MAX;
    if (t->trunc)
        n = FT_NORM_MAX - 1;
    memcpy(t->norm, tok->norm, n);
    /* Turkish: "İki" folds to "i" and a combining dot above; the word is
     * "iki" (the dot is the capital's, as "I" is "ı"'s) */
    if (x->lang == SF_LANG_TR) {
        size_t w = 0;
        for (size_t k = 0; k < n; k++) {
            if (k > 0 && t->norm[w - 1] == 'i' && k + 1 < n &&
                (unsigned char)t->norm[k] == 0xCC && (unsigned char)t->norm[k + 1] == 0x87) {
                k++;
                continue;
            }
            t->norm[w++] = t->norm[k];
        }
        n = w;
    }
    t->norm[n] = '\0';
    t->nlen = (uint8_t)n;
    /* the tokeniser's hash is of its norm: the same bytes unless cut or
     * changed above */
    t->bucket = (n == tok->norm_len ? fw_bucket_of_hash(tok->hash) : fw_bucket_of(t->norm, n)) + 1;
    t->types = x->btypes[t->bucket - 1];
    t->flags = tok->flags;
    t->start = tok->start;
    t->end = tok->end;
    x->ntok++;
    while (x->ntok - x->next > FX_AHEAD && !x->stop)
        fx_step(x);
    return x->stop && (!x->tee || x->tee_stop);
}

sf_status sf_facts_extract(sf_text *t, const char *text, size_t len,
                           sf_lang lang, int32_t article_day, sf_fact_fn fn,
                           void *ctx)
{
    return sf_facts_extract_tee(t, text, len, lang, article_day, fn, ctx, NULL, NULL);
}

sf_status sf_facts_extract_tee(sf_text *t, const char *text, size_t len,
                               sf_lang lang, int32_t article_day, sf_fact_fn fn,
                               void *ctx, sf_token_fn tee, void *tee_ctx)
{
    if (!t || !fn || (!text && len > 0))
        return SF_EINVAL;
    if (len == 0)
        return SF_OK;
    /* The window lives on the stack (about 5 KiB): no allocation here. */
    fx window;
    memset(&window, 0, sizeof window);
    fx *x = &window;
    x->text = text;
    x->len = len;
    x->lang = lang;
    x->aday = article_day;
    x->fn = fn;
    x->ctx = ctx;
    x->tee = tee;
    x->tee_ctx = tee_ctx;
    x->btypes = fw_bucket_type_table();
    sf_status st = sf_tokenize(t, text, len, lang, 0, fx_on_token, x);
    while (st == SF_OK && x->next < x->ntok && !x->stop)
        fx_step(x);
    return st;
}

/* ------------------------------------------------------------------ */
/* Comparing facts                                                     */
/* ------------------------------------------------------------------ */

static bool near(double a, double b)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= m * 1e-3;
}

static bool units_agree(const char *a, const char *b)
{
    return !a[0] || !b[0] || strcmp(a, b) == 0 || strcmp(a, "unit") == 0 ||
           strcmp(b, "unit") == 0;
}

bool sf_facts_same(const sf_fact *a, const sf_fact *b)
{
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case SF_FACT_NAME:
        return sf_names_alias(a, b);
    case SF_FACT_DATE:
        if (a->flags & SF_FACT_UNRESOLVED || b->flags & SF_FACT_UNRESOLVED)
            return strcmp(a->key, b->key) == 0;
        /* a deadline is a year ("by 2026"): no day or month in it is
         * the same fact ("on 4 March 2026") */
        if (((a->flags | b->flags) & SF_FACT_BY) && a->prec != b->prec)
            return false;
        return a->year == b->year &&
               (!a->month || !b->month || a->month == b->month) &&
               (!a->day || !b->day || a->day == b->day);
    case SF_FACT_MONEY:
        if (strcmp(a->currency, b->currency) != 0)
            return false;
        break;
    case SF_FACT_PEOPLE:
        if (a->harm != b->harm)
            return false;
        break;
    case SF_FACT_QUANTITY:
        if (!units_agree(a->unit, b->unit))
            return false;
        break;
    default:
        return false;
    }
    return near(a->value, b->value) || near(a->value_alt, b->value) ||
           near(a->value, b->value_alt) ||
           (a->flags & SF_FACT_RANGE && b->value >= a->value && b->value <= a->value_max) ||
           (b->flags & SF_FACT_RANGE && a->value >= b->value && a->value <= b->value_max);
}
