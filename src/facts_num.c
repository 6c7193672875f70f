/*
 * facts_num.c — reading one number token by a language's writing
 * convention, and civil-date arithmetic.
 *
 * Conventions: "300,000" and "3,00,000" (Indian lakh grouping) group with
 * commas; "300.000" groups with dots where the decimal mark is a comma
 * (es it de fr pt vi id tr ru nl pl) and is 300 in English; "1,5" and
 * "3.5" are decimals everywhere (a tail of other than three digits cannot
 * be a group). A single separator followed by exactly three digits is the
 * one form the text alone does not settle; it is read by the language and
 * the other reading is kept.
 */
#include "facts_internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses the ASCII number in buf (digits and at most one '.'). */
static double to_double(const char *buf)
{
    return strtod(buf, NULL);
}

/* Builds digits of s[0..n) into out, the separator at index dec (if any)
 * written as '.', all other separators dropped. */
static void build(const char *s, size_t n, size_t dec, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (is_digit(s[i]))
            out[o++] = s[i];
        else if (i == dec)
            out[o++] = '.';
    }
    out[o] = '\0';
}

bool sf_facts_parse_number(const char *s, size_t n, sf_lang lang,
                           double *value, double *alt, bool *ambiguous)
{
    *value = *alt = 0;
    *ambiguous = false;
    if (!s || n == 0 || n > 40 || !is_digit(s[0]) || !is_digit(s[n - 1]))
        return false;
    size_t seps = 0, commas = 0, dots = 0, last = n, first = n;
    size_t group_len[24];
    size_t ngroups = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i])) {
            run++;
            continue;
        }
        if (s[i] != ',' && s[i] != '.')
            return false;
        if (!is_digit(s[i - 1]))
            return false; /* two separators in a row */
        if (ngroups >= SF_ARRAY_LEN(group_len) - 1)
            return false;
        group_len[ngroups++] = run;
        run = 0;
        seps++;
        if (s[i] == ',')
            commas++;
        else
            dots++;
        if (first == n)
            first = i;
        last = i;
    }
    group_len[ngroups++] = run;
    char buf[48];
    if (seps == 0) {
        build(s, n, n, buf, sizeof buf);
        *value = *alt = to_double(buf);
        return true;
    }
    if (commas && dots) {
        /* Both marks: the last one, if it occurs once, is the decimal mark
         * and the other groups ("1.234,5", "1,234.5"). */
        char d = s[last];
        if ((d == ',' ? commas : dots) != 1)
            return false;
        for (size_t g = 1; g + 1 < ngroups; g++)
            if (group_len[g] != 3 && group_len[g] != 2)
                return false;
        build(s, n, last, buf, sizeof buf);
        *value = *alt = to_double(buf);
        return true;
    }
    if (seps >= 2) {
        /* One mark repeated: grouping, Western (3-digit groups) or Indian
         * (2-digit groups, then a last group of three). */
        if (group_len[0] > 3 || group_len[ngroups - 1] != 3)
            return false;
        for (size_t g = 1; g + 1 < ngroups; g++)
            if (group_len[g] != 3 && group_len[g] != 2)
                return false;
        build(s, n, n, buf, sizeof buf);
        *value = *alt = to_double(buf);
        return true;
    }
    /* One separator. */
    build(s, n, first, buf, sizeof buf);
    double dec = to_double(buf);
    size_t tail = group_len[1], head = group_len[0];
    if (tail != 3 || head > 3 || (head == 1 && s[0] == '0')) {
        *value = *alt = dec;
        return true;
    }
    build(s, n, n, buf, sizeof buf);
    double grp = to_double(buf);
    bool comma_decimal = fw_decimal_comma(lang);
    bool mark_is_decimal = (s[first] == ',') == comma_decimal;
    *value = mark_is_decimal ? dec : grp;
    *alt = mark_is_decimal ? grp : dec;
    /* "300,000" in English and "300.000" in German are how those languages
     * write groups; the language's own decimal mark before three digits,
     * or any such form in an unknown language, is the doubtful case. */
    *ambiguous = mark_is_decimal || (int)lang <= 0 || lang >= SF_LANG_COUNT;
    return true;
}

/* ------------------------------------------------------------------ */
/* Civil dates                                                         */
/* ------------------------------------------------------------------ */

/* Days from 1970-01-01 by the usual era arithmetic (400-year cycles of
 * 146097 days, years counted from March so leap days come last). */
int32_t sf_days_from_civil(int32_t y, int32_t m, int32_t d)
{
    y -= m <= 2;
    int32_t era = (y >= 0 ? y : y - 399) / 400;
    int32_t yoe = y - era * 400;
    int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sf_civil_from_days(int32_t days, int32_t *y, int32_t *m, int32_t *d)
{
    int32_t z = days + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t yy = yoe + era * 400;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int32_t dd = doy - (153 * mp + 2) / 5 + 1;
    int32_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (mm <= 2);
    *m = mm;
    *d = dd;
}
