/*
 * facts_names.c — names in the extractor's window, and deciding whether two
 * names are aliases.
 *
 * A name is a run of capitalised words (no stop words, no month or weekday
 * names) separated by spaces only, which may hold: a possessive
 * ("Hyundai's Beijing Plant 2"), a lower-case connector between two
 * capitalised words ("Bank of China"), a number designator and its number
 * ("No. 2"), a number after a capitalised facility word ("Plant 2"). A
 * name with a number may go on with a lower-case facility word and "in"
 * plus a place ("Hyundai No. 2 factory in Beijing"). An acronym in
 * parentheses right after it becomes its abbr. A lone capitalised word at
 * the start of a sentence is not taken (it is usually an ordinary word).
 */
#include "facts_internal.h"

#include <stdio.h>
#include <string.h>

#define NAME_MAX_WORDS 12

static bool capital_word(const fx *x, const ftok *t)
{
    if (!t || !(t->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)))
        return false; /* most words: decided first */
    /* "US$10", "R$ 5": the letters belong to the currency. */
    if (t->end < x->len && x->text[t->end] == '$')
        return false;
    return fx_is_word(t) && (t->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) &&
           !(t->flags & (SF_TOK_STOP | SF_TOK_CALENDAR)) &&
           !fx_word(x, FW_MONTH, t) && !fx_glued_currency(x, t);
}

/* Two or more capitals and a final s ("EVs"), as written on the page. */
static bool plural_acronym(const fx *x, const ftok *t)
{
    size_t n = t->end - t->start;
    const char *w = x->text + t->start;
    if (n < 3 || n > 12 || w[n - 1] != 's')
        return false;
    for (size_t k = 0; k + 1 < n; k++)
        if (w[k] < 'A' || w[k] > 'Z')
            return false;
    return true;
}

static bool short_number(const ftok *t)
{
    if (!t || t->nlen == 0 || t->nlen > 4)
        return false;
    for (size_t k = 0; k < t->nlen; k++)
        if (t->norm[k] < '0' || t->norm[k] > '9')
            return false;
    return true;
}

/* The gap before token j is spaces, optionally after a possessive 's. */
static bool name_gap(const fx *x, size_t j, bool *possessive)
{
    const char *g;
    size_t n;
    if (!fx_tok(x, j) || !fx_tok(x, j - 1))
        return false;
    fx_gap(x, j, &g, &n);
    size_t k = 0;
    *possessive = false;
    if (n >= 3 && g[0] == '\'' && g[1] == 's')
        k = 2, *possessive = true;
    else if (n >= 5 && memcmp(g, "\xE2\x80\x99s", 4) == 0)
        k = 4, *possessive = true;
    if (k == n)
        return false;
    for (; k < n; k++)
        if (g[k] != ' ')
            return false;
    return true;
}

/* The gap before token j is ". " or " " (after "No"). */
static bool designator_gap(const fx *x, size_t j)
{
    const char *g;
    size_t n;
    fx_gap(x, j, &g, &n);
    return (n == 1 && g[0] == ' ') || (n == 2 && g[0] == '.' && g[1] == ' ') ||
           (n == 1 && g[0] == '.');
}

/* The gap before token j is ", " or "., " (or without the space). */
static bool corp_comma_gap(const fx *x, size_t j)
{
    const char *g;
    size_t n, k = 0;
    fx_gap(x, j, &g, &n);
    if (k < n && g[k] == '.')
        k++;
    if (k >= n || g[k] != ',')
        return false;
    k++;
    return n == k || (n == k + 1 && g[k] == ' ');
}

static void append_word(char *buf, size_t cap, const char *w, size_t n)
{
    size_t len = strlen(buf);
    if (len + (len ? 1 : 0) + n + 1 > cap)
        return;
    if (len)
        buf[len++] = ' ';
    memcpy(buf + len, w, n);
    buf[len + n] = '\0';
}

/* The gap before token j is one hyphen ("Coca-Cola"; ‐ and ‑ too), no
 * space, no dash. */
static bool hyphen_gap(const fx *x, size_t j)
{
    const char *g;
    size_t n;
    if (!fx_tok(x, j) || !fx_tok(x, j - 1))
        return false;
    fx_gap(x, j, &g, &n);
    return (n == 1 && g[0] == '-') ||
           (n == 3 && memcmp(g, "\xE2\x80", 2) == 0 &&
            ((unsigned char)g[2] == 0x90 || (unsigned char)g[2] == 0x91));
}

/* A word that is a name of its own: an acronym or a place the gazetteer
 * knows. */
static bool own_name(const ftok *t)
{
    return (t->flags & SF_TOK_ALLCAPS) || sf_place_country(t->norm, t->nlen, NULL);
}

/* Words a and b joined by a hyphen make one name ("Coca-Cola",
 * "Hewlett-Packard", "Санкт-Петербург"), unless either is a name of its
 * own and the two together are not a place the gazetteer knows: "US-China
 * talks", "Xiaomi-BAIC deal" name two things ("Bosnia-Herzegovina" is one
 * place). */
static bool hyphen_joins(const ftok *a, const ftok *b)
{
    if (!own_name(a) && !own_name(b))
        return true;
    char both[2 * FT_NORM_MAX];
    if (a->trunc || b->trunc)
        return false;
    memcpy(both, a->norm, a->nlen);
    both[a->nlen] = ' ';
    memcpy(both + a->nlen + 1, b->norm, b->nlen);
    return sf_place_country(both, (size_t)a->nlen + 1 + b->nlen, NULL) != NULL;
}

/* Word kinds inside a name. */
enum { NW_WORD, NW_DESIG, NW_NUMBER, NW_CONNECTOR, NW_FACILITY, NW_IN };

/* A day's name that holds a weekday: "Black Friday", "Super Tuesday". */
static bool weekday_compound(const ftok *p, const ftok *c)
{
    static const char *const days[][2] = {
        {"black", "friday"},   {"good", "friday"},      {"cyber", "monday"},
        {"super", "tuesday"},  {"giving", "tuesday"},   {"ash", "wednesday"},
        {"holy", "thursday"},  {"maundy", "thursday"},  {"easter", "sunday"},
        {"palm", "sunday"},    {"bloody", "sunday"},    {"easter", "monday"},
        {"holy", "saturday"},  {"patch", "tuesday"}};
    if (!p || !c)
        return false;
    for (size_t k = 0; k < sizeof days / sizeof *days; k++)
        if (strlen(days[k][0]) == p->nlen && memcmp(days[k][0], p->norm, p->nlen) == 0 &&
            strlen(days[k][1]) == c->nlen && memcmp(days[k][1], c->norm, c->nlen) == 0)
            return true;
    return false;
}

/* Whether byte offset at of the text stands in a line written in title
 * case, as headings are in English: a short line (200 bytes at most) not
 * ending in a period, with 3 or more capitalised words of 4 letters or more
 * and at most one lower-case word of 4 letters or more for every 4 of them
 * ("Teen Fatally Shot inside Bronx Apartment: NYPD"). Other languages
 * write headings as sentences (German capitalises every noun). The line's
 * answer is kept for the next name in it. */
static bool fx_in_heading(fx *x, size_t at)
{
    if (x->lang != SF_LANG_EN && x->lang != SF_LANG_UNKNOWN)
        return false;
    if (x->line_hi && at >= x->line_lo && at < x->line_hi)
        return x->line_heading;
    size_t lo = at;
    while (lo > 0 && x->text[lo - 1] != '\n')
        lo--;
    const char *nl = memchr(x->text + at, '\n', x->len - at);
    size_t hi = nl ? (size_t)(nl - x->text) : x->len;
    x->line_lo = lo;
    x->line_hi = hi;
    x->line_heading = false;
    size_t e = hi;
    while (e > lo && (x->text[e - 1] == ' ' || x->text[e - 1] == '\r'))
        e--;
    if (e - lo > 200 || e == lo || x->text[e - 1] == '.')
        return false;
    /* list items and captions ("— Ivette Sterling, 25, of Osborn
     * Street", "• Crisis Line: 801-587-3000") are no headings: a line
     * starting with a dash or a bullet, or holding a run of 3 digits */
    if (x->text[lo] == '-' || (e - lo >= 3 && (unsigned char)x->text[lo] == 0xE2 &&
                               (unsigned char)x->text[lo + 1] == 0x80 &&
                               ((unsigned char)x->text[lo + 2] == 0x93 ||
                                (unsigned char)x->text[lo + 2] == 0x94 ||
                                (unsigned char)x->text[lo + 2] == 0xA2)))
        return false;
    for (size_t i = lo, run = 0; i < e; i++) {
        run = (x->text[i] >= '0' && x->text[i] <= '9') ? run + 1 : 0;
        if (run == 3)
            return false;
    }
    unsigned caps = 0, lower = 0;
    for (size_t i = lo; i < e;) {
        while (i < e && x->text[i] == ' ')
            i++;
        size_t w = i;
        unsigned letters = 0;
        while (i < e && x->text[i] != ' ') {
            unsigned char c = (unsigned char)x->text[i++];
            letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        }
        if (w == i || letters < 4)
            continue;
        unsigned char c0 = (unsigned char)x->text[w];
        caps += c0 >= 'A' && c0 <= 'Z';
        lower += c0 >= 'a' && c0 <= 'z';
    }
    x->line_heading = caps >= 3 && lower * 4 <= caps;
    return x->line_heading;
}

/* Token j is a title word used as one ("Judge Peggy Chiampas", "Sgt. Lee",
 * "President Xi"): no name starts with it and it ends the name before it.
 * Followed by "'s" and a capitalised word, it is a word of the name
 * ("Cook County Sheriff's Office"). */
static bool title_word(const fx *x, size_t j)
{
    const ftok *c = fx_tok(x, j);
    if (!c || !fx_word(x, FW_TITLE, c))
        return false;
    bool poss;
    return !(name_gap(x, j + 1, &poss) && poss && capital_word(x, fx_tok(x, j + 1)));
}

bool fx_try_name(fx *x, size_t i, size_t *used)
{
    const ftok *t = fx_tok(x, i);
    if (!capital_word(x, t) || title_word(x, i))
        return false;
    /* "US$10", "RMB 10 billion": the letters belong to the amount. */
    if (t->end < x->len && x->text[t->end] == '$')
        return false;
    if (fx_word(x, FW_CUR, t) && fx_tok(x, i + 1) &&
        (fx_tok(x, i + 1)->flags & SF_TOK_NUMBER))
        return false;
    size_t idx[NAME_MAX_WORDS];
    int kind[NAME_MAX_WORDS];
    size_t nw = 0, j = i;
    bool has_num = false, has_fac = false, poss;
    idx[nw] = i;
    kind[nw++] = NW_WORD;
    j = i + 1;
    while (nw < NAME_MAX_WORDS - 2 && fx_tok(x, j)) {
        const ftok *c = fx_tok(x, j);
        const ftok *p = fx_tok(x, j - 1);
        if ((c->flags & SF_TOK_CAPITAL) && name_gap(x, j, &poss) &&
            fx_word(x, FW_NUMDESIG, c) &&
            short_number(fx_tok(x, j + 1)) && designator_gap(x, j + 1)) {
            idx[nw] = j; /* "No. 2" */
            kind[nw++] = NW_DESIG;
            idx[nw] = j + 1;
            kind[nw++] = NW_NUMBER;
            has_num = true;
            j += 2;
            continue;
        }
        if (kind[nw - 1] == NW_WORD && short_number(c) && fx_gap_space(x, j) &&
            fx_word(x, FW_FACILITY, p)) {
            idx[nw] = j; /* "Plant 2" */
            kind[nw++] = NW_NUMBER;
            has_num = true;
            j++;
            continue;
        }
        /* Words joined by hyphens, a connector between two of them
         * ("Saint-Germain-des-Prés"); a lower-case word after a hyphen
         * ends the name ("Xiaomi-backed"). */
        if (hyphen_gap(x, j) && (kind[nw - 1] == NW_WORD || kind[nw - 1] == NW_CONNECTOR)) {
            if (capital_word(x, c) && !title_word(x, j) &&
                (kind[nw - 1] == NW_CONNECTOR || hyphen_joins(p, c))) {
                idx[nw] = j;
                kind[nw++] = NW_WORD;
                j++;
                continue;
            }
            if (kind[nw - 1] == NW_WORD && !(c->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) &&
                fx_word(x, FW_CONNECTOR, c) && hyphen_gap(x, j + 1) &&
                capital_word(x, fx_tok(x, j + 1))) {
                idx[nw] = j;
                kind[nw++] = NW_CONNECTOR;
                j++;
                continue;
            }
            break;
        }
        /* A month abbreviation inside a name is a name ("Lei Jun"),
         * unless a number follows ("Xiaomi Jun 2022"); a weekday is not
         * ("in New York Friday", "a Bronx apartment Thursday"). */
        bool month_inside = fx_is_word(c) && (c->flags & SF_TOK_CAPITAL) &&
                            !(c->flags & SF_TOK_STOP) &&
                            (c->flags & SF_TOK_CALENDAR ||
                             fx_word(x, FW_MONTH, c)) &&
                            (!fx_word(x, FW_WEEKDAY, c) || weekday_compound(p, c)) &&
                            !(fx_tok(x, j + 1) && (fx_tok(x, j + 1)->flags & SF_TOK_NUMBER));
        bool currency = fx_word(x, FW_CUR, c) && fx_tok(x, j + 1) &&
                        (fx_tok(x, j + 1)->flags & SF_TOK_NUMBER);
        if ((capital_word(x, c) || month_inside) && !currency && name_gap(x, j, &poss) &&
            !title_word(x, j)) {
            idx[nw] = j;
            kind[nw++] = NW_WORD;
            j++;
            continue;
        }
        /* "Co., Ltd.": a corporate word after a comma goes on a name that
         * ends with one */
        if (kind[nw - 1] == NW_WORD && fx_word(x, FW_CORP, p) &&
            capital_word(x, c) && fx_word(x, FW_CORP, c) &&
            corp_comma_gap(x, j)) {
            idx[nw] = j;
            kind[nw++] = NW_WORD;
            j++;
            continue;
        }
        if (!(c->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) && fx_gap_space(x, j) &&
            fx_word(x, FW_CONNECTOR, c) &&
            capital_word(x, fx_tok(x, j + 1)) && fx_gap_space(x, j + 1) &&
            kind[nw - 1] == NW_WORD) {
            idx[nw] = j;
            kind[nw++] = NW_CONNECTOR;
            j++;
            continue;
        }
        break;
    }
    /* "No. 2 plant", "No. 2 factory in Beijing" */
    if (has_num && nw < NAME_MAX_WORDS - 1 && fx_tok(x, j) && fx_gap_space(x, j) &&
        fx_word(x, FW_FACILITY, fx_tok(x, j))) {
        idx[nw] = j;
        kind[nw++] = NW_FACILITY;
        j++;
        const ftok *in = fx_tok(x, j);
        if (in && nw < NAME_MAX_WORDS - 2 && fx_gap_space(x, j) &&
            ((in->nlen == 2 && memcmp(in->norm, "in", 2) == 0) ||
             (in->nlen == 2 && memcmp(in->norm, "en", 2) == 0)) &&
            capital_word(x, fx_tok(x, j + 1)) && fx_gap_space(x, j + 1)) {
            idx[nw] = j;
            kind[nw++] = NW_IN;
            idx[nw] = j + 1;
            kind[nw++] = NW_WORD;
            j += 2;
        }
    }
    for (size_t k = 0; k < nw; k++) {
        const ftok *c = fx_tok(x, idx[k]);
        if (kind[k] == NW_WORD && fx_word(x, FW_FACILITY, c))
            kind[k] = NW_FACILITY;
        if (kind[k] == NW_FACILITY)
            has_fac = true;
    }
    size_t last = j - 1;

    sf_fact f;
    memset(&f, 0, sizeof f);
    f.kind = SF_FACT_NAME;
    f.start = t->start;
    f.end = fx_tok(x, last)->end;

    /* "(BAIC)" right after the name */
    const ftok *a = fx_tok(x, last + 1);
    if (a) {
        const char *g;
        size_t gn;
        fx_gap(x, last + 1, &g, &gn);
        bool open = false;
        for (size_t k = 0; k < gn; k++) {
            if (g[k] == '(')
                open = true;
            else if (g[k] != ' ' && g[k] != '.' && g[k] != ',')
                open = false, k = gn;
        }
        if (open && a && (a->flags & SF_TOK_ALLCAPS) && fx_is_word(a) &&
            a->nlen < SF_FACT_ABBR_MAX && a->end < x->len && x->text[a->end] == ')') {
            memcpy(f.abbr, a->norm, a->nlen);
            f.abbr[a->nlen] = '\0';
            f.end = a->end + 1;
            last++;
        }
    }

    /* A lone word at a sentence start is usually not a name. */
    if (nw == 1 && (t->flags & SF_TOK_SENTSTART) && !(t->flags & SF_TOK_ALLCAPS) &&
        !f.abbr[0])
        return false;
    /* Words that are capitalised on pages without naming anything alone
     * ("St.", "Street", "NW", "Update", "Caption Close Image"): a run of
     * only such words is no name (its words are passed over). */
    bool only_common = !f.abbr[0];
    for (size_t k = 0; k < nw && only_common; k++) {
        const ftok *c = fx_tok(x, idx[k]);
        only_common = kind[k] == NW_CONNECTOR || c->nlen == 1 || fx_word(x, FW_NOTNAME, c);
    }
    if (only_common) {
        *used = last - i + 1;
        return true;
    }

    /* name: all words; key: core words (designators and "in" dropped,
     * facility words as "plant", corporate words off both ends). */
    size_t lo = 0, hi = nw;
    bool corp = false;
    while (hi > lo && kind[hi - 1] == NW_WORD &&
           fw_word(FW_CORP, x->lang, fx_tok(x, idx[hi - 1])->norm,
                   fx_tok(x, idx[hi - 1])->nlen))
        hi--, corp = true;
    while (lo < hi && kind[lo] == NW_WORD &&
           fw_word(FW_CORP, x->lang, fx_tok(x, idx[lo])->norm,
                   fx_tok(x, idx[lo])->nlen))
        lo++, corp = true;
    if (lo == hi)
        lo = 0, hi = nw, corp = false;
    size_t core_words = 0, allcaps_core = 0;
    for (size_t k = 0; k < nw; k++) {
        const ftok *c = fx_tok(x, idx[k]);
        append_word(f.name, sizeof f.name, c->norm, c->nlen);
        if (k < lo || k >= hi || kind[k] == NW_DESIG || kind[k] == NW_IN)
            continue;
        if (kind[k] == NW_FACILITY) {
            append_word(f.key, sizeof f.key, "plant", 5);
        } else {
            append_word(f.key, sizeof f.key, c->norm, c->nlen);
            if (c->flags & SF_TOK_ALLCAPS)
                allcaps_core++;
        }
        core_words++;
    }
    if (core_words == 1 && allcaps_core == 1)
        f.flags |= SF_FACT_ACRONYM;
    /* an acronym's plural is the acronym: "EVs", "SUVs" */
    if (core_words == 1 && allcaps_core == 0 && nw == 1 && plural_acronym(x, t)) {
        size_t kl = strlen(f.key);
        if (kl > 2 && f.key[kl - 1] == 's') {
            f.key[kl - 1] = '\0';
            f.flags |= SF_FACT_ACRONYM;
        }
    }

    if (nw >= 2 && fx_in_heading(x, f.start))
        f.flags |= SF_FACT_HEADING;
    size_t from = 0;
    if (has_num && has_fac)
        f.name_class = SF_NAME_FACILITY;
    else if (fx_match_before(x, FW_TITLE, i, 0, &from))
        f.name_class = SF_NAME_PERSON;
    else if (corp || f.abbr[0])
        f.name_class = SF_NAME_ORG;
    else {
        /* the gazetteer knows the whole name ("Rio de Janeiro") or its
         * core words ("Hong Kong's" is `hong kong`) */
        const char *cc = sf_place_country(f.name, strlen(f.name), NULL);
        if (!cc)
            cc = sf_place_country(f.key, strlen(f.key), NULL);
        if (cc) {
            f.name_class = SF_NAME_PLACE;
            snprintf(f.country, sizeof f.country, "%s", cc);
        }
    }
    *used = last - i + 1;
    fx_emit(x, &f);
    return true;
}

/* The gap before the number j of a designator at j - 1: "No. 2", "No.2",
 * "n° 2", "nº 2"; a bare space only after a capitalised designator and
 * before a number of at most three digits ("No 2", not "No 2024 models"). */
static bool designation_gap(const fx *x, size_t j)
{
    const ftok *d = fx_tok(x, j - 1), *num = fx_tok(x, j);
    const char *g;
    size_t n, k = 0;
    fx_gap(x, j, &g, &n);
    if (n >= 1 && g[0] == '.')
        k = 1;
    else if (n >= 2 && (unsigned char)g[0] == 0xC2 &&
             ((unsigned char)g[1] == 0xB0 || (unsigned char)g[1] == 0xBA))
        k = 2; /* ° º */
    if (k == 0 && (d->nlen == 1 || !(d->flags & (SF_TOK_CAPITAL | SF_TOK_ALLCAPS)) ||
                   num->nlen > 3))
        return false;
    if (k == 1 && d->nlen == 1)
        return false; /* "n." is no designator */
    return n == k || (n == k + 1 && g[k] == ' ');
}

bool fx_try_designation(fx *x, size_t i, size_t *used)
{
    const ftok *d = fx_tok(x, i);
    if (!d || d->nlen > 4 || (d->flags & SF_TOK_NUMBER))
        return false;
    const ftok *num = fx_tok(x, i + 1);
    if (!fx_is_word(d) || !short_number(num) || !fx_word(x, FW_NUMDESIG, d) ||
        !designation_gap(x, i + 1))
        return false;
    size_t first = i, last = i + 1;
    const ftok *before = i >= 1 && i - 1 >= x->floor ? fx_tok(x, i - 1) : NULL;
    const ftok *after = fx_tok(x, i + 2);
    if (before && fx_is_word(before) && fx_gap_space(x, i) &&
        fx_word(x, FW_FACILITY, before))
        first = i - 1; /* "plant No. 2", "l'usine n° 2" */
    else if (after && fx_is_word(after) && fx_gap_space(x, i + 2) &&
             fx_word(x, FW_FACILITY, after))
        last = i + 2; /* "the No. 2 plant" */
    *used = last - i + 1;
    if (first == i && last == i + 1)
        return true; /* a rank: "the No. 1 seed" */
    sf_fact f;
    memset(&f, 0, sizeof f);
    f.kind = SF_FACT_NAME;
    f.name_class = SF_NAME_FACILITY;
    f.start = fx_tok(x, first)->start;
    f.end = fx_tok(x, last)->end;
    for (size_t k = first; k <= last; k++)
        append_word(f.name, sizeof f.name, fx_tok(x, k)->norm, fx_tok(x, k)->nlen);
    append_word(f.key, sizeof f.key, "plant", 5);
    append_word(f.key, sizeof f.key, num->norm, num->nlen);
    fx_emit(x, &f);
    return true;
}

/* ------------------------------------------------------------------ */
/* Aliases                                                             */
/* ------------------------------------------------------------------ */

typedef struct words {
    const char *w[NAME_MAX_WORDS + 4];
    size_t n[NAME_MAX_WORDS + 4];
    size_t count;
} words;

static void split(const char *s, words *ws)
{
    ws->count = 0;
    while (*s && ws->count < SF_ARRAY_LEN(ws->w)) {
        size_t n = 0; /* names' words are short: a byte loop beats strchr */
        while (s[n] && s[n] != ' ')
            n++;
        ws->w[ws->count] = s;
        ws->n[ws->count++] = n;
        s += n;
        while (*s == ' ')
            s++;
    }
}

static bool is_num(const char *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (w[k] < '0' || w[k] > '9')
            return false;
    return n > 0;
}

static bool has_word(const words *ws, const char *w, size_t n)
{
    for (size_t k = 0; k < ws->count; k++)
        if (ws->n[k] == n && memcmp(ws->w[k], w, n) == 0)
            return true;
    return false;
}

/* The first letters (first byte; ASCII names) of the words in s, skipping
 * connectors and designators. */
static void initials(const char *s, char *out, size_t cap)
{
    words ws;
    split(s, &ws);
    size_t o = 0;
    for (size_t k = 0; k < ws.count && o + 1 < cap; k++) {
        if (fw_word(FW_CONNECTOR, SF_LANG_EN, ws.w[k], ws.n[k]) ||
            fw_word(FW_NUMDESIG, SF_LANG_EN, ws.w[k], ws.n[k]))
            continue;
        out[o++] = ws.w[k][0];
    }
    out[o] = '\0';
}

/* a is an acronym of b. */
static bool acronym_of(const sf_fact *a, const sf_fact *b)
{
    if (!(a->flags & SF_FACT_ACRONYM))
        return false;
    if (b->abbr[0] && strcmp(a->key, b->abbr) == 0)
        return true;
    char ini[NAME_MAX_WORDS + 8];
    initials(b->name, ini, sizeof ini);
    if (strlen(ini) >= 2 && strcmp(ini, a->key) == 0)
        return true;
    initials(b->key, ini, sizeof ini);
    return strlen(ini) >= 2 && strcmp(ini, a->key) == 0;
}

/* Words of small (numbers and "plant" aside unless with_all) are all in big. */
static bool words_within(const words *small, const words *big, size_t *counted)
{
    *counted = 0;
    for (size_t k = 0; k < small->count; k++) {
        if (!has_word(big, small->w[k], small->n[k]))
            return false;
        if (!is_num(small->w[k], small->n[k]) &&
            !(small->n[k] == 5 && memcmp(small->w[k], "plant", 5) == 0))
            (*counted)++;
    }
    return true;
}

bool sf_names_alias(const sf_fact *a, const sf_fact *b)
{
    if (!a || !b || a->kind != SF_FACT_NAME || b->kind != SF_FACT_NAME ||
        !a->key[0] || !b->key[0])
        return false;
    if (strcmp(a->key, b->key) == 0)
        return true;
    if (a->abbr[0] && b->abbr[0] && strcmp(a->abbr, b->abbr) == 0)
        return true;
    if (acronym_of(a, b) || acronym_of(b, a))
        return true;
    words wa, wb;
    split(a->key, &wa);
    split(b->key, &wb);
    size_t na = 0, nb = 0;
    for (size_t k = 0; k < wa.count; k++)
        na += is_num(wa.w[k], wa.n[k]);
    for (size_t k = 0; k < wb.count; k++)
        nb += is_num(wb.w[k], wb.n[k]);
    if ((na > 0) != (nb > 0))
        return false;
    /* The numbers must be the same. */
    for (size_t k = 0; k < wa.count; k++)
        if (is_num(wa.w[k], wa.n[k]) && !has_word(&wb, wa.w[k], wa.n[k]))
            return false;
    for (size_t k = 0; k < wb.count; k++)
        if (is_num(wb.w[k], wb.n[k]) && !has_word(&wa, wb.w[k], wb.n[k]))
            return false;
    const words *small = wa.count <= wb.count ? &wa : &wb;
    const words *big = small == &wa ? &wb : &wa;
    size_t counted = 0;
    if (!words_within(small, big, &counted)) {
        if (wa.count != wb.count)
            return false;
        /* same size: try the other way round */
        if (!words_within(big, small, &counted))
            return false;
    }
    return na > 0 ? counted >= 1 : small->count >= 2;
}

uint64_t sf_names_words_mask(const sf_fact *f)
{
    if (!f || f->kind != SF_FACT_NAME)
        return 0;
    words ws; /* the words sf_names_alias compares, split as it splits them */
    split(f->key, &ws);
    uint64_t m = 0;
    for (size_t k = 0; k < ws.count; k++)
        m |= 1ull << (sf_hash64(ws.w[k], ws.n[k], 0) & 63);
    return m;
}

bool sf_names_alias_masked(const sf_fact *a, uint64_t ma, const sf_fact *b, uint64_t mb)
{
    /* Equal keys have equal summaries; words within words give bits
     * within bits. Only an acronym or an abbr joins names otherwise. */
    if ((ma & ~mb) && (mb & ~ma) && a && b && !(a->flags & SF_FACT_ACRONYM) &&
        !(b->flags & SF_FACT_ACRONYM) && !(a->abbr[0] && strcmp(a->abbr, b->abbr) == 0))
        return false;
    return sf_names_alias(a, b);
}

/* The words of ws are numbers and "plant" only, at least one of each. */
static bool bare_designation(const words *ws)
{
    bool num = false, fac = false;
    for (size_t k = 0; k < ws->count; k++) {
        if (is_num(ws->w[k], ws->n[k]))
            num = true;
        else if (ws->n[k] == 5 && memcmp(ws->w[k], "plant", 5) == 0)
            fac = true;
        else
            return false;
    }
    return num && fac;
}

bool sf_names_part_of(const sf_fact *part, const sf_fact *whole)
{
    if (!part || !whole || part->kind != SF_FACT_NAME || whole->kind != SF_FACT_NAME)
        return false;
    words wp, ww;
    split(part->key, &wp);
    split(whole->key, &ww);
    if (!bare_designation(&wp) || bare_designation(&ww) || !has_word(&ww, "plant", 5))
        return false;
    size_t nums = 0;
    for (size_t k = 0; k < ww.count; k++)
        if (is_num(ww.w[k], ww.n[k])) {
            if (!has_word(&wp, ww.w[k], ww.n[k]))
                return false;
            nums++;
        }
    for (size_t k = 0; k < wp.count; k++)
        if (is_num(wp.w[k], wp.n[k]) && !has_word(&ww, wp.w[k], wp.n[k]))
            return false;
    return nums > 0;
}
