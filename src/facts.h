/*
 * facts.h — facts stated in one article's clean text: quantities with what
 * they count, money with its currency, dates (absolute, and relative ones
 * resolved against the article's date), counts of people killed, injured,
 * arrested or missing, and names of organisations, people, places and
 * plants. Internal interface; the engine aggregates facts across a story.
 *
 * Status (issue 4, extraction layer)
 *   Works: numbers in every grouping convention (300,000 3,00,000 300.000
 *   300 000 1,5 0.3), read by the article's language with the other
 *   reading kept when the form is ambiguous; scale words and suffixes per
 *   language (thousand k lakh crore million bn Mrd. mil millones miliardi
 *   tỷ juta ...); number words; ranges ("10 to 20", "between 10 and 20",
 *   "10-20"); qualifiers (about, up to, at least); periods (a year, per
 *   year, annually, annual ... before); units (a canonical id for known
 *   words, else the next word); money by symbol (US$ $ € ¥ ₹ £ ...),
 *   ISO code or currency word, before or after, or glued before ("RMB10
 *   billion", "Rs.500"); dates: years, month +
 *   year, day + month (+ year) in each language's order, ISO 2023-04-20,
 *   20/04/2023, vi "ngày 20 tháng 4 năm 2023"; relative years, months and
 *   days (last year, earlier this year, el año pasado, năm ngoái, gestern)
 *   and weekdays ("on Wednesday", "el miércoles", "в среду": the most
 *   recent such day on or before it) resolved against the article's day;
 *   "by 2024" and "since 2008" flagged (Turkish after the year: "2024'e
 *   kadar"); qualifiers after the number ("300.000'e kadar", "5 binden
 *   fazla", "300 or more"); "31, 000" in text rebuilt from tokens;
 *   people counts after or before the count ("12 people were killed",
 *   "killing 12", "5 muertos", "3 người bị thương"); names as capitalised
 *   spans with connectors, hyphens ("Coca-Cola"), possessives, number
 *   designators and facility words ("the No. 2 plant", "Plant 2": bare designations, which a story
 *   merges into its one plant of that number, sf_names_part_of), acronyms
 *   in parentheses attached to their expansion, and an alias test
 *   (sf_names_alias); places from a gazetteer.
 *   Languages with data (data/facts/<lang>.txt): en es it de fr pt vi id
 *   tr ru; others use English words with their own decimal mark where
 *   known. Aggregation and disagreements are in story_facts.c; the table
 *   of conventions, code and tests is in docs/ALGORITHMS.md (Facts).
 *   Next: using shared facts in event similarity (resolved weekdays
 *   cannot separate ECB+'s sibling events: docs/ALGORITHMS.md, status).
 *
 * How it reads text: sf_tokenize() gives words and numbers with byte
 * offsets; the extractor keeps the last FACTS_RING tokens (copied, so no
 * allocation per fact or per document besides the tokeniser's own) and
 * matches patterns on them with a fixed look-ahead. Currency symbols,
 * hyphens and slashes, which the tokeniser drops, are read from the raw
 * bytes between tokens.
 */
#ifndef SF_FACTS_H
#define SF_FACTS_H

#include "text.h"

#include <stdint.h>

/* What a fact is about. Values may be appended, never renumbered. */
typedef enum sf_fact_kind {
    SF_FACT_QUANTITY = 1, /* a number and what it counts */
    SF_FACT_MONEY = 2,    /* an amount with a currency */
    SF_FACT_DATE = 3,     /* a year, month or day */
    SF_FACT_PEOPLE = 4,   /* people killed / injured / arrested / missing */
    SF_FACT_NAME = 5      /* an organisation, person, place or plant */
} sf_fact_kind;

/* Fact flags. */
enum {
    SF_FACT_APPROX = 1u << 0,     /* about, around, nearly, rund, khoảng */
    SF_FACT_UP_TO = 1u << 1,      /* up to, as many as, bis zu, hasta */
    SF_FACT_AT_LEAST = 1u << 2,   /* at least, more than, over */
    SF_FACT_RANGE = 1u << 3,      /* value .. value_max */
    SF_FACT_PER_YEAR = 1u << 4,   /* a year, per year, annually, annual */
    SF_FACT_PER_MONTH = 1u << 5,
    SF_FACT_PER_WEEK = 1u << 6,
    SF_FACT_PER_DAY = 1u << 7,
    SF_FACT_AMBIGUOUS = 1u << 8,  /* the number reads differently in the other
                                     convention: value_alt holds that reading */
    SF_FACT_RELATIVE = 1u << 9,   /* date from "last year", "yesterday", ... */
    SF_FACT_UNRESOLVED = 1u << 10, /* relative date but no article date:
                                      year/month/day are 0, offset is set */
    SF_FACT_BY = 1u << 11,        /* "by 2024": a deadline */
    SF_FACT_SINCE = 1u << 12,     /* "since 2008" */
    SF_FACT_ACRONYM = 1u << 13,   /* name is one all-capitals word (BAIC) */
    SF_FACT_WORDS = 1u << 14,     /* number written in words ("three") */
    SF_FACT_KNOWN_UNIT = 1u << 15, /* quantity: unit is a canonical id from the
                                     data ("vehicle", "tonne"), not the next
                                     word */
    SF_FACT_WEEKDAY = 1u << 16,   /* date from a weekday name ("on Wednesday"),
                                     its day inferred from the article's date
                                     (also SF_FACT_RELATIVE) */
    SF_FACT_HEADING = 1u << 17    /* name read in a line written in title case
                                     (a heading: "Teen Fatally Shot inside
                                     Bronx Apartment"), where capitals do not
                                     mark names */
};

/* Date precision. */
typedef enum sf_date_prec {
    SF_DATE_NONE = 0, SF_DATE_YEAR = 1, SF_DATE_MONTH = 2, SF_DATE_DAY = 3
} sf_date_prec;

/* What happened to the people of an SF_FACT_PEOPLE fact. */
typedef enum sf_harm {
    SF_HARM_NONE = 0, SF_HARM_KILLED = 1, SF_HARM_INJURED = 2,
    SF_HARM_ARRESTED = 3, SF_HARM_MISSING = 4
} sf_harm;

/* Class of an SF_FACT_NAME fact (best effort, from rules). */
typedef enum sf_name_class {
    SF_NAME_UNKNOWN = 0, SF_NAME_ORG = 1, SF_NAME_PERSON = 2,
    SF_NAME_PLACE = 3, SF_NAME_FACILITY = 4
} sf_name_class;

#define SF_FACT_UNIT_MAX 24
#define SF_FACT_KEY_MAX 128
#define SF_FACT_ABBR_MAX 16

/* One fact. Strings are NUL-terminated and owned by the struct; the struct
 * is valid only during the callback (copy it to keep it). */
typedef struct sf_fact {
    sf_fact_kind kind;
    unsigned flags;
    double value;       /* the number (money: in units of the currency;
                           date: the year; name: 0) */
    double value_max;   /* with SF_FACT_RANGE, the upper end; else value */
    double value_alt;   /* with SF_FACT_AMBIGUOUS, the other reading */
    /* Quantity and people: what is counted, a canonical id from the data
     * ("vehicle", "people", "%", "tonne") or else the next word as
     * normalised ("vaccines"); "" if none. Money: "". */
    char unit[SF_FACT_UNIT_MAX];
    char currency[4];   /* money: ISO 4217 code (USD EUR CNY INR JPY ...) */
    sf_harm harm;       /* people */
    sf_name_class name_class; /* name */
    /* Date: year, month (1-12 or 0), day (1-31 or 0) and precision; days
     * is the first day of the period in days since 1970-01-01. For
     * SF_FACT_UNRESOLVED dates these are 0 and offset says how many years
     * (months, days by precision) from the article's date. */
    int32_t year, month, day, days, offset;
    sf_date_prec prec;
    /* Byte offsets of the whole expression in the text ("up to 300,000
     * vehicles a year", "Beijing Automotive Group Co (BAIC)"). */
    size_t start, end;
    /* A key equal for the same fact written differently:
     *   quantity "q:300000:vehicle"  money "m:USD:1e+10"
     *   date "d:2024" "d:2024-11" "d:2024-11-20"  people "p:killed:12"
     *   name: its core words, corporate words at either end dropped,
     *   facility words made "plant", designators dropped ("beijing
     *   hyundai 2 plant"). */
    char key[SF_FACT_KEY_MAX];
    /* Name: all its words normalised, space-separated ("beijing automotive
     * group co"); abbr: the acronym in parentheses after it ("baic"). */
    char name[SF_FACT_KEY_MAX];
    char abbr[SF_FACT_ABBR_MAX];
    /* Name of class SF_NAME_PLACE found in the gazetteer: the ISO 3166
     * code of the country it is or lies in ("US" for "Chicago"); else "". */
    char country[3];
} sf_fact;

/* Called once per fact, in text order (a name may come after a number
 * inside it). Return 0 to go on, non-zero to stop. */
typedef int (*sf_fact_fn)(void *ctx, const sf_fact *fact);

/* Extracts every fact from text[0..len) (valid UTF-8 expected; invalid
 * bytes are skipped) written in lang (SF_LANG_UNKNOWN: English words, and
 * forms that depend on the decimal mark are flagged SF_FACT_AMBIGUOUS).
 * article_day is the article's date in days since 1970-01-01, or
 * INT32_MIN if unknown (relative dates are then SF_FACT_UNRESOLVED).
 * t is the caller's tokenising context (see text.h). Returns SF_OK (also
 * when fn stopped early), SF_ENOMEM, or SF_EINVAL if t or fn is NULL or
 * text is NULL with len > 0 (SF_ENOMEM only from the tokeniser). The
 * window of copied tokens lives on the stack (about 5 KiB). */
sf_status sf_facts_extract(sf_text *t, const char *text, size_t len,
                           sf_lang lang, int32_t article_day, sf_fact_fn fn,
                           void *ctx);

/* sf_facts_extract, and tee(tee_ctx, token) called with every token of
 * the text in the same pass, until it returns non-zero (sf_tokenize's
 * tokens with opts 0 and lang: a caller that also scans the text's plain
 * tokens saves tokenising it twice). Facts and tee stop independently;
 * the pass ends when both have stopped. tee may be NULL. */
sf_status sf_facts_extract_tee(sf_text *t, const char *text, size_t len,
                               sf_lang lang, int32_t article_day, sf_fact_fn fn,
                               void *ctx, sf_token_fn tee, void *tee_ctx);

/* True if two SF_FACT_NAME facts may name the same thing:
 *  - equal keys ("Beijing Automotive Group Co" = "Group Beijing Automotive");
 *  - an acronym equals the other's abbr or the initials of its words
 *    ("BAIC" and "Beijing Automotive Group Co (BAIC)", "BAIC" and
 *    "Beijing Automotive Industry Corporation"), or both have the same abbr;
 *  - both carry the same designator number and the other words of one are
 *    among the other's ("Beijing Hyundai No. 2" and "Hyundai's Beijing
 *    Plant 2");
 *  - neither has a number and the words of the one with two or more words
 *    are among the other's ("Hyundai Motor" and "Hyundai Motor Company").
 * False if either is not a name. */
bool sf_names_alias(const sf_fact *a, const sf_fact *b);

/* A summary of the words of f's key, a bit per word (by its hash): the
 * words of one alias are among the other's, so sf_names_alias(a, b)
 * holds only if one summary's bits are all in the other's, or by an
 * acronym or a shared abbr. 0 for a fact that is not a name. */
uint64_t sf_names_words_mask(const sf_fact *f);
/* sf_names_alias(a, b), ruled out at once when the word summaries (ma of
 * a, mb of b, from sf_names_words_mask) say it cannot hold. */
bool sf_names_alias_masked(const sf_fact *a, uint64_t ma, const sf_fact *b, uint64_t mb);

/* True if part is a facility's bare designation, its facility word and
 * number and nothing else ("Plant 2", key "plant 2"), and whole is a
 * longer name holding a facility word and the same numbers ("Hyundai's
 * Beijing Plant 2", "Beijing Hyundai No. 2 plant"). Not an alias test:
 * "Plant 2" is part of every plant numbered 2, so a story merges it into
 * a whole only when one group of its names is such a whole. False if
 * either is not a name. */
bool sf_names_part_of(const sf_fact *part, const sf_fact *whole);

/* The gazetteer (data/facts/places.txt, written for storyfold): the ISO
 * 3166 alpha-2 code of the country that name[0..len) is ("Deutschland",
 * "Estados Unidos") or lies in ("San Diego", "Bắc Kinh"), or NULL if the
 * name is not listed. name is lower-case words as the tokeniser normalises
 * them, separated by single spaces. *is_country (if not NULL) says whether
 * the name is the country itself. The string is static. */
const char *sf_place_country(const char *name, size_t len, bool *is_country);

/* Where a place or country named exactly name is (words normalised as
 * the tokeniser does, lower case, one space between words: "st louis"):
 * the index 1..SF_PLACE_CODES of its code among the gazetteer's codes, its
 * region's where the gazetteer gives one ("US-MO"), else its country's
 * ("TR"); 0 if the gazetteer does not know the name. sf_place_code gives
 * an index's code (NULL for an index it does not know),
 * sf_place_code_index a code's index (0 if none), and sf_place_parents()[i]
 * the index of the country of region i (0 for a country). Indices may
 * change with the gazetteer: saved data keeps codes. */
#define SF_PLACE_CODES 250
unsigned sf_place_index(const char *name, size_t len);
const char *sf_place_code(unsigned index);
unsigned sf_place_code_index(const char *code);
const uint8_t *sf_place_parents(void);

/* A quick test before sf_place_index: the bit sf_place_word_bit(w) of the
 * set sf_place_first_words() is set for the first word of every name of
 * the gazetteer and for the qualifiers the engine drops before a name
 * ("northern"); a word whose bit is clear starts no place name. The bit
 * is of the word's bytes with ASCII letters lowered (a word with letters
 * above ASCII must be looked up whole). */
#define SF_PLACE_WORD_BITS 65536u
const uint64_t *sf_place_first_words(void);

/* True if w[0..n) (lower case) is a word before a place name that is not
 * part of it: "southern", "northern", "greater"... ("Southern Iran"). */
bool sf_place_qualifier(const char *w, size_t n);

static inline uint32_t sf_place_word_bit(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)w[i];
        h = (h ^ (b >= 'A' && b <= 'Z' ? b + 32u : b)) * 16777619u;
    }
    return (h ^ h >> 16) & (SF_PLACE_WORD_BITS - 1);
}

/* True if a and b state the same fact: names that are aliases; dates of
 * the same year whose months and days agree where both have them (a
 * deadline, "by 2026", only with dates of its own precision);
 * amounts of the same currency, people counts of the same harm, and
 * quantities whose units agree (equal, or either "" or "unit"), whose
 * values agree within 0.1% in either reading or one lies in the other's
 * range. */
bool sf_facts_same(const sf_fact *a, const sf_fact *b);

/* Reads one number token's text s[0..n) (digits with , . or no-break
 * space separators, as sf_tokenize keeps them) by lang's decimal mark.
 * Returns false if s is not such a number. *alt gets the reading with the
 * other convention and *ambiguous whether it differs and the form does not
 * settle it ("300.000", "1,500"); with SF_LANG_UNKNOWN the English reading
 * is taken and every such form is ambiguous. Exposed for tests. */
bool sf_facts_parse_number(const char *s, size_t n, sf_lang lang,
                           double *value, double *alt, bool *ambiguous);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int32_t sf_days_from_civil(int32_t y, int32_t m, int32_t d);
void sf_civil_from_days(int32_t days, int32_t *y, int32_t *m, int32_t *d);

#endif /* SF_FACTS_H */
