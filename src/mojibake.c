/*
 * mojibake.c — undoing UTF-8 that was decoded as Windows-1252 or Latin-1.
 *
 * Mojibake of a character c is the string of characters that the bytes of
 * c's UTF-8 encoding give when each byte is read as Windows-1252 (bytes
 * that code page leaves undefined come through as the Latin-1 C1 control
 * of the same value). Its first character is therefore one of U+00C2..
 * U+00F4 (the lead byte) and each following one stands for a byte
 * 0x80..0xBF. We look for exactly that shape, map the characters back to
 * bytes, and keep the decoded character only when
 *   - the bytes are one well-formed UTF-8 sequence,
 *   - the character lies in a block that real text uses (refuses, e.g.,
 *     "ß“" -> U+07D3 NKo, which is German "Spaß“"), and
 *   - the trailing characters are not all ordinary punctuation that may
 *     follow a letter in correct text ("café »", "AMANHÃ”"); such a "weak"
 *     candidate is kept only when a letter follows it or another repair
 *     touches it ("Ã–sterreich", Russian "Ð¸Ñ…" = "их").
 * Two damaged forms seen in scraped news are also handled: the "1⁄4" that
 * NFKC makes of "¼" ("TÃ1⁄4rkei"), and "â€" whose third character (0x9D,
 * undefined in Windows-1252) was dropped or replaced by U+FFFD: it is "”".
 *
 * Repairs shrink the text (each repaired character had at least two
 * characters of two bytes), so a text that was encoded twice is undone by
 * a second round over the output; we stop after three rounds.
 */
#include "mojibake.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Characters and bytes                                                */
/* ------------------------------------------------------------------ */

/* Code points of Windows-1252 bytes 0x80..0x9F; 0 where the code page has
 * none (decoders then give the C1 control U+0080 + n). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The byte 0x80..0xBF that code point cp came from, or -1. */
static int cont_byte(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0xBF)
        return (int)cp;
    if (cp < 0x100)
        return -1;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return 0x80 + i;
    return -1;
}

/* Decodes the well-formed UTF-8 sequence at s[i..len) into *cp and returns
 * its length, or returns 0 if the bytes there are not well-formed. */
static size_t decode(const unsigned char *s, size_t len, size_t i,
                     uint32_t *cp)
{
    unsigned c = s[i];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        n = 2;
    else if (c < 0xF0)
        n = 3;
    else if (c <= 0xF4)
        n = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    uint32_t v = c & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i + k] & 0x3Fu);
    }
    *cp = v;
    return n;
}

/* Appends the UTF-8 encoding of cp to b[*n], b having room for 4. */
static size_t encode(uint32_t cp, unsigned char *b)
{
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* True if mojibake may stand for cp: the blocks of scripts and symbols
 * that news text uses. Left out: IPA and spacing modifiers (but for "ˆ"
 * and "˜", which Windows-1252 has: twice-broken text needs them), Syriac,
 * Thaana, NKo and U+0800..U+08FF (what "ß“", "É–" or "café »" would
 * give), Hebrew cantillation marks (what "SPÖ’s" would give), the private
 * use area and historic scripts. */
static bool plausible(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x24F) || cp == 0x2C6 || cp == 0x2DC ||
           (cp >= 0x300 && cp <= 0x590) || (cp >= 0x5B0 && cp <= 0x6FF) ||
           (cp >= 0x900 && cp <= 0x1FFF) || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFB00 && cp <= 0xFDFF) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE30 && cp <= 0xFFFD) ||
           (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Punctuation that may follow a letter in correct text. */
static bool after_letter_punct(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x00AB:
    case 0x00BB: case 0x2039: case 0x203A: case 0x2026: case 0x2013:
    case 0x2014: case 0x2022:
        return true;
    default:
        return false;
    }
}

/* A rough "is a letter" for the character after a weak candidate: ASCII
 * letters and anything from U+00C0 up that is not a symbol or punctuation
 * block. */
static bool letterish(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
        return false;
    if (cp >= 0x2000 && cp <= 0x2BFF)
        return false;
    if (cp >= 0x3000 && cp <= 0x303F)
        return false;
    return cp != 0xFFFD;
}

/* ------------------------------------------------------------------ */
/* Candidates                                                          */
/* ------------------------------------------------------------------ */

/* One character standing for a byte 0x80..0xBF. */
typedef struct unit {
    unsigned byte;
    size_t len;      /* bytes of text it takes */
    bool common;     /* NBSP, middle dot or an NFKC fraction */
    bool punct;      /* see after_letter_punct() */
} unit;

/* Reads the character at s[j] as a continuation byte. Besides single
 * characters, takes "1⁄4", "1⁄2", "3⁄4" (NFKC of ¼ ½ ¾). */
static bool read_unit(const unsigned char *s, size_t len, size_t j, unit *u)
{
    if (j >= len)
        return false;
    if ((s[j] == '1' || s[j] == '3') && len - j >= 5 && s[j + 1] == 0xE2 &&
        s[j + 2] == 0x81 && s[j + 3] == 0x84 &&
        (s[j + 4] == '4' || (s[j] == '1' && s[j + 4] == '2'))) {
        u->byte = s[j] == '3' ? 0xBE : s[j + 4] == '2' ? 0xBD : 0xBC;
        u->len = 5;
        u->common = true;
        u->punct = false;
        return true;
    }
    uint32_t cp;
    size_t n = decode(s, len, j, &cp);
    int b = n ? cont_byte(cp) : -1;
    if (b < 0)
        return false;
    u->byte = (unsigned)b;
    u->len = n;
    u->common = cp == 0xA0 || cp == 0xB7;
    u->punct = after_letter_punct(cp);
    return true;
}

typedef struct cand {
    uint32_t cp;     /* the repaired character */
    size_t end;      /* the mojibake is s[i..end) */
    bool weak;       /* could be correct text: needs support around it */
} cand;

/* Looks for mojibake at s[i], where s[i] == 0xC3 (every lead character
 * U+00C2..U+00F4 is encoded C3 82..C3 B4). */
static bool find_cand(const unsigned char *s, size_t len, size_t i, cand *c)
{
    if (len - i < 2 || s[i] != 0xC3 || s[i + 1] < 0x82 || s[i + 1] > 0xB4)
        return false;
    unsigned char b[4];
    b[0] = (unsigned char)(s[i + 1] + 0x40);
    size_t n = b[0] < 0xE0 ? 2 : b[0] < 0xF0 ? 3 : 4;
    size_t j = i + 2;
    bool strong = false;
    for (size_t k = 1; k < n; k++) {
        unit u;
        if (!read_unit(s, len, j, &u)) {
            /* "â€" then no third unit: its 0x9D was lost on the way. */
            if (b[0] == 0xE2 && k == 2 && b[1] == 0x80) {
                uint32_t cp;
                if (j < len && decode(s, len, j, &cp) == 3 && cp == 0xFFFD)
                    j += 3;
                c->cp = 0x201D;
                c->end = j;
                c->weak = false;
                return true;
            }
            return false;
        }
        b[k] = (unsigned char)u.byte;
        /* Â is never right before these characters, nor Ã before NBSP,
         * "·" or a fraction; other letters can be ("Ø 5 mm"). */
        if (!u.punct && (!u.common || b[0] == 0xC3))
            strong = true;
        if (b[0] == 0xC2)
            strong = true;
        j += u.len;
    }
    uint32_t cp;
    if (decode(b, n, 0, &cp) != n || !plausible(cp))
        return false;
    c->cp = cp;
    c->end = j;
    c->weak = !strong;
    return true;
}

/* Sorts cp: 'l' lowercase letter, 'u' uppercase letter (ASCII or Latin-1,
 * enough to tell "gęślÄ…" from "AMANHÃ”"), 0 anything else. */
static char case_of(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7))
        return 'l';
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return 'u';
    return 0;
}

/* case_of() the character before s[i]; 0 if there is none. */
static char case_before(const unsigned char *s, size_t len, size_t i)
{
    size_t k = i;
    while (k > 0 && i - k < 4) {
        k--;
        if ((s[k] & 0xC0) != 0x80)
            break;
    }
    uint32_t cp;
    if (k == i || decode(s, len, k, &cp) != i - k)
        return 0;
    return case_of(cp);
}

/* A weak candidate is kept when a repair ends where it starts (touching),
 * when a letter follows it, or when another candidate follows it. One of
 * two bytes is also kept after a lowercase letter, since correct text does
 * not put its capital lead there ("ślÄ…" is "śl" + "ą"). When the text has
 * sure mojibake elsewhere (evidence), one of two bytes or a symbol is kept
 * anywhere (Ukrainian "Ñ–" alone is "і", "SÄ…" is "Są"); without it,
 * "AMANHÃ”" stays. */
static bool weak_ok(const unsigned char *s, size_t len, size_t i,
                    const cand *c, bool touching, bool evidence)
{
    if (touching)
        return true;
    char before = case_before(s, len, i);
    if (c->cp < 0x800 && (before == 'l' || evidence))
        return true;
    if (evidence && c->cp >= 0x2000 && c->cp <= 0x2BFF)
        return true;   /* "â—‹" is "○" */
    if (c->end >= len)
        return false;
    /* Between a capital and a lowercase letter, ’ and ‘ are an apostrophe:
     * "PERÚ’s" (but "AÃ‘OS" is "AÑOS"). */
    uint32_t cp, first;
    bool apos = decode(s, len, i + 2, &first) &&
                (first == 0x2019 || first == 0x2018);
    if (decode(s, len, c->end, &cp) && letterish(cp) &&
        !(apos && before == 'u' && case_of(cp) == 'l'))
        return true;
    cand next;
    return find_cand(s, len, c->end, &next);
}

/* ------------------------------------------------------------------ */
/* Rounds                                                              */
/* ------------------------------------------------------------------ */

/* True if s has a lead character followed by the first byte of a
 * character that can stand for 0x80..0xBF (C2: U+0080..U+00BF; C5, C6,
 * CB, E2: the Windows-1252 extras; '1', '3': NFKC fractions). Most text
 * does not, and comes back untouched without further work. */
static bool has_pattern(const unsigned char *s, size_t len)
{
    const unsigned char *p = s, *end = s + len;
    while ((p = memchr(p, 0xC3, (size_t)(end - p))) != NULL) {
        if (end - p < 3)
            return false;
        if (p[1] >= 0x82 && p[1] <= 0xB4) {
            unsigned x = p[2];
            if (x == 0xC2 || x == 0xC5 || x == 0xC6 || x == 0xCB ||
                x == 0xE2 || x == '1' || x == '3')
                return true;
        }
        p++;
    }
    return false;
}

bool sf_mojibake_suspect(const char *s, size_t len)
{
    return s && has_pattern((const unsigned char *)s, len);
}

/* Copies s[a..b) to t, with marks m_in[a..b) (zeros if m_in is NULL). */
static bool copy_span(const unsigned char *s, const unsigned char *m_in,
                      size_t a, size_t b, sf_buf *t, sf_buf *m)
{
    if (a == b)
        return true;
    if (!sf_buf_reserve(m, b - a) || !sf_buf_append(t, s + a, b - a))
        return false;
    if (m_in)
        memcpy(m->data + m->len, m_in + a, b - a);
    else
        memset(m->data + m->len, 0, b - a);
    m->len += b - a;
    return true;
}

/* One pass over s[0..len) into t, with m marking (1 on its first byte)
 * each character of t that came from a repair, in this round or (per
 * m_in) an earlier one. *fixed receives the repairs of this round, *sure
 * those that were not weak, *refused the weak candidates left alone. */
static bool run_round(const unsigned char *s, size_t len,
                      const unsigned char *m_in, bool evidence, sf_buf *t,
                      sf_buf *m, size_t *fixed, size_t *sure, size_t *refused)
{
    size_t i = 0, last_end = SIZE_MAX;
    *fixed = *sure = *refused = 0;
    sf_buf_clear(t);
    sf_buf_clear(m);
    while (i < len) {
        const unsigned char *p = memchr(s + i, 0xC3, len - i);
        size_t k = p ? (size_t)(p - s) : len;
        if (!copy_span(s, m_in, i, k, t, m))
            return false;
        i = k;
        if (i >= len)
            break;
        cand c;
        bool found = find_cand(s, len, i, &c);
        if (found && c.weak &&
            !weak_ok(s, len, i, &c, last_end == i, evidence)) {
            ++*refused;
            found = false;
        }
        if (found) {
            *sure += !c.weak;
            unsigned char b[4];
            size_t n = encode(c.cp, b);
            if (!sf_buf_reserve(m, n) || !sf_buf_append(t, b, n))
                return false;
            memset(m->data + m->len, 0, n);
            m->data[m->len] = 1;
            m->len += n;
            ++*fixed;
            i = c.end;
            last_end = i;
        } else {
            if (!copy_span(s, m_in, i, i + 1, t, m))
                return false;
            i++;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

bool sf_mojibake_repair(const char *s, size_t len, sf_buf *out,
                        size_t *repairs)
{
    const unsigned char *cur = (const unsigned char *)s;
    const unsigned char *marks = NULL;
    size_t cur_len = len, count = 0;
    sf_buf t[2], m[2];
    for (int k = 0; k < 2; k++) {
        sf_buf_init(&t[k], 0);
        sf_buf_init(&m[k], 0);
    }
    bool ok = true, evidence = false;
    for (int round = 0; round < 3 && cur_len && has_pattern(cur, cur_len);
         round++) {
        sf_buf *tt = &t[round & 1], *mm = &m[round & 1];
        size_t fixed, sure, refused;
        if (!run_round(cur, cur_len, marks, evidence, tt, mm, &fixed, &sure,
                       &refused)) {
            ok = false;
            break;
        }
        /* Sure mojibake anywhere makes the weak candidates likely too. */
        if (refused && sure && !evidence) {
            evidence = true;
            if (!run_round(cur, cur_len, marks, evidence, tt, mm, &fixed,
                           &sure, &refused)) {
                ok = false;
                break;
            }
        }
        if (fixed == 0)
            break;
        cur = (const unsigned char *)tt->data;
        cur_len = tt->len;
        marks = (const unsigned char *)mm->data;
    }
    if (ok && marks)
        for (size_t i = 0; i < cur_len; i++)
            count += marks[i];
    if (ok && cur_len)
        ok = sf_buf_append(out, cur, cur_len);
    for (int k = 0; k < 2; k++) {
        sf_buf_free(&t[k]);
        sf_buf_free(&m[k]);
    }
    if (ok && repairs)
        *repairs = count;
    return ok;
}
