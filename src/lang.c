/*
 * lang.c — language codes, stop-word sets and language guessing.
 *
 * Stop words come from the embedded files data/stopwords/<code>.txt (one
 * case-folded, NFC word per line, '#' starts a comment). They are loaded
 * once, on first use, into fixed-size open-addressing tables that point
 * straight into the embedded bytes, so loading never allocates and cannot
 * fail. The tests check that every listed word is already normalised.
 */
#include "text.h"

#include "data.h"

#include <pthread.h>
#include <string.h>

#include <utf8proc.h>

/* ------------------------------------------------------------------ */
/* Language codes                                                      */
/* ------------------------------------------------------------------ */

static const char *const lang_codes[SF_LANG_COUNT] = {
    [SF_LANG_UNKNOWN] = "und", [SF_LANG_EN] = "en", [SF_LANG_ES] = "es",
    [SF_LANG_IT] = "it",       [SF_LANG_VI] = "vi", [SF_LANG_DE] = "de",
    [SF_LANG_FR] = "fr",       [SF_LANG_PT] = "pt", [SF_LANG_ID] = "id",
    [SF_LANG_TR] = "tr",       [SF_LANG_RU] = "ru", [SF_LANG_NL] = "nl",
    [SF_LANG_PL] = "pl",       [SF_LANG_AR] = "ar", [SF_LANG_ZH] = "zh",
    [SF_LANG_JA] = "ja",       [SF_LANG_KO] = "ko", [SF_LANG_TH] = "th",
};

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

sf_lang sf_lang_from_code(const char *code, size_t len)
{
    if (!code)
        return SF_LANG_UNKNOWN;
    /* The primary subtag ends at '-' or '_' ("en-GB", "pt_BR"). */
    size_t n = 0;
    while (n < len && code[n] != '-' && code[n] != '_')
        n++;
    if (n < 2 || n > 3)
        return SF_LANG_UNKNOWN;
    char low[4] = {0};
    for (size_t i = 0; i < n; i++)
        low[i] = ascii_lower(code[i]);
    for (int l = SF_LANG_EN; l < SF_LANG_COUNT; l++)
        if (strcmp(low, lang_codes[l]) == 0)
            return (sf_lang)l;
    /* A few three-letter (ISO 639-2/3) codes seen in feeds. */
    static const struct { const char *c; sf_lang l; } three[] = {
        {"eng", SF_LANG_EN}, {"spa", SF_LANG_ES}, {"ita", SF_LANG_IT},
        {"vie", SF_LANG_VI}, {"deu", SF_LANG_DE}, {"ger", SF_LANG_DE},
        {"fra", SF_LANG_FR}, {"fre", SF_LANG_FR}, {"por", SF_LANG_PT},
        {"ind", SF_LANG_ID}, {"tur", SF_LANG_TR}, {"rus", SF_LANG_RU},
        {"nld", SF_LANG_NL}, {"dut", SF_LANG_NL}, {"pol", SF_LANG_PL},
        {"ara", SF_LANG_AR}, {"zho", SF_LANG_ZH}, {"chi", SF_LANG_ZH},
        {"jpn", SF_LANG_JA}, {"kor", SF_LANG_KO}, {"tha", SF_LANG_TH},
    };
    for (size_t i = 0; i < SF_ARRAY_LEN(three); i++)
        if (strcmp(low, three[i].c) == 0)
            return three[i].l;
    return SF_LANG_UNKNOWN;
}

const char *sf_lang_code(sf_lang lang)
{
    if ((int)lang <= 0 || lang >= SF_LANG_COUNT)
        return "und";
    return lang_codes[lang];
}

/* ------------------------------------------------------------------ */
/* Stop-word tables                                                    */
/* ------------------------------------------------------------------ */

/* Each table has STOP_SLOTS slots and holds at most STOP_MAX words (load
 * factor <= 0.5 keeps probes short); extra lines in a file are ignored. */
#define STOP_SLOTS 1024u
#define STOP_MAX (STOP_SLOTS / 2)

typedef struct stop_slot {
    const char *p; /* into the embedded file; NULL = empty */
    uint32_t len;
} stop_slot;

typedef struct stop_table {
    stop_slot slot[STOP_SLOTS];
    size_t count;
    size_t max_len; /* longer words are not looked up */
} stop_table;

/* Word lists per language, loaded once from data/<kind>/<lang>.txt. */
enum { LIST_STOP, LIST_CALENDAR, LIST_COUNT };
static const char *const list_dirs[LIST_COUNT] = {"stopwords/", "calendar/"};
static stop_table stop_tables[LIST_COUNT][SF_LANG_COUNT];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static uint32_t stop_hash(const char *w, size_t len)
{
    /* Runs for every token, so it looks at no more than the first eight
     * bytes, the last byte and the length: stop words are short and
     * differ there. */
    uint64_t x = 0;
    memcpy(&x, w, len < 8 ? len : 8);
    x ^= (uint64_t)len << 56 ^ (uint64_t)(unsigned char)w[len - 1] << 48;
    x *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 32);
}

static void stop_insert(stop_table *t, const char *w, size_t len)
{
    if (len == 0 || len > 64 || t->count >= STOP_MAX)
        return;
    uint32_t i = stop_hash(w, len) & (STOP_SLOTS - 1);
    while (t->slot[i].p) {
        if (t->slot[i].len == len && memcmp(t->slot[i].p, w, len) == 0)
            return; /* listed twice */
        i = (i + 1) & (STOP_SLOTS - 1);
    }
    t->slot[i].p = w;
    t->slot[i].len = (uint32_t)len;
    t->count++;
    if (len > t->max_len)
        t->max_len = len;
}

static void stop_add_line(void *ctx, const char *w, size_t len)
{
    stop_insert(ctx, w, len);
}

static void stop_load_one(int list, sf_lang lang)
{
    char name[32];
    strcpy(name, list_dirs[list]);
    strcat(name, lang_codes[lang]);
    strcat(name, ".txt");
    sf_data_lines(name, stop_add_line, &stop_tables[list][lang]);
}

static void stop_load_all(void)
{
    for (int list = 0; list < LIST_COUNT; list++)
        for (int l = SF_LANG_EN; l < SF_LANG_COUNT; l++)
            stop_load_one(list, (sf_lang)l);
}

static bool stop_lookup(const stop_table *t, const char *w, size_t len)
{
    if (len > t->max_len || len == 0)
        return false;
    uint32_t i = stop_hash(w, len) & (STOP_SLOTS - 1);
    while (t->slot[i].p) {
        if (t->slot[i].len == len && memcmp(t->slot[i].p, w, len) == 0)
            return true;
        i = (i + 1) & (STOP_SLOTS - 1);
    }
    return false;
}

bool sf_is_stopword(sf_lang lang, const char *word, size_t len)
{
    if (!word || len == 0 || len > 64)
        return false;
    if ((int)lang <= 0 || lang >= SF_LANG_COUNT)
        lang = SF_LANG_EN;
    pthread_once(&stop_once, stop_load_all);
    return stop_lookup(&stop_tables[LIST_STOP][lang], word, len);
}

bool sf_is_calendar_word(sf_lang lang, const char *word, size_t len)
{
    if (!word || len == 0 || len > 64)
        return false;
    if ((int)lang <= 0 || lang >= SF_LANG_COUNT)
        lang = SF_LANG_EN;
    pthread_once(&stop_once, stop_load_all);
    return stop_lookup(&stop_tables[LIST_CALENDAR][lang], word, len);
}

/* ------------------------------------------------------------------ */
/* Language guessing                                                   */
/* ------------------------------------------------------------------ */

#define DETECT_MAX 8192

enum script { SC_LATIN, SC_HAN, SC_KANA, SC_HANGUL, SC_THAI, SC_ARABIC,
              SC_CYRILLIC, SC_COUNT };

/* Script of a letter, or -1 for anything we do not count. */
static int script_of(int32_t c)
{
    if (c < 0x80)
        return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? SC_LATIN : -1;
    if (c <= 0x24F || (c >= 0x1E00 && c <= 0x1EFF))
        return (c >= 0xC0 && c != 0xD7 && c != 0xF7) ? SC_LATIN : -1;
    if (c >= 0x400 && c <= 0x52F)
        return SC_CYRILLIC;
    if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) ||
        (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
        return SC_ARABIC;
    if (c >= 0xE00 && c <= 0xE7F)
        return SC_THAI;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0xFF66 && c <= 0xFF9F))
        return c == 0x30FB ? -1 : SC_KANA; /* U+30FB is punctuation */
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F))
        return SC_HAN;
    if ((c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
        (c >= 0x3130 && c <= 0x318F))
        return SC_HANGUL;
    return -1;
}

/* Letters only Vietnamese uses among our Latin-script languages: the
 * Latin Extended Additional block (ạ ả ấ ... ỹ) and ơ ư đ ă. */
static bool vi_letter(int32_t c)
{
    return (c >= 0x1EA0 && c <= 0x1EF9) || c == 0x1A0 || c == 0x1A1 ||
           c == 0x1AF || c == 0x1B0 || c == 0x110 || c == 0x111 ||
           c == 0x102 || c == 0x103;
}

/* Letters of Turkish not used by our other Latin-script languages:
 * ı İ ğ Ğ ş Ş. */
static bool tr_letter(int32_t c)
{
    return c == 0x131 || c == 0x130 || c == 0x11E || c == 0x11F ||
           c == 0x15E || c == 0x15F;
}

/* Latin-script languages with stop-word lists, scored in detection. */
static const sf_lang latin_langs[] = {
    SF_LANG_EN, SF_LANG_ES, SF_LANG_IT, SF_LANG_VI, SF_LANG_DE, SF_LANG_FR,
    SF_LANG_PT, SF_LANG_ID, SF_LANG_TR, SF_LANG_NL, SF_LANG_PL,
};

/* Case-folds one word (NFC, no allocation) into out[0..cap); returns its
 * length, or 0 if it does not fit. */
static size_t fold_word(const char *w, size_t len, char *out, size_t cap)
{
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)w[i] >= 0x80)
            ascii = false;
    if (ascii) {
        if (len > cap)
            return 0;
        for (size_t i = 0; i < len; i++)
            out[i] = ascii_lower(w[i]);
        return len;
    }
    utf8proc_int32_t cps[96];
    utf8proc_option_t opt = (utf8proc_option_t)(UTF8PROC_STABLE |
        UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)w,
                                            (utf8proc_ssize_t)len, cps,
                                            (utf8proc_ssize_t)SF_ARRAY_LEN(cps),
                                            opt);
    if (n < 0 || n > (utf8proc_ssize_t)SF_ARRAY_LEN(cps))
        return 0;
    n = utf8proc_reencode(cps, n, opt);
    if (n < 0 || (size_t)n > cap)
        return 0;
    memcpy(out, cps, (size_t)n);
    return (size_t)n;
}

sf_lang sf_lang_detect(const char *text, size_t len)
{
    if (!text || len == 0)
        return SF_LANG_UNKNOWN;
    if (len > DETECT_MAX)
        len = DETECT_MAX;
    pthread_once(&stop_once, stop_load_all);

    size_t script[SC_COUNT] = {0};
    size_t vi_letters = 0, tr_letters = 0;
    size_t hits[SF_LANG_COUNT] = {0};
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    size_t i = 0, wstart = 0;
    bool in_word = false;

    while (i <= len) {
        int32_t c = 0;
        utf8proc_ssize_t n = 1;
        bool letter = false;
        if (i < len) {
            if (s[i] < 0x80) {
                c = s[i];
            } else {
                n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &c);
                if (n < 0) { /* invalid or cut at the 8 KiB edge */
                    c = -1;
                    n = 1;
                }
            }
            if (c >= 0) {
                int sc = script_of(c);
                if (sc >= 0) {
                    script[sc]++;
                    letter = sc == SC_LATIN;
                    if (letter && vi_letter(c))
                        vi_letters++;
                    if (letter && tr_letter(c))
                        tr_letters++;
                } else if (c >= 0x300 && c <= 0x36F) {
                    letter = in_word; /* combining accents (NFD text) */
                }
            }
        }
        if (letter && !in_word) {
            in_word = true;
            wstart = i;
        } else if (!letter && in_word) {
            in_word = false;
            char w[128];
            size_t wl = fold_word(text + wstart, i - wstart, w, sizeof w);
            if (wl) {
                for (size_t k = 0; k < SF_ARRAY_LEN(latin_langs); k++)
                    if (stop_lookup(&stop_tables[LIST_STOP][latin_langs[k]], w, wl))
                        hits[latin_langs[k]]++;
            }
        }
        i += (size_t)n;
    }

    /* Scripts without spaces carry a word or more per character, so they
     * count double against Latin letters (English boilerplate around a
     * Chinese article should not win). */
    size_t cjk = script[SC_HAN] + script[SC_KANA];
    size_t best_sc = SC_LATIN, best_w = script[SC_LATIN];
    const size_t weight[SC_COUNT] = {1, 2, 2, 1, 1, 1, 1};
    for (size_t k = 1; k < SC_COUNT; k++) {
        size_t w = (k == SC_HAN || k == SC_KANA) ? cjk * 2
                                                 : script[k] * weight[k];
        if (w > best_w) {
            best_w = w;
            best_sc = k;
        }
    }
    if (best_w < 8)
        return SF_LANG_UNKNOWN;
    switch (best_sc) {
    case SC_HAN:
    case SC_KANA:
        /* Japanese text is full of kana; Chinese has none. */
        return script[SC_KANA] * 10 >= cjk && script[SC_KANA] >= 3
                   ? SF_LANG_JA : SF_LANG_ZH;
    case SC_HANGUL: return SF_LANG_KO;
    case SC_THAI: return SF_LANG_TH;
    case SC_ARABIC: return SF_LANG_AR;
    case SC_CYRILLIC: return SF_LANG_RU;
    default: break;
    }

    /* Latin: Vietnamese and Turkish by their letters, else the stop-word
     * winner when clearly ahead of the runner-up. */
    if (vi_letters >= 8 && vi_letters * 25 >= script[SC_LATIN])
        return SF_LANG_VI;
    if (tr_letters >= 8 && tr_letters * 40 >= script[SC_LATIN])
        return SF_LANG_TR;
    sf_lang best = SF_LANG_UNKNOWN;
    size_t b1 = 0, b2 = 0;
    for (size_t k = 0; k < SF_ARRAY_LEN(latin_langs); k++) {
        size_t h = hits[latin_langs[k]];
        if (h > b1) {
            b2 = b1;
            b1 = h;
            best = latin_langs[k];
        } else if (h > b2) {
            b2 = h;
        }
    }
    if (b1 < 3 || b1 * 4 < b2 * 5) /* need >= 3 hits and 25% ahead */
        return SF_LANG_UNKNOWN;
    return best;
}
