/*
 * story_facts.c — the facts of a story: every fact its articles state
 * (src/facts.c extracts them from each article's clean text), grouped
 * across articles when they state the same thing (the same quantity
 * written differently, aliases of one name), ranked by how many articles
 * support each; and where the articles disagree: different counts of the
 * same harm, different values of one measure (a capacity in a known unit
 * and period, a deadline) stated by different articles, and denials of
 * what the others report.
 */
#include "data.h"
#include "engine.h"
#include "facts.h"

#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACTS_OUT 30       /* facts written per story */
#define MAX_SOURCES_OUT 20     /* supporting articles listed per fact */
#define MAX_MEMBERS_READ SF_MEMBERS_READ /* articles of a story read for facts */
#define GROUP_PROBES 8         /* members of a group a new fact is compared with */

/* One fact of one article. */
typedef struct item {
    sf_fact f;
    uint32_t doc;      /* article (doc index) */
    uint32_t group;
} item;

typedef struct group {
    uint32_t first;    /* first item */
    uint32_t members[GROUP_PROBES];
    uint32_t nprobe;
    uint32_t support;  /* distinct articles */
    bool counted;      /* a quantity: some item says what it counts */
    bool in_text;      /* some item was not read in a heading */
    uint32_t last_doc; /* to count distinct articles: items come in doc order */
} group;

typedef struct collector {
    item *items;
    size_t n, cap;
    uint32_t doc;
    sf_lang lang;      /* of doc */
    bool oom;
} collector;

/* Whether a quantity says what it counts. */
static bool has_unit(const sf_fact *f)
{
    return f->unit[0] && strcmp(f->unit, "unit") != 0;
}

/* A name of one capitalised word that is not an acronym ("Xiaomi"). */
static bool lone_word_name(const sf_fact *f)
{
    return f->kind == SF_FACT_NAME && !strchr(f->name, ' ') && !(f->flags & SF_FACT_ACRONYM);
}

/* Facts worth collecting: names, dates, money, people counts, quantities
 * that say what they count, and large bare numbers ("300k"), which may
 * join a counted quantity of the same value but never make a fact alone.
 * A name of one word is taken where capitals mark names (not in German,
 * which capitalises every noun) and is shown only when two articles name
 * it (see sf_story_facts_json). */
static bool reportable(const sf_fact *f, sf_lang lang)
{
    switch (f->kind) {
    case SF_FACT_QUANTITY:
        return (has_unit(f) && strcmp(f->unit, "%") != 0) || f->value >= 1000;
    case SF_FACT_DATE:
        return !(f->flags & SF_FACT_UNRESOLVED);
    case SF_FACT_NAME:
        return !lone_word_name(f) || f->name_class != SF_NAME_UNKNOWN || lang != SF_LANG_DE;
    default:
        return true;
    }
}

static int on_fact(void *ctx, const sf_fact *f)
{
    collector *c = ctx;
    if (!reportable(f, c->lang))
        return 0;
    if (!SF_GROW(c->items, c->cap, c->n + 1)) {
        c->oom = true;
        return 1;
    }
    item *it = &c->items[c->n++];
    it->f = *f;
    it->doc = c->doc;
    it->group = UINT32_MAX;
    return 0;
}

static const char *kind_name(sf_fact_kind k)
{
    switch (k) {
    case SF_FACT_QUANTITY: return "quantity";
    case SF_FACT_MONEY: return "money";
    case SF_FACT_DATE: return "date";
    case SF_FACT_PEOPLE: return "people";
    case SF_FACT_NAME: return "name";
    }
    return "fact";
}

static const char *harm_name(sf_harm h)
{
    switch (h) {
    case SF_HARM_KILLED: return "killed";
    case SF_HARM_INJURED: return "injured";
    case SF_HARM_ARRESTED: return "arrested";
    case SF_HARM_MISSING: return "missing";
    default: return "";
    }
}

static const char *name_class(sf_name_class c)
{
    switch (c) {
    case SF_NAME_ORG: return "organisation";
    case SF_NAME_PERSON: return "person";
    case SF_NAME_PLACE: return "place";
    case SF_NAME_FACILITY: return "facility";
    default: return "";
    }
}

/* Groups items stating the same fact. Items of a group keep their order;
 * a new item joins the first group one of whose first members it matches. */
static bool group_items(item *items, size_t n, group **out, size_t *ngroups)
{
    group *g = NULL;
    size_t ng = 0, cap = 0;
    /* names are most items and most pairs of them differ: their word
     * summaries rule most pairs out before sf_names_alias splits keys */
    uint64_t *mask = malloc((n ? n : 1) * sizeof *mask);
    if (!mask)
        return false;
    for (size_t i = 0; i < n; i++)
        mask[i] = sf_names_words_mask(&items[i].f);
    for (size_t i = 0; i < n; i++) {
        item *it = &items[i];
        size_t k;
        for (k = 0; k < ng; k++) {
            const item *first = &items[g[k].first];
            if (first->f.kind != it->f.kind)
                continue;
            bool same = false;
            for (uint32_t p = 0; p < g[k].nprobe && !same; p++) {
                uint32_t m = g[k].members[p];
                same = it->f.kind == SF_FACT_NAME
                           ? sf_names_alias_masked(&items[m].f, mask[m], &it->f, mask[i])
                           : sf_facts_same(&items[m].f, &it->f);
            }
            if (same)
                break;
        }
        if (k == ng) {
            if (!SF_GROW(g, cap, ng + 1)) {
                free(g);
                free(mask);
                return false;
            }
            memset(&g[ng], 0, sizeof g[ng]);
            g[ng].first = (uint32_t)i;
            g[ng].last_doc = UINT32_MAX;
            ng++;
        }
        group *gr = &g[k];
        it->group = (uint32_t)k;
        if (gr->nprobe < GROUP_PROBES)
            gr->members[gr->nprobe++] = (uint32_t)i;
        if (it->f.kind != SF_FACT_QUANTITY || has_unit(&it->f))
            gr->counted = true;
        if (gr->last_doc != it->doc) {
            gr->support++;
            gr->last_doc = it->doc;
        }
    }
    free(mask);
    *out = g;
    *ngroups = ng;
    return true;
}

/* A facility's bare designation ("Plant 2") names the one plant of the
 * story numbered so: its group joins the one group of names holding a
 * facility word and its number ("Hyundai's Beijing Plant 2", see
 * sf_names_part_of). With two such groups (two plants numbered 2) or none
 * it stays apart. The merged group is emptied (support 0, not shown). */
/* A key of "plant" and numbers only ("plant 2"): a cheap test before
 * sf_names_part_of, which few groups pass. */
static bool bare_key(const char *k)
{
    bool digit = false;
    for (const char *w = k; *w;) {
        size_t n = strcspn(w, " ");
        if (n == 5 && memcmp(w, "plant", 5) == 0) {
        } else if (n > 0 && strspn(w, "0123456789") >= n) {
            digit = true;
        } else {
            return false;
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    return digit;
}

/* Moves group k's items into group into: support counted again (items
 * come in article order); k is emptied (support 0, not shown). */
static void merge_group(item *items, size_t n, group *g, size_t k, size_t into)
{
    uint32_t support = 0, last = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        if (items[i].group == k)
            items[i].group = (uint32_t)into;
        if (items[i].group == into && items[i].doc != last) {
            support++;
            last = items[i].doc;
        }
    }
    g[into].support = support; /* shown by its own first name, the fuller */
    g[k].support = 0;
    g[k].counted = false;
    g[k].nprobe = 0;
}

/* The last word of a name's key, and whether the key is that one word. */
static const char *last_word(const char *key, bool *alone)
{
    const char *sp = strrchr(key, ' ');
    *alone = sp == NULL;
    return sp ? sp + 1 : key;
}

/* A lone surname ("Davis", read where the article repeats it) names the
 * one person of the story so called: its group joins the one group of
 * names of two words or more ending with it ("Ackeem Davis"), of a person
 * or of no known class. With two such (Ackeem and Rachel Davis) or none
 * it stays apart; places and organisations never join. */
static void merge_surnames(item *items, size_t n, group *g, size_t ng)
{
    for (size_t k = 0; k < ng; k++) {
        const sf_fact *part = &items[g[k].first].f;
        bool alone;
        if (part->kind != SF_FACT_NAME || g[k].support == 0 || part->abbr[0] ||
            (part->flags & SF_FACT_ACRONYM) || part->name_class == SF_NAME_PLACE ||
            part->name_class == SF_NAME_ORG || part->name_class == SF_NAME_FACILITY)
            continue;
        last_word(part->key, &alone);
        if (!alone || strspn(part->key, "0123456789") > 0)
            continue;
        size_t into = SIZE_MAX, wholes = 0;
        for (size_t p = 0; p < ng && wholes < 2; p++) {
            const sf_fact *whole = &items[g[p].first].f;
            if (p == k || g[p].support == 0 || whole->kind != SF_FACT_NAME ||
                (whole->name_class != SF_NAME_PERSON && whole->name_class != SF_NAME_UNKNOWN))
                continue;
            bool one;
            const char *w = last_word(whole->key, &one);
            if (!one && strcmp(w, part->key) == 0)
                into = p, wholes++;
        }
        if (wholes == 1)
            merge_group(items, n, g, k, into);
    }
}

static void merge_designations(item *items, size_t n, group *g, size_t ng)
{
    for (size_t k = 0; k < ng; k++) {
        const sf_fact *part = &items[g[k].first].f;
        if (part->kind != SF_FACT_NAME || g[k].support == 0 || !bare_key(part->key))
            continue;
        size_t into = SIZE_MAX, wholes = 0;
        for (size_t p = 0; p < ng && wholes < 2; p++) {
            if (p == k || g[p].support == 0 || items[g[p].first].f.kind != SF_FACT_NAME)
                continue;
            bool whole = false;
            for (uint32_t q = 0; q < g[p].nprobe && !whole; q++)
                whole = sf_names_part_of(part, &items[g[p].members[q]].f);
            if (whole)
                into = p, wholes++;
        }
        if (wholes == 1)
            merge_group(items, n, g, k, into);
    }
}

/* The item a group is shown by: its first that says what it counts and
 * reads one way ("300,000 vehicles" before an English "300.000 vehicles",
 * 300 or 300,000, which it joined by the other reading); else its first
 * that says what it counts; else its first. */
static const item *shown(const item *items, const group *gr)
{
    const item *best = &items[gr->first];
    int best_rank = 0;
    for (uint32_t p = 0; p < gr->nprobe; p++) {
        const item *it = &items[gr->members[p]];
        int rank = (it->f.kind != SF_FACT_QUANTITY || has_unit(&it->f)) +
                   !(it->f.flags & SF_FACT_AMBIGUOUS);
        if (rank > best_rank)
            best = it, best_rank = rank;
    }
    return best;
}

static int kind_rank(sf_fact_kind k)
{
    /* at equal support: what the story is about first */
    switch (k) {
    case SF_FACT_PEOPLE: return 0;
    case SF_FACT_QUANTITY: return 1;
    case SF_FACT_MONEY: return 2;
    case SF_FACT_NAME: return 3;
    default: return 4;
    }
}

typedef struct rank_ctx {
    const group *g;
    const item *items;
} rank_ctx;

static _Thread_local rank_ctx g_rank;

static int cmp_groups(const void *a, const void *b)
{
    const group *x = &g_rank.g[*(const uint32_t *)a], *y = &g_rank.g[*(const uint32_t *)b];
    if (x->support != y->support)
        return x->support > y->support ? -1 : 1;
    int kx = kind_rank(g_rank.items[x->first].f.kind), ky = kind_rank(g_rank.items[y->first].f.kind);
    if (kx != ky)
        return kx - ky;
    return x->first < y->first ? -1 : x->first > y->first;
}

static bool put_quote(sf_buf *b, const sf_engine *e, const sf_story_texts *tx, uint32_t doc,
                      size_t start, size_t end)
{
    size_t len;
    const char *text = sf_story_text(e, tx, doc, &len);
    if (end > len || start > end)
        return sf_buf_puts(b, "\"\"");
    return sf_buf_json_string(b, text + start, end - start);
}

static bool put_number(sf_buf *b, const char *name, double v)
{
    if (!isfinite(v))
        return sf_buf_printf(b, ",\"%s\":null", name);
    if (fabs(v) < 1e15 && v == floor(v)) /* as %.0f prints it, "-0" too */
        return sf_buf_puts(b, ",\"") && sf_buf_puts(b, name) &&
               sf_buf_puts(b, signbit(v) ? "\":-" : "\":") &&
               sf_buf_put_uint(b, (uint64_t)fabs(v));
    return sf_buf_printf(b, ",\"%s\":%.6g", name, v);
}

/* The fact's value fields as JSON members (after the "kind" member). */
static bool put_value(sf_buf *b, const sf_fact *f)
{
    bool ok = true;
    switch (f->kind) {
    case SF_FACT_NAME:
        ok = sf_buf_puts(b, ",\"name\":") && sf_buf_json_string(b, f->name, strlen(f->name));
        if (ok && f->abbr[0])
            ok = sf_buf_puts(b, ",\"abbr\":") && sf_buf_json_string(b, f->abbr, strlen(f->abbr));
        if (ok && f->name_class != SF_NAME_UNKNOWN)
            ok = sf_buf_printf(b, ",\"class\":\"%s\"", name_class(f->name_class));
        if (ok && f->country[0])
            ok = sf_buf_puts(b, ",\"country\":") &&
                 sf_buf_json_string(b, f->country, strlen(f->country));
        return ok;
    case SF_FACT_DATE:
        if (f->prec == SF_DATE_DAY)
            return sf_buf_printf(b, ",\"value\":\"%04d-%02d-%02d\"", (int)f->year, (int)f->month,
                                 (int)f->day);
        if (f->prec == SF_DATE_MONTH)
            return sf_buf_printf(b, ",\"value\":\"%04d-%02d\"", (int)f->year, (int)f->month);
        ok = sf_buf_printf(b, ",\"value\":\"%04d\"", (int)f->year);
        if (ok && (f->flags & SF_FACT_BY))
            ok = sf_buf_puts(b, ",\"by\":true");
        return ok;
    default:
        break;
    }
    ok = put_number(b, "value", f->value);
    if (ok && (f->flags & SF_FACT_RANGE))
        ok = put_number(b, "value_max", f->value_max);
    if (ok && f->kind == SF_FACT_MONEY)
        ok = sf_buf_printf(b, ",\"currency\":\"%s\"", f->currency);
    if (ok && f->kind == SF_FACT_PEOPLE)
        ok = sf_buf_printf(b, ",\"harm\":\"%s\"", harm_name(f->harm));
    if (ok && f->unit[0] && f->kind != SF_FACT_MONEY)
        ok = sf_buf_puts(b, ",\"unit\":") && sf_buf_json_string(b, f->unit, strlen(f->unit));
    if (ok && (f->flags & SF_FACT_PER_YEAR))
        ok = sf_buf_puts(b, ",\"per\":\"year\"");
    if (ok && (f->flags & SF_FACT_UP_TO))
        ok = sf_buf_puts(b, ",\"up_to\":true");
    if (ok && (f->flags & SF_FACT_AT_LEAST))
        ok = sf_buf_puts(b, ",\"at_least\":true");
    if (ok && (f->flags & SF_FACT_APPROX))
        ok = sf_buf_puts(b, ",\"approx\":true");
    if (ok && (f->flags & SF_FACT_AMBIGUOUS))
        ok = put_number(b, "other_reading", f->value_alt);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Denials                                                             */
/* ------------------------------------------------------------------ */

/* Denial cues per language (data/denial/<lang>.txt), as " word word "
 * strings to find in a sentence normalised the same way. A sentence
 * denies what others report when it holds a cue that denies by itself
 * ("baseless", "desmintió", "опроверг"), or a word of denying ("verb"
 * lines: "denied", "negó", "bestritt") followed within REPORT_NEAR words
 * by a report word, its object ("report" lines: "reports", "claims",
 * "noticias", "сообщения"): "denied the media reports", "negó las
 * informaciones"; or ("verbend" lines) preceded by one, in languages that
 * put the object first: "bu haberleri reddetti", "wies die Berichte
 * zurück". A word of denying alone is a plea, a refusal or a
 * ruling ("denies arson", "denied bail"; "the court of claims denied the
 * motions": the report word is not its object), and one after a
 * negation ("neg" lines: "not", "no", "не") within two words denies
 * nothing ("while not denying the story"). */
enum { CUE_PLAIN, CUE_VERB, CUE_VERBEND, CUE_REPORT, CUE_NEG };
#define REPORT_NEAR 3

typedef struct cue_list {
    char **cues;
    unsigned char *kind;  /* CUE_* of each cue */
    size_t n, cap, kcap;
    /* the hashes of the cues' first words: a sentence none of whose words
     * is one of them holds no cue (the sentence is words joined by single
     * spaces, and a cue starts at a word) */
    uint64_t *first;
    size_t nfirst, fcap;
    uint64_t bloom[4];   /* bit (hash >> 56) of each first word's hash */
    /* report words start keeping a sentence's words where a verb may
     * follow its object (the language has "verbend" cues) */
    uint64_t *keepw;     /* the hashes of the report words' first words */
    size_t nkeepw, kwcap;
    uint64_t keep_bloom; /* bit (hash >> 56) of each */
    bool verbend;
    /* negations (one word each): looked for among the two words before
     * a cue's first word, when it starts keeping the sentence */
    uint64_t *neg;
    size_t *neg_cue;     /* the index of each one's cue */
    size_t nneg, ncap, nccap;
} cue_list;

static cue_list g_cues[SF_LANG_COUNT];
static pthread_once_t g_cues_once = PTHREAD_ONCE_INIT;

static void add_cue(void *ctx, const char *line, size_t len)
{
    cue_list *l = ctx;
    int kind = CUE_PLAIN;
    if (len > 5 && memcmp(line, "verb ", 5) == 0)
        kind = CUE_VERB, line += 5, len -= 5;
    else if (len > 8 && memcmp(line, "verbend ", 8) == 0)
        kind = CUE_VERBEND, line += 8, len -= 8;
    else if (len > 7 && memcmp(line, "report ", 7) == 0)
        kind = CUE_REPORT, line += 7, len -= 7;
    else if (len > 4 && memcmp(line, "neg ", 4) == 0)
        kind = CUE_NEG, line += 4, len -= 4;
    if (!SF_GROW(l->cues, l->cap, l->n + 1) || !SF_GROW(l->kind, l->kcap, l->n + 1))
        return; /* a cue less: denials are best effort */
    char *c = malloc(len + 3);
    if (!c)
        return;
    size_t w = 0;
    while (w < len && line[w] != ' ')
        w++;
    /* the first words of cues start a sentence's check, those of report
     * words (which may come before their verb) only keeping its words */
    bool ok = kind == CUE_NEG
                  ? SF_GROW(l->neg, l->ncap, l->nneg + 1) &&
                        SF_GROW(l->neg_cue, l->nccap, l->nneg + 1)
              : kind == CUE_REPORT ? SF_GROW(l->keepw, l->kwcap, l->nkeepw + 1)
                                   : SF_GROW(l->first, l->fcap, l->nfirst + 1);
    if (!ok) {
        free(c);
        return;
    }
    c[0] = ' ';
    memcpy(c + 1, line, len);
    c[len + 1] = ' ';
    c[len + 2] = '\0';
    l->kind[l->n] = (unsigned char)kind;
    l->cues[l->n++] = c;
    uint64_t h = sf_hash64(line, w, 0);
    if (kind == CUE_NEG) {
        l->neg_cue[l->nneg] = l->n - 1;
        l->neg[l->nneg++] = h;
    } else if (kind == CUE_REPORT) {
        l->keepw[l->nkeepw++] = h;
        l->keep_bloom |= 1ull << (h >> 56 & 63);
    } else {
        l->verbend |= kind == CUE_VERBEND;
        l->first[l->nfirst++] = h;
        l->bloom[h >> 62] |= 1ull << (h >> 56 & 63);
    }
}

static void load_cues(void)
{
    for (int l = SF_LANG_EN; l < SF_LANG_COUNT; l++) {
        char name[32];
        snprintf(name, sizeof name, "denial/%s.txt", sf_lang_code((sf_lang)l));
        sf_data_lines(name, add_cue, &g_cues[l]);
    }
}

typedef struct sentence_scan {
    sf_buf norm;          /* " w1 w2 ... " of the current sentence, from its
                             first word that starts a cue */
    size_t start, end;    /* its byte range */
    size_t words;         /* its words so far */
    const cue_list *cues;
    size_t found_start, found_end;
    uint64_t prev[2];     /* the hashes of the last two words, the last first */
    bool maybe;           /* the sentence has a cue's first word */
    bool keep;            /* norm holds its words from the current one on */
    bool found, oom;
} sentence_scan;

/* Words (spaces) in s[a..b). */
static size_t words_between(const char *s, size_t a, size_t b)
{
    size_t w = 0;
    for (size_t k = a; k < b; k++)
        w += s[k] == ' ';
    return w;
}

/* The words between a cue ending (with its closing space) at byte e of
 * norm and one starting (with its opening space) at byte b > e - 1. */
static size_t gap_words(const char *norm, size_t e, size_t b)
{
    return e <= b + 1 ? words_between(norm, e, b + 1) : 0;
}

/* True if an occurrence of cue v in norm, not after one of c's negations
 * within two words, is followed (preceded if before) within REPORT_NEAR
 * words by cue r. */
static bool cues_near(const cue_list *c, const char *norm, const char *v, const char *r,
                      bool before)
{
    size_t vl = strlen(v);
    for (const char *p = strstr(norm, v); p; p = strstr(p + 1, v)) {
        size_t a = (size_t)(p - norm);
        bool negated = false;
        for (size_t k = 0; k < c->n && !negated; k++) {
            if (c->kind[k] != CUE_NEG)
                continue;
            size_t nl = strlen(c->cues[k]);
            for (const char *q = strstr(norm, c->cues[k]); q && q < p && !negated;
                 q = strstr(q + 1, c->cues[k]))
                negated = gap_words(norm, (size_t)(q - norm) + nl, a) <= 2;
        }
        if (negated)
            continue;
        size_t rl = strlen(r);
        for (const char *q = strstr(before ? norm : p + vl - 1, r); q && (!before || q < p);
             q = strstr(q + 1, r))
            if ((before ? gap_words(norm, (size_t)(q - norm) + rl, a)
                        : gap_words(norm, a + vl, (size_t)(q - norm))) <= REPORT_NEAR)
                return true;
    }
    return false;
}

static bool sentence_has_cue(sentence_scan *s)
{
    if (!s->maybe)
        return false;
    const cue_list *c = s->cues;
    for (size_t i = 0; i < c->n; i++)
        if (c->kind[i] == CUE_PLAIN && strstr(s->norm.data, c->cues[i]))
            return true;
    for (size_t i = 0; i < c->n; i++) {
        if ((c->kind[i] != CUE_VERB && c->kind[i] != CUE_VERBEND) ||
            !strstr(s->norm.data, c->cues[i]))
            continue;
        for (size_t j = 0; j < c->n; j++)
            if (c->kind[j] == CUE_REPORT && cues_near(c, s->norm.data, c->cues[i], c->cues[j],
                                                      c->kind[i] == CUE_VERBEND))
                return true;
    }
    return false;
}

static bool starts_cue(const cue_list *c, uint64_t h)
{
    if (!(c->bloom[h >> 62] >> (h >> 56 & 63) & 1))
        return false;
    for (size_t i = 0; i < c->nfirst; i++)
        if (c->first[i] == h)
            return true;
    return false;
}

/* True if t's norm holds a space (as NFKC may give): a loop, not a call
 * of memchr, most norms being a few bytes. */
static inline bool norm_has_space(const sf_token *t)
{
    for (size_t k = 0; k < t->norm_len; k++)
        if (t->norm[k] == ' ')
            return true;
    return false;
}

/* A cue starts at a word whose hash is one of the cues' first words (or
 * inside a word whose norm has a space, as NFKC may give), so the words
 * of a sentence before the first such word are not kept. */
static int on_denial_token(void *ctx, const sf_token *t)
{
    sentence_scan *s = ctx;
    if ((t->flags & SF_TOK_SENTSTART) && s->words) {
        if (sentence_has_cue(s)) {
            s->found = true;
            s->found_start = s->start;
            s->found_end = s->end;
            return 1;
        }
        sf_buf_clear(&s->norm);
        sf_buf_putc(&s->norm, ' ');
        s->maybe = s->keep = false;
        s->words = 0;
    }
    if (!s->maybe)
        s->maybe = starts_cue(s->cues, t->hash);
    if (!s->keep) {
        const cue_list *c = s->cues;
        s->keep = s->maybe || norm_has_space(t);
        if (!s->keep && c->verbend && (c->keep_bloom >> (t->hash >> 56 & 63) & 1))
            for (size_t k = 0; k < c->nkeepw && !s->keep; k++)
                s->keep = c->keepw[k] == t->hash;
        /* a negation among the two words before: kept too ("not
         * denying"; "did not deny" keeps "not deny") */
        for (int back = 1; s->keep && back >= 0; back--)
            for (size_t k = 0; k < c->nneg; k++)
                if (c->neg[k] == s->prev[back] && s->words > (size_t)back) {
                    const char *w = c->cues[c->neg_cue[k]] + 1; /* "not " */
                    if (!sf_buf_append(&s->norm, w, strlen(w))) {
                        s->oom = true;
                        return 1;
                    }
                    break;
                }
    }
    s->prev[1] = s->prev[0];
    s->prev[0] = t->hash;
    if (!s->words++)
        s->start = t->start;
    s->end = t->end;
    if (s->keep &&
        (!sf_buf_append(&s->norm, t->norm, t->norm_len) || !sf_buf_putc(&s->norm, ' '))) {
        s->oom = true;
        return 1;
    }
    return 0;
}

/* The language whose denial cues are looked for in d. */
static sf_lang denial_lang(const sf_doc *d)
{
    pthread_once(&g_cues_once, load_cues);
    return d->lang == SF_LANG_UNKNOWN ? SF_LANG_EN : d->lang;
}

/* Starts a scan of d's tokens (on_denial_token) for the first sentence
 * holding a denial cue; false if out of memory. */
static bool denial_begin(sentence_scan *s, const sf_doc *d)
{
    memset(s, 0, sizeof *s);
    s->cues = &g_cues[denial_lang(d)];
    sf_buf_init(&s->norm, 1 << 20);
    if (!sf_buf_putc(&s->norm, ' ')) {
        sf_buf_free(&s->norm);
        return false;
    }
    return true;
}

/* Ends scan s of text[0..text_len) (st: how the tokenising went): the
 * sentence's byte range goes to *start, *end. Returns 1 if found, 0 if
 * not, -1 if out of memory. */
static int denial_end(sentence_scan *s, const char *text, size_t text_len, sf_status st,
                      size_t *start, size_t *end)
{
    if (st == SF_OK && !s->found && !s->oom && s->words && sentence_has_cue(s)) {
        s->found = true;
        s->found_start = s->start;
        s->found_end = s->end;
    }
    /* the sentence's closing punctuation belongs to the quote */
    if (s->found) {
        size_t e = s->found_end;
        while (e < text_len && (text[e] == '.' || text[e] == '!' || text[e] == '?' ||
                                text[e] == '"' || (unsigned char)text[e] >= 0x80))
            if ((unsigned char)text[e] >= 0x80) {
                /* closing quotation marks: ” ’ » (multi-byte) */
                if (e + 2 < text_len && (unsigned char)text[e] == 0xE2)
                    e += 3;
                else
                    break;
            } else {
                e++;
            }
        *start = s->found_start;
        *end = e;
    }
    sf_buf_free(&s->norm);
    if (st != SF_OK || s->oom)
        return -1;
    return s->found ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* An article's facts, kept                                            */
/* ------------------------------------------------------------------ */

/* What a story's JSON reads from one article's clean text: its reportable
 * facts, packed, and its first denial. The facts come out of the text,
 * its language and its date alone, so they are read once per article
 * however often its story is written again. A fact is packed as the bytes
 * of sf_fact before key (numbers, unit, currency, offsets), as a mask of
 * their 8-byte words that are not zero and those words, and then key,
 * name, abbr and country, each as a length byte and its bytes: about 80
 * bytes instead of the struct's ~400 (most of the numbers are zero for
 * any one kind of fact). */
struct sf_doc_facts {
    size_t denial_start, denial_end;
    uint32_t n;            /* facts */
    bool denial;           /* a sentence denies: denial_start..denial_end */
    unsigned char data[];
};

#define FACT_PREFIX offsetof(sf_fact, key)
#define FACT_WORDS ((FACT_PREFIX + 7) / 8)
_Static_assert(FACT_WORDS <= 16, "the word mask is 16 bits");

/* The bytes of f before key, the padding after prec zeroed (the rest of
 * the struct is members). */
static void fact_prefix(const sf_fact *f, unsigned char buf[FACT_WORDS * 8])
{
    memset(buf, 0, FACT_WORDS * 8);
    memcpy(buf, f, FACT_PREFIX);
    size_t gap = offsetof(sf_fact, prec) + sizeof f->prec;
    memset(buf + gap, 0, offsetof(sf_fact, start) - gap);
}

static size_t packed_size(const sf_fact *f)
{
    unsigned char buf[FACT_WORDS * 8];
    fact_prefix(f, buf);
    size_t n = 2 + 4 + strnlen(f->key, sizeof f->key - 1) + strnlen(f->name, sizeof f->name - 1) +
               strnlen(f->abbr, sizeof f->abbr - 1) + strnlen(f->country, sizeof f->country - 1);
    static const unsigned char zero[8];
    for (size_t w = 0; w < FACT_WORDS; w++)
        n += memcmp(buf + 8 * w, zero, 8) ? 8 : 0;
    return n;
}

static unsigned char *pack_string(unsigned char *p, const char *s, size_t cap)
{
    size_t n = strnlen(s, cap - 1);
    *p++ = (unsigned char)n;
    memcpy(p, s, n);
    return p + n;
}

static const unsigned char *unpack_string(const unsigned char *p, char *s)
{
    size_t n = *p++;
    memcpy(s, p, n);
    s[n] = '\0';
    return p + n;
}

static unsigned char *pack_fact(unsigned char *p, const sf_fact *f)
{
    unsigned char buf[FACT_WORDS * 8];
    fact_prefix(f, buf);
    static const unsigned char zero[8];
    unsigned mask = 0;
    unsigned char *m = p;
    p += 2;
    for (size_t w = 0; w < FACT_WORDS; w++)
        if (memcmp(buf + 8 * w, zero, 8)) {
            mask |= 1u << w;
            memcpy(p, buf + 8 * w, 8);
            p += 8;
        }
    m[0] = (unsigned char)(mask & 0xff);
    m[1] = (unsigned char)(mask >> 8);
    p = pack_string(p, f->key, sizeof f->key);
    p = pack_string(p, f->name, sizeof f->name);
    p = pack_string(p, f->abbr, sizeof f->abbr);
    return pack_string(p, f->country, sizeof f->country);
}

static const unsigned char *unpack_fact(const unsigned char *p, sf_fact *f)
{
    unsigned char buf[FACT_WORDS * 8];
    memset(buf, 0, sizeof buf);
    unsigned mask = p[0] | (unsigned)p[1] << 8;
    p += 2;
    for (size_t w = 0; w < FACT_WORDS; w++)
        if (mask & (1u << w)) {
            memcpy(buf + 8 * w, p, 8);
            p += 8;
        }
    memset(f, 0, sizeof *f);
    memcpy(f, buf, FACT_PREFIX);
    p = unpack_string(p, f->key);
    p = unpack_string(p, f->name);
    p = unpack_string(p, f->abbr);
    return unpack_string(p, f->country);
}

/* Reads the facts and denial of d, whose clean text is text[0..text_len),
 * with t; NULL if out of memory. The denial
 * cues are looked for in the tokens the facts are read from when both
 * tokenise in one language (one pass over the text), else in a pass of
 * their own. */
static struct sf_doc_facts *read_doc_facts(sf_text *t, const sf_doc *d, const char *text,
                                           size_t text_len)
{
    collector c;
    memset(&c, 0, sizeof c);
    c.lang = d->lang;
    sf_lang dl = denial_lang(d);
    bool scan = g_cues[dl].n > 0, tee = scan && dl == d->lang;
    sentence_scan s;
    if (scan && !denial_begin(&s, d))
        return NULL;
    sf_status fs = sf_facts_extract_tee(t, text, text_len, d->lang,
                                        d->day == SF_NO_DAY ? INT32_MIN : d->day, on_fact, &c,
                                        tee ? on_denial_token : NULL, &s);
    sf_status ds = fs;
    if (scan && !tee && fs == SF_OK && !c.oom)
        ds = sf_tokenize(t, text, text_len, dl, 0, on_denial_token, &s);
    size_t start = 0, end = 0;
    int denial = scan ? denial_end(&s, text, text_len, ds, &start, &end) : 0;
    if (denial < 0 || fs != SF_OK || c.oom) {
        free(c.items);
        return NULL;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < c.n; i++)
        bytes += packed_size(&c.items[i].f);
    struct sf_doc_facts *df = malloc(sizeof *df + bytes);
    if (df) {
        df->denial = denial == 1;
        df->denial_start = start;
        df->denial_end = end;
        df->n = (uint32_t)c.n;
        unsigned char *p = df->data;
        for (size_t i = 0; i < c.n; i++)
            p = pack_fact(p, &c.items[i].f);
    }
    free(c.items);
    return df;
}

/* Appends the facts kept in df, of doc index doc, to c's items. */
static bool unpack_facts(const struct sf_doc_facts *df, uint32_t doc, collector *c)
{
    const unsigned char *p = df->data;
    for (uint32_t i = 0; i < df->n; i++) {
        if (!SF_GROW(c->items, c->cap, c->n + 1))
            return false;
        item *it = &c->items[c->n++];
        p = unpack_fact(p, &it->f);
        it->doc = doc;
        it->group = UINT32_MAX;
    }
    return true;
}

void sf_doc_facts_free(sf_doc *d)
{
    free(d->facts);
    d->facts = NULL;
}

/* ------------------------------------------------------------------ */
/* The story's facts and disagreements as JSON                         */
/* ------------------------------------------------------------------ */

/* One source of a fact or a side: {"id", "quote", "start", "end"} of
 * doc's clean text [start, end), after a comma unless it is the first. */
static bool put_source(sf_buf *b, const sf_engine *e, const sf_story_texts *tx, uint32_t doc,
                       size_t start, size_t end, bool first)
{
    const sf_doc *d = &e->docs[doc];
    return sf_buf_puts(b, first ? "{\"id\":" : ",{\"id\":") &&
           sf_buf_json_string(b, d->id, strlen(d->id)) && sf_buf_puts(b, ",\"quote\":") &&
           put_quote(b, e, tx, doc, start, end) && sf_buf_puts(b, ",\"start\":") &&
           sf_buf_put_uint(b, start) && sf_buf_puts(b, ",\"end\":") && sf_buf_put_uint(b, end) &&
           sf_buf_putc(b, '}');
}

static bool put_sources(sf_buf *b, const sf_engine *e, const sf_story_texts *tx,
                        const item *items, size_t n,
                        uint32_t group_no)
{
    bool ok = sf_buf_puts(b, ",\"sources\":[");
    uint32_t last = UINT32_MAX, listed = 0;
    for (size_t i = 0; ok && i < n && listed < MAX_SOURCES_OUT; i++) {
        const item *it = &items[i];
        if (it->group != group_no || it->doc == last)
            continue;
        last = it->doc;
        ok = put_source(b, e, tx, it->doc, it->f.start, it->f.end, listed == 0);
        listed++;
    }
    return ok && sf_buf_putc(b, ']');
}

/* True if no sentence ends in text[0..len) between byte offsets a and b. */
static bool one_sentence(const char *text, size_t len, size_t a, size_t b)
{
    if (a > b) {
        size_t t = a;
        a = b;
        b = t;
    }
    if (!text || b > len)
        return false;
    for (size_t k = a; k < b; k++) {
        char c = text[k];
        /* "5. 9" in text rebuilt from tokens is a decimal */
        if (c == '.' && k > 0 && k + 2 < b && text[k - 1] >= '0' && text[k - 1] <= '9' &&
            text[k + 2] >= '0' && text[k + 2] <= '9')
            continue;
        if (c == '\n' || ((c == '.' || c == '!' || c == '?') && k + 1 < b && text[k + 1] == ' '))
            return false;
    }
    return true;
}

/* Marks in past[] the people counts of a past event: a count in the
 * sentence of a date of an earlier year than its article's ("the
 * disaster of December 2003, in which more than 31,000 people were
 * killed", in a report of 2005; "last year, a 7.8 quake killed more than
 * 50,000", a relative date resolved against the article's; an undated
 * article is taken to be of the year of the story's latest dated one). */
static void mark_past_counts(const sf_engine *e, const sf_story_texts *tx, const item *items,
                             size_t n, bool *past)
{
    int32_t latest = SF_NO_DAY;
    for (size_t i = 0; i < n; i++) {
        int32_t day = e->docs[items[i].doc].day;
        if (day != SF_NO_DAY && (latest == SF_NO_DAY || day > latest))
            latest = day;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && items[j].doc == items[i].doc)
            j++;
        int32_t day = e->docs[items[i].doc].day;
        if (day == SF_NO_DAY)
            day = latest;
        int32_t ay = 0, am, ad;
        if (day != SF_NO_DAY)
            sf_civil_from_days(day, &ay, &am, &ad);
        size_t tlen = 0;
        const char *text = ay ? sf_story_text(e, tx, items[i].doc, &tlen) : NULL;
        for (size_t p = i; text && p < j; p++) {
            const sf_fact *pf = &items[p].f;
            past[p] = false;
            if (pf->kind != SF_FACT_PEOPLE)
                continue;
            for (size_t q = i; q < j && !past[p]; q++) {
                const sf_fact *df = &items[q].f;
                past[p] = df->kind == SF_FACT_DATE &&
                          !(df->flags & (SF_FACT_UNRESOLVED | SF_FACT_BY)) &&
                          df->year < ay && one_sentence(text, tlen, pf->end, df->start) &&
                          one_sentence(text, tlen, df->end, pf->start);
            }
        }
        i = j;
    }
}

/* True if some article of group k states no other count of its harm:
 * an article giving several counts of one harm (a toll by region, a toll
 * and its update) speaks of different things, not against the others; a
 * past event's count (past[], mark_past_counts) takes no side and is no
 * other count. Items are in article order. */
static bool count_stated_alone(const item *items, size_t n, uint32_t k, const bool *past)
{
    const sf_fact *f = NULL;
    for (size_t i = 0; i < n && !f; i++)
        if (items[i].group == k)
            f = &items[i].f;
    if (!f)
        return false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool in = false, other = false;
        for (; j < n && items[j].doc == items[i].doc; j++) {
            const sf_fact *o = &items[j].f;
            if (past[j])
                continue;
            if (items[j].group == k)
                in = true;
            else if (o->kind == SF_FACT_PEOPLE && o->harm == f->harm)
                other = true;
        }
        if (in && !other)
            return true;
        i = j;
    }
    return false;
}

/* Different counts of the same harm, each stated alone by at least one
 * article (see count_stated_alone): each count with the articles that
 * state it. */
static bool put_count_disagreements(sf_buf *b, const sf_engine *e, const sf_story_texts *tx,
                                    const item *items, size_t n,
                                    const group *g, size_t ng, bool *first)
{
    bool ok = true;
    bool *side = ng ? calloc(ng, sizeof *side) : NULL;
    bool *past = n ? calloc(n, sizeof *past) : NULL;
    if ((ng && !side) || (n && !past)) {
        free(side);
        free(past);
        return false;
    }
    mark_past_counts(e, tx, items, n, past);
    for (int h = SF_HARM_KILLED; ok && h <= SF_HARM_MISSING; h++) {
        size_t sides = 0;
        for (size_t k = 0; k < ng; k++) {
            const sf_fact *f = &items[g[k].first].f;
            side[k] = g[k].support > 0 && f->kind == SF_FACT_PEOPLE && (int)f->harm == h &&
                      count_stated_alone(items, n, (uint32_t)k, past);
            sides += side[k];
        }
        if (sides < 2)
            continue;
        ok = sf_buf_printf(b, "%s{\"what\":\"people %s\",\"sides\":[", *first ? "" : ",",
                           harm_name((sf_harm)h));
        *first = false;
        bool first_side = true;
        for (size_t k = 0; ok && k < ng; k++) {
            if (!side[k])
                continue;
            const sf_fact *f = &shown(items, &g[k])->f;
            ok = sf_buf_puts(b, first_side ? "{\"value\":" : ",{\"value\":");
            first_side = false;
            ok = ok && sf_buf_printf(b, "%.0f", f->value) &&
                 sf_buf_puts(b, ",\"support\":") && sf_buf_put_uint(b, g[k].support) &&
                 put_sources(b, e, tx, items, n, (uint32_t)k) && sf_buf_putc(b, '}');
        }
        ok = ok && sf_buf_puts(b, "]}");
    }
    free(side);
    free(past);
    return ok;
}

/* Facts that measure one thing a story has one value of, so that two
 * values are a disagreement: a quantity of a unit the data knows (a
 * capacity: vehicles a year; a length: km), or a deadline ("by 2024").
 * A word after a number that the data does not know as a unit says too
 * little ("three days", "two boats"), and so do small counts in words
 * ("four cars" in a crash). Two such facts measure the same
 * thing when their kind, unit and period agree. */
static bool measured(const sf_fact *f)
{
    if (f->kind == SF_FACT_QUANTITY)
        return (f->flags & SF_FACT_KNOWN_UNIT) && !(f->flags & SF_FACT_WORDS) &&
               strcmp(f->unit, "%") != 0;
    return f->kind == SF_FACT_DATE && (f->flags & SF_FACT_BY) &&
           !(f->flags & SF_FACT_UNRESOLVED);
}

#define PERIOD_FLAGS (SF_FACT_PER_YEAR | SF_FACT_PER_MONTH | SF_FACT_PER_WEEK | SF_FACT_PER_DAY)

static bool same_measure(const sf_fact *a, const sf_fact *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == SF_FACT_DATE)
        return a->prec == b->prec; /* by 2026 / by 2027, not until 2008 / until 30 May 2005 */
    return strcmp(a->unit, b->unit) == 0 &&
           (a->flags & PERIOD_FLAGS) == (b->flags & PERIOD_FLAGS);
}

/* True if some article states facts of both groups: then they are two
 * different quantities of one kind (a plant's capacity and its first
 * phase), not two sources disagreeing. Items are in article order. */
static bool groups_share_doc(const item *items, size_t n, uint32_t ga, uint32_t gb)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool a = false, b = false;
        for (; j < n && items[j].doc == items[i].doc; j++) {
            a = a || items[j].group == ga;
            b = b || items[j].group == gb;
        }
        if (a && b)
            return true;
        i = j;
    }
    return false;
}

/* Different values of the same measured thing (see measured()), stated by
 * different articles: each value with the articles that state it. A
 * measure is reported only when no article states two of its values. */
static bool put_value_disagreements(sf_buf *b, const sf_engine *e, const sf_story_texts *tx,
                                    const item *items, size_t n,
                                    const group *g, size_t ng, bool *first)
{
    bool ok = true;
    for (size_t k = 0; ok && k < ng; k++) {
        const sf_fact *f = &shown(items, &g[k])->f;
        if (!g[k].counted || !measured(f))
            continue;
        /* each measure once: at its first group */
        bool earlier = false;
        for (size_t p = 0; p < k && !earlier; p++)
            earlier = g[p].counted && measured(&shown(items, &g[p])->f) &&
                      same_measure(&shown(items, &g[p])->f, f);
        if (earlier)
            continue;
        size_t sides = 0;
        bool shared = false;
        for (size_t p = k; p < ng && !shared; p++) {
            const sf_fact *o = &shown(items, &g[p])->f;
            if (!g[p].counted || !measured(o) || !same_measure(o, f))
                continue;
            sides++;
            for (size_t q = k; q < p && !shared; q++)
                if (g[q].counted && measured(&shown(items, &g[q])->f) &&
                    same_measure(&shown(items, &g[q])->f, f))
                    shared = groups_share_doc(items, n, (uint32_t)q, (uint32_t)p);
        }
        if (sides < 2 || shared)
            continue;
        char what[SF_FACT_UNIT_MAX + 16];
        if (f->kind == SF_FACT_DATE)
            snprintf(what, sizeof what, "date by");
        else
            snprintf(what, sizeof what, "quantity %s", f->unit);
        ok = sf_buf_printf(b, "%s{\"what\":", *first ? "" : ",") &&
             sf_buf_json_string(b, what, strlen(what)) && sf_buf_puts(b, ",\"sides\":[");
        *first = false;
        bool first_side = true;
        for (size_t p = k; ok && p < ng; p++) {
            const sf_fact *o = &shown(items, &g[p])->f;
            if (!g[p].counted || !measured(o) || !same_measure(o, f))
                continue;
            ok = sf_buf_printf(b, "%s{\"support\":%u", first_side ? "" : ",", g[p].support) &&
                 put_value(b, o) && put_sources(b, e, tx, items, n, (uint32_t)p) &&
                 sf_buf_putc(b, '}');
            first_side = false;
        }
        ok = ok && sf_buf_puts(b, "]}");
    }
    return ok;
}

/* The day an article gives for a harm: a day-precision date in the same
 * sentence as a count of that harm ("12 people were killed on 4 March"),
 * not a weekday's (its day comes from the article's date, often a day
 * late, and the weekday of a count's sentence often tells of the
 * aftermath: "handed out blankets Monday to survivors of a quake that
 * killed 10"),
 * when the article gives one such day only (two: it tells of two
 * events). Returns the item of that date, or SIZE_MAX. Items [lo, hi) are
 * the article's. */
static size_t harm_day(const sf_engine *e, const sf_story_texts *tx, const item *items,
                       size_t lo, size_t hi, int harm)
{
    size_t tlen = 0;
    const char *text = sf_story_text(e, tx, items[lo].doc, &tlen);
    size_t found = SIZE_MAX;
    for (size_t p = lo; p < hi; p++) {
        const sf_fact *pf = &items[p].f;
        if (pf->kind != SF_FACT_PEOPLE || (int)pf->harm != harm)
            continue;
        for (size_t q = lo; q < hi; q++) {
            const sf_fact *df = &items[q].f;
            if (df->kind != SF_FACT_DATE || df->prec != SF_DATE_DAY ||
                (df->flags & (SF_FACT_BY | SF_FACT_SINCE | SF_FACT_UNRESOLVED |
                              SF_FACT_WEEKDAY)) ||
                !one_sentence(text, tlen, pf->end, df->start) ||
                !one_sentence(text, tlen, df->end, pf->start))
                continue;
            if (found != SIZE_MAX && items[found].f.days != df->days)
                return SIZE_MAX;
            if (found == SIZE_MAX)
                found = q;
        }
    }
    return found;
}

/* Different days given for one harm ("killed on 4 March" against "killed
 * on 5 March"), each by articles that give one day for it: each day with
 * the articles and the date as they write it. */
static bool put_harm_day_disagreements(sf_buf *b, const sf_engine *e, const sf_story_texts *tx,
                                       const item *items, size_t n, bool *first)
{
    bool ok = true;
    size_t *day_of = n ? malloc(n * sizeof *day_of) : NULL;
    if (n && !day_of)
        return false;
    for (int h = SF_HARM_KILLED; ok && h <= SF_HARM_MISSING; h++) {
        /* one entry per article: the item of its day for h, or SIZE_MAX */
        size_t na = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && items[j].doc == items[i].doc)
                j++;
            day_of[na++] = harm_day(e, tx, items, i, j, h);
            i = j;
        }
        int32_t first_day = INT32_MIN;
        bool differ = false;
        for (size_t a = 0; a < na; a++)
            if (day_of[a] != SIZE_MAX) {
                int32_t dd = items[day_of[a]].f.days;
                if (first_day == INT32_MIN)
                    first_day = dd;
                else if (dd != first_day)
                    differ = true;
            }
        if (!differ)
            continue;
        ok = sf_buf_printf(b, "%s{\"what\":\"date people %s\",\"sides\":[", *first ? "" : ",",
                           harm_name((sf_harm)h));
        *first = false;
        bool first_side = true;
        for (size_t a = 0; ok && a < na; a++) {
            if (day_of[a] == SIZE_MAX)
                continue;
            int32_t dd = items[day_of[a]].f.days;
            bool seen = false;
            for (size_t p = 0; p < a && !seen; p++)
                seen = day_of[p] != SIZE_MAX && items[day_of[p]].f.days == dd;
            if (seen)
                continue;
            uint32_t support = 0;
            for (size_t p = a; p < na; p++)
                support += day_of[p] != SIZE_MAX && items[day_of[p]].f.days == dd;
            ok = sf_buf_printf(b, "%s{\"support\":%u", first_side ? "" : ",", support) &&
                 put_value(b, &items[day_of[a]].f) && sf_buf_puts(b, ",\"sources\":[");
            first_side = false;
            bool first_src = true;
            for (size_t p = a; ok && p < na; p++) {
                if (day_of[p] == SIZE_MAX || items[day_of[p]].f.days != dd)
                    continue;
                const item *it = &items[day_of[p]];
                ok = put_source(b, e, tx, it->doc, it->f.start, it->f.end, first_src);
                first_src = false;
            }
            ok = ok && sf_buf_puts(b, "]}");
        }
        ok = ok && sf_buf_puts(b, "]}");
    }
    free(day_of);
    return ok;
}

/* A sentence of one article denying what the story reports (found when
 * the article's facts were read: dfs[k] of member k, NULL for a copy). */
static bool put_denials(sf_buf *b, const sf_engine *e, const sf_story_texts *tx,
                        const struct sf_doc_facts *const *dfs, const uint32_t *mem,
                        uint32_t count, bool *first)
{
    bool ok = true;
    for (uint32_t k = 0; ok && k < count && k < MAX_MEMBERS_READ; k++) {
        const sf_doc *d = &e->docs[mem[k]];
        const struct sf_doc_facts *df = dfs[k];
        if (d->copy_of != SF_NONE || !df || !df->denial)
            continue;
        size_t start = df->denial_start, end = df->denial_end;
        uint32_t reported = 0;
        for (uint32_t j = 0; j < count && j < MAX_SOURCES_OUT; j++)
            reported += mem[j] != mem[k] && e->docs[mem[j]].copy_of == SF_NONE;
        ok = sf_buf_printf(b, "%s{\"what\":\"denial\",\"sides\":[{\"claim\":\"denied\",\"support\":1,"
                              "\"sources\":[",
                           *first ? "" : ",") &&
             put_source(b, e, tx, mem[k], start, end, true) &&
             sf_buf_printf(b, "]},{\"claim\":\"reported\",\"support\":%u,\"sources\":[", reported);
        *first = false;
        bool first_src = true;
        for (uint32_t j = 0; ok && j < count && j < MAX_SOURCES_OUT; j++) {
            const sf_doc *o = &e->docs[mem[j]];
            if (mem[j] == mem[k] || o->copy_of != SF_NONE)
                continue;
            ok = sf_buf_puts(b, first_src ? "{\"id\":" : ",{\"id\":") &&
                 sf_buf_json_string(b, o->id, strlen(o->id)) && sf_buf_putc(b, '}');
            first_src = false;
        }
        ok = ok && sf_buf_puts(b, "]}]}");
    }
    return ok;
}

bool sf_story_facts_json(const sf_engine *e, sf_text *t, const sf_story *s,
                         const sf_story_texts *tx, sf_buf *b,
                         sf_status *st)
{
    *st = SF_OK;
    const uint32_t *mem = e->members + s->first;
    collector c;
    memset(&c, 0, sizeof c);
    /* each member's facts: kept on the doc (e->keep_facts), or read for
     * this story alone (own) */
    const struct sf_doc_facts *dfs[MAX_MEMBERS_READ] = {0};
    struct sf_doc_facts *own[MAX_MEMBERS_READ];
    size_t nown = 0;
    /* Copies state what their original states: support counts
     * independent texts. */
    for (uint32_t k = 0; k < s->count && k < MAX_MEMBERS_READ && !c.oom; k++) {
        sf_doc *d = &e->docs[mem[k]];
        if (d->copy_of != SF_NONE)
            continue;
        const struct sf_doc_facts *df = d->facts;
        if (!df) {
            size_t text_len;
            const char *text = sf_story_text(e, tx, mem[k], &text_len);
            struct sf_doc_facts *made = read_doc_facts(t, d, text, text_len);
            if (made && e->keep_facts)
                d->facts = made;
            else if (made)
                own[nown++] = made;
            df = made;
        }
        dfs[k] = df;
        if (!df) {
            c.oom = true;
            break;
        }
        if (!unpack_facts(df, mem[k], &c))
            c.oom = true;
    }
    group *g = NULL;
    size_t ng = 0;
    uint32_t *order = NULL;
    bool ok = !c.oom && group_items(c.items, c.n, &g, &ng);
    if (ok) {
        merge_designations(c.items, c.n, g, ng);
        merge_surnames(c.items, c.n, g, ng);
        for (size_t i = 0; i < c.n; i++)
            if (!(c.items[i].f.flags & SF_FACT_HEADING))
                g[c.items[i].group].in_text = true;
    }
    if (ok && ng && !(order = malloc(ng * sizeof *order)))
        ok = false;
    if (!ok) {
        free(c.items);
        free(g);
        for (size_t k = 0; k < nown; k++)
            free(own[k]);
        *st = SF_ENOMEM;
        return false;
    }
    for (size_t k = 0; k < ng; k++)
        order[k] = (uint32_t)k;
    g_rank.g = g;
    g_rank.items = c.items;
    if (ng)
        qsort(order, ng, sizeof *order, cmp_groups);

    ok = sf_buf_puts(b, ",\"facts\":[");
    for (size_t r = 0, written = 0; ok && r < ng && written < MAX_FACTS_OUT; r++) {
        const group *gr = &g[order[r]];
        if (!gr->counted)
            continue;
        /* one capitalised word in one article may be an ordinary word
         * ("Meanwhile" after a quote, a heading); named by two it is a name */
        if (gr->support < 2 && lone_word_name(&c.items[gr->first].f))
            continue;
        /* nor is a run of capitalised words that only a heading of one
         * article holds ("Teen Fatally Shot", "Bronx Apartment") */
        if (gr->support < 2 && !gr->in_text)
            continue;
        const item *first = shown(c.items, gr);
        ok = sf_buf_puts(b, written++ ? ",{\"kind\":\"" : "{\"kind\":\"") &&
             sf_buf_puts(b, kind_name(first->f.kind)) && sf_buf_putc(b, '"') &&
             put_value(b, &first->f) && sf_buf_puts(b, ",\"text\":") &&
             put_quote(b, e, tx, first->doc, first->f.start, first->f.end) &&
             sf_buf_puts(b, ",\"support\":") && sf_buf_put_uint(b, gr->support) &&
             put_sources(b, e, tx, c.items, c.n, order[r]) && sf_buf_putc(b, '}');
    }
    ok = ok && sf_buf_puts(b, "],\"disagreements\":[");
    bool first = true;
    ok = ok && put_count_disagreements(b, e, tx, c.items, c.n, g, ng, &first);
    ok = ok && put_value_disagreements(b, e, tx, c.items, c.n, g, ng, &first);
    ok = ok && put_harm_day_disagreements(b, e, tx, c.items, c.n, &first);
    ok = ok && put_denials(b, e, tx, dfs, mem, s->count, &first);
    ok = ok && sf_buf_putc(b, ']');
    free(order);
    free(g);
    free(c.items);
    for (size_t k = 0; k < nown; k++)
        free(own[k]);
    if (!ok && *st == SF_OK)
        *st = SF_ENOMEM;
    return ok;
}
