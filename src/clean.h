/*
 * clean.h — internals of the cleaner shared by clean_lines.c (splitting a
 * page into lines and computing per-line features) and clean.c (context,
 * region, title, decisions and the public sf_clean API).
 */
#ifndef SF_CLEAN_H
#define SF_CLEAN_H

#include "common.h"
#include "text.h"

/* Why a line was removed. The names (sf_clean_reason_name) are a stable
 * vocabulary written into output; values may be appended, never renamed. */
typedef enum sf_reason {
    R_NONE = 0,
    R_AD_CODE,
    R_CSS,
    R_MARKUP,
    R_BREADCRUMB,
    R_BYLINE,
    R_CAPTION,
    R_CREDIT,
    R_SOURCE_CREDIT,
    R_COMMENT_FORM,
    R_SPONSOR,
    R_AFFILIATE,
    R_SHARE,
    R_SUBSCRIBE,
    R_COUPON,
    R_AUTHOR_BIO,
    R_TEASER,
    R_NAVIGATION,
    R_DUPLICATE,
    R_SHORT,
    R_BOILERPLATE,
    R_SITE_FURNITURE,     /* recurs on the site's pages (clean_site.c) */
    R_GLUED_CODE,         /* code cut from a line of prose (clean_glued.c) */
    R_BEFORE_DATELINE,    /* between the title and the dateline that opens the article */
    R_COUNT
} sf_reason;

/* "ad-code", "teaser-block", ...; "" for R_NONE or out of range. */
const char *sf_clean_reason_name(sf_reason r);

/* True if the line s[0..n) opens with a dateline: a place in capitals
 * ("WASHINGTON", "ST. JOSEPH, Mich.", "DUBAI, United Arab Emirates"), or
 * any place with an agency ("Berlin (dpa)"), then a dash and the
 * article's first sentence. Words that head a line the same way without
 * being a place ("UPDATE -", data/clean/meta.lst [label]) do not count. */
bool sf_clean_dateline(const char *s, size_t n);
/* True if one of the first words of the line s[0..n) marks an update or a
 * correction ("Update (Feb. 20):", "2 p.m. UPDATE: ..."; [update] of
 * data/clean/meta.lst). */
bool sf_clean_update_line(const char *s, size_t n);

/* Ending of a line, looking through closing quotes and brackets. */
enum {
    END_NONE = 0,
    END_PERIOD,     /* . ! and full-width or Devanagari forms */
    END_QUESTION,   /* ? (a heading may ask a question) */
    END_ELLIPSIS,   /* ... or U+2026: a truncated teaser snippet */
    END_COLON,
    END_COMMA       /* , ; { [ ( : continuation, typical of code */
};

/* Characters that code, CSS and markup need: a line without them is none. */
enum {
    MARK_LT = 1, MARK_BRACE = 2, MARK_SEMI = 4, MARK_EQ = 8, MARK_COLON = 16, MARK_AT = 32
};

/* One non-empty line of the page and its features. Counts are of \w-like
 * words (letters, marks, digits); characters of scripts written without
 * spaces (Han, kana, Thai) count as half a word each. */
typedef struct sf_line {
    size_t off, len;      /* trimmed span in the page text */
    uint64_t hash;        /* of the normalised text, for duplicates */
    uint32_t no;          /* 1-based line number in the page */
    uint32_t words, stops, caps, nums, letters, nonspace;
    uint32_t codep;       /* { } [ ] ( ) ; = < > */
    uint32_t glued;       /* camel-case joins "HomeTechnologyXiaomi" */
    uint32_t pipes;       /* | and bullets: menu separators */
    uint32_t crumbs;      /* " > ", " / ", " » ": breadcrumb separators */
    uint8_t end;          /* END_* */
    uint8_t marks;        /* MARK_*: which code characters the line holds */
    uint8_t phrase;       /* sf_reason of a phrase-list hit, or R_NONE */
    bool header;          /* whole line is a teaser/comment/bio header */
    bool strong_phrase;   /* the phrase hit holds even on a sentence */
    uint32_t title_case;  /* capitalised stop words inside a sentence */
    uint32_t lead_caps;   /* words before the first one in lower case */
    uint32_t lead_tc;     /* 1 if a capitalised stop word of the page's language
                           * is among them (not the first word) */
    bool joined;          /* no blank line between this and the previous line */
    bool lower_start;     /* first letter is lower case */
    bool has_lower;       /* some letter is lower case */
    bool date_like;       /* a year with a day number or a time */
    bool time_like;       /* 11:03 */
    bool code_piece;      /* a run of code cut from a prose line (clean_glued.c) */
    /* filled by clean.c */
    uint8_t kind;
    uint8_t why;
    bool keep;
    bool caption;
    bool site;            /* recurs on the site's other pages */
    uint32_t dup_of;      /* index + 1 of the first equal line, or 0 */
    uint32_t seg;
} sf_line;

/* A page split into non-empty lines; a line with code glued into its prose
 * is split into pieces (clean_glued.c), each an sf_line with the line's
 * number. */
typedef struct sf_clean_doc {
    const char *text;     /* the page (borrowed) */
    sf_line *lines;       /* n lines, malloc'd */
    size_t n;
    sf_lang lang;
    uint64_t total_words, total_stops;
} sf_clean_doc;

/* Splits a's text into lines and computes their features (language from
 * a->lang, else detected). Returns SF_OK or SF_ENOMEM; free d with
 * sf_clean_doc_free either way. */
sf_status sf_clean_lines(const sf_article *a, sf_clean_doc *d);
void sf_clean_doc_free(sf_clean_doc *d);
/* The hash sf_clean_lines gives the first non-empty line of s[0..n).
 * SF_EINVAL when every line is empty. */
sf_status sf_clean_first_line_hash(const char *s, size_t n, uint64_t *hash);

/* For tests only: when true, every line is scanned by the general loop,
 * also those the loop for plain lines takes (both must give the same
 * features). False by default; not to be changed while pages are cleaned. */
extern bool sf_clean_general_scan;
/* For tests only: when true, the page masks are made 16 bytes at a time
 * (SSE2) even where the CPU has AVX2 (both must give the same masks). */
extern bool sf_clean_no_avx2;

/* Code-like line: ad scripts, JS object properties, lone braces. */
bool sf_clean_code_like(const sf_clean_doc *d, const sf_line *li);
/* Line holding a CSS rule or HTML tags. */
bool sf_clean_css_like(const sf_clean_doc *d, const sf_line *li);
bool sf_clean_markup_like(const sf_clean_doc *d, const sf_line *li);
/* 2-4 capitalised words without digits or stop words: a name. */
bool sf_clean_name_like(const sf_line *li);

/* The language the cleaner judged the page in (the article's lang, or
 * the one its stop words showed), SF_LANG_UNKNOWN if none. */
sf_lang sf_clean_result_lang(const sf_clean_result *c);

/* Metadata printed on the page (clean_meta.c): spans in the page text
 * (length 0 when not found) and the date as "YYYY-MM-DD" ("" if none). */
typedef struct sf_clean_meta {
    size_t byline_off, byline_len;    /* "Anna Keller" of "By Anna Keller" */
    size_t credit_off, credit_len;    /* "RPP" of "Source: RPP" */
    char date[11];
} sf_clean_meta;

/* Reads byline, credit and date from the lines the cleaner removed (after
 * the decisions: uses keep). Bylines and dates count only above the last
 * kept line; a source credit counts before a picture credit. Returns SF_OK
 * or SF_ENOMEM. */
sf_status sf_clean_find_meta(const sf_clean_doc *d, sf_clean_meta *m);

/* Site furniture (clean_site.c). The article's site: a hash of its source,
 * else of its url's host without "www."; 0 when it has neither. */
uint64_t sf_site_key(const sf_article *a);
/* True if the line (sf_line.hash) is on at least 3 of the site's pages
 * and on at least half of them. */
bool sf_site_recurring(const sf_site_model *m, uint64_t site, uint64_t line_hash);

#endif /* SF_CLEAN_H */
