/*
 * fuzz_facts.c — libFuzzer target for fact extraction.
 *
 * The first byte picks the language and whether the article has a date;
 * the rest is the text. Besides the sanitizers' checks, it asserts the
 * extractor's contract: every fact has a known kind, a quote inside the
 * text (start < end <= len), NUL-terminated strings, finite values with
 * value <= value_max; every quote starts at or after the previous fact's
 * start minus the look-back of a qualifier; the alias test is symmetric
 * and reflexive on names; sf_facts_same is symmetric. Stopping early
 * stops.
 */
#include "fuzz.h"
#include "facts.h"

#include <math.h>
#include <string.h>

#define KEEP 64

typedef struct seen {
    size_t len;
    sf_fact f[KEEP];
    size_t n, calls;
    size_t stop_at; /* 0 = never */
} seen;

static int on_fact(void *ctx, const sf_fact *f)
{
    seen *s = ctx;
    s->calls++;
    CHECK(f->kind >= SF_FACT_QUANTITY && f->kind <= SF_FACT_NAME);
    CHECK(f->start < f->end && f->end <= s->len);
    CHECK(memchr(f->key, 0, sizeof f->key) != NULL);
    CHECK(memchr(f->name, 0, sizeof f->name) != NULL);
    CHECK(memchr(f->abbr, 0, sizeof f->abbr) != NULL);
    CHECK(memchr(f->unit, 0, sizeof f->unit) != NULL);
    CHECK(memchr(f->currency, 0, sizeof f->currency) != NULL);
    CHECK(isfinite(f->value) && isfinite(f->value_max) && isfinite(f->value_alt));
    if (f->kind != SF_FACT_NAME && f->kind != SF_FACT_DATE)
        CHECK(f->value <= f->value_max);
    if (f->kind == SF_FACT_NAME) {
        CHECK(f->key[0] != '\0');
        CHECK(sf_names_alias(f, f));
    }
    if (f->kind == SF_FACT_MONEY)
        CHECK(strlen(f->currency) == 3);
    if (f->kind == SF_FACT_DATE && !(f->flags & SF_FACT_UNRESOLVED))
        CHECK(f->month >= 0 && f->month <= 12 && f->day >= 0 && f->day <= 31);
    if (s->n < KEEP)
        s->f[s->n++] = *f;
    return s->stop_at && s->calls >= s->stop_at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sf_text *t;
    if (!t)
        t = sf_text_new();
    CHECK(t != NULL);
    if (size == 0)
        return 0;
    sf_lang lang = (sf_lang)(data[0] % SF_LANG_COUNT);
    int32_t day = (data[0] & 0x80) ? INT32_MIN : sf_days_from_civil(2022, 4, 20);
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    static seen s;
    memset(&s, 0, sizeof s);
    s.len = len;
    CHECK(sf_facts_extract(t, text, len, lang, day, on_fact, &s) == SF_OK);
    for (size_t a = 0; a < s.n; a++)
        for (size_t b = a; b < s.n && b < a + 8; b++) {
            CHECK(sf_facts_same(&s.f[a], &s.f[b]) == sf_facts_same(&s.f[b], &s.f[a]));
            if (s.f[a].kind == SF_FACT_NAME && s.f[b].kind == SF_FACT_NAME)
                CHECK(sf_names_alias(&s.f[a], &s.f[b]) ==
                      sf_names_alias(&s.f[b], &s.f[a]));
        }
    /* Stopping after the first fact gives exactly one call. */
    if (s.calls > 1) {
        size_t all = s.calls;
        memset(&s, 0, sizeof s);
        s.len = len;
        s.stop_at = 1;
        CHECK(sf_facts_extract(t, text, len, lang, day, on_fact, &s) == SF_OK);
        CHECK(s.calls == 1 && all > 1);
    }
    /* Any prefix of up to 40 bytes as a number token. */
    double v, alt;
    bool amb;
    if (sf_facts_parse_number(text, len < 40 ? len : 40, lang, &v, &alt, &amb))
        CHECK(isfinite(v) && isfinite(alt));
    return 0;
}
