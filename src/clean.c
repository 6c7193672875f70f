/*
 * clean.c — cleaning one page: keep the article body, drop page furniture
 * (ad code, CSS, captions, bylines, comment forms, share and subscribe
 * lines, teasers of other stories), pick the title.
 *
 * The page is a list of lines (clean_lines.c computes their features).
 *   1. class: each line is a GOOD paragraph, a NEAR paragraph (a short
 *      sentence), a HEAD (heading-like), a SHORT fragment, or BAD
 *      (furniture with a reason: code, CSS, markup, phrase-list hit);
 *   2. context: runs of code, captions followed by credits, duplicates;
 *   3. region: the page is cut into segments at hard boundaries (teaser,
 *      comment and bio headers, lines that are just a name); segments
 *      holding at least a quarter of the best segment's good-paragraph
 *      words are the article; the region runs from its first to its last
 *      good paragraph ("one contiguous region with holes");
 *   4. decision: inside the region good and near paragraphs are kept,
 *      headings only when a paragraph follows them; outside it only the
 *      title line is kept (a deck under it reads like a caption and is
 *      left out, as article-extraction gold does).
 * Every removed line gets one reason from a fixed vocabulary.
 */
#include "clean.h"
#include "mojibake.h"

#include <stdlib.h>
#include <string.h>

/* K_ROW: a row of a table or numbered list (set by table_runs, never by
 * line_kind): "3 Kevin Harvick 5033 4 6 15 26", "1a etapa: 10 de março". */
enum { K_BAD = 0, K_GOOD, K_NEAR, K_HEAD, K_SHORT, K_ROW };

/* Tunables, in one place. Fractions are written as integer ratios. */
enum {
    GOOD_MIN_WORDS = 10,       /* a paragraph has at least this many words */
    GOOD_LONG_WORDS = 25,      /* ... and if this long needs no final stop */
    GOOD_STOP_PCT = 20,        /* stop words per 100 words in a paragraph */
    NEAR_STOP_PCT = 10,
    HEAD_MAX_WORDS = 15,
    CAPS_MAX_PCT = 60,         /* capitalised words per 100 in a paragraph */
    LONG_CAPS_MAX_PCT = 40,    /* ... without a final stop (else a menu) */
    NOUN_CAPS_PCT = 25,        /* more allowed where every noun has a capital */
    TITLE_MAX_WORDS = 24,      /* a headline longer than this is a menu or a deck */
    SENTENCE_WORDS = 12,       /* sentence-like lines resist weak phrase hits */
    KEEP_SEG_DIV = 4,          /* keep segments with >= best / KEEP_SEG_DIV */
    KEEP_BIO_DIV = 2,          /* ... or best / 2 after a name line */
    BYLINE_MAX_WORDS = 8,      /* "By Maria Jensen and Tom Olsen | Reuters" */
    BRIDGE_LINES = 12,         /* longest inline teaser box inside an article */
    ROW_MIN_RUN = 4,           /* rows in a run before they are a table */
    ROW_GAP_WORDS = 8,         /* a sub-heading between rows keeps the run */
    TABLE_MIN_WORDS = 40,      /* words of rows that make a table an article */
    TEASER_LEN_MUL = 6,        /* after a teaser header, paragraphs shorter */
    TEASER_LEN_DIV = 10,       /* than 6/10 of the article's are teasers */
    TEASER_HEAD_WORDS = 5,     /* a glued teaser: a title-case run this long */
    TEASER_SNIPPET_WORDS = 6,  /* ... then a snippet of at least this many */
    TEASER_MAX_WORDS = 80      /* and no more: a longer line is an article with its title */
};

#define NONE UINT32_MAX

/* ====================================================================== */
/* Classes                                                                 */
/* ====================================================================== */

/* Reasons a phrase hit keeps even on a line that reads like a sentence. */
static bool strong_phrase(unsigned r)
{
    return r == R_AFFILIATE || r == R_SUBSCRIBE || r == R_COMMENT_FORM ||
           r == R_COUPON || r == R_SPONSOR || r == R_TEASER;
}

static bool sentence_like(const sf_line *li)
{
    return li->words >= SENTENCE_WORDS && li->end == END_PERIOD &&
           li->stops * 100 >= li->words * 25;
}

/* Enough stop words for pct per 100 words. Where the page's language has
 * few (pct below GOOD_STOP_PCT, see good_stop_pct), a short sentence may
 * hold none by chance: one fewer than the share asks will do. */
static bool stop_ok(const sf_line *li, bool use_stops, unsigned pct)
{
    return !use_stops || li->stops * 100 >= li->words * pct ||
           (pct < GOOD_STOP_PCT && (li->stops + 1) * 100 > li->words * pct);
}

/* The stop words per 100 words that make a paragraph on this page:
 * GOOD_STOP_PCT, or half the share in the page's paragraph-shaped lines
 * (ten words ending with a full stop, or 25 words) when that is lower.
 * Languages differ: prose is 40-46% stop words in English, Spanish,
 * French, German and Italian, but a quarter in Russian and Polish and
 * 10-15% in Turkish, whose function words are mostly suffixes. */
static unsigned good_stop_pct(const sf_clean_doc *d)
{
    uint64_t words = 0, stops = 0;
    for (size_t i = 0; i < d->n; i++) {
        const sf_line *li = &d->lines[i];
        if ((li->words >= GOOD_MIN_WORDS && li->end == END_PERIOD) ||
            li->words >= GOOD_LONG_WORDS) {
            words += li->words;
            stops += li->stops;
        }
    }
    if (words < 2 * GOOD_MIN_WORDS)
        return GOOD_STOP_PCT;
    uint64_t half = stops * 100 / words / 2;
    return half < GOOD_STOP_PCT ? (unsigned)(half > 2 ? half : 2) : GOOD_STOP_PCT;
}

/* "The 4 Best Vegan Spots In Detroit Hoodline crunched the numbers...": a
 * headline in title case (a capitalised stop word inside it) glued to the
 * snippet of a teaser. German capitalises nouns, so it is left out. */
static bool glued_teaser(const sf_clean_doc *d, const sf_line *li)
{
    return d->lang != SF_LANG_DE && li->lead_tc >= 1 && li->lead_caps >= TEASER_HEAD_WORDS &&
           li->words >= li->lead_caps + TEASER_SNIPPET_WORDS && li->words <= TEASER_MAX_WORDS;
}

/* True if the line holds at least three sentence ends inside it (". "
 * before a capital or a digit): prose whose last sentence was cut off, not
 * a menu. Looked at only for long lines without a final stop. */
static bool inner_sentences(const sf_clean_doc *d, const sf_line *li)
{
    const char *t = d->text + li->off;
    unsigned n = 0;
    for (size_t i = 1; i + 1 < li->len && n < 3; i++) {
        char c = t[i + 1];
        if (t[i] == ' ' && (t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?') &&
            ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0xC0))
            n++;
    }
    return n >= 3;
}

static uint8_t line_kind(const sf_clean_doc *d, sf_line *li, bool use_stops, unsigned good_pct)
{
    sf_reason why = R_NONE;
    if (li->code_piece)
        why = R_GLUED_CODE;
    else if (sf_clean_markup_like(d, li))
        why = R_MARKUP;
    else if (sf_clean_css_like(d, li))
        why = R_CSS;
    else if (!sentence_like(li) && sf_clean_code_like(d, li))  /* (the cheap test first) */
        why = R_AD_CODE;
    else if (li->phrase && (li->header || li->strong_phrase || strong_phrase(li->phrase) ||
                            !sentence_like(li)) &&
             (li->phrase != R_BYLINE || li->words <= BYLINE_MAX_WORDS))
        why = (sf_reason)li->phrase;
    else if ((li->glued >= 2 || li->crumbs >= 2) && li->words <= HEAD_MAX_WORDS &&
             li->end != END_PERIOD)
        why = R_BREADCRUMB;
    else if (li->pipes >= 2 && li->words <= HEAD_MAX_WORDS && li->end != END_PERIOD &&
             li->words <= li->pipes * 4)
        why = R_NAVIGATION;
    else if (glued_teaser(d, li))
        why = R_TEASER;
    li->why = (uint8_t)why;
    if (why)
        return K_BAD;
    if (li->end == END_ELLIPSIS)
        return K_SHORT;                     /* a truncated teaser snippet */
    /* "Customers Leave Without Paying At Troy Steakhouse A party of six...":
     * a teaser headline in title case glued to its snippet */
    /* "Archives 2019年11月 2019年4月 ...", "Select Month October 2019 ...":
     * a line mostly of numbers is a date list or a table row, no sentence */
    /* German capitalises every noun: a third of its prose words or more */
    unsigned noun_caps = d->lang == SF_LANG_DE ? NOUN_CAPS_PCT : 0;
    bool menu = li->pipes >= 2 || (li->words >= GOOD_MIN_WORDS && li->nums * 2 > li->words) ||
                (li->title_case >= 2 && li->title_case * 15 >= li->words &&
                 d->lang != SF_LANG_DE);
    if (li->words >= GOOD_MIN_WORDS && !menu && stop_ok(li, use_stops, good_pct) &&
        li->caps * 100 <= li->words * (CAPS_MAX_PCT + noun_caps) &&
        (li->end == END_PERIOD || li->end == END_QUESTION ||
         (li->words >= GOOD_LONG_WORDS &&
          (li->caps * 100 <= li->words * (LONG_CAPS_MAX_PCT + noun_caps) ||
           inner_sentences(d, li)))))
        return K_GOOD;
    if (li->words >= 3 && !menu && !li->lower_start &&
        (li->end == END_PERIOD || li->end == END_QUESTION) &&
        (li->stops > 0 || !use_stops) && stop_ok(li, use_stops, good_pct * NEAR_STOP_PCT / GOOD_STOP_PCT))
        return K_NEAR;
    if (li->words >= 1 && li->words <= HEAD_MAX_WORDS && !menu && !li->lower_start &&
        li->letters > 0 && !sf_clean_name_like(li) && !li->date_like &&
        (li->end == END_NONE || li->end == END_QUESTION || li->end == END_COLON))
        return K_HEAD;
    return K_SHORT;
}

/* ====================================================================== */
/* Context                                                                 */
/* ====================================================================== */

/* Short lines between two code lines are code too ("}", "params: {"...). */
static void code_runs(sf_clean_doc *d)
{
    for (size_t i = 1; i + 1 < d->n; i++) {
        sf_line *li = &d->lines[i];
        if (li->why || li->words > 8)
            continue;
        if (d->lines[i - 1].why == R_AD_CODE && d->lines[i + 1].why == R_AD_CODE &&
            (li->codep > 0 || li->end == END_COMMA || li->end == END_COLON ||
             (li->marks & MARK_COLON))) {
            li->why = R_AD_CODE;
            li->kind = K_BAD;
        }
    }
}

/* "1) ", "12. ": the line is an item of a numbered list. */
static bool numbered(const sf_clean_doc *d, const sf_line *li)
{
    const char *s = d->text + li->off;
    size_t i = 0;
    while (i < li->len && i < 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    return i > 0 && i + 1 < li->len && (s[i] == ')' || s[i] == '.') && s[i + 1] == ' ';
}

/* A line that may be a row of a table: numbers in it, short, no
 * furniture reason, no date (teaser lists carry dates). */
static bool row_like(const sf_clean_doc *d, const sf_line *li)
{
    return li->why == R_NONE && li->words >= 2 && li->words <= 40 &&
           (li->nums >= 2 || numbered(d, li)) && (li->words >= 3 || numbered(d, li)) &&
           !li->date_like && !li->header && li->end != END_ELLIPSIS && li->pipes == 0 &&
           li->kind != K_BAD;
}

/* Runs of at least ROW_MIN_RUN row-like lines (a short line may sit
 * between two rows) are tables: their non-paragraph lines become K_ROW. */
static void table_runs(sf_clean_doc *d)
{
    size_t i = 0;
    while (i < d->n) {
        if (!row_like(d, &d->lines[i])) {
            i++;
            continue;
        }
        size_t j = i, rows = 0;
        while (j < d->n) {
            const sf_line *lj = &d->lines[j];
            if (row_like(d, lj)) {
                rows++;
                j++;
            } else if (j + 1 < d->n && row_like(d, &d->lines[j + 1]) && lj->why == R_NONE &&
                       lj->words <= ROW_GAP_WORDS && lj->kind != K_BAD) {
                j++;
            } else {
                break;
            }
        }
        /* the lines between rows (sub-headings, a link under each item)
         * belong to the table too */
        if (rows >= ROW_MIN_RUN)
            for (size_t k = i; k < j; k++)
                if (d->lines[k].kind != K_GOOD)
                    d->lines[k].kind = K_ROW;
        i = j;
    }
}

/* A short line followed by a credit or caption line is a caption; so is
 * every copy of it. Duplicates point to their first occurrence. */
static bool context(sf_clean_doc *d)
{
    size_t cap = 16;
    while (cap < d->n * 2)
        cap *= 2;
    /* (pages up to 512 lines: the table on the stack) */
    uint32_t small[1024];
    uint32_t *tab = cap <= SF_ARRAY_LEN(small) ? small : malloc(cap * sizeof *tab);
    if (!tab)
        return false;
    for (size_t i = 0; i < cap; i++)
        tab[i] = NONE;
    for (size_t i = 0; i < d->n; i++) {
        sf_line *li = &d->lines[i];
        if (li->kind != K_BAD && i + 1 < d->n && li->words <= 60) {
            /* a gallery shows the caption twice: look past the copy */
            size_t j = i + 1;
            if (j + 1 < d->n && d->lines[j].hash == li->hash)
                j++;
            const sf_line *nx = &d->lines[j];
            /* a paragraph is a caption only when its credit sticks to it */
            bool cred = nx->why == R_CREDIT || nx->why == R_CAPTION;
            if (cred && (li->kind == K_GOOD ? nx->joined && nx->words <= 12
                                            : li->words <= 30 && (nx->joined || nx->words <= 6)))
                li->caption = true;
        }
        size_t h = (size_t)li->hash & (cap - 1);
        while (tab[h] != NONE && d->lines[tab[h]].hash != li->hash)
            h = (h + 1) & (cap - 1);
        if (tab[h] == NONE)
            tab[h] = (uint32_t)i;
        else
            li->dup_of = tab[h] + 1;
    }
    for (size_t i = 0; i < d->n; i++)
        if (d->lines[i].caption && d->lines[i].dup_of)
            d->lines[d->lines[i].dup_of - 1].caption = true;
    if (tab != small)
        free(tab);
    return true;
}

/* ====================================================================== */
/* Region                                                                  */
/* ====================================================================== */

typedef struct region {
    uint32_t first;           /* first line of the article, or NONE */
    uint32_t first_good;      /* its first paragraph, or NONE */
    uint32_t nseg;
    uint32_t best;            /* segment with the best region */
    uint8_t *opened_by;       /* reason of the boundary that opened the segment */
    uint32_t *lo, *hi;        /* each segment's best run of lines (lo > hi: none) */
    int64_t *sum;             /* ... and its score */
    uint32_t *goods, *good_words; /* paragraphs in the run and their words */
    bool *keep;
    char *buf;                /* the caller's block for few segments, or NULL */
    size_t buf_len;
} region;

static bool boundary(const sf_line *li)
{
    return li->header || sf_clean_name_like(li);
}

/* How much a line adds to a run of article lines: paragraphs their words,
 * everything else a cost, so that long runs of furniture cut the article. */
static int64_t line_score(const sf_line *li, uint8_t good_kind)
{
    int64_t w = li->words > 20 ? 20 : (int64_t)li->words;
    /* code cut from a prose line is no block of furniture: the prose
     * beside it decides */
    if (li->code_piece)
        return 0;
    if (li->kind == good_kind)
        return (int64_t)li->words;
    if (li->kind == K_NEAR)
        return (int64_t)li->words / 2 + 1;
    if (li->kind == K_HEAD)
        return -2;
    if (li->kind == K_ROW)
        return (int64_t)li->words / 4 + 1;
    return -(3 + w);
}

/* The per-segment arrays, in one zeroed block (widest type first): the
 * caller's block when they fit in it. */
static bool region_alloc(region *rg, uint32_t nseg)
{
    rg->nseg = nseg;
    size_t per = sizeof *rg->sum + 4 * sizeof(uint32_t) + sizeof *rg->keep + 1;
    char *m;
    if (rg->buf && nseg <= rg->buf_len / per) {
        m = rg->buf;
        memset(m, 0, nseg * per);
    } else {
        m = calloc(nseg, per);
    }
    if (!m)
        return false;
    rg->sum = (int64_t *)(void *)m;
    rg->lo = (uint32_t *)(void *)(m + nseg * sizeof *rg->sum);
    rg->hi = rg->lo + nseg;
    rg->goods = rg->hi + nseg;
    rg->good_words = rg->goods + nseg;
    rg->keep = (bool *)(void *)(rg->good_words + nseg);
    rg->opened_by = (uint8_t *)(rg->keep + nseg);
    return true;
}

/* A segment after the best one, opened by a name or teaser header, with
 * at most one paragraph: an author box or a teaser, not the article. */
static bool tail_piece(const sf_clean_doc *d, const region *rg, uint32_t k, uint8_t good_kind)
{
    if (k <= rg->best || (rg->opened_by[k] != R_BYLINE && rg->opened_by[k] != R_TEASER))
        return false;
    uint32_t goods = 0, words = 0;
    for (uint32_t i = rg->lo[k]; i <= rg->hi[k] && rg->lo[k] <= rg->hi[k]; i++)
        if (d->lines[i].kind == good_kind) {
            goods++;
            words += d->lines[i].words;
        }
    if (goods <= 1)
        return true;
    /* teasers' snippets are one short sentence each: paragraphs much
     * shorter than the article's are a list of other stories */
    return rg->opened_by[k] == R_TEASER && rg->goods[rg->best] > 0 &&
           (uint64_t)words * rg->goods[rg->best] * TEASER_LEN_DIV <
               (uint64_t)rg->good_words[rg->best] * goods * TEASER_LEN_MUL;
}

/* True if lines a..b (exclusive) are few and hold no boundary other than
 * teaser headers: an inline "Related" box inside the article. */
static bool teaser_gap(const sf_clean_doc *d, uint32_t a, uint32_t b)
{
    if (b <= a || b - a > BRIDGE_LINES)
        return false;
    for (uint32_t i = a + 1; i < b; i++) {
        const sf_line *li = &d->lines[i];
        if (li->seg == NONE && !(li->header && li->phrase == R_TEASER))
            return false;
    }
    return true;
}

/* Keeps segments with a paragraph that sit next to a kept segment across
 * an inline teaser box, until nothing changes. */
static void bridge(const sf_clean_doc *d, region *rg, uint8_t good_kind)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t k = 0; k < rg->nseg; k++) {
            if (rg->keep[k] || rg->sum[k] <= 0)
                continue;
            bool good = false;
            for (uint32_t i = rg->lo[k]; i <= rg->hi[k] && !good; i++)
                good = d->lines[i].kind == good_kind;
            if (!good || tail_piece(d, rg, k, good_kind))
                continue;
            for (uint32_t j = 0; j < rg->nseg; j++) {
                if (!rg->keep[j] || rg->lo[j] > rg->hi[j])
                    continue;
                if ((j > k && teaser_gap(d, rg->hi[k], rg->lo[j])) ||
                    (j < k && teaser_gap(d, rg->hi[j], rg->lo[k]))) {
                    rg->keep[k] = true;
                    changed = true;
                    break;
                }
            }
        }
    }
}

/* Cuts the page into segments at boundaries, finds in each the run of
 * lines with the highest total score (maximum subarray) and keeps the
 * segments whose run scores at least 1/KEEP_SEG_DIV of the best one. */
static bool find_region(sf_clean_doc *d, region *rg, uint8_t good_kind)
{
    char *buf = rg->buf;
    size_t buf_len = rg->buf_len;
    memset(rg, 0, sizeof *rg);
    rg->buf = buf;
    rg->buf_len = buf_len;
    rg->first = rg->first_good = NONE;
    uint32_t nseg = 1;
    for (size_t i = 0; i < d->n; i++)
        if (boundary(&d->lines[i]))
            nseg++;
    if (!region_alloc(rg, nseg))
        return false;
    for (uint32_t k = 0; k < nseg; k++) {
        rg->lo[k] = 1;
        rg->hi[k] = 0;
    }
    uint32_t s = 0, start = 0;
    int64_t run = 0;
    for (size_t i = 0; i < d->n; i++) {
        sf_line *li = &d->lines[i];
        if (boundary(li)) {
            li->seg = NONE;
            s++;
            rg->opened_by[s] = li->header ? li->phrase : R_BYLINE;
            run = 0;
            continue;
        }
        li->seg = s;
        int64_t sc = line_score(li, good_kind);
        if (run <= 0) {
            run = sc;
            start = (uint32_t)i;
        } else {
            run += sc;
        }
        if (run > rg->sum[s]) {
            rg->sum[s] = run;
            rg->lo[s] = start;
            rg->hi[s] = (uint32_t)i;
        }
    }
    /* a heading right above a run belongs to it */
    for (uint32_t k = 0; k < nseg; k++)
        if (rg->lo[k] <= rg->hi[k] && rg->lo[k] > 0 &&
               d->lines[rg->lo[k] - 1].seg == k && d->lines[rg->lo[k] - 1].kind == K_HEAD)
            rg->lo[k]--;
    for (uint32_t k = 0; k < nseg; k++)
        for (uint32_t i = rg->lo[k]; i <= rg->hi[k] && rg->lo[k] <= rg->hi[k]; i++)
            if (d->lines[i].kind == good_kind) {
                rg->goods[k]++;
                rg->good_words[k] += d->lines[i].words;
            }
    uint32_t best = 0;
    for (uint32_t k = 1; k < nseg; k++)
        if (rg->sum[k] > rg->sum[best])
            best = k;
    rg->best = best;
    if (rg->sum[best] <= 0)
        return true;
    /* a region needs a paragraph, not just a few short sentences */
    bool has_good = false;
    uint32_t row_words = 0;
    for (uint32_t i = rg->lo[best]; i <= rg->hi[best]; i++) {
        has_good = has_good || d->lines[i].kind == good_kind;
        row_words += d->lines[i].kind == K_ROW ? d->lines[i].words : 0;
    }
    has_good = has_good || row_words >= TABLE_MIN_WORDS;
    if (!has_good)
        return true;
    /* after the article, a name line opens the author box and a teaser
     * header a list of other stories: a single paragraph after either must
     * be a large part of the page to count */
    for (uint32_t k = 0; k < nseg; k++) {
        bool lone = tail_piece(d, rg, k, good_kind);
        rg->keep[k] = rg->sum[k] > 0 &&
                      rg->sum[k] * (lone ? KEEP_BIO_DIV : KEEP_SEG_DIV) >= rg->sum[best];
    }
    bridge(d, rg, good_kind);
    /* after the article, a comment header opens the comments: readers'
     * paragraphs, then sidebars and the footer, none of it the article */
    bool comments = false;
    for (uint32_t k = rg->best + 1; k < nseg; k++) {
        comments = comments || rg->opened_by[k] == R_COMMENT_FORM;
        if (comments)
            rg->keep[k] = false;
    }
    for (uint32_t k = 0; k < nseg; k++) {
        if (!rg->keep[k])
            continue;
        if (rg->first == NONE || rg->lo[k] < rg->first)
            rg->first = rg->lo[k];
        for (uint32_t i = rg->lo[k]; i <= rg->hi[k]; i++)
            if ((d->lines[i].kind == good_kind || d->lines[i].kind == K_ROW) &&
                (rg->first_good == NONE || i < rg->first_good))
                rg->first_good = i;
    }
    return true;
}

static bool in_region(const region *rg, const sf_line *li, size_t i)
{
    return li->seg != NONE && rg->keep[li->seg] && i >= rg->lo[li->seg] &&
           i <= rg->hi[li->seg];
}

static void region_free(region *rg)
{
    if ((char *)rg->sum != rg->buf)
        free(rg->sum);
    rg->sum = NULL;
}

/* ====================================================================== */
/* Title                                                                   */
/* ====================================================================== */

static bool title_candidate(const sf_line *li)
{
    return li->why == R_NONE && !li->caption && !li->site && li->words >= 3 &&
           li->words <= TITLE_MAX_WORDS &&
           (li->kind == K_HEAD || li->kind == K_SHORT || li->kind == K_NEAR) &&
           (li->end == END_NONE || li->end == END_QUESTION) && !li->lower_start &&
           !li->date_like && li->pipes <= 1 && li->codep <= 2 && !sf_clean_name_like(li);
}

/* The headline line: the first candidate above the article, or a later
 * candidate that is its beginning ("Headline" after "Headline | Site"). */
static uint32_t find_title_line(const sf_clean_doc *d, uint32_t limit)
{
    uint32_t c = NONE;
    for (uint32_t i = 0; i < limit && i < d->n; i++) {
        const sf_line *li = &d->lines[i];
        if (!title_candidate(li))
            continue;
        if (c == NONE) {
            c = i;
            continue;
        }
        const sf_line *lc = &d->lines[c];
        if (li->len < lc->len && li->len * 2 >= lc->len &&
            memcmp(d->text + li->off, d->text + lc->off, li->len) == 0)
            return i;
    }
    return c;
}

/* The line that repeats the given title, or NONE. */
static uint32_t given_title_line(const sf_clean_doc *d, const sf_article *a, uint64_t *err)
{
    uint64_t h;
    sf_status st = sf_clean_first_line_hash(a->title, a->title_len, &h);
    if (st == SF_ENOMEM)
        *err = 1;
    if (st != SF_OK)
        return NONE;
    for (size_t i = 0; i < d->n; i++)
        if (d->lines[i].hash == h)
            return (uint32_t)i;
    return NONE;
}

/* ====================================================================== */
/* Decisions                                                               */
/* ====================================================================== */

static bool nav_like(const sf_line *li)
{
    return li->words <= 5 && li->stops == 0 && li->end == END_NONE;
}

/* Reason for a line that is not kept and has no furniture reason of its own. */
static sf_reason fallback_reason(const sf_clean_doc *d, const region *rg, size_t i,
                                 bool inside)
{
    const sf_line *li = &d->lines[i];
    if (li->why)
        return (sf_reason)li->why;
    if (li->caption)
        return R_CAPTION;
    if (li->dup_of && d->lines[li->dup_of - 1].keep)
        return R_DUPLICATE;
    if (sf_clean_name_like(li) || li->date_like)
        return R_BYLINE;
    if (li->seg != NONE && li->seg > 0) {
        uint8_t ob = rg->opened_by[li->seg];
        bool after = rg->first != NONE && li->seg > rg->best;
        if (ob == R_TEASER || ob == R_COMMENT_FORM || ob == R_AUTHOR_BIO)
            return (sf_reason)ob;
        if (ob == R_BYLINE && after && li->kind == K_GOOD)
            return R_AUTHOR_BIO;
    }
    if (nav_like(li))
        return R_NAVIGATION;
    if (inside)
        return li->kind == K_HEAD && li->joined ? R_CAPTION : R_SHORT;
    return R_BOILERPLATE;
}

static bool keeps_text(const sf_line *li)
{
    return li->kind == K_GOOD || li->kind == K_NEAR || li->kind == K_ROW;
}

static void decide(sf_clean_doc *d, const region *rg, uint32_t title)
{
    for (size_t i = 0; i < d->n; i++) {
        sf_line *li = &d->lines[i];
        li->keep = false;
        bool inside = rg->first != NONE && in_region(rg, li, i);
        if (i == title) {
            li->keep = true;
        } else if (!inside) {
            li->keep = false;     /* decks and captions under the title too */
        } else if (li->why) {
            li->keep = false;
        } else if (li->dup_of && d->lines[li->dup_of - 1].keep) {
            li->keep = false;
        } else if (keeps_text(li)) {
            li->keep = !li->caption;
        } else if (li->kind == K_HEAD && !li->caption && i + 1 < d->n) {
            const sf_line *nx = &d->lines[i + 1];
            li->keep = keeps_text(nx) && nx->why == R_NONE && !nx->caption;
        }
        if (!li->keep)
            li->why = (uint8_t)fallback_reason(d, rg, i, inside);
    }
}

/* The first kept lines under the title, when one of them opens with a
 * dateline ("WASHINGTON (AP) - ..."), are the article's start there: the
 * kept lines between the title and it are photo captions, credits,
 * decks and teasers ("before-dateline"), but for an update put above
 * it and what follows the update. Looked for in the first
 * DATELINE_REACH kept lines only: further down a dateline is a quoted
 * report or the next story. */
#define DATELINE_REACH 4

static void dateline_start(sf_clean_doc *d, uint32_t title)
{
    uint32_t kept[DATELINE_REACH], nk = 0;
    for (size_t i = title == NONE ? 0 : title + 1; i < d->n && nk < DATELINE_REACH; i++) {
        const sf_line *li = &d->lines[i];
        if (!li->keep)
            continue;
        if (nk > 0 && li->kind == K_GOOD && sf_clean_dateline(d->text + li->off, li->len)) {
            /* an update above the dateline ("Update (May 11): the
             * mother was charged") is the article's, with what follows */
            for (uint32_t k = 0; k < nk; k++)
                if (sf_clean_update_line(d->text + d->lines[kept[k]].off,
                                         d->lines[kept[k]].len)) {
                    nk = k;
                    break;
                }
            for (uint32_t k = 0; k < nk; k++) {
                d->lines[kept[k]].keep = false;
                d->lines[kept[k]].why = R_BEFORE_DATELINE;
            }
            return;
        }
        kept[nk++] = (uint32_t)i;
    }
}

/* ====================================================================== */
/* The result                                                              */
/* ====================================================================== */

typedef struct removed_line {
    uint64_t line;
    size_t off, len;     /* in the result's removed-text pool */
    sf_reason why;
} removed_line;

/* One non-empty line of the page, kept or not (for sf_clean_line). */
typedef struct line_info {
    uint64_t line;
    size_t off, len;     /* in text when kept but for the title, else in pool */
    bool kept;           /* in the text, or the title line */
    bool in_pool;
    sf_reason why;
} line_info;

struct sf_clean_result {
    char *text;
    size_t text_len;
    char *title;
    size_t title_len;
    char *pool;          /* removed lines' texts, each NUL-terminated */
    removed_line *removed;
    size_t n_removed;
    line_info *lines;    /* every non-empty line in page order */
    size_t n_lines;
    uint64_t title_line; /* 1-based line of the title, 0 if not on the page */
    char *byline, *credit; /* NULL when the page shows none */
    size_t byline_len, credit_len;
    char date[11];       /* "YYYY-MM-DD" or "" */
    sf_lang lang;        /* the page's language: given, or found while cleaning */
    size_t mojibake;     /* characters repaired from mojibake */
    void *block;         /* lines, removed, text, title and pool in one allocation */
};

size_t sf_clean_mojibake(const sf_clean_result *c)
{
    return c ? c->mojibake : 0;
}

const char *sf_clean_lang(const sf_clean_result *c)
{
    return c && c->lang != SF_LANG_UNKNOWN ? sf_lang_code(c->lang) : "";
}

sf_lang sf_clean_result_lang(const sf_clean_result *c)
{
    return c ? c->lang : SF_LANG_UNKNOWN;
}

void sf_clean_result_free(sf_clean_result *c)
{
    if (!c)
        return;
    free(c->block);
    free(c->byline);
    free(c->credit);
    free(c);
}

const char *sf_clean_text(const sf_clean_result *c, size_t *len)
{
    if (len)
        *len = c ? c->text_len : 0;
    return c ? c->text : NULL;
}

const char *sf_clean_title(const sf_clean_result *c, size_t *len)
{
    if (len)
        *len = c ? c->title_len : 0;
    return c ? c->title : NULL;
}

size_t sf_clean_removed_count(const sf_clean_result *c)
{
    return c ? c->n_removed : 0;
}

const char *sf_clean_removed(const sf_clean_result *c, size_t i, uint64_t *line,
                             size_t *len, const char **why)
{
    if (!c || i >= c->n_removed) {
        if (line)
            *line = 0;
        if (len)
            *len = 0;
        if (why)
            *why = NULL;
        return NULL;
    }
    const removed_line *r = &c->removed[i];
    if (line)
        *line = r->line;
    if (len)
        *len = r->len;
    if (why)
        *why = sf_clean_reason_name(r->why);
    return c->pool + r->off;
}

size_t sf_clean_line_count(const sf_clean_result *c)
{
    return c ? c->n_lines : 0;
}

const char *sf_clean_line(const sf_clean_result *c, size_t i, uint64_t *line, size_t *len,
                          int *kept, const char **why)
{
    const line_info *l = c && i < c->n_lines ? &c->lines[i] : NULL;
    if (line)
        *line = l ? l->line : 0;
    if (len)
        *len = l ? l->len : 0;
    if (kept)
        *kept = l && l->kept ? 1 : 0;
    if (why)
        *why = l ? sf_clean_reason_name(l->why) : NULL;
    if (!l)
        return NULL;
    return l->in_pool ? c->pool + l->off : c->text + l->off;
}

uint64_t sf_clean_title_line(const sf_clean_result *c)
{
    return c ? c->title_line : 0;
}

const char *sf_clean_byline(const sf_clean_result *c, size_t *len)
{
    if (len)
        *len = c ? c->byline_len : 0;
    return c ? c->byline : NULL;
}

const char *sf_clean_credit(const sf_clean_result *c, size_t *len)
{
    if (len)
        *len = c ? c->credit_len : 0;
    return c ? c->credit : NULL;
}

const char *sf_clean_page_date(const sf_clean_result *c, size_t *len)
{
    bool has = c && c->date[0];
    if (len)
        *len = has ? 10 : 0;
    return has ? c->date : NULL;
}

/* ,"key":"value" when value is set. */
static bool json_opt(sf_buf *b, const char *key, const char *v, size_t n)
{
    return !v || (sf_buf_puts(b, key) && sf_buf_json_string(b, v, n));
}

char *sf_clean_result_json(const sf_article *a, const sf_clean_result *c, size_t *len)
{
    if (len)
        *len = 0;
    if (!c)
        return NULL;
    sf_buf b;
    sf_buf_init(&b, 0);
    bool ok = sf_buf_puts(&b, "{\"id\":");
    if (a && a->id)
        ok = ok && sf_buf_json_string(&b, a->id, a->id_len);
    else
        ok = ok && sf_buf_puts(&b, "null");
    ok = ok && sf_buf_puts(&b, ",\"title\":") &&
         sf_buf_json_string(&b, c->title, c->title_len) &&
         json_opt(&b, ",\"byline\":", c->byline, c->byline_len) &&
         json_opt(&b, ",\"credit\":", c->credit, c->credit_len) &&
         json_opt(&b, ",\"date\":", c->date[0] ? c->date : NULL, 10) &&
         (c->mojibake == 0 || sf_buf_printf(&b, ",\"mojibake_repaired\":%zu", c->mojibake)) &&
         sf_buf_puts(&b, ",\"text\":") && sf_buf_json_string(&b, c->text, c->text_len) &&
         sf_buf_puts(&b, ",\"removed\":[");
    for (size_t i = 0; ok && i < c->n_removed; i++) {
        const removed_line *r = &c->removed[i];
        ok = (i == 0 || sf_buf_putc(&b, ',')) &&
             sf_buf_printf(&b, "{\"line\":%llu,\"text\":", (unsigned long long)r->line) &&
             sf_buf_json_string(&b, c->pool + r->off, r->len) &&
             sf_buf_puts(&b, ",\"why\":") &&
             sf_buf_json_string(&b, sf_clean_reason_name(r->why), strlen(sf_clean_reason_name(r->why))) &&
             sf_buf_putc(&b, '}');
    }
    ok = ok && sf_buf_puts(&b, "]}");
    if (!ok) {
        sf_buf_free(&b);
        return NULL;
    }
    return sf_buf_take(&b, len);
}


/* ====================================================================== */
/* sf_clean                                                                */
/* ====================================================================== */

/* ---- the headline without the site's name ------------------------------ */

static bool ascii_alnum(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* True if the word w[0..n) (ASCII letters compared without case) is one
 * of list. */
static bool word_listed(const char *w, size_t n, const char *const *list, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        size_t m = strlen(list[k]);
        if (m != n)
            continue;
        size_t i = 0;
        while (i < n && (w[i] | 0x20) == list[k][i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* True if s[0..n) holds needle without regard to ASCII case, as a whole
 * word or run of words. */
static unsigned char ascii_lower(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch | 0x20) : ch;
}

static bool holds_word(const char *s, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; m && i + m <= n; i++) {
        if (i > 0 && ascii_alnum((unsigned char)s[i - 1]))
            continue;
        size_t k = 0;
        while (k < m && ((unsigned char)s[i + k] | 0x20) == ascii_lower((unsigned char)needle[k]))
            k++;
        if (k == m && (i + m == n || !ascii_alnum((unsigned char)s[i + m])))
            return true;
    }
    return false;
}

/* True if tail names the site rather than the story: a domain ("KMOV.com"),
 * the article's source, its host's name ("wsmv" of www.wsmv.com), or a
 * word of the trade ("WSMV Channel 4", "CBS46 News", "Fox News"). */
static bool site_name(const char *t, size_t n, const sf_article *a)
{
    static const char *const trade[] = {
        "news", "tv", "channel", "radio", "times", "post", "herald", "tribune", "journal",
        "gazette", "daily", "online", "weather", "press", "chronicle", "observer", "telegraph",
        "examiner", "courier", "sentinel", "reuters", "ap", "bbc", "cnn", "abc", "nbc", "cbs",
        "fox", "afp", "upi", "magazine", "network", "media", "blog", "com"};
    for (size_t i = 0; i + 3 < n; i++)
        if (t[i] == '.' && i > 0 && ascii_alnum((unsigned char)t[i - 1]) &&
            (holds_word(t + i + 1, n - i - 1, "com", 3) || holds_word(t + i + 1, n - i - 1, "net", 3) ||
             holds_word(t + i + 1, n - i - 1, "org", 3) || holds_word(t + i + 1, n - i - 1, "tv", 2)))
            return true;
    if (a->source && a->source_len >= 3 && a->source_len <= 60 &&
        holds_word(t, n, a->source, a->source_len))
        return true;
    if (a->url && a->url_len) {
        /* the host's label before its last: "wsmv" of http://www.wsmv.com/... */
        const char *h = a->url, *e = a->url + a->url_len;
        /* the last "://": an archive's copy names the page's own address */
        for (const char *q = a->url; q + 3 <= e; q++)
            if (q[0] == ':' && q[1] == '/' && q[2] == '/')
                h = q + 3;
        const char *he = h;
        while (he < e && *he != '/' && *he != ':')
            he++;
        const char *dot = NULL, *prev = NULL;
        for (const char *q = h; q < he; q++)
            if (*q == '.')
                prev = dot, dot = q;
        const char *ls = prev ? prev + 1 : h;
        if (dot && dot > ls && (size_t)(dot - ls) >= 3 && (size_t)(dot - ls) < 40 &&
            holds_word(t, n, ls, (size_t)(dot - ls)))
            return true;
    }
    for (size_t i = 0; i < n;) {
        while (i < n && !ascii_alnum((unsigned char)t[i]))
            i++;
        size_t j = i;
        while (j < n && ascii_alnum((unsigned char)t[j]))
            j++;
        if (j > i && word_listed(t + i, j - i, trade, SF_ARRAY_LEN(trade)))
            return true;
        i = j;
    }
    return false;
}

/* True if every word of t[0..n) starts with a capital or a digit
 * ("Charleston, SC", "KAIT Jonesboro, AR"). */
static bool all_capitalised(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || t[i - 1] == ' ') && t[i] >= 'a' && t[i] <= 'z')
            return false;
    return true;
}

/* The length of headline t[0..n) without the site's name after its last
 * separator ("... Gun Goes Off: Police - WSMV Channel 4", "... | Fox
 * News"), three pieces at most (after a site's name, a short piece of
 * capitalised words goes too: "- Live5News.com | Charleston, SC | News,
 * Weather, Sports"); the headline that stays has three words or more. */
static __attribute__((noinline)) size_t without_site(const char *t, size_t n, const sf_article *a)
{
    /* most titles hold no separator at all (memchr reads them 32 bytes
     * at a time; the scan below reads byte by byte) */
    if (!memchr(t, '-', n) && !memchr(t, '|', n) && !memchr(t, 0xE2, n))
        return n;
    for (int round = 0; round < 3; round++) {
        size_t m = n;
        while (m > 0 && (t[m - 1] == ' ' || t[m - 1] == '-' || t[m - 1] == '|'))
            m--;
        /* the last " - ", " | ", " – ", " — " (found by memchr: titles
         * hold few of these bytes) */
        size_t cut = 0, after = 0;
        static const char firsts[3] = {'-', '|', (char)0xE2};
        for (int f = 0; f < 3; f++) {
            for (const char *q = memchr(t, firsts[f], m); q;
                 q = (size_t)(q + 1 - t) < m ? memchr(q + 1, firsts[f], m - (size_t)(q + 1 - t)) : NULL) {
                size_t i = (size_t)(q - t), sep = 0;
                if (i == 0 || i + 2 >= m || t[i - 1] != ' ')
                    continue;
                if (f < 2)
                    sep = 1;
                else if (i + 3 < m && (unsigned char)t[i + 1] == 0x80 &&
                         ((unsigned char)t[i + 2] == 0x93 || (unsigned char)t[i + 2] == 0x94))
                    sep = 3;
                if (sep && i + sep < m && t[i + sep] == ' ' && i - 1 > cut)
                    cut = i - 1, after = i + sep + 1;
            }
        }
        if (!cut || m - after > 80)
            return n;
        unsigned words = 0;
        for (size_t i = 0; i < cut; i++)
            words += t[i] != ' ' && (i == 0 || t[i - 1] == ' ');
        bool site = site_name(t + after, m - after, a) ||
                    (round > 0 && m - after <= 40 && all_capitalised(t + after, m - after));
        if (words < 3 || !site)
            return n;
        n = cut;
        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '-' || t[n - 1] == '|'))
            n--;
    }
    return n;
}

/* Copies the kept lines but the title's (joined by "\n": the body) into
 * c's text, the removed ones and the title line (each NUL-terminated)
 * into its pool, sized exactly in a first pass. */
static sf_status build_result(const sf_clean_doc *d, const sf_article *a, uint32_t title,
                              sf_clean_result *c)
{
    size_t nrem = 0, text_len = 0, pool_len = 0, kept = 0;
    for (size_t i = 0; i < d->n; i++) {
        const sf_line *li = &d->lines[i];
        if (li->keep && i != title) {
            text_len += li->len;
            kept++;
        } else if (i == title) {
            pool_len += li->len + 1;
        } else {
            pool_len += li->len + 1;
            nrem++;
        }
    }
    text_len += kept ? kept - 1 : 0;
    const char *ts = "";
    size_t tl = 0;
    if (a->title && a->title_len) {
        ts = a->title;
        tl = a->title_len;
    } else if (title != NONE) {
        ts = d->text + d->lines[title].off;
        tl = d->lines[title].len;
    }
    tl = without_site(ts, tl, a);
    /* one block: the line records, the removed ones, then the bytes */
    _Static_assert(sizeof(line_info) % _Alignof(removed_line) == 0, "removed after lines");
    size_t lines_sz = d->n * sizeof *c->lines, rem_sz = nrem * sizeof *c->removed;
    char *m = malloc(lines_sz + rem_sz + text_len + 1 + tl + 1 + pool_len);
    if (!m)
        return SF_ENOMEM;
    c->block = m;
    c->lines = d->n ? (line_info *)(void *)m : NULL;
    c->removed = nrem ? (removed_line *)(void *)(m + lines_sz) : NULL;
    c->text = m + lines_sz + rem_sz;
    c->title = c->text + text_len + 1;
    memcpy(c->title, ts, tl);
    c->title[tl] = '\0';
    c->pool = pool_len ? c->title + tl + 1 : NULL;
    c->title_len = tl;
    c->title_line = title != NONE ? d->lines[title].no : 0;
    char *t = c->text;
    size_t po = 0;
    for (size_t i = 0; i < d->n; i++) {
        const sf_line *li = &d->lines[i];
        const char *s = d->text + li->off;
        line_info *l = &c->lines[c->n_lines++];
        l->line = li->no;
        l->len = li->len;
        l->kept = li->keep;
        l->in_pool = !li->keep || i == title;
        l->why = li->keep ? R_NONE : (sf_reason)li->why;
        if (i == title) {
            /* the title, not the body's first line: in the pool, for
             * sf_clean_line, but no removed line */
            l->off = po;
            memcpy(c->pool + po, s, li->len);
            po += li->len;
            c->pool[po++] = '\0';
            continue;
        }
        if (li->keep) {
            if (t != c->text)
                *t++ = '\n';
            l->off = (size_t)(t - c->text);
            memcpy(t, s, li->len);
            t += li->len;
            continue;
        }
        removed_line *r = &c->removed[c->n_removed++];
        r->line = li->no;
        r->off = po;
        r->len = li->len;
        r->why = (sf_reason)li->why;
        l->off = po;
        memcpy(c->pool + po, s, li->len);
        po += li->len;
        c->pool[po++] = '\0';
    }
    *t = '\0';
    c->text_len = text_len;
    return SF_OK;
}

/* Byline, credit and date printed on the page, copied into c. */
static sf_status set_meta(const sf_clean_doc *d, sf_clean_result *c)
{
    sf_clean_meta m;
    sf_status st = sf_clean_find_meta(d, &m);
    if (st != SF_OK)
        return st;
    if (m.byline_len && !(c->byline = sf_strndup(d->text + m.byline_off, m.byline_len)))
        return SF_ENOMEM;
    if (m.credit_len && !(c->credit = sf_strndup(d->text + m.credit_off, m.credit_len)))
        return SF_ENOMEM;
    c->byline_len = m.byline_len;
    c->credit_len = m.credit_len;
    memcpy(c->date, m.date, sizeof c->date);
    return SF_OK;
}

/* Lines on many of the site's pages (set before the title is chosen: such
 * a line is never the headline). */
static void mark_site_lines(sf_clean_doc *d, const sf_site_model *m, uint64_t site)
{
    for (size_t i = 0; i < d->n; i++)
        d->lines[i].site = sf_site_recurring(m, site, d->lines[i].hash);
}

/* Lines recurring on the site's pages are removed as site furniture,
 * except the title and long paragraphs of the article; when most of the
 * page's paragraph words recur, the page is a copy of a story the site
 * repeats and no paragraph goes. Removed lines with only a fallback
 * reason get the site reason. */
static void site_furniture(sf_clean_doc *d, uint32_t title)
{
    uint64_t good = 0, recurring = 0;
    for (size_t i = 0; i < d->n; i++) {
        sf_line *li = &d->lines[i];
        if (li->keep && li->kind == K_GOOD) {
            good += li->words;
            recurring += li->site ? li->words : 0;
        }
    }
    bool copy = good > 0 && recurring * 2 >= good;
    for (size_t i = 0; i < d->n; i++) {
        sf_line *li = &d->lines[i];
        if (!li->site || i == title)
            continue;
        if (li->keep) {
            if (li->kind == K_GOOD && (copy || li->words >= GOOD_LONG_WORDS))
                continue;
            li->keep = false;
            li->why = R_SITE_FURNITURE;
        } else if (li->why == R_SHORT || li->why == R_BOILERPLATE) {
            li->why = R_SITE_FURNITURE;
        }
    }
}

static sf_status clean_page(const sf_article *a, const sf_site_model *m,
                            sf_clean_result **out);

sf_status sf_clean(const sf_article *a, sf_clean_result **out)
{
    return clean_page(a, NULL, out);
}

sf_status sf_clean_with_site(const sf_article *a, const sf_site_model *m,
                             sf_clean_result **out)
{
    return clean_page(a, m, out);
}

/* Repairs mojibake in s[0..n) into b; on a repair points *s, *n at b's
 * text. Adds the characters repaired to *count. */
static bool repair_field(const char **s, size_t *n, sf_buf *b, size_t *count)
{
    if (!*s || !*n || !sf_mojibake_suspect(*s, *n))
        return true;
    size_t repairs = 0;
    if (!sf_mojibake_repair(*s, *n, b, &repairs))
        return false;
    if (repairs) {
        *s = b->data;
        *n = b->len;
        *count += repairs;
    }
    return true;
}

static sf_status clean_repaired(const sf_article *a, const sf_site_model *m,
                                sf_clean_result *c);

/* Cleans the page after repairing its mojibake ("gÃ¼nlÃ¼k" -> "günlük"):
 * lines and their numbers stay as they are. */
static sf_status clean_page(const sf_article *a, const sf_site_model *m,
                            sf_clean_result **out)
{
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!a)
        return SF_EINVAL;
    sf_clean_result *c = calloc(1, sizeof *c);
    if (!c)
        return SF_ENOMEM;
    sf_article fixed = *a;
    sf_buf text, title;
    sf_buf_init(&text, 0);
    sf_buf_init(&title, 0);
    sf_status st = SF_ENOMEM;
    if (repair_field(&fixed.text, &fixed.text_len, &text, &c->mojibake) &&
        repair_field(&fixed.title, &fixed.title_len, &title, &c->mojibake))
        st = clean_repaired(&fixed, m, c);
    sf_buf_free(&text);
    sf_buf_free(&title);
    if (st != SF_OK) {
        sf_clean_result_free(c);
        return st;
    }
    *out = c;
    return SF_OK;
}

static sf_status clean_repaired(const sf_article *a, const sf_site_model *m,
                                sf_clean_result *c)
{
    sf_clean_doc d;
    region rg;
    memset(&rg, 0, sizeof rg);
    /* (pages of up to 64 segments: their arrays on the stack) */
    uint64_t rg_buf[64 * 4];
    rg.buf = (char *)rg_buf;
    rg.buf_len = sizeof rg_buf;
    sf_status st = sf_clean_lines(a, &d);
    if (st != SF_OK)
        goto fail;
    st = SF_ENOMEM;
    /* Pages in languages without stop-word lists are judged on length and
     * punctuation alone. */
    bool use_stops = d.total_stops * 20 >= d.total_words && d.total_words > 0;
    unsigned good_pct = good_stop_pct(&d);
    for (size_t i = 0; i < d.n; i++)
        d.lines[i].kind = line_kind(&d, &d.lines[i], use_stops, good_pct);
    code_runs(&d);
    table_runs(&d);
    if (m)
        mark_site_lines(&d, m, sf_site_key(a));
    if (!context(&d) || !find_region(&d, &rg, K_GOOD))
        goto fail;
    if (rg.first == NONE) {
        /* no paragraph anywhere: a short page; its sentences are the body */
        region_free(&rg);
        if (!find_region(&d, &rg, K_NEAR))
            goto fail;
    }
    uint64_t terr = 0;
    uint32_t title = NONE;
    if (a->title && a->title_len)
        title = given_title_line(&d, a, &terr);
    else
        title = find_title_line(&d, rg.first_good == NONE ? (uint32_t)d.n : rg.first_good);
    if (terr)
        goto fail;
    decide(&d, &rg, title);
    dateline_start(&d, title);
    if (m)
        site_furniture(&d, title);
    c->lang = d.lang;
    st = build_result(&d, a, title, c);
    if (st != SF_OK)
        goto fail;
    st = set_meta(&d, c);
    if (st != SF_OK)
        goto fail;
    region_free(&rg);
    sf_clean_doc_free(&d);
    return SF_OK;
fail:
    region_free(&rg);
    sf_clean_doc_free(&d);
    return st;
}
