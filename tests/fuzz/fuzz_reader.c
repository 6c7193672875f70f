/*
 * fuzz_reader.c — libFuzzer target for the JSON Lines reader.
 *
 * The first byte picks the read size (to split lines at every place), the
 * record limit (to reach the over-long line path) and whether lines are
 * pairs of articles (text1, text2); the rest is the input. Besides the sanitizers' checks, it asserts the reader's contract:
 * every article has an id and non-empty, NUL-terminated, valid UTF-8 text;
 * every error fills its record; the end comes; all bytes are counted.
 * And it reads the input twice, with the fast JSON path and with jansson
 * alone, which must give the same records, fields, errors and counts.
 */
#include "fuzz.h"
#include "reader_internal.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Same bytes, or both NULL. */
static int same(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b)
        return !a && !b && an == 0 && bn == 0;
    return an == bn && memcmp(a, b, an) == 0;
}

/* Compares a top-level field of the two readers' current records. */
static int same_field(const sf_reader *x, const sf_reader *y, const char *name)
{
    size_t xn = 0, yn = 0;
    const char *xv = sf_reader_field(x, name, &xn);
    const char *yv = sf_reader_field(y, name, &yn);
    return same(xv, xn, yv, yn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t chunks[8] = {0, 1, 2, 3, 7, 16, 64, 4096};
    static const size_t limits[4] = {0, 16, 100, 1000};
    if (size < 1)
        return 0;
    const uint8_t mode = data[0];
    data++;
    size--;

    sf_reader_options opt = {.max_record_bytes = limits[(mode >> 3) & 3], .pairs = (mode >> 5) & 1};
    sf_error err;
    sf_reader *r = sf_reader_open_memory(data, size, "fuzz", &opt, &err);
    sf_reader *ref = sf_reader_open_memory(data, size, "fuzz", &opt, &err);
    CHECK(r != NULL && ref != NULL);
    if (chunks[mode & 7])
        sf_reader_set_chunk(r, chunks[mode & 7]);
    sf_reader_set_fast(ref, false);

    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    uint64_t ok = 0, bad = 0;
    for (size_t calls = 0;; calls++) {
        CHECK(calls <= (opt.pairs ? 2 : 1) * lines + 1);
        sf_article a, b;
        sf_error referr;
        memset(&err, 0x55, sizeof err);
        memset(&referr, 0x55, sizeof referr);
        sf_status st = sf_reader_next(r, &a, &err);
        CHECK(sf_reader_next(ref, &b, &referr) == st);
        if (st == SF_OK) {
            CHECK(same(a.id, a.id_len, b.id, b.id_len));
            CHECK(same(a.title, a.title_len, b.title, b.title_len));
            CHECK(same(a.text, a.text_len, b.text, b.text_len));
            CHECK(same(a.url, a.url_len, b.url, b.url_len));
            CHECK(same(a.source, a.source_len, b.source, b.source_len));
            CHECK(same(a.date, a.date_len, b.date, b.date_len));
            CHECK(same(a.lang, a.lang_len, b.lang, b.lang_len));
            CHECK(same_field(r, ref, "id") && same_field(r, ref, "event") &&
                  same_field(r, ref, "a") && same_field(r, ref, ""));
        } else if (st != SF_END) {
            CHECK(err.code == referr.code && err.line == referr.line &&
                  err.offset == referr.offset);
            CHECK(strcmp(err.message, referr.message) == 0);
        }
        if (st == SF_END)
            break;
        if (st == SF_OK) {
            ok++;
            CHECK(a.id && a.id_len > 0 && a.id[a.id_len] == '\0');
            CHECK(a.text && a.text_len > 0 && a.text[a.text_len] == '\0');
            CHECK(sf_utf8_valid(a.text, a.text_len));
            CHECK(sf_utf8_valid(a.id, a.id_len));
            /* The limit is on input bytes; U+FFFD for one bad byte is 3. */
            CHECK(opt.max_record_bytes == 0 || a.text_len <= 3 * opt.max_record_bytes);
            size_t len = 0;
            const char *v = sf_reader_field(r, "text", &len);
            CHECK(v == a.text && len == a.text_len);
            v = sf_reader_field(r, "id", &len);
            CHECK(!v || v[len] == '\0');
            v = sf_reader_field(r, "event", &len);
            CHECK(!v || v[len] == '\0');
        } else {
            bad++;
            CHECK(st == SF_EPARSE || st == SF_ENOTEXT || st == SF_ETOOBIG);
            CHECK(err.code == st);
            CHECK(err.line >= 1 && err.line <= lines);
            CHECK(err.offset <= size + 3);   /* +3: a skipped BOM */
            CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
            CHECK(err.message[0] != '\0');
            CHECK(sf_reader_field(r, "text", NULL) == NULL);
        }
    }
    sf_reader_stats s;
    sf_reader_stats_get(r, &s);
    CHECK(s.records == ok && s.skipped == bad);
    CHECK(s.repaired <= s.records);
    CHECK(s.bytes == size);
    sf_reader_stats s2;
    sf_reader_stats_get(ref, &s2);
    CHECK(memcmp(&s, &s2, sizeof s) == 0);
    sf_reader_free(ref);
    sf_article a;
    CHECK(sf_reader_next(r, &a, NULL) == SF_END);
    sf_reader_free(r);
    return 0;
}
