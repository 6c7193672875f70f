/*
 * fuzz_tokenize.c — libFuzzer target for the tokeniser.
 *
 * The first byte picks the language and options; the rest is the text
 * (any bytes: the tokeniser must skip invalid UTF-8). Checks that token
 * offsets are in order and within the text, that normalised forms are
 * valid UTF-8, and that language detection and normalisation accept the
 * same bytes.
 */
#include "fuzz.h"
#include "text.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>


typedef struct state {
    size_t len;
    size_t last_start;
    size_t count;
} state;

static int on_token(void *ctx, const sf_token *t)
{
    state *st = ctx;
    CHECK(t->start < t->end && t->end <= st->len);
    CHECK(t->start >= st->last_start);
    CHECK(t->norm && t->norm_len > 0);
    CHECK(sf_utf8_valid(t->norm, t->norm_len));
    st->last_start = t->start;
    st->count++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sf_text *t;
    if (!t)
        t = sf_text_new();
    CHECK(t);
    if (size == 0)
        return 0;
    sf_lang lang = (sf_lang)(data[0] % SF_LANG_COUNT);
    unsigned opts = (data[0] >> 5) & (SF_TOKENIZE_STEM | SF_TOKENIZE_NOSTOP);
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    state st = {n, 0, 0};
    CHECK(sf_tokenize(t, s, n, lang, opts, on_token, &st) == SF_OK);
    CHECK(st.count <= n);
    sf_lang d = sf_lang_detect(s, n);
    CHECK((int)d >= 0 && d < SF_LANG_COUNT);
    sf_buf out;
    sf_buf_init(&out, 0);
    if (sf_utf8_valid(s, n)) {
        CHECK(sf_normalize(s, n, &out));
        CHECK(sf_utf8_valid(out.data ? out.data : "", out.len));
    }
    sf_buf_free(&out);
    return 0;
}
