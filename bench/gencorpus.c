/* gencorpus: writes a synthetic news corpus as JSON Lines, deterministically from a seed.
 *
 * Every article is one of four kinds:
 *   original  the first report of a new event (new names, numbers, date, key words);
 *   rewrite   another outlet's report of an event already seen: the same names, numbers and
 *             key words, date within a day, but its own sentences (some of the event's fact
 *             sentences reworded and reordered, the rest new);
 *   copy      an earlier article's title and text byte for byte, under another source;
 *   near      an earlier article with small edits (a few words changed, a paragraph dropped)
 *             and page furniture lines inserted (share buttons, ad code, teasers).
 * Any article may also carry its source's page furniture (navigation, byline, footer).
 *
 * New events are sometimes later developments of an earlier event's storyline (same people,
 * places and organisation, different facts): a different story that looks like the earlier one.
 *
 * Ground truth travels with each article and is ignored by storyfold: "event" (the story),
 * "kind", "copy_of" (the id of the article a copy or near-copy was taken from) and, on the
 * articles of a follow-up event, "follows" (the earlier event).
 *
 * Determinism: article i depends only on the seed and on articles before it, so a smaller
 * corpus is a prefix of a larger one made with the same seed and shares.
 *
 * Depends on nothing but libc. Build: make -C bench gencorpus. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------------------------ */
/* Failure                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void die(const char *what)
{
    fprintf(stderr, "gencorpus: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) die("out of memory");
    return q;
}

/* ------------------------------------------------------------------------------------------ */
/* Random numbers: splitmix64, one stream per purpose so that each article's draws depend     */
/* only on (seed, article number) and not on how many draws earlier articles made.           */
/* ------------------------------------------------------------------------------------------ */

typedef struct { uint64_t s; } rng_t;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_next(rng_t *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

/* Uniform in [0, n). */
static uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static uint32_t rng_range(rng_t *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static rng_t rng_derive(uint64_t seed, uint64_t a, uint64_t b)
{
    rng_t r = { mix64(seed ^ mix64(a * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) ^
                      mix64(b + 0x2545f4914f6cdd1dULL)) };
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Growable byte buffer                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef struct { char *p; size_t n, cap; } buf_t;

static void buf_reserve(buf_t *b, size_t more)
{
    if (b->n + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

static void buf_put(buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void buf_puts(buf_t *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_putc(buf_t *b, char c)
{
    buf_reserve(b, 1);
    b->p[b->n++] = c;
}

/* Decimal, left-padded with zeros to at least `width` digits. */
static void buf_putu(buf_t *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n < width) tmp[n++] = '0';
    buf_reserve(b, (size_t)n);
    while (n) b->p[b->n++] = tmp[--n];
}

/* Decimal with thousands separators: 12,480. */
static void buf_putgrouped(buf_t *b, uint64_t v)
{
    if (v >= 1000) {
        buf_putgrouped(b, v / 1000);
        buf_putc(b, ',');
        buf_putu(b, v % 1000, 3);
    } else {
        buf_putu(b, v, 0);
    }
}

/* JSON string body: escapes quote, backslash and control characters; the text is ASCII. */
static void buf_put_json(buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, 2 * n + 2);
    char *o = b->p + b->n;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') { *o++ = (char)c; continue; }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\t': *o++ = 't'; break;
        default: *o++ = 'r'; break; /* only \r can occur besides the above */
        }
    }
    *o++ = '"';
    b->n = (size_t)(o - b->p);
}

/* ------------------------------------------------------------------------------------------ */
/* Vocabulary: English function words, then pseudo-words built from syllables, ranked by a    */
/* Zipf law over the whole list (s = 1), sampled in O(1) through a guide table.              */
/* ------------------------------------------------------------------------------------------ */

/* Our own list, roughly in order of frequency in news English. */
static const char *const FUNCTION_WORDS[] = {
    "the", "of", "to", "and", "a", "in", "that", "is", "for", "on", "was", "said", "with", "he",
    "it", "as", "at", "by", "from", "his", "be", "have", "has", "are", "but", "an", "not", "they",
    "who", "its", "had", "this", "were", "which", "after", "would", "been", "their", "will",
    "also", "more", "one", "or", "two", "than", "she", "about", "up", "there", "when", "her",
    "out", "we", "into", "last", "new", "over", "year", "some", "could", "can", "all", "no",
    "other", "people", "first", "since", "three", "what", "time", "them", "if", "before", "so",
    "while", "years", "told", "only", "most", "just", "now", "may", "because", "where", "both",
    "during", "many", "against", "our", "then", "made", "under", "between", "still", "any",
    "those", "being", "should", "did", "these", "week", "how", "through", "such", "even",
    "later", "officials", "us", "says", "percent", "state", "around", "police", "city",
    "government", "according", "early", "including", "another", "four", "million", "day",
};
#define N_FUNCTION (sizeof FUNCTION_WORDS / sizeof FUNCTION_WORDS[0])

static const char *const ONSETS[] = {
    "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "br", "cr", "dr", "fr", "gr", "pr", "tr", "st", "sl", "ch", "sh", "th", "pl", "cl", "bl",
    "sp", "gl", "", "", "",
};
static const char *const NUCLEI[] = {
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou", "io", "ee", "oa", "y",
};
static const char *const CODAS[] = {
    "", "", "", "", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "st", "ck", "ng", "x", "ll",
    "nt", "rd",
};
static const char *const SUFFIXES[] = {
    "ing", "ed", "ion", "er", "ly", "s", "ment", "al", "ity", "ers", "ness", "ive",
};
#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

#define VOCAB 40000u         /* words in the vocabulary, function words included */
#define GUIDE_BITS 16

typedef struct { const char *s; uint32_t n; } word_t;

static word_t vocab[VOCAB];
static uint32_t zipf_cdf[VOCAB];          /* P(rank <= i) scaled to 2^32, last = UINT32_MAX */
static uint32_t zipf_guide[(1u << GUIDE_BITS) + 1];
static char *vocab_pool;

/* One pseudo-word of `syll` syllables into out (NUL-terminated), returns its length. */
static size_t make_word(rng_t *r, uint32_t syll, int suffix, char *out)
{
    size_t n = 0;
    for (uint32_t k = 0; k < syll; k++) {
        const char *parts[3] = { ONSETS[rng_below(r, COUNT(ONSETS))],
                                 NUCLEI[rng_below(r, COUNT(NUCLEI))],
                                 k + 1 == syll ? CODAS[rng_below(r, COUNT(CODAS))] : "" };
        for (int p = 0; p < 3; p++)
            for (const char *c = parts[p]; *c; c++) out[n++] = *c;
    }
    if (suffix)
        for (const char *c = SUFFIXES[rng_below(r, COUNT(SUFFIXES))]; *c; c++) out[n++] = *c;
    out[n] = '\0';
    return n;
}

/* Open-addressing set of words, to keep every rank a distinct word. */
#define SEEN_SLOTS (1u << 17)
static const char *seen[SEEN_SLOTS];

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int seen_add(const char *s)
{
    uint32_t i = (uint32_t)hash_str(s) & (SEEN_SLOTS - 1);
    while (seen[i]) {
        if (strcmp(seen[i], s) == 0) return 0;
        i = (i + 1) & (SEEN_SLOTS - 1);
    }
    seen[i] = s;
    return 1;
}

static void vocab_build(uint64_t seed)
{
    rng_t r = rng_derive(seed, 1, 0);
    size_t cap = (size_t)VOCAB * 24, used = 0;
    vocab_pool = xrealloc(NULL, cap);
    for (uint32_t i = 0; i < N_FUNCTION; i++) {
        size_t n = strlen(FUNCTION_WORDS[i]);
        memcpy(vocab_pool + used, FUNCTION_WORDS[i], n + 1);
        vocab[i].s = vocab_pool + used;
        vocab[i].n = (uint32_t)n;
        seen_add(vocab[i].s);
        used += n + 1;
    }
    for (uint32_t i = N_FUNCTION; i < VOCAB;) {
        /* Frequent words are short, rare ones long, as in real text. */
        uint32_t syll = i < 600 ? rng_range(&r, 1, 2) : i < 6000 ? rng_range(&r, 2, 3)
                                                                   : rng_range(&r, 2, 4);
        char *w = vocab_pool + used;
        size_t n = make_word(&r, syll, rng_below(&r, 4) == 0, w);
        if (n < 2 || !seen_add(w)) continue;
        vocab[i].s = w;
        vocab[i].n = (uint32_t)n;
        used += n + 1;
        i++;
    }
    double total = 0, acc = 0;
    for (uint32_t i = 0; i < VOCAB; i++) total += 1.0 / (i + 1.0);
    for (uint32_t i = 0; i < VOCAB; i++) {
        acc += 1.0 / (i + 1.0) / total;
        double v = acc * 4294967296.0;
        zipf_cdf[i] = v >= 4294967295.0 ? UINT32_MAX : (uint32_t)v;
    }
    zipf_cdf[VOCAB - 1] = UINT32_MAX;
    uint32_t i = 0;
    for (uint32_t g = 0; g <= (1u << GUIDE_BITS); g++) {
        uint64_t lo = (uint64_t)g << (32 - GUIDE_BITS);
        while (i < VOCAB - 1 && zipf_cdf[i] < lo) i++;
        zipf_guide[g] = i;
    }
}

static uint32_t zipf_rank(rng_t *r)
{
    uint32_t u = (uint32_t)(rng_next(r) >> 32);
    uint32_t i = zipf_guide[u >> (32 - GUIDE_BITS)];
    while (zipf_cdf[i] < u) i++;
    return i;
}

/* A content word of middling frequency: what key words of a topic look like. */
static uint32_t topical_rank(rng_t *r)
{
    return rng_range(r, 300, 9000);
}

/* ------------------------------------------------------------------------------------------ */
/* Names: first names and places recur across events (Zipf); surnames are per event.          */
/* ------------------------------------------------------------------------------------------ */

#define N_FIRST 1500u
#define N_PLACES 3000u
#define NAME_MAX 48

#define N_FIGURES 2000u

static char first_names[N_FIRST][16];
static char places[N_PLACES][24];
static struct { char first[16], last[16]; } figures[N_FIGURES]; /* recurring public figures */

static void capitalise(char *s)
{
    if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 'a' + 'A');
}

/* Capitalised pseudo-word of 2..3 syllables, at most `max - 1` characters. */
static void make_name(rng_t *r, char *out, size_t max)
{
    char tmp[64];
    size_t n = make_word(r, rng_range(r, 2, 3), 0, tmp);
    if (n >= max) n = max - 1;
    memcpy(out, tmp, n);
    out[n] = '\0';
    capitalise(out);
}

static const char *const PLACE_SUFFIXES[] = { "", "", "", "", " City", "ville", "ton", " Bay",
                                              "burg", " Springs" };

/* Index in [0, n) with weight density ~ 1/sqrt(i): a few common, a long tail. */
static uint32_t skewed(rng_t *r, uint32_t n)
{
    double u = rng_unit(r);
    return (uint32_t)((double)n * u * u);
}

static void names_build(uint64_t seed)
{
    rng_t r = rng_derive(seed, 2, 0);
    for (uint32_t i = 0; i < N_FIRST; i++) make_name(&r, first_names[i], sizeof first_names[i]);
    for (uint32_t i = 0; i < N_FIGURES; i++) {
        memcpy(figures[i].first, first_names[skewed(&r, N_FIRST)], 16);
        make_name(&r, figures[i].last, sizeof figures[i].last);
    }
    for (uint32_t i = 0; i < N_PLACES; i++) {
        char base[16];
        make_name(&r, base, sizeof base);
        snprintf(places[i], sizeof places[i], "%s%s", base,
                 PLACE_SUFFIXES[rng_below(&r, COUNT(PLACE_SUFFIXES))]);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                     */
/* ------------------------------------------------------------------------------------------ */

#define N_CATEGORIES 48u
#define CATEGORY_WORDS 20u
#define EVENT_KEYWORDS 10u
#define N_PEOPLE 3u
#define N_EPLACES 2u
#define N_FACTS 8u

static uint32_t category_words[N_CATEGORIES][CATEGORY_WORDS];

static void categories_build(uint64_t seed)
{
    rng_t r = rng_derive(seed, 3, 0);
    for (uint32_t c = 0; c < N_CATEGORIES; c++)
        for (uint32_t k = 0; k < CATEGORY_WORDS; k++) category_words[c][k] = topical_rank(&r);
}

typedef struct {
    uint64_t id;
    uint64_t seed;                 /* fact sentences are drawn from it */
    uint32_t day;                  /* days since 2021-01-04 */
    uint32_t cat;
    char person_first[N_PEOPLE][16];
    char person_last[N_PEOPLE][16];
    char place[N_EPLACES][24];
    char org[NAME_MAX];
    uint32_t keyword[EVENT_KEYWORDS];
    uint32_t count, money_tenths, pct_tenths, big;
} event_t;

static const char *const ORG_PATTERNS[] = {
    "%s Group", "Ministry of %s", "%s Bank", "University of %s", "%s Council", "%s Holdings",
    "%s Party", "%s Police Department", "%s Foundation", "%s Airlines", "%s Energy",
    "%s Football Club", "%s Institute", "Bureau of %s",
};

/* A new event on `day`. With `parent`, a later development of the parent's storyline: the
 * same category, people, places and organisation, half the key words, new numbers and facts
 * (a different story, the hard case for grouping). Otherwise new: half its people are public
 * figures who recur across events, half its places are common places. */
static void event_init(event_t *e, uint64_t seed, uint64_t id, uint32_t day,
                       const event_t *parent)
{
    rng_t r = rng_derive(seed, 4, id);
    e->id = id;
    e->seed = rng_next(&r);
    e->day = day;
    if (parent) {
        e->cat = parent->cat;
        memcpy(e->person_first, parent->person_first, sizeof e->person_first);
        memcpy(e->person_last, parent->person_last, sizeof e->person_last);
        memcpy(e->place, parent->place, sizeof e->place);
        memcpy(e->org, parent->org, sizeof e->org);
        for (uint32_t k = 0; k < EVENT_KEYWORDS; k++)
            e->keyword[k] = k % 2 ? parent->keyword[k] : topical_rank(&r);
    } else {
        e->cat = rng_below(&r, N_CATEGORIES);
        for (uint32_t i = 0; i < N_PEOPLE; i++) {
            if (rng_below(&r, 2)) {
                uint32_t f = skewed(&r, N_FIGURES);
                memcpy(e->person_first[i], figures[f].first, 16);
                memcpy(e->person_last[i], figures[f].last, 16);
            } else {
                memcpy(e->person_first[i], first_names[skewed(&r, N_FIRST)], 16);
                make_name(&r, e->person_last[i], sizeof e->person_last[i]);
            }
        }
        for (uint32_t i = 0; i < N_EPLACES; i++) {
            if (rng_below(&r, 2)) memcpy(e->place[i], places[skewed(&r, N_PLACES)], 24);
            else make_name(&r, e->place[i], sizeof e->place[i]);
        }
        char base[16];
        make_name(&r, base, sizeof base);
        snprintf(e->org, sizeof e->org, ORG_PATTERNS[rng_below(&r, COUNT(ORG_PATTERNS))],
                 rng_below(&r, 3) ? base : e->place[0]);
        /* Half the key words are the category's own: same-kind events look alike. */
        for (uint32_t k = 0; k < EVENT_KEYWORDS; k++)
            e->keyword[k] = k % 2 ? category_words[e->cat][rng_below(&r, CATEGORY_WORDS)]
                                  : topical_rank(&r);
    }
    e->count = rng_range(&r, 2, 400);
    e->money_tenths = rng_range(&r, 11, 9999);
    e->pct_tenths = rng_range(&r, 1, 999);
    e->big = rng_range(&r, 1100, 250000);
}

/* ------------------------------------------------------------------------------------------ */
/* Sentences: token lists rendered to text                                                    */
/* ------------------------------------------------------------------------------------------ */

enum {
    T_WORD,       /* value: vocabulary rank */
    T_PERSON,     /* value: person index; rendered as full name or surname */
    T_PLACE,
    T_ORG,
    T_NUM,        /* value: which event number */
    T_DATE,       /* the event's day, as weekday or day and month */
    T_DIGITS,     /* value: a literal number */
};

#define TOK(t, v) (((uint32_t)(t) << 24) | (uint32_t)(v))
#define TTYPE(x) ((x) >> 24)
#define TVAL(x) ((x) & 0xffffffu)
#define MAX_TOKENS 40

typedef struct { uint32_t tok[MAX_TOKENS]; uint32_t n; } sentence_t;

static const char *const MONTHS[] = { "January", "February", "March", "April", "May", "June",
                                      "July", "August", "September", "October", "November",
                                      "December" };
static const char *const WEEKDAYS[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                        "Saturday", "Sunday" };

/* Civil date of `day` days after 2021-01-04 (a Monday). */
static void day_to_date(uint32_t day, uint32_t *y, uint32_t *m, uint32_t *d)
{
    static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    uint32_t year = 2021, rest = day + 3; /* day 0 is January 4th: day-of-year index 3 */
    for (;;) {
        uint32_t len = (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 366 : 365;
        if (rest < len) break;
        rest -= len;
        year++;
    }
    uint32_t month = 0;
    for (;; month++) {
        uint32_t len = mdays[month] + (month == 1 && (year % 4 == 0 &&
                                       (year % 100 != 0 || year % 400 == 0)));
        if (rest < len) break;
        rest -= len;
    }
    *y = year;
    *m = month + 1;
    *d = rest + 1;
}

static void put_iso_date(buf_t *b, uint32_t day)
{
    uint32_t y, m, d;
    day_to_date(day, &y, &m, &d);
    buf_putu(b, y, 4);
    buf_putc(b, '-');
    buf_putu(b, m, 2);
    buf_putc(b, '-');
    buf_putu(b, d, 2);
}

static void put_word(buf_t *b, uint32_t rank, int cap)
{
    const word_t *w = &vocab[rank];
    size_t at = b->n;
    buf_put(b, w->s, w->n);
    if (cap) capitalise(b->p + at);
}

static void put_number(buf_t *b, const event_t *e, uint32_t which)
{
    switch (which) {
    case 0:
        buf_putu(b, e->count, 0);
        break;
    case 1:
        buf_putc(b, '$');
        buf_putu(b, e->money_tenths / 10, 0);
        buf_putc(b, '.');
        buf_putu(b, e->money_tenths % 10, 0);
        buf_puts(b, " million");
        break;
    case 2:
        buf_putu(b, e->pct_tenths / 10, 0);
        buf_putc(b, '.');
        buf_putu(b, e->pct_tenths % 10, 0);
        buf_puts(b, " percent");
        break;
    default:
        buf_putgrouped(b, e->big);
        break;
    }
}

static void put_token(buf_t *b, const event_t *e, uint32_t tok, int cap, rng_t *r)
{
    uint32_t v = TVAL(tok);
    switch (TTYPE(tok)) {
    case T_WORD:
        put_word(b, v, cap);
        break;
    case T_PERSON:
        if (rng_below(r, 2)) {
            buf_puts(b, e->person_first[v]);
            buf_putc(b, ' ');
        }
        buf_puts(b, e->person_last[v]);
        break;
    case T_PLACE:
        buf_puts(b, e->place[v]);
        break;
    case T_ORG:
        if (cap) buf_puts(b, "The ");
        else buf_puts(b, "the ");
        buf_puts(b, e->org);
        break;
    case T_NUM:
        put_number(b, e, v);
        break;
    case T_DATE:
        if (rng_below(r, 2)) {
            buf_puts(b, cap ? "On " : "on ");
            buf_puts(b, WEEKDAYS[e->day % 7]);
        } else {
            uint32_t y, m, d;
            day_to_date(e->day, &y, &m, &d);
            buf_puts(b, cap ? "On " : "on ");
            buf_putu(b, d, 0);
            buf_putc(b, ' ');
            buf_puts(b, MONTHS[m - 1]);
        }
        break;
    default:
        buf_putu(b, v, 0);
        break;
    }
}

/* Renders a sentence; sometimes as a quotation attributed to one of the event's people. */
static void put_sentence(buf_t *b, const event_t *e, const sentence_t *s, rng_t *r)
{
    int quote = s->n > 6 && rng_below(r, 7) == 0;
    if (quote) buf_putc(b, '"');
    for (uint32_t i = 0; i < s->n; i++) {
        if (i) buf_putc(b, ' ');
        put_token(b, e, s->tok[i], i == 0, r);
        if (i + 2 < s->n && i > 2 && rng_below(r, 14) == 0) buf_putc(b, ',');
    }
    if (quote) {
        buf_puts(b, ",\" ");
        put_token(b, e, TOK(T_PERSON, rng_below(r, N_PEOPLE)), 0, r);
        buf_puts(b, " said.");
    } else {
        buf_putc(b, '.');
    }
}

static uint32_t name_token(rng_t *r)
{
    uint32_t k = rng_below(r, 6);
    if (k < 3) return TOK(T_PERSON, rng_below(r, N_PEOPLE));
    if (k < 5) return TOK(T_PLACE, rng_below(r, N_EPLACES));
    return TOK(T_ORG, 0);
}

/* Fact sentence k of event e: the same for every article about e, before rewording. */
static void fact_sentence(const event_t *e, uint32_t k, sentence_t *s)
{
    rng_t r = rng_derive(e->seed, 5, k);
    s->n = rng_range(&r, 11, 24);
    for (uint32_t i = 0; i < s->n; i++) s->tok[i] = TOK(T_WORD, zipf_rank(&r));
    s->tok[rng_below(&r, s->n)] = name_token(&r);
    s->tok[rng_range(&r, 1, s->n - 1)] = rng_below(&r, 2) ? TOK(T_NUM, k % 4)
                                          : TOK(T_WORD, e->keyword[rng_below(&r, EVENT_KEYWORDS)]);
    s->tok[rng_range(&r, 1, s->n - 1)] = TOK(T_WORD, e->keyword[rng_below(&r, EVENT_KEYWORDS)]);
    s->tok[rng_range(&r, 1, s->n - 1)] =
        TOK(T_WORD, category_words[e->cat][rng_below(&r, CATEGORY_WORDS)]);
    if (k % 3 == 0) s->tok[rng_range(&r, 2, s->n - 1)] = TOK(T_DATE, 0);
}

/* Reworded: content words swapped for a neighbour in rank (a "synonym" of like frequency),
 * function words for another, a word dropped or added; names, numbers and dates kept. */
static void reword(sentence_t *s, rng_t *r)
{
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t t = s->tok[i];
        if (TTYPE(t) != T_WORD) continue;
        uint32_t v = TVAL(t);
        if (v >= N_FUNCTION) {
            if (rng_below(r, 100) < 40) {
                uint32_t w = v ^ 1u;
                if (w < N_FUNCTION || w >= VOCAB) w = v + 1 < VOCAB ? v + 1 : v - 1;
                s->tok[i] = TOK(T_WORD, w);
            }
        } else if (rng_below(r, 100) < 20) {
            s->tok[i] = TOK(T_WORD, rng_below(r, 40));
        }
    }
    if (s->n > 8 && rng_below(r, 2)) {
        uint32_t at = rng_range(r, 1, s->n - 1);
        memmove(&s->tok[at], &s->tok[at + 1], (s->n - at - 1) * sizeof s->tok[0]);
        s->n--;
    }
    if (s->n + 1 < MAX_TOKENS && rng_below(r, 2)) {
        uint32_t at = rng_range(r, 1, s->n);
        memmove(&s->tok[at + 1], &s->tok[at], (s->n - at) * sizeof s->tok[0]);
        s->tok[at] = TOK(T_WORD, zipf_rank(r));
        s->n++;
    }
}

/* A sentence of the article's own: mostly general words, some of the topic's. */
static void filler_sentence(const event_t *e, rng_t *r, sentence_t *s)
{
    s->n = rng_range(r, 8, 26);
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t u = rng_below(r, 100);
        if (u < 4) s->tok[i] = TOK(T_WORD, e->keyword[rng_below(r, EVENT_KEYWORDS)]);
        else if (u < 7) s->tok[i] = TOK(T_WORD, category_words[e->cat][rng_below(r, CATEGORY_WORDS)]);
        else if (u < 9 && i > 0) s->tok[i] = name_token(r);
        else if (u < 10 && i > 0) s->tok[i] = TOK(T_DIGITS, rng_range(r, 2, 90));
        else s->tok[i] = TOK(T_WORD, zipf_rank(r));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Sources and their page furniture                                                           */
/* ------------------------------------------------------------------------------------------ */

#define N_SOURCES 400u

enum {
    F_NAV = 1, F_ACCOUNT = 2, F_BYLINE = 4, F_PUBLISHED = 8, F_AD_WORD = 16, F_AD_CODE = 32,
    F_TEASER = 64, F_SHARE = 128, F_COPYRIGHT = 256, F_NEWSLETTER = 512, F_COOKIES = 1024,
    F_COMMENTS = 2048, F_TOPICS = 4096, F_CAPTION = 8192, F_TITLE = 16384,
};

typedef struct {
    char name[48];
    char domain[48];
    char nav[160];
    uint32_t style;      /* F_* bits: which furniture this site's pages carry */
    uint32_t ad_slot;
} source_t;

static source_t sources[N_SOURCES];

static const char *const SOURCE_PATTERNS[] = {
    "The %s Herald", "%s Times", "Daily %s", "%s News", "The %s Post", "%s Tribune",
    "Radio %s", "%s Gazette", "%s Today", "The %s Observer", "%s Press", "%s Wire",
};
static const char *const SECTIONS[] = {
    "News", "World", "Business", "Sport", "Opinion", "Culture", "Politics", "Science", "Health",
    "Local", "Weather", "Video", "Travel", "Money", "Tech", "Lifestyle",
};

static void sources_build(uint64_t seed)
{
    rng_t r = rng_derive(seed, 6, 0);
    for (uint32_t i = 0; i < N_SOURCES; i++) {
        source_t *s = &sources[i];
        char base[16];
        make_name(&r, base, sizeof base);
        snprintf(s->name, sizeof s->name, SOURCE_PATTERNS[rng_below(&r, COUNT(SOURCE_PATTERNS))],
                 base);
        size_t n = 0;
        for (const char *c = s->name; *c && n + 12 < sizeof s->domain; c++)
            if (*c != ' ') s->domain[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        memcpy(s->domain + n, rng_below(&r, 3) ? ".com" : ".co.uk", 7);
        n = 0;
        memcpy(s->nav, "Home", 4);
        n = 4;
        uint32_t first = rng_below(&r, COUNT(SECTIONS)), count = rng_range(&r, 4, 9);
        const char *sep = rng_below(&r, 2) ? " | " : "  ";
        for (uint32_t k = 0; k < count; k++) {
            const char *sec = SECTIONS[(first + k * 3) % COUNT(SECTIONS)];
            n += (size_t)snprintf(s->nav + n, sizeof s->nav - n, "%s%s", sep, sec);
        }
        s->style = (uint32_t)rng_next(&r) & 0x7fffu;
        s->ad_slot = rng_range(&r, 1000, 99999);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Articles and the ring of recent ones (copies and rewrites are drawn from it)               */
/* ------------------------------------------------------------------------------------------ */

enum kind { K_ORIGINAL, K_REWRITE, K_COPY, K_NEAR };
static const char *const KIND_NAMES[] = { "original", "rewrite", "copy", "near" };

#define RING 4096u           /* recent articles kept */
#define EVENT_RING 8192u     /* > RING: every event referenced from the ring is still here */

typedef struct {
    uint64_t id, event;
    uint32_t day, source;
    buf_t title, text;
} stored_t;

static stored_t ring[RING];
static event_t events[EVENT_RING];

typedef struct {
    uint64_t seed;
    double copies, near, rewrites, furniture, followups;
    uint32_t per_day;
} config_t;

static void put_article_id(buf_t *b, uint64_t id)
{
    buf_putc(b, 'a');
    buf_putu(b, id, 9);
}

static void put_furniture_line(buf_t *b, const source_t *src, uint32_t which, rng_t *r,
                               uint64_t article, uint32_t day)
{
    uint32_t y, m, d;
    switch (which) {
    case F_NAV:
        buf_puts(b, src->nav);
        break;
    case F_ACCOUNT:
        buf_puts(b, rng_below(r, 2) ? "Subscribe | Sign in" : "Log in  Register  Subscribe");
        break;
    case F_BYLINE:
        buf_puts(b, "By ");
        buf_puts(b, first_names[skewed(r, N_FIRST)]);
        buf_putc(b, ' ');
        buf_puts(b, first_names[rng_below(r, N_FIRST)]);
        buf_puts(b, ", ");
        buf_puts(b, src->name);
        break;
    case F_PUBLISHED:
        day_to_date(day, &y, &m, &d);
        buf_puts(b, "Published ");
        buf_putu(b, d, 0);
        buf_putc(b, ' ');
        buf_puts(b, MONTHS[m - 1]);
        buf_putc(b, ' ');
        buf_putu(b, y, 4);
        buf_puts(b, ", ");
        buf_putu(b, rng_below(r, 24), 2);
        buf_putc(b, ':');
        buf_putu(b, rng_below(r, 60), 2);
        buf_puts(b, " GMT");
        break;
    case F_AD_WORD:
        buf_puts(b, rng_below(r, 2) ? "Advertisement" : "ADVERTISEMENT");
        break;
    case F_AD_CODE:
        if (rng_below(r, 2)) {
            buf_puts(b, "window.adQueue = window.adQueue || []; adQueue.push({slot: \"ad-");
            buf_putu(b, src->ad_slot, 0);
            buf_puts(b, "\", sizes: [[300, 250], [728, 90]]});");
        } else {
            buf_puts(b, "<div class=\"ad-container\" id=\"ad-");
            buf_putu(b, src->ad_slot + article % 7, 0);
            buf_puts(b, "\" data-lazy=\"true\"></div>");
        }
        break;
    case F_SHARE:
        buf_puts(b, rng_below(r, 2) ? "Share this article"
                                    : "Share on Facebook  Share on Twitter  Share via Email");
        break;
    case F_COPYRIGHT:
        day_to_date(day, &y, &m, &d);
        buf_puts(b, "Copyright ");
        buf_putu(b, y, 4);
        buf_putc(b, ' ');
        buf_puts(b, src->name);
        buf_puts(b, ". All rights reserved.");
        break;
    case F_NEWSLETTER:
        buf_puts(b, "Sign up for our daily newsletter and get the top stories in your inbox.");
        break;
    case F_COOKIES:
        buf_puts(b, "We use cookies to improve your experience. By continuing to browse you "
                    "agree to our use of cookies.");
        break;
    case F_COMMENTS:
        buf_puts(b, "Comments (");
        buf_putu(b, rng_below(r, 300), 0);
        buf_putc(b, ')');
        break;
    case F_CAPTION:
        buf_puts(b, "Photo: ");
        buf_puts(b, first_names[rng_below(r, N_FIRST)]);
        buf_putc(b, ' ');
        buf_puts(b, first_names[rng_below(r, N_FIRST)]);
        buf_puts(b, " / ");
        buf_puts(b, src->name);
        break;
    default: /* F_TOPICS */
        buf_puts(b, "Topics: ");
        for (uint32_t k = 0; k < 3; k++) {
            if (k) buf_puts(b, ", ");
            put_word(b, topical_rank(r), 1);
        }
        break;
    }
}

/* "Read more: <title of a recent article>". */
static void put_teaser(buf_t *b, rng_t *r, uint64_t produced)
{
    static const char *const LEADS[] = { "Read more: ", "Related: ", "You may also like: ",
                                         "MORE: ", "See also: " };
    buf_puts(b, LEADS[rng_below(r, COUNT(LEADS))]);
    uint64_t have = produced < RING ? produced : RING;
    if (have == 0) {
        buf_puts(b, "Top stories of the day");
        return;
    }
    const stored_t *t = &ring[(produced - 1 - rng_below(r, (uint32_t)have)) % RING];
    buf_put(b, t->title.p, t->title.n);
}

/* Title of an original or rewrite: a name, key words and topic words. */
static void make_title(buf_t *b, const event_t *e, rng_t *r)
{
    sentence_t s;
    s.n = rng_range(r, 6, 11);
    for (uint32_t i = 0; i < s.n; i++) {
        uint32_t u = rng_below(r, 10);
        s.tok[i] = u < 3 ? TOK(T_WORD, e->keyword[rng_below(r, EVENT_KEYWORDS)])
                 : u < 4 ? TOK(T_WORD, category_words[e->cat][rng_below(r, CATEGORY_WORDS)])
                 : TOK(T_WORD, zipf_rank(r));
    }
    s.tok[rng_below(r, s.n)] = rng_below(r, 2) ? TOK(T_PLACE, 0) : TOK(T_PERSON, 0);
    if (rng_below(r, 3) == 0) s.tok[rng_range(r, 1, s.n - 1)] = TOK(T_NUM, 0);
    for (uint32_t i = 0; i < s.n; i++) {
        if (i) buf_putc(b, ' ');
        put_token(b, e, s.tok[i], i == 0, r);
    }
}

/* Body of an original (the event's facts in order, as stated) or a rewrite (some facts,
 * reworded and shuffled), wrapped in the source's furniture when `furnished`. */
static void make_body(buf_t *b, const event_t *e, const source_t *src, int rewrite,
                      int furnished, rng_t *r, uint64_t article, uint32_t day, const buf_t *title,
                      uint64_t produced)
{
    uint32_t facts[N_FACTS], nfacts;
    for (uint32_t k = 0; k < N_FACTS; k++) facts[k] = k;
    if (rewrite) {
        for (uint32_t k = N_FACTS - 1; k > 0; k--) {
            uint32_t j = rng_below(r, k + 1), t = facts[k];
            facts[k] = facts[j];
            facts[j] = t;
        }
        nfacts = rng_range(r, 3, 6);
    } else {
        nfacts = rng_range(r, 5, N_FACTS);
    }
    uint32_t style = furnished ? src->style : 0;
    if (style & F_NAV) { put_furniture_line(b, src, F_NAV, r, article, day); buf_putc(b, '\n'); }
    if (style & F_ACCOUNT) { put_furniture_line(b, src, F_ACCOUNT, r, article, day); buf_putc(b, '\n'); }
    if (style & F_TITLE) { buf_put(b, title->p, title->n); buf_putc(b, '\n'); }
    if (style & F_BYLINE) { put_furniture_line(b, src, F_BYLINE, r, article, day); buf_putc(b, '\n'); }
    if (style & F_PUBLISHED) { put_furniture_line(b, src, F_PUBLISHED, r, article, day); buf_putc(b, '\n'); }
    if (style & F_CAPTION) { put_furniture_line(b, src, F_CAPTION, r, article, day); buf_putc(b, '\n'); }

    uint32_t paragraphs = rng_range(r, 4, 8), fact = 0;
    for (uint32_t p = 0; p < paragraphs; p++) {
        uint32_t sentences = rng_range(r, 2, 4);
        for (uint32_t k = 0; k < sentences; k++) {
            sentence_t s;
            /* Facts come early, as in news writing: about one a sentence at first. */
            if (fact < nfacts && rng_below(r, 3) != 0) {
                fact_sentence(e, facts[fact++], &s);
                if (rewrite) reword(&s, r);
            } else {
                filler_sentence(e, r, &s);
            }
            if (k) buf_putc(b, ' ');
            put_sentence(b, e, &s, r);
        }
        buf_putc(b, '\n');
        if (p + 1 < paragraphs && p == paragraphs / 2) {
            if (style & F_AD_WORD) { put_furniture_line(b, src, F_AD_WORD, r, article, day); buf_putc(b, '\n'); }
            if (style & F_AD_CODE) { put_furniture_line(b, src, F_AD_CODE, r, article, day); buf_putc(b, '\n'); }
            if (style & F_TEASER) { put_teaser(b, r, produced); buf_putc(b, '\n'); }
        }
    }
    static const uint32_t FOOTER[] = { F_SHARE, F_TOPICS, F_COMMENTS, F_NEWSLETTER, F_COPYRIGHT,
                                       F_COOKIES };
    for (uint32_t k = 0; k < COUNT(FOOTER); k++)
        if (style & FOOTER[k]) {
            put_furniture_line(b, src, FOOTER[k], r, article, day);
            buf_putc(b, '\n');
        }
    if (b->n && b->p[b->n - 1] == '\n') b->n--;
}

/* A near copy of `orig`: one to three words changed, sometimes the last paragraph dropped,
 * one to three furniture lines of the new source inserted between lines. */
static void make_near(buf_t *b, const buf_t *orig, const source_t *src, rng_t *r,
                      uint64_t article, uint32_t day, uint64_t produced)
{
    uint32_t lines = 1;
    for (size_t i = 0; i < orig->n; i++) lines += orig->p[i] == '\n';
    uint32_t keep = lines;
    if (lines >= 6 && rng_below(r, 3) == 0) keep = lines - 1;
    uint32_t edits = rng_range(r, 1, 3), inserts = rng_range(r, 1, 3);
    uint32_t edit_line[3], insert_line[3];
    for (uint32_t k = 0; k < 3; k++) {
        edit_line[k] = k < edits ? rng_below(r, keep) : UINT32_MAX;
        insert_line[k] = k < inserts ? rng_range(r, 1, keep) : UINT32_MAX;
    }
    static const uint32_t INSERTS[] = { F_SHARE, F_AD_WORD, F_AD_CODE, F_TEASER, F_NEWSLETTER,
                                        F_CAPTION };
    size_t at = 0;
    for (uint32_t line = 0; line < keep; line++) {
        for (uint32_t k = 0; k < 3; k++)
            if (insert_line[k] == line) {
                uint32_t what = INSERTS[rng_below(r, COUNT(INSERTS))];
                if (what == F_TEASER) put_teaser(b, r, produced);
                else put_furniture_line(b, src, what, r, article, day);
                buf_putc(b, '\n');
            }
        const char *s = orig->p + at, *nl = memchr(s, '\n', orig->n - at);
        size_t len = nl ? (size_t)(nl - s) : orig->n - at;
        at += len + 1;
        int edit = 0;
        for (uint32_t k = 0; k < 3; k++) edit += edit_line[k] == line;
        if (edit && len > 40) {
            /* Change the word after a space somewhere past the line's start. */
            size_t cut = rng_range(r, 10, (uint32_t)len - 10);
            while (cut < len && s[cut] != ' ') cut++;
            size_t end = cut + 1;
            while (end < len && s[end] != ' ') end++;
            buf_put(b, s, cut);
            if (cut < len) {
                buf_putc(b, ' ');
                put_word(b, zipf_rank(r), 0);
                if (rng_below(r, 2)) { buf_putc(b, ' '); put_word(b, topical_rank(r), 0); }
                buf_put(b, s + end, len - end);
            }
        } else {
            buf_put(b, s, len);
        }
        buf_putc(b, '\n');
    }
    for (uint32_t k = 0; k < 3; k++)
        if (insert_line[k] == keep) {
            put_furniture_line(b, src, F_SHARE, r, article, day);
            buf_putc(b, '\n');
        }
    if (b->n && b->p[b->n - 1] == '\n') b->n--;
}

static uint32_t other_source(rng_t *r, uint32_t not)
{
    uint32_t s = skewed(r, N_SOURCES);
    return s == not ? (s + 1) % N_SOURCES : s;
}

/* Writes article number `i` (0-based) to out and keeps it in the ring. */
static void make_article(const config_t *cfg, uint64_t i, uint64_t *nevents, buf_t *out)
{
    static buf_t title, text;
    rng_t r = rng_derive(cfg->seed, 7, i);
    uint32_t today = (uint32_t)(i / cfg->per_day);
    double u = rng_unit(&r);
    enum kind kind = K_ORIGINAL;
    if (i > 0) {
        if (u < cfg->copies) kind = K_COPY;
        else if (u < cfg->copies + cfg->near) kind = K_NEAR;
        else if (u < cfg->copies + cfg->near + cfg->rewrites) kind = K_REWRITE;
    }
    const stored_t *from = NULL;
    if (kind != K_ORIGINAL) {
        uint64_t have = i < RING ? i : RING;
        /* Recent articles are copied and followed up more often than older ones. */
        from = &ring[(i - 1 - skewed(&r, (uint32_t)have)) % RING];
    }
    title.n = text.n = 0;
    uint64_t event_id, follows = UINT64_MAX;
    uint32_t source, day;
    int furnished = rng_unit(&r) < cfg->furniture;
    switch (kind) {
    case K_ORIGINAL: {
        event_id = (*nevents)++;
        event_t *e = &events[event_id % EVENT_RING];
        const event_t *parent = NULL;
        if (i > 0 && rng_unit(&r) < cfg->followups) {
            uint64_t have = i < RING ? i : RING;
            parent = &events[ring[(i - 1 - skewed(&r, (uint32_t)have)) % RING].event % EVENT_RING];
            follows = parent->id;
        }
        event_init(e, cfg->seed, event_id, today, parent);
        source = skewed(&r, N_SOURCES);
        day = today + (rng_below(&r, 5) == 0);
        make_title(&title, e, &r);
        make_body(&text, e, &sources[source], 0, furnished, &r, i, day, &title, i);
        break;
    }
    case K_REWRITE: {
        event_id = from->event;
        const event_t *e = &events[event_id % EVENT_RING];
        source = other_source(&r, from->source);
        uint32_t v = rng_below(&r, 10);
        day = v == 0 && e->day > 0 ? e->day - 1 : v < 6 ? e->day : e->day + 1;
        make_title(&title, e, &r);
        make_body(&text, e, &sources[source], 1, furnished, &r, i, day, &title, i);
        break;
    }
    case K_COPY:
        event_id = from->event;
        source = other_source(&r, from->source);
        day = from->day + rng_below(&r, 2);
        buf_put(&title, from->title.p, from->title.n);
        buf_put(&text, from->text.p, from->text.n);
        break;
    default:
        event_id = from->event;
        source = other_source(&r, from->source);
        day = from->day + rng_below(&r, 2);
        if (rng_below(&r, 5) == 0) buf_puts(&title, "UPDATE: ");
        buf_put(&title, from->title.p, from->title.n);
        if (rng_below(&r, 4) == 0) {
            buf_puts(&title, " | ");
            buf_puts(&title, sources[source].name);
        }
        make_near(&text, &from->text, &sources[source], &r, i, day, i);
        break;
    }

    const source_t *src = &sources[source];
    buf_puts(out, "{\"id\":\"");
    put_article_id(out, i);
    buf_puts(out, "\",\"event\":\"e");
    buf_putu(out, event_id, 9);
    buf_puts(out, "\",\"kind\":\"");
    buf_puts(out, KIND_NAMES[kind]);
    if (from && (kind == K_COPY || kind == K_NEAR)) {
        buf_puts(out, "\",\"copy_of\":\"");
        put_article_id(out, from->id);
    }
    if (follows != UINT64_MAX) {
        buf_puts(out, "\",\"follows\":\"e");
        buf_putu(out, follows, 9);
    }
    buf_puts(out, "\",\"source\":\"");
    buf_puts(out, src->name);
    buf_puts(out, "\",\"url\":\"https://www.");
    buf_puts(out, src->domain);
    buf_putc(out, '/');
    put_iso_date(out, day);
    buf_puts(out, "/story-");
    buf_putu(out, i, 0);
    buf_puts(out, "\",\"date\":\"");
    put_iso_date(out, day);
    buf_puts(out, "\",\"title\":");
    buf_put_json(out, title.p, title.n);
    buf_puts(out, ",\"text\":");
    buf_put_json(out, text.p, text.n);
    buf_puts(out, "}\n");

    stored_t *slot = &ring[i % RING];
    slot->id = i;
    slot->event = event_id;
    slot->day = day;
    slot->source = source;
    slot->title.n = slot->text.n = 0;
    buf_put(&slot->title, title.p, title.n);
    buf_put(&slot->text, text.p, text.n);
}

/* ------------------------------------------------------------------------------------------ */
/* Command line                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fputs("usage: gencorpus [OPTIONS]\n"
          "writes a synthetic news corpus as JSON Lines (ground truth: event, kind, copy_of)\n"
          "\n"
          "  --articles N      write N articles (default 10000 unless --bytes is given)\n"
          "  --bytes SIZE      write articles until SIZE bytes are written (K, M, G, T = 10^3..;\n"
          "                    Ki, Mi, Gi, Ti = 2^10..); with --articles, the first limit wins\n"
          "  --seed S          seed (default 1); the same seed and shares give the same corpus\n"
          "  --copies X        share of exact copies of an earlier article (default 0.10)\n"
          "  --near X          share of near copies: small edits, furniture inserted (0.10)\n"
          "  --rewrites X      share of rewrites of an earlier article's event (0.30)\n"
          "  --furniture X     share of articles wrapped in their site's furniture (0.50)\n"
          "  --followups X     share of new events that continue an earlier event's storyline:\n"
          "                    same people and places, a different story (0.15)\n"
          "  --per-day N       articles a day: dates advance with the article number (2000)\n"
          "  -o, --output FILE write to FILE instead of standard output\n"
          "  -q, --quiet       no summary on standard error\n",
          f);
}

static double parse_share(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 1) die("a share must be a number in [0, 1]");
    return v;
}

static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0) die("bad size");
    double unit = 1;
    int binary = end[0] && (end[1] == 'i' || end[1] == 'I');
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': unit = binary ? 1024.0 : 1e3; break;
    case 'm': case 'M': unit = binary ? 1048576.0 : 1e6; break;
    case 'g': case 'G': unit = binary ? 1073741824.0 : 1e9; break;
    case 't': case 'T': unit = binary ? 1099511627776.0 : 1e12; break;
    default: die("bad size suffix (K, M, G, T, Ki, Mi, Gi, Ti)");
    }
    const char *rest = *end ? end + 1 + binary : end;
    if (*rest == 'B' || *rest == 'b') rest++;
    if (*rest) die("bad size suffix (K, M, G, T, Ki, Mi, Gi, Ti)");
    return (uint64_t)(v * unit);
}

int main(int argc, char **argv)
{
    config_t cfg = { 1, 0.10, 0.10, 0.30, 0.50, 0.15, 2000 };
    uint64_t max_articles = 0, max_bytes = 0;
    const char *output = NULL;
    int quiet = 0;
    for (int a = 1; a < argc; a++) {
        const char *o = argv[a];
        const char *v = a + 1 < argc ? argv[a + 1] : NULL;
        int takes = 1;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) { usage(stdout); return 0; }
        if (!strcmp(o, "-q") || !strcmp(o, "--quiet")) { quiet = 1; continue; }
        if (v == NULL) { usage(stderr); return 1; }
        if (!strcmp(o, "--articles")) max_articles = parse_size(v);
        else if (!strcmp(o, "--bytes")) max_bytes = parse_size(v);
        else if (!strcmp(o, "--seed")) cfg.seed = strtoull(v, NULL, 0);
        else if (!strcmp(o, "--copies")) cfg.copies = parse_share(v);
        else if (!strcmp(o, "--near")) cfg.near = parse_share(v);
        else if (!strcmp(o, "--rewrites")) cfg.rewrites = parse_share(v);
        else if (!strcmp(o, "--furniture")) cfg.furniture = parse_share(v);
        else if (!strcmp(o, "--followups")) cfg.followups = parse_share(v);
        else if (!strcmp(o, "--per-day")) {
            cfg.per_day = (uint32_t)parse_size(v);
            if (cfg.per_day == 0) die("--per-day must be positive");
        }
        else if (!strcmp(o, "-o") || !strcmp(o, "--output")) output = v;
        else takes = 0;
        if (!takes) { usage(stderr); return 1; }
        a++;
    }
    if (cfg.copies + cfg.near + cfg.rewrites > 1.0) die("--copies + --near + --rewrites > 1");
    if (max_articles == 0 && max_bytes == 0) max_articles = 10000;
    if (max_articles == 0) max_articles = UINT64_MAX;
    if (max_bytes == 0) max_bytes = UINT64_MAX;

    FILE *f = stdout;
    if (output && !(f = fopen(output, "wb"))) {
        fprintf(stderr, "gencorpus: %s: %s\n", output, strerror(errno));
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    vocab_build(cfg.seed);
    names_build(cfg.seed);
    categories_build(cfg.seed);
    sources_build(cfg.seed);

    buf_t out = { 0 };
    uint64_t written = 0, nevents = 0, i = 0;
    while (i < max_articles && written < max_bytes) {
        size_t before = out.n;
        make_article(&cfg, i++, &nevents, &out);
        written += out.n - before;
        if (out.n >= (1u << 22)) {
            if (fwrite(out.p, 1, out.n, f) != out.n) die("write failed");
            out.n = 0;
        }
    }
    if (out.n && fwrite(out.p, 1, out.n, f) != out.n) die("write failed");
    if (fflush(f) != 0 || (f != stdout && fclose(f) != 0)) die("write failed");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (!quiet)
        fprintf(stderr, "gencorpus: %llu articles, %llu events, %llu bytes in %.2f s (%.0f MB/s)\n",
                (unsigned long long)i, (unsigned long long)nevents, (unsigned long long)written,
                s, s > 0 ? (double)written / s / 1e6 : 0.0);
    free(out.p);
    return 0;
}
