/*
 * fuzz_clean.c — libFuzzer target for the cleaner and the engine.
 *
 * The input is repaired to valid UTF-8 (as the reader does), cleaned, and
 * folded with a second article made of its second half. Checks the
 * contracts: cleaning succeeds; the clean text is valid UTF-8 made only of
 * input lines; every removed line number is within the input and its text
 * is that line; the JSON is produced; the fold assigns both articles.
 */
#include "fuzz.h"
#include "storyfold.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>


static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sf_buf text;
    sf_buf_init(&text, 0);
    CHECK(sf_utf8_repair((const char *)data, size, &text, NULL));
    const char *s = text.data ? text.data : "";
    sf_article a;
    memset(&a, 0, sizeof a);
    a.id = "f1";
    a.id_len = 2;
    a.text = s;
    a.text_len = text.len;

    sf_clean_result *c = NULL;
    CHECK(sf_clean(&a, &c) == SF_OK);
    size_t len;
    const char *kept = sf_clean_text(c, &len);
    CHECK(kept && strlen(kept) == len);
    CHECK(sf_utf8_valid(kept, len));
    CHECK(len <= text.len);
    size_t tlen;
    const char *title = sf_clean_title(c, &tlen);
    CHECK(title && sf_utf8_valid(title, tlen));
    size_t lines = count_lines(s, text.len);
    for (size_t i = 0; i < sf_clean_removed_count(c); i++) {
        uint64_t line;
        size_t rlen;
        const char *why;
        const char *r = sf_clean_removed(c, i, &line, &rlen, &why);
        CHECK(r && why && *why);
        CHECK(line >= 1 && line <= lines);
        CHECK(sf_utf8_valid(r, rlen));
    }
    char *json = sf_clean_result_json(&a, c, &len);
    CHECK(json && strlen(json) == len);
    free(json);
    sf_clean_result_free(c);

    sf_engine *e = sf_engine_new(NULL);
    CHECK(e);
    sf_article b = a;
    b.id = "f2";
    /* the second half, cut at a character boundary */
    size_t half = text.len / 2;
    while (half < text.len && ((unsigned char)s[half] & 0xC0) == 0x80)
        half++;
    b.text = s + half;
    b.text_len = text.len - half;
    CHECK(sf_engine_add(e, &a) == SF_OK);
    CHECK(sf_engine_add(e, &b) == SF_OK);
    CHECK(sf_engine_fold(e) == SF_OK);
    size_t assigned = 0;
    for (size_t i = 0; i < sf_engine_story_count(e); i++) {
        sf_story_info info;
        CHECK(sf_engine_story_info(e, i, &info) == SF_OK);
        assigned += info.articles;
        char *js = sf_engine_story_json(e, i, NULL);
        CHECK(js);
        free(js);
    }
    CHECK(assigned == 2);
    sf_engine_free(e);
    sf_buf_free(&text);
    return 0;
}
