/*
 * text.h — Unicode text handling: languages, normalisation (utf8proc NFKC
 * + case folding), tokenising by Unicode word rules with byte offsets,
 * character bigrams for scripts written without spaces, stop words (data
 * files under data/stopwords/) and Snowball stemming (libstemmer).
 */
#ifndef SF_TEXT_H
#define SF_TEXT_H

#include "common.h"

/* Languages storyfold knows by name. Values may be appended, never
 * renumbered. */
typedef enum sf_lang {
    SF_LANG_UNKNOWN = 0,
    SF_LANG_EN, SF_LANG_ES, SF_LANG_IT, SF_LANG_VI, SF_LANG_DE, SF_LANG_FR,
    SF_LANG_PT, SF_LANG_ID, SF_LANG_TR, SF_LANG_RU, SF_LANG_NL, SF_LANG_PL,
    SF_LANG_AR, SF_LANG_ZH, SF_LANG_JA, SF_LANG_KO, SF_LANG_TH,
    SF_LANG_COUNT
} sf_lang;

/* "en", "EN", "en-GB", "en_US" -> SF_LANG_EN; unknown -> SF_LANG_UNKNOWN. */
sf_lang sf_lang_from_code(const char *code, size_t len);
/* SF_LANG_EN -> "en"; SF_LANG_UNKNOWN -> "und". */
const char *sf_lang_code(sf_lang lang);

/* Guesses the language of a text: by script for Chinese, Japanese, Korean,
 * Thai, Arabic and Cyrillic, by stop-word counts for Latin scripts.
 * Looks at most at the first 8 KiB. SF_LANG_UNKNOWN when unsure. */
sf_lang sf_lang_detect(const char *text, size_t len);

/* True if the (normalised, case-folded) word is a stop word of lang. With
 * SF_LANG_UNKNOWN, checks the English list. */
bool sf_is_stopword(sf_lang lang, const char *word, size_t len);

/* True if the (normalised) word names a month or a weekday in lang
 * (data/calendar/<lang>.txt); with SF_LANG_UNKNOWN, checks English. */
bool sf_is_calendar_word(sf_lang lang, const char *word, size_t len);

/* Token flags. */
enum {
    SF_TOK_STOP = 1u << 0,     /* a stop word of the language */
    SF_TOK_NUMBER = 1u << 1,   /* starts with a digit (300,000 2024 3.5) */
    SF_TOK_CAPITAL = 1u << 2,  /* first letter is upper case in the original */
    SF_TOK_ALLCAPS = 1u << 3,  /* two or more letters, all upper case (BAIC) */
    SF_TOK_BIGRAM = 1u << 4,   /* a character bigram of a script without spaces */
    SF_TOK_SENTSTART = 1u << 5, /* first word of a sentence (capital means less) */
    SF_TOK_CALENDAR = 1u << 6  /* a month or weekday name (not a name, not an event) */
};

/* norm points into the tokeniser's scratch memory: it is valid only during
 * the callback and is not NUL-terminated in general. */
typedef struct sf_token {
    const char *norm;   /* normalised form: NFKC, case-folded; stemmed if asked */
    size_t norm_len;
    size_t start, end;  /* byte offsets of the token in the original text */
    unsigned flags;
    uint64_t hash;      /* sf_hash64(norm, norm_len, 0) */
} sf_token;

/* Called once per token, in order. Return 0 to go on, non-zero to stop. */
typedef int (*sf_token_fn)(void *ctx, const sf_token *tok);

/* Tokeniser options. */
enum {
    SF_TOKENIZE_STEM = 1u << 0,     /* stem words where a Snowball stemmer exists */
    SF_TOKENIZE_NOSTOP = 1u << 1    /* do not report stop words at all */
};

/* Per-thread tokenising context: owns stemmers, a table of the words it
 * has seen with their stems (4.5 MiB, allocated on first use) and
 * scratch buffers. sf_text_new() returns
 * NULL if out of memory; sf_text_free(NULL) does nothing. */
typedef struct sf_text sf_text;

sf_text *sf_text_new(void);
void sf_text_free(sf_text *t);

/* Splits text into words by Unicode rules (letters, digits, marks; numbers
 * keep inner , . separators: "300,000", "3.5"), normalises each, and calls
 * fn. Runs of Han, Hiragana, Katakana and Thai characters become
 * overlapping character bigrams (a single such character stays a unigram).
 * Invalid UTF-8 is skipped. Returns SF_OK, SF_ENOMEM, or SF_OK early if fn
 * asked to stop; SF_EINVAL if t or fn is NULL, or text is NULL with len > 0.
 *
 * Details:
 *  - Hyphens, underscores and other punctuation split words ("co-op" is
 *    "co" "op"). Soft hyphens and zero-width (non-)joiners inside a word
 *    are kept in the span and dropped from norm.
 *  - An apostrophe (' ’ ʼ) between letters ends a word. The English
 *    possessive "s" after it is dropped ("Xiaomi’s" gives "xiaomi"); in
 *    Turkish any suffix after it is dropped ("Türkiye'nin" gives
 *    "türkiye"); otherwise the rest is a word of its own ("l'auto" gives
 *    "l" "auto", "don't" gives "don" "t"; such pieces are stop words).
 *  - In numbers, "," "." and no-break/thin spaces between two digits stay
 *    inside the token; the spaces are dropped from norm ("300 000" with a
 *    no-break space gives "300000"). An ordinary space separates.
 *  - A bigram unit is one character with its combining marks (Thai vowel
 *    and tone marks). Lone units carry no SF_TOK_BIGRAM flag.
 *  - SF_TOK_SENTSTART marks the first token of the text and the first one
 *    after . ! ? … 。 ！ ？ or a line break.
 *  - Stop words are looked up in lang's list (English for
 *    SF_LANG_UNKNOWN); with SF_TOKENIZE_STEM, words that are not stop
 *    words or numbers are stemmed with lang's Snowball stemmer, if it has
 *    one (not for SF_LANG_UNKNOWN, vi, pl, zh, ja, ko, th). */
sf_status sf_tokenize(sf_text *t, const char *text, size_t len, sf_lang lang,
                      unsigned opts, sf_token_fn fn, void *ctx);

/* Normalises a string (NFKC + case folding; default-ignorable characters
 * such as soft hyphens and zero-width joiners dropped; invalid UTF-8
 * skipped) into out (appended). Token norms equal sf_normalize() of the
 * token's bytes, numbers and stems aside. Returns false if out of memory. */
bool sf_normalize(const char *s, size_t len, sf_buf *out);

#endif /* SF_TEXT_H */
